"""Alerts and digests (placeholder text until written)."""

from ..models import Delivery


def render(delivery: Delivery) -> tuple[str, str, str]:
    ids = ", ".join(str(pk) for pk in delivery.article_ids)
    return (f"Новости: {delivery.period}", f"Материалы: {ids}\n", "")
