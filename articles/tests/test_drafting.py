"""``make_draft``: the inbox's draft article, made and linked as the admin's save makes it."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.test import Client

from articles import drafting
from articles.drafting import make_draft
from articles.jsonld import news_article_jsonld
from articles.models import Article, Tag
from articles.publishing import publish_now
from articles.tests.test_admin import empty_inlines
from companies.kinds import KINDS

NAME = "Пресс-служба «Степной машзавод»"
URL = "https://stepnoy-mash.example/press/42"
TEXT = {
    "title": "Завод Тулпар Моторс расширяется",
    "lead": "Тулпар Моторсу нужны кадры в Киргизии.",
    "body": "Роман Чекушов посетил цех.\r\n\r\n## Планы\r\n\r\nВторой абзац.",
}


def draft(**changes) -> Article:
    values = {**TEXT, "tags": [], "source_name": NAME, "source_url": URL, **changes}
    return make_draft(**values)


def links_of(article: Article) -> dict[str, set[tuple[int, str]]]:
    """Every link of ``article`` per kind, with who made it."""
    return {
        kind.key: set(kind.links.objects.filter(article=article).values_list("entity", "origin"))
        for kind in KINDS
    }


def test_the_draft_is_not_public(catalog, client):
    article = draft()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(article.get_ninjs_url()).status_code == 404


def test_the_draft_is_linked_as_the_admins_save_links_it(catalog, admin_user):
    made = draft()
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/articles/article/add/",
        {
            **TEXT,
            "slug": "",
            "status": "draft",
            "published_at_0": "2025-08-20",
            "published_at_1": "10:00:00",
            "source_name": NAME,
            "source_url": URL,
            **empty_inlines(),
        },
    )
    assert response.status_code == 302
    saved = Article.objects.exclude(pk=made.pk).get()
    assert links_of(made) == links_of(saved)
    assert any(links_of(made).values())  # the text names the catalog's entities
    for field in ["title", "lead", "body", "mentions", "mentions_hash", "source_name"]:
        assert getattr(made, field) == getattr(saved, field), field
    made.refresh_from_db()
    assert made.mentions == saved.mentions


def test_the_draft_keeps_normalised_text_and_its_attribution(catalog):
    article = Article.objects.get(pk=draft(title="  Завод\nрасширяется ").pk)
    assert article.title == "Завод расширяется"
    assert article.body == "Роман Чекушов посетил цех.\n\n## Планы\n\nВторой абзац."
    assert (article.source_name, article.source_url) == (NAME, URL)


def test_the_draft_gets_a_unique_slug(catalog):
    first, second = draft(), draft()
    assert first.slug == "zavod-tulpar-motors-rasshiriaetsia"
    assert second.slug == "zavod-tulpar-motors-rasshiriaetsia-2"


def test_the_draft_is_tagged_with_existing_tags_in_any_case(catalog):
    existing = Tag.objects.create(name="Автопром")
    article = draft(tags=["автопром", "  Новые   кадры ", "", "Новые кадры"])
    assert set(article.tags.all()) == {existing, Tag.objects.get(name="Новые кадры")}


def test_the_author_is_kept_and_the_history_starts_with_the_addition(catalog, admin_user):
    article = draft(author=admin_user)
    assert Article.objects.get(pk=article.pk).author == admin_user
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.action_flag) == (admin_user, ADDITION)
    client = Client()
    client.force_login(admin_user)
    history = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert f"Черновик по материалу: {NAME}." in history.replace("&quot;", '"')


def test_without_an_author_no_history_is_invented(catalog):
    draft()
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": " "}, "title"),
        ({"title": "Заголовок " * 40}, "title"),
        ({"lead": ""}, "lead"),
        ({"source_url": "ftp://stepnoy-mash.example/"}, "source_url"),
        ({"source_name": ""}, "source_name"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(catalog, changes, field):
    with pytest.raises(ValidationError) as refused:
        draft(**changes)
    assert field in refused.value.message_dict
    assert not Article.objects.exists()


def test_a_failure_while_linking_takes_the_whole_draft_back(catalog, monkeypatch):
    def broken(*, article):
        raise RuntimeError("linker down")

    monkeypatch.setattr(drafting, "link_entities", broken)
    with pytest.raises(RuntimeError):
        draft(tags=["Автопром"])
    assert not Article.objects.exists()
    assert not Tag.objects.filter(name="Автопром").exists()


def test_once_published_the_page_and_json_ld_carry_the_attribution(catalog, client):
    article = draft()
    publish_now(articles=Article.objects.filter(pk=article.pk))
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'Источник: <a href="{URL}" rel="nofollow noopener">' in page
    published = Article.objects.with_entities().get(pk=article.pk)
    data = news_article_jsonld(published, base_url="https://example.org")
    assert data["isBasedOn"]["url"] == URL
