"""Folder sources only below ``INBOX_FOLDER_ROOTS``: checked when a source is saved and
again at every poll, on the folder as its symbolic links resolve then."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from inbox import polling
from inbox.models import InboxItem, Source
from inbox.source_addresses import address_error
from portal.settings.inbox import DEVELOPMENT_FOLDER_ROOT, folder_roots

pytestmark = pytest.mark.django_db

SEED = """date 2026-11-02 Завод «Восток-Металл» запустил линию стального профиля.

Директор завода Айбек Токтосунов рассказал, что линия работает в три смены.
"""


@pytest.fixture
def roots(tmp_path, settings):
    """An allowed root with an agency's folder in it, and a folder outside it."""
    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    (allowed / "agency").mkdir(parents=True)
    outside.mkdir()
    (allowed / "agency" / "item.txt").write_text(SEED)
    (outside / "secret.txt").write_text(SEED)
    settings.INBOX_FOLDER_ROOTS = [allowed]
    return allowed, outside


def folder_source(address) -> Source:
    source = Source(name="Агентство", kind=Source.Kind.FOLDER, address=str(address))
    source.full_clean()
    source.save()
    return source


def test_a_folder_below_a_root_is_a_source_and_is_polled(roots):
    allowed, _ = roots
    source = folder_source(allowed / "agency")
    assert polling.poll(source.pk, force=True).counts.new == 1


def test_a_folder_outside_the_roots_is_refused_naming_the_setting(roots):
    _, outside = roots
    with pytest.raises(ValidationError) as error:
        folder_source(outside)
    (message,) = error.value.message_dict["address"]
    assert "вне папок, разрешённых для источников" in message
    assert "INBOX_FOLDER_ROOTS" in message and "\n" not in message


@pytest.mark.parametrize("way_out", ["link", "dots"])
def test_a_path_that_leads_out_of_the_roots_is_refused(roots, way_out):
    allowed, outside = roots
    if way_out == "link":
        (allowed / "shortcut").symlink_to(outside)
        address = allowed / "shortcut"
    else:
        address = allowed / "agency" / ".." / ".." / "outside"
    message = address_error(Source.Kind.FOLDER, str(address))
    assert "вне папок" in message and str(outside) in message


def test_without_roots_folder_sources_are_refused(roots, settings):
    allowed, _ = roots
    settings.INBOX_FOLDER_ROOTS = []
    message = address_error(Source.Kind.FOLDER, str(allowed / "agency"))
    assert "папки-источники на этом сервере выключены" in message
    assert "INBOX_FOLDER_ROOTS" in message
    # Feeds are not concerned.
    assert address_error(Source.Kind.RSS, "https://agency.example/rss") == ""


def test_a_folder_turned_into_a_link_out_is_refused_at_the_poll(roots):
    allowed, outside = roots
    source = folder_source(allowed / "agency")
    (allowed / "agency" / "item.txt").unlink()
    (allowed / "agency").rmdir()
    (allowed / "agency").symlink_to(outside)
    report = polling.poll(source.pk, force=True)
    assert report.outcome == "failed" and "вне папок" in report.error
    source.refresh_from_db()
    assert "INBOX_FOLDER_ROOTS" in source.last_error
    assert not InboxItem.objects.exists()


def test_a_source_saved_before_the_roots_changed_is_refused_at_the_poll(roots, settings):
    allowed, _ = roots
    source = folder_source(allowed / "agency")
    settings.INBOX_FOLDER_ROOTS = []
    report = polling.poll(source.pk, force=True)
    assert report.outcome == "failed" and "выключены" in report.error
    assert not InboxItem.objects.exists()


def test_the_setting_takes_full_paths_and_refuses_others_in_one_line(monkeypatch):
    monkeypatch.setenv("INBOX_FOLDER_ROOTS", "/srv/inbox, /data/agencies")
    assert [str(root) for root in folder_roots("")] == ["/srv/inbox", "/data/agencies"]
    monkeypatch.setenv("INBOX_FOLDER_ROOTS", "/srv/inbox,var/inbox")
    with pytest.raises(ImproperlyConfigured, match="«var/inbox» is not a full path"):
        folder_roots("")
    monkeypatch.delenv("INBOX_FOLDER_ROOTS")
    assert folder_roots("") == []  # production's default: none
    assert folder_roots(str(DEVELOPMENT_FOLDER_ROOT)) == [DEVELOPMENT_FOLDER_ROOT]
