"""The reader's whole way over HTTP: follow, the confirmation mail, confirm, manage,
leave; with the mail sent by the sending round and read back with ``email``."""

import logging
import re
import time
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory
from following import sending
from following.models import Delivery, Reader, Subscription
from following.tests.follow_helpers import confirmation_path, links, parsed, parts, read_back
from following.tokens import confirm_token, manage_token
from portal.tests.conftest import cache_on  # noqa: F401 (a fixture, used by name)

ADDRESS = "aibek.test@pochta.example"


@pytest.fixture
def company(db):
    return CompanyFactory(name="Степной Автозавод")


def follow(client, kind, slug, *, email=ADDRESS, frequency="daily", **extra):
    return client.post(f"/follow/{kind}/{slug}/", {"email": email, "frequency": frequency}, **extra)


def confirmed_reader(client, company) -> Reader:
    follow(client, "companies", company.slug)
    reader = Reader.objects.get()
    client.post(confirmation_path(reader))
    reader.refresh_from_db()
    return reader


def manage_path(reader: Reader) -> str:
    return f"/follow/manage/{manage_token(reader)}/"


def test_following_from_an_entity_page_queues_a_confirmation(client, company):
    response = follow(client, "companies", company.slug)
    assert response.status_code == 200
    assert "Проверьте почту" in response.content.decode()
    delivery = Delivery.objects.get()
    assert delivery.kind == Delivery.Kind.CONFIRM
    assert delivery.reader.email == ADDRESS


def test_following_from_a_tag_page(client, db):
    tag = ArticleFactory(tags=["Электробусы"]).tags.get()
    assert follow(client, "tags", tag.slug, frequency="weekly").status_code == 200
    subscription = Subscription.objects.get()
    assert (subscription.target_kind, subscription.target_id) == ("tags", tag.pk)
    assert subscription.frequency == "weekly"


def test_the_confirmation_mail_says_what_was_asked_and_for_how_long(client, company, settings):
    settings.FOLLOWING_CONFIRM_DAYS = 3
    follow(client, "companies", company.slug)
    assert sending.send_due() == 1
    (sent,) = mail.outbox
    message = parsed(Delivery.objects.get())
    assert message["To"] == ADDRESS == sent.to[0]
    assert "Подтвердите подписку" in message["Subject"]
    texts = parts(message)
    assert set(texts) == {"text/plain", "text/html"}
    for text in texts.values():
        assert "Степной Автозавод" in text
        assert "действует 3 дня" in text
        assert "ничего не делайте" in text and "удалён через 3 дня" in text
    assert f"{settings.SITE_URL}/follow/confirm/" in texts["text/plain"]
    assert 'href="' + settings.SITE_URL + "/follow/confirm/" in texts["text/html"]
    assert "<img" not in texts["text/html"] and 'content="light dark"' in texts["text/html"]


def test_opening_the_link_does_not_confirm_pressing_the_button_does(client, company):
    follow(client, "companies", company.slug)
    reader = Reader.objects.get()
    path = confirmation_path(reader)

    page = client.get(path)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    reader.refresh_from_db()
    assert reader.confirmed_at is None

    done = Client(enforce_csrf_checks=True)
    form_page = done.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode())
    response = done.post(path, {"csrfmiddlewaretoken": token[1]})
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.confirmed_at is not None
    assert reader.subscriptions.get().confirmed_at is not None
    assert f'href="{manage_path(reader)}"' in response.content.decode()


def test_an_expired_confirmation_link_says_what_to_do(client, company, settings, monkeypatch):
    settings.FOLLOWING_CONFIRM_DAYS = 3
    follow(client, "companies", company.slug)
    reader = Reader.objects.get()
    # The link as mailed 3 days and a minute ago.
    long_ago = time.time() - 3 * 86400 - 60
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: long_ago)
        token = confirm_token(reader)
    response = client.post(f"/follow/confirm/{token}/")
    assert response.status_code == 404
    assert "Ссылка устарела" in response.content.decode()
    assert "«Следить» ещё раз" in response.content.decode()
    reader.refresh_from_db()
    assert reader.confirmed_at is None


def test_a_confirmation_link_of_a_deleted_reader_is_dead(client, company):
    follow(client, "companies", company.slug)
    path = confirmation_path(Reader.objects.get())
    Reader.objects.all().delete()
    assert client.get(path).status_code == 404
    assert client.get("/follow/confirm/made-up/").status_code == 404


def test_the_manage_page_lists_what_the_reader_follows(client, company):
    reader = confirmed_reader(client, company)
    html = client.get(manage_path(reader)).content.decode()
    assert f'<a href="{company.get_absolute_url()}">Степной Автозавод</a>' in html
    assert '<option value="daily" selected>' in html


def test_the_reader_changes_a_frequency(client, company):
    reader = confirmed_reader(client, company)
    subscription = reader.subscriptions.get()
    response = client.post(
        manage_path(reader),
        {"action": "frequency", "subscription": subscription.pk, "frequency": "instant"},
    )
    assert response.status_code == 303
    subscription.refresh_from_db()
    assert subscription.frequency == "instant"
    assert "Частота писем изменена." in client.get(response["Location"]).content.decode()


def test_the_reader_sets_the_digests_hour_weekday_and_time_zone(client, company):
    reader = confirmed_reader(client, company)
    data = {"action": "time", "digest_hour": "18", "digest_weekday": "4"}
    client.post(manage_path(reader), {**data, "time_zone": "Asia/Tashkent"})
    reader.refresh_from_db()
    assert (reader.digest_hour, reader.digest_weekday, reader.time_zone) == (
        18,
        4,
        "Asia/Tashkent",
    )


