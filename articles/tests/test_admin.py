import pytest

from articles.linking import link_entities
from articles.models import ArticleCompany, LinkOrigin
from articles.tests.factories import ArticleFactory
from companies.models import Company, Official


@pytest.fixture
def linked_article(catalog):
    article = ArticleFactory(lead="Тулпар Моторс в Киргизии.", body="")
    link_entities(article=article)
    return article


def change_form_data(article, *, delete_company=False, add_official=None):
    link = ArticleCompany.objects.get(article=article)
    data = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%d.%m.%Y"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "tags": "",
    }
    for prefix, model_links in [
        ("articlecompany_set", [link]),
        ("articlevehiclemodel_set", []),
        ("articleofficial_set", []),
        ("articlecountry_set", list(article.articlecountry_set.all())),
    ]:
        extra = [add_official] if prefix == "articleofficial_set" and add_official else []
        data[f"{prefix}-TOTAL_FORMS"] = str(len(model_links) + len(extra))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(model_links))
        for n, existing in enumerate(model_links):
            data[f"{prefix}-{n}-id"] = str(existing.pk)
            data[f"{prefix}-{n}-article"] = str(article.pk)
            data[f"{prefix}-{n}-entity"] = str(existing.entity_id)
        if prefix == "articlecompany_set" and delete_company:
            data[f"{prefix}-0-DELETE"] = "on"
        for n, entity in enumerate(extra, start=len(model_links)):
            data[f"{prefix}-{n}-article"] = str(article.pk)
            data[f"{prefix}-{n}-entity"] = str(entity.pk)
    return data


def test_link_removed_in_admin_is_not_restored(linked_article, admin_client):
    url = f"/admin/articles/article/{linked_article.pk}/change/"
    response = admin_client.post(url, change_form_data(linked_article, delete_company=True))
    assert response.status_code == 302, response.context["errors"]
    link_entities(article=linked_article)
    assert not linked_article.companies.filter(slug="tulpar-motors").exists()
    assert Company.objects.get(slug="tulpar-motors").articles.count() == 0


def test_link_added_in_admin_is_the_editors(linked_article, admin_client):
    official = Official.objects.get(slug="roman-chekushov")
    url = f"/admin/articles/article/{linked_article.pk}/change/"
    response = admin_client.post(url, change_form_data(linked_article, add_official=official))
    assert response.status_code == 302, response.context["errors"]
    link_entities(article=linked_article)
    link = linked_article.articleofficial_set.get()
    assert (link.entity, link.origin) == (official, LinkOrigin.EDITOR)
