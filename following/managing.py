"""The manage page: what a reader follows and how often, when digests arrive,
removing one subscription or the address with everything.

Each change is its own small form posted to the page's address (with the CSRF
token: the page is the reader's own, never cached), answered by a redirect back
to it with a note of what was saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from .forms import DigestTimeForm, FrequencyForm, RemoveForm
from .models import Frequency, Reader
from .signup import forget_reader
from .targets import with_targets

logger = logging.getLogger(__name__)

# ?saved=<action> after a change: the note the page shows.
SAVED = {
    "frequency": "Частота писем изменена.",
    "remove": "Подписка удалена.",
    "time": "Время рассылки сохранено.",
}


def manage_page(request: HttpRequest, *, reader: Reader) -> HttpResponse:
    if request.method != "POST":
        return _page(request, reader=reader)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        return _page(request, reader=reader, status=400)
    answer = handler(request, reader)
    if answer is not None:
        return answer
    return HttpResponseRedirect(f"{request.path}?saved={action}", status=303)


def _page(
    request: HttpRequest,
    *,
    reader: Reader,
    time_form: DigestTimeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "followed": with_targets(reader.subscriptions.all()),
        "frequencies": Frequency.choices,
        "time_form": time_form or DigestTimeForm(instance=reader),
        "saved": SAVED.get(request.GET.get("saved", "")),
        "refused": status == 400,
    }
    return render(request, "following/manage.html", context, status=status)


def _change_frequency(request: HttpRequest, reader: Reader) -> HttpResponse | None:
    form = FrequencyForm(request.POST)
    if not form.is_valid():
        return _page(request, reader=reader, status=400)
    reader.subscriptions.filter(pk=form.cleaned_data["subscription"]).update(
        frequency=form.cleaned_data["frequency"]
    )
    logger.info("%s changed a subscription's frequency", reader.log_name)
    return None


def _remove(request: HttpRequest, reader: Reader) -> HttpResponse | None:
    form = RemoveForm(request.POST)
    if not form.is_valid():
        return _page(request, reader=reader, status=400)
    reader.subscriptions.filter(pk=form.cleaned_data["subscription"]).delete()
    logger.info("%s removed a subscription", reader.log_name)
    return None


def _change_time(request: HttpRequest, reader: Reader) -> HttpResponse | None:
    form = DigestTimeForm(request.POST, instance=reader)
    if not form.is_valid():
        return _page(request, reader=reader, time_form=form, status=400)
    form.save()
    logger.info("%s changed the digests' time", reader.log_name)
    return None


def _delete(request: HttpRequest, reader: Reader) -> HttpResponse:
    forget_reader(reader=reader)
    return render(request, "following/deleted.html")


ACTIONS: dict[str, Callable[[HttpRequest, Reader], HttpResponse | None]] = {
    "frequency": _change_frequency,
    "remove": _remove,
    "time": _change_time,
    "delete": _delete,
}
