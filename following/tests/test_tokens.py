"""The tokens in readers' links: the manage link is one per reader, whenever it is
made; a confirmation link expires; neither survives the reader or shows the address."""

from django.core import signing

from following.models import Reader
from following.tokens import confirm_token, manage_token, reader_to_confirm, reader_to_manage


def test_the_manage_link_is_the_same_in_every_message_whenever_it_is_made(db, monkeypatch):
    reader = Reader.objects.create(email="token.test@example.org")
    now = signing.time.time()
    first = manage_token(reader)
    monkeypatch.setattr(signing.time, "time", lambda: now + 3 * 86400 + 1)

    assert manage_token(reader) == first
    assert reader_to_manage(first) == reader
    assert "token.test" not in first


def test_a_confirmation_link_expires_and_no_link_outlives_its_reader(db, monkeypatch, settings):
    settings.FOLLOWING_CONFIRM_DAYS = 3
    reader = Reader.objects.create(email="token.test@example.org")
    confirm, manage = confirm_token(reader), manage_token(reader)
    now = signing.time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 3 * 86400 + 1)

    assert reader_to_confirm(confirm) is None
    reader.delete()
    assert reader_to_manage(manage) is None


def test_a_forged_or_altered_token_names_no_one(db):
    reader = Reader.objects.create(email="token.test@example.org")
    token = manage_token(reader)

    assert reader_to_manage(token[:-2] + "xx") is None
    assert reader_to_manage("not-a-token") is None
    assert reader_to_confirm(token) is None  # a manage token is no confirmation
