"""The reader's pages: follow, confirm, manage, unsubscribe.

The pages with a token in their address (confirm, manage, unsubscribe) are the
reader's alone: never kept by the page cache or a browser's, never indexed, and
never sending their address on as a referrer. Only a POST changes anything: mail
scanners open every link of a message, so a GET only shows a button.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.accounts import client_ip
from portal.cachekeys import as_written, reads_query

from .forms import FollowForm
from .managing import manage_page
from .signup import confirm_reader, forget_reader, request_follow
from .targets import followable, with_targets
from .tokens import manage_token, reader_to_confirm, reader_to_manage

SHOW_OR_POST = ["GET", "HEAD", "POST"]


# The token in these pages' addresses must never travel in a ``Referer`` header (nor
# land in an access log's referrer column): «strict-origin» sends the site's origin
# alone. Not «no-referrer»: under it browsers send ``Origin: null`` with the page's
# own forms, and Django's CSRF check then refuses every one of them.
REFERRER_POLICY = "strict-origin"


def private(response: HttpResponse) -> HttpResponse:
    """An answer for one reader: kept by no cache, its token shown to nobody else."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = REFERRER_POLICY
    return response


def private_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return private(view(request, *args, **kwargs))

    return wrapped


# Exempt from the CSRF check because the form sits on whole pages cached for every
# visitor, which cannot carry a per-visitor token. A forged post can do nothing the
# forger could not do by posting the form themselves: it only asks for a
# confirmation mail (double opt-in), within the hourly limits, and confirms nothing.
@csrf_exempt
@require_http_methods(SHOW_OR_POST)
def follow(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    target = followable(kind, slug)
    context = {"target": target, "kind": kind}
    if request.method != "POST":
        return render(request, "following/follow.html", {**context, "form": FollowForm()})
    form = FollowForm(request.POST)
    if not form.is_valid():
        return private(
            render(request, "following/follow.html", {**context, "form": form}, status=400)
        )
    outcome = request_follow(
        email=form.cleaned_data["email"],
        kind=kind,
        target_id=target.pk,
        frequency=form.cleaned_data["frequency"],
        client_address=client_ip(request),
    )
    if not outcome.looks_sent:
        return private(render(request, "following/too_many.html", context, status=429))
    return private(render(request, "following/sent.html", context))


@private_page
@require_http_methods(SHOW_OR_POST)
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    reader = reader_to_confirm(token)
    if reader is None:
        days = settings.FOLLOWING_CONFIRM_DAYS
        return render(request, "following/link_invalid.html", {"days": days}, status=404)
    if request.method != "POST":
        pending = with_targets(reader.subscriptions.filter(confirmed_at__isnull=True))
        return render(request, "following/confirm.html", {"pending": pending})
    confirm_reader(reader=reader)
    manage_url = reverse("following:manage", args=[manage_token(reader)])
    followed = with_targets(reader.subscriptions.all())
    return render(
        request, "following/confirmed.html", {"manage_url": manage_url, "followed": followed}
    )


# Never cached (private), but declared like every page's parameters: the note of
# what was just saved.
@reads_query(saved=as_written)
@private_page
@require_http_methods(SHOW_OR_POST)
def manage(request: HttpRequest, token: str) -> HttpResponse:
    reader = reader_to_manage(token)
    if reader is None:
        return render(request, "following/gone.html", status=404)
    return manage_page(request, reader=reader)


# Exempt from the CSRF check for RFC 8058's one-click unsubscribe: mail clients post
# ``List-Unsubscribe=One-Click`` with no cookies. The token in the address, which
# only the reader's mail carries, is the authority; leaving needs no more.
@csrf_exempt
@private_page
@require_http_methods(SHOW_OR_POST)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    reader = reader_to_manage(token)
    if request.method == "POST":
        if reader is not None:
            forget_reader(reader=reader)
        # Gone either way: what the reader (or their mail client) asked for is done.
        return render(request, "following/deleted.html")
    if reader is None:
        return render(request, "following/gone.html", status=404)
    return render(request, "following/unsubscribe.html")
