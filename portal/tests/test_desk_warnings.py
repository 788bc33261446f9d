"""The front page's warnings registry: every app's warnings, and a broken one skipped."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal import desk_warnings


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(desk_warnings, "_sources", [])


def test_warnings_of_every_app_in_order(registry):
    desk_warnings.register(lambda request: ["Первое"])
    desk_warnings.register(lambda request: [])
    desk_warnings.register(lambda request: ["Второе", "Третье"])

    assert desk_warnings.warnings_for(RequestFactory().get("/")) == ["Первое", "Второе", "Третье"]


def test_a_source_registered_twice_speaks_once(registry):
    def source(request):
        return ["Одно"]

    desk_warnings.register(source)
    desk_warnings.register(source)

    assert desk_warnings.warnings_for(RequestFactory().get("/")) == ["Одно"]


def test_a_broken_source_does_not_keep_the_others_from_the_page(registry, caplog):
    def broken(request):
        raise RuntimeError("database gone")

    desk_warnings.register(broken)
    desk_warnings.register(lambda request: ["Источник молчит"])

    assert desk_warnings.warnings_for(RequestFactory().get("/")) == ["Источник молчит"]
    assert "desk warnings from" in caplog.text
