"""The confirmation mail: what was asked for, the button, how long it works.

Sent for every follow request within the limits (``following/signup.py``). It
lists the subscriptions still waiting when it is made, links to the confirm page
(whose button, not the link, confirms: mail scanners open links), and tells
someone who asked for nothing that doing nothing is enough.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import Delivery
from ..targets import Followed, with_targets
from ..tokens import confirm_token
from .links import absolute


def _plural_days(days: int) -> str:
    if days % 10 == 1 and days % 100 != 11:
        return f"{days} день"
    if 2 <= days % 10 <= 4 and not 12 <= days % 100 <= 14:
        return f"{days} дня"
    return f"{days} дней"


def _line(item: Followed) -> str:
    return f"{item.name} ({item.kind_label}): {item.subscription.get_frequency_display()}"


def render(delivery: Delivery) -> tuple[str, str, str]:
    reader = delivery.reader
    context = {
        "site_name": settings.SITE_NAME,
        "url": absolute(reverse("following:confirm", args=[confirm_token(reader)])),
        "pending": with_targets(reader.subscriptions.filter(confirmed_at__isnull=True)),
        "days": _plural_days(settings.FOLLOWING_CONFIRM_DAYS),
    }
    subject = f"Подтвердите подписку на новости — {settings.SITE_NAME}"
    return subject, _text(**context), render_to_string("following/mail/confirm.html", context)


def _text(*, site_name: str, url: str, pending: list[Followed], days: str) -> str:
    asked = [f"  — {_line(item)}" for item in pending]
    lines = [
        "Здравствуйте!",
        "",
        f"На сайте «{site_name}» попросили присылать новости на этот адрес"
        + (":" if asked else "."),
        *asked,
        "",
        "Чтобы подтвердить подписку, откройте ссылку и нажмите кнопку «Подтвердить»:",
        url,
        "",
        f"Ссылка действует {days}.",
        "",
        "Если вы не подписывались, ничего не делайте: без подтверждения писем не будет, "
        f"а адрес будет удалён через {days}.",
    ]
    return "\n".join(lines) + "\n"
