"""The alert and digest messages as a mail client sees them: parsed with the ``email`` package."""

import datetime as dt
import email
import email.policy
from html.parser import HTMLParser

import pytest

from articles.models import Tag
from companies.tests.factories import CompanyFactory, CountryFactory
from following.mail.compose import compose
from following.mail.digest_message import render_many
from following.models import Delivery, Frequency
from following.tests.digest_factories import ReaderFactory, article_about, follow

UTC = dt.UTC
SITE = "https://portal.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.sources = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.sources.append(attrs["src"])


def parsed(delivery: Delivery) -> email.message.EmailMessage:
    raw = compose(delivery).message().as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


def subject(message) -> str:
    # Django folds a long encoded subject onto the next line; the parser keeps the
    # fold's space, which mail clients drop.
    return message["Subject"].strip()


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def daily(reader, articles, period="2025-12-07") -> Delivery:
    ids = [a.pk for a in sorted(articles, key=lambda a: a.published_at, reverse=True)]
    return Delivery.objects.create(reader=reader, kind="daily", period=period, article_ids=ids)


def day_articles(company, count: int) -> list:
    start = dt.datetime(2025, 12, 7, 3, tzinfo=UTC)
    return [
        article_about(company, published_at=start + dt.timedelta(minutes=n)) for n in range(count)
    ]


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "1 новость"), (2, "2 новости"), (5, "5 новостей"), (21, "21 новость")],
)
def test_the_subject_counts_the_news_in_agreeing_russian(db, count, words):
    company = CompanyFactory()
    reader = ReaderFactory()
    follow(reader, company)

    message = parsed(daily(reader, day_articles(company, count)))

    assert subject(message) == f"{words} о ваших подписках за 7 декабря"


def test_a_digest_has_the_unsubscribe_headers_and_both_parts(db):
    company = CompanyFactory()
    reader = ReaderFactory()
    follow(reader, company)

    message = parsed(daily(reader, day_articles(company, 2)))

    assert message["List-Unsubscribe"].strip().startswith(f"<{SITE}/follow/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["To"] == reader.email
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]


def test_every_link_is_absolute_and_none_carries_the_address(db):
    company = CompanyFactory()
    reader = ReaderFactory(email="ivan.testov@example.org")
    follow(reader, company)
    articles = day_articles(company, 2)

    text, html = parts(parsed(daily(reader, articles)))

    links = Links()
    links.feed(html)
    assert {f"{SITE}{a.get_absolute_url()}" for a in articles} <= set(links.hrefs)
    assert any("/follow/manage/" in href for href in links.hrefs)
    assert any("/follow/unsubscribe/" in href for href in links.hrefs)
    assert all(href.startswith(SITE + "/") for href in links.hrefs)
    assert links.sources == []  # no images, nothing fetched from elsewhere
    for href in links.hrefs:
        assert "ivan" not in href and "example.org" not in href
    assert "ivan.testov" not in text and "ivan.testov" not in html
    for article in articles:
        assert f"{SITE}{article.get_absolute_url()}" in text


def test_the_html_reads_in_dark_mode_without_tables_or_layout_engines(db):
    company = CompanyFactory()
    reader = ReaderFactory()
    follow(reader, company)

    _, html = parts(parsed(daily(reader, day_articles(company, 1))))

    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="supported-color-schemes" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html
    for absent in ("<table", "<img", "flex", "grid", "<script", "<link"):
        assert absent not in html


def test_articles_are_grouped_under_the_first_followed_entity_each_once(db):
    tulpar, kyrgyzstan = CompanyFactory(name="Тестовый Завод"), CountryFactory(name="Тестландия")
    reader = ReaderFactory()
    tag = Tag.objects.for_name("Электробусы")
    follow(reader, kyrgyzstan, tulpar, tag)
    at = dt.datetime(2025, 12, 7, 3, tzinfo=UTC)
    both = article_about(tulpar, kyrgyzstan, title="Завод и страна", published_at=at)
    country_only = article_about(kyrgyzstan, title="Только страна", published_at=at)
    tagged = article_about(tags=[tag], title="Только тема", published_at=at)

    text, html = parts(parsed(daily(reader, [both, country_only, tagged])))

    assert text.count("Завод и страна") == 1 and html.count("Завод и страна") == 1
    company_group, country_group, tag_group = (
        text.index("== Тестовый Завод"),
        text.index("== Тестландия"),
        text.index("== Электробусы"),
    )
    assert company_group < text.index("Завод и страна") < country_group
    assert country_group < text.index("Только страна") < tag_group < text.index("Только тема")
    assert "Упомянуты: Тестовый Завод, Тестландия" in text
    assert "Электробусы" in text.split("--")[-1]  # why the reader gets this


def test_the_article_shows_its_date_in_the_readers_zone_and_its_lead(db):
    company = CompanyFactory()
    reader = ReaderFactory(time_zone="Europe/Moscow")
    follow(reader, company)
    article = article_about(
        company,
        lead="Вымышленный завод начал сборку.",
        published_at=dt.datetime(2025, 12, 7, 9, 5, tzinfo=UTC),
    )

    text, _ = parts(parsed(daily(reader, [article])))

    assert "7 декабря 2025, 12:05" in text
    assert "Вымышленный завод начал сборку." in text


def test_a_weekly_subject_names_the_days_it_covers(db):
    company = CompanyFactory()
    reader = ReaderFactory(digest_weekday=0)
    follow(reader, company, frequency=Frequency.WEEKLY)
    articles = day_articles(company, 3)
    delivery = Delivery.objects.create(
        reader=reader, kind="weekly", period="2025-W49", article_ids=[a.pk for a in articles]
    )

    assert subject(parsed(delivery)) == (
        "3 новости о ваших подписках за неделю 1 декабря — 7 декабря"
    )


def test_an_alerts_subject_is_the_headline(db):
    company = CompanyFactory()
    reader = ReaderFactory()
    follow(reader, company, frequency=Frequency.INSTANT)
    (article,) = day_articles(company, 1)
    delivery = Delivery.objects.create(
        reader=reader, kind="instant", period=f"a{article.pk}", article_ids=[article.pk]
    )

    message = parsed(delivery)

    assert subject(message) == article.title
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_rendering_many_digests_takes_a_fixed_number_of_queries(db, django_assert_num_queries):
    companies = [CompanyFactory() for _ in range(3)]
    articles = [a for company in companies for a in day_articles(company, 2)]
    deliveries = []
    for n in range(6):
        reader = ReaderFactory()
        follow(reader, companies[n % 3])
        deliveries.append(daily(reader, articles[2 * (n % 3) : 2 * (n % 3) + 2]))
    deliveries = list(
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).select_related("reader")
    )

    # the subscriptions, the articles, their links of each kind (4) and their tags; the
    # targets' names come with the links (a query more only for a target no article has)
    with django_assert_num_queries(7):
        rendered = render_many(deliveries)

    assert len(rendered) == 6


def test_an_edited_headline_is_sent_as_edited(db, django_capture_on_commit_callbacks):
    # Each write's new content version is made at commit: run those commits' hooks.
    with django_capture_on_commit_callbacks(execute=True):
        company = CompanyFactory()
        reader = ReaderFactory()
        follow(reader, company, frequency=Frequency.INSTANT)
        (article,) = day_articles(company, 1)
    delivery = Delivery.objects.create(
        reader=reader, kind="instant", period=f"a{article.pk}", article_ids=[article.pk]
    )
    assert subject(parsed(delivery)) == article.title

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Вымышленный завод сменил название"
        article.save()

    assert subject(parsed(delivery)) == "Вымышленный завод сменил название"
