"""When a source needs an operator's eye, and what the warning says."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inbox.health import unwell, warning
from portal.durations import duration

from .factories import SourceFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def healthy(**fields):
    values = {
        "interval": 30,
        "created_at": NOW - timedelta(days=30),
        "last_attempt_at": NOW - timedelta(minutes=10),
        "last_success_at": NOW - timedelta(minutes=10),
        "last_new_item_at": NOW - timedelta(hours=5),
        "next_poll_at": NOW + timedelta(minutes=20),
    }
    return SourceFactory(**{**values, **fields})


def test_a_source_polled_on_time_and_bringing_news_is_healthy():
    assert warning(healthy(), now=NOW) == ""


def test_failing_for_less_than_several_intervals_is_not_yet_a_warning():
    source = healthy(
        consecutive_failures=2,
        last_error="Сервер ответил 500.",
        last_success_at=NOW - timedelta(minutes=80),
    )
    assert warning(source, now=NOW) == ""


def test_failing_for_longer_than_several_intervals_warns_with_the_error():
    source = healthy(
        consecutive_failures=4,
        last_error="Сервер ответил 500: ошибка на стороне источника.",
        last_success_at=NOW - timedelta(hours=3),
    )
    text = warning(source, now=NOW)
    assert text.startswith("Ошибки уже 3 ч (4 опросов подряд)")
    assert text.endswith("Сервер ответил 500: ошибка на стороне источника.")


def test_a_source_never_fetched_counts_from_its_creation():
    source = healthy(
        created_at=NOW - timedelta(hours=4),
        last_success_at=None,
        consecutive_failures=3,
        last_error="Адрес не найден.",
    )
    assert "Ошибки уже 4 ч" in warning(source, now=NOW)


def test_polls_long_overdue_point_at_the_worker():
    source = healthy(next_poll_at=NOW - timedelta(hours=2))
    assert "обработчик задач" in warning(source, now=NOW)


def test_a_source_answering_without_news_for_a_week_is_silent():
    source = healthy(last_new_item_at=NOW - timedelta(days=9))
    assert warning(source, now=NOW) == "Нового нет уже 9 дн., хотя источник отвечает."


def test_an_inactive_source_never_warns():
    assert warning(healthy(active=False, next_poll_at=NOW - timedelta(days=3)), now=NOW) == ""


def test_unwell_lists_only_the_sources_with_a_warning():
    sick = healthy(next_poll_at=NOW - timedelta(days=1))
    healthy()
    assert [source for source, _ in unwell([sick, healthy()], now=NOW)] == [sick]


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "1 мин"), (45, "45 мин"), (180, "3 ч"), (3 * 24 * 60, "3 дн.")]
)
def test_durations_read_roughly(minutes, text):
    assert duration(timedelta(minutes=minutes)) == text
