"""Two sign-in limits for django-axes: one per user name and address, one per address.

axes counts failures per combination of ``AXES_LOCKOUT_PARAMETERS`` but has one
``AXES_FAILURE_LIMIT`` for all of them. Per user name and address together (5)
keeps a guessing address from locking an editor out everywhere; but alone it lets
one address try 4 passwords on every user name it can think of. Adding
``"ip_address"`` to the parameters would lock that address at the same 5 failures,
all names together: an office behind one address would be locked out by a few
typos. So the address gets a second, higher limit of its own
(``AXES_ADDRESS_FAILURE_LIMIT``), applied by this handler.

``get_failures`` is the one number axes compares with its limit, both when a
sign-in is attempted and after a failure, so this is the only method changed: an
address at its own limit counts as at the pair's limit, for every user name it
tries, until the cool-off ends or ``manage.py axes_reset_ip`` lifts it. A
successful sign-in clears that user's failures only (``AXES_RESET_ON_SUCCESS``):
an attacker's own account cannot wipe the address's record.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, all user names."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    """axes' database handler with the per-address limit on top of the per-pair one."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) < settings.AXES_ADDRESS_FAILURE_LIMIT:
            return failures
        # The lockout page says why (admin/lockout.html).
        request.axes_address_locked_out = True
        return max(failures, get_failure_limit(request, credentials))
