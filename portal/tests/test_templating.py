"""The Jinja2 environment of the public pages (portal/templating.py)."""

import datetime as dt

from django.template import engines
from django.utils import timezone, translation


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_dates_are_shown_in_the_current_time_zone_with_russian_month_names():
    # 20:30 UTC on 5 January is already 6 January in Bishkek (UTC+6), the site's zone.
    moment = dt.datetime(2026, 1, 5, 20, 30, tzinfo=dt.UTC)
    shown = '{{ moment|date("j E Y, H:i") }}'
    with translation.override("ru"):
        assert render(shown, moment=moment) == "6 января 2026, 02:30"
        with timezone.override(dt.UTC):
            assert render(shown, moment=moment) == "5 января 2026, 20:30"


def test_a_missing_date_prints_nothing():
    assert render('{{ moment|date("j E Y") }}', moment=None) == ""


def test_messages_follow_the_active_language():
    # A message Django's own catalogs translate: each language gets its own wording.
    with translation.override("ru"):
        assert render('{{ _("January") }}') == "Январь"
    with translation.override("en"):
        assert render('{{ _("January") }}') == "January"


def test_values_put_into_messages_are_escaped():
    html = render('{{ _("Поиск: %(query)s", query=query) }}', query="<b>завод</b>")
    assert html == "Поиск: &lt;b&gt;завод&lt;/b&gt;"


def test_plural_forms_follow_russian_rules():
    forms = "публикация,публикации,публикаций"
    shown = [render("{{ n|plural_ru(forms) }}", n=n, forms=forms) for n in (1, 3, 5, 11, 21, 112)]
    assert shown == [
        "1 публикация",
        "3 публикации",
        "5 публикаций",
        "11 публикаций",
        "21 публикация",
        "112 публикаций",
    ]