@pytest.mark.parametrize(
    "wrong", [{"digest_hour": "24"}, {"digest_weekday": "7"}, {"time_zone": "Mars/Olympus"}]
)
def test_a_time_outside_the_choices_is_refused(client, company, wrong):
    reader = confirmed_reader(client, company)
    data = {"action": "time", "digest_hour": "8", "digest_weekday": "0", "time_zone": "UTC"}
    response = client.post(manage_path(reader), {**data, **wrong})
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.time_zone != "UTC"


def test_the_reader_removes_one_subscription(client, company):
    other = CompanyFactory()
    reader = confirmed_reader(client, company)
    follow(client, "companies", other.slug)
    client.post(confirmation_path(reader))
    kept, removed = reader.subscriptions.order_by("pk")
    client.post(manage_path(reader), {"action": "remove", "subscription": removed.pk})
    assert list(reader.subscriptions.all()) == [kept]


def test_a_reader_cannot_touch_anothers_subscription(client, company):
    reader = confirmed_reader(client, company)
    stranger = Subscription.objects.create(
        reader=Reader.objects.create(email="other@pochta.example"), target_kind="tags", target_id=1
    )
    client.post(manage_path(reader), {"action": "remove", "subscription": stranger.pk})
    assert Subscription.objects.filter(pk=stranger.pk).exists()


def test_deleting_the_address_deletes_everything_for_good(client, company):
    reader = confirmed_reader(client, company)
    path = manage_path(reader)
    response = client.post(path, {"action": "delete"})
    assert response.status_code == 200
    assert "Адрес удалён" in response.content.decode()
    assert not Reader.objects.exists()
    assert not Subscription.objects.exists() and not Delivery.objects.exists()
    assert client.get(path).status_code == 404


def test_unsubscribe_shows_a_button_and_the_post_deletes(client, company):
    reader = confirmed_reader(client, company)
    path = f"/follow/unsubscribe/{manage_token(reader)}/"
    assert 'method="post"' in client.get(path).content.decode()
    assert Reader.objects.exists()
    client.post(path)
    assert not Reader.objects.exists()
    gone = client.get(path)
    assert gone.status_code == 404 and "Адреса больше нет" in gone.content.decode()


def test_one_click_unsubscribe_needs_no_cookie_and_no_csrf_token(client, company):
    reader = confirmed_reader(client, company)
    path = f"/follow/unsubscribe/{manage_token(reader)}/"
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Reader.objects.exists()
    # Again (a client retrying): the address is already gone, and that is the answer.
    again = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200


def test_the_manage_page_refuses_a_post_without_its_csrf_token(company):
    browser = Client(enforce_csrf_checks=True)
    reader = confirmed_reader(Client(), company)
    assert browser.post(manage_path(reader), {"action": "delete"}).status_code == 403
    assert Reader.objects.exists()


@pytest.mark.usefixtures("cache_on")
def test_the_readers_pages_are_never_cached_nor_indexed(client, company):
    follow(client, "companies", company.slug)
    reader = Reader.objects.get()
    paths = [
        confirmation_path(reader),
        manage_path(reader),
        f"/follow/unsubscribe/{manage_token(reader)}/",
    ]
    for path in paths:
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "X-Cache" not in response, path
            assert response["Cache-Control"] == "private, no-store", path
            # The origin alone, never the path with its token.
            assert response["Referrer-Policy"] == "strict-origin", path
            html = response.content.decode()
            assert '<meta name="robots" content="noindex">' in html, path
            assert 'rel="canonical"' not in html, path


def test_the_address_is_in_no_log_line_and_no_link(client, company, caplog):
    caplog.set_level(logging.DEBUG)
    pages = [follow(client, "companies", company.slug).content.decode()]
    sending.send_due()
    (sent,) = mail.outbox
    message = read_back(sent)
    reader = Reader.objects.get()
    path = confirmation_path(reader)
    pages += [client.get(path).content.decode(), client.post(path).content.decode()]
    pages.append(client.get(manage_path(reader)).content.decode())
    pages.append(client.post(manage_path(reader), {"action": "delete"}).content.decode())
    urls = links(message) | {
        url for page in pages for url in re.findall(r'(?:href|action)="([^"]*)"', page)
    }
    for spelling in (ADDRESS, quote(ADDRESS), quote(ADDRESS, safe=""), ADDRESS.split("@")[0]):
        assert spelling not in caplog.text
        assert not [url for url in urls if spelling in url]
    assert [url for url in links(message) if "/follow/confirm/" in url]


@pytest.mark.parametrize("count", [1, 6])
def test_the_manage_page_reads_a_fixed_number_of_queries(
    client, db, count, django_assert_num_queries
):
    reader = Reader.objects.create(email=ADDRESS, confirmed_at=timezone.now())
    tag = ArticleFactory(tags=["Электробусы"]).tags.get()
    Subscription.objects.create(reader=reader, target_kind="tags", target_id=tag.pk)
    for company in CompanyFactory.create_batch(count):
        Subscription.objects.create(reader=reader, target_kind="companies", target_id=company.pk)
    path = manage_path(reader)
    # The reader (token), its subscriptions, one per kind followed; the session and
    # CSRF need none.
    with django_assert_num_queries(4):
        assert client.get(path).status_code == 200
