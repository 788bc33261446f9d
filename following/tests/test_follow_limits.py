"""The hourly limits seen over HTTP: the same answer past the address limit, 429 past
the client's, the client known by the address the proxy names (``CLIENT_IP_HEADER``)."""

import pytest

from companies.tests.factories import CompanyFactory
from following.models import ConfirmationRequest, Delivery, Reader, Subscription

ADDRESS = "aibek.test@pochta.example"


@pytest.fixture
def companies(db):
    return CompanyFactory.create_batch(5)


def follow(client, company, *, email=ADDRESS, **extra):
    return client.post(
        f"/follow/companies/{company.slug}/", {"email": email, "frequency": "daily"}, **extra
    )


def test_past_the_address_limit_the_page_answers_exactly_as_before(client, companies, settings):
    settings.FOLLOWING_CONFIRMATIONS_PER_ADDRESS = 2
    sent, _, limited = (follow(client, company) for company in companies[:3])
    assert limited.status_code == sent.status_code == 200
    assert limited.content == sent.content.replace(
        companies[0].name.encode(), companies[2].name.encode()
    ).replace(companies[0].slug.encode(), companies[2].slug.encode())
    assert Delivery.objects.count() == 2
    assert Subscription.objects.count() == 3


def test_past_the_client_limit_the_answer_is_429_in_russian_and_nothing_is_kept(
    client, companies, settings
):
    settings.FOLLOWING_CONFIRMATIONS_PER_CLIENT = 2
    follow(client, companies[0], email="one@pochta.example")
    follow(client, companies[1], email="two@pochta.example")
    refused = follow(client, companies[2], email="three@pochta.example")
    assert refused.status_code == 429
    assert "Слишком много запросов" in refused.content.decode()
    assert refused["Cache-Control"] == "private, no-store"
    assert not Reader.objects.filter(email="three@pochta.example").exists()
    assert ConfirmationRequest.objects.count() == 2


def test_behind_the_proxy_each_visitor_has_a_limit_of_their_own(client, companies, settings):
    settings.FOLLOWING_CONFIRMATIONS_PER_CLIENT = 1
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    first = follow(client, companies[0], HTTP_X_REAL_IP="198.51.100.1", **proxy)
    second = follow(client, companies[1], HTTP_X_REAL_IP="198.51.100.2", **proxy)
    again = follow(client, companies[2], HTTP_X_REAL_IP="198.51.100.1", **proxy)
    assert (first.status_code, second.status_code, again.status_code) == (200, 200, 429)
