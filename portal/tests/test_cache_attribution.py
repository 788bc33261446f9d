"""The cached article page follows its attribution: set, changed or removed in the
admin, the visitor's next view shows it (the content version covers the write)."""

import pytest

from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.usefixtures("cache_on")

NAME = "Агентство «Степной вестник»"


def edit_attribution(admin_client, article, *, name: str, address: str) -> None:
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(admin_client.get(url))
    data.update(source_name=name, source_url=address)
    assert admin_client.post(url, data).status_code == 302


def test_the_cached_page_follows_the_attribution(
    db, client, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        edit_attribution(
            admin_client, article, name=NAME, address="https://stepnoy-vestnik.example/a"
        )
    page = client.get(url).content.decode()
    assert 'href="https://stepnoy-vestnik.example/a"' in page

    with django_capture_on_commit_callbacks(execute=True):
        edit_attribution(admin_client, article, name=NAME, address="")
    page = client.get(url).content.decode()
    assert "stepnoy-vestnik.example" not in page
    assert "Источник: Агентство" in page
