"""The confirmation mail (placeholder text until written)."""

from django.urls import reverse

from ..models import Delivery
from ..tokens import confirm_token
from .links import absolute


def render(delivery: Delivery) -> tuple[str, str, str]:
    url = absolute(reverse("following:confirm", args=[confirm_token(delivery.reader)]))
    return ("Подтвердите подписку", f"Подтвердите подписку: {url}\n", "")
