from django.test import Client

from articles.models import Article
from bench import corpus
from bench.http_load import COLD_PAGES
from bench.probe import pages
from bench.tests.test_corpus import UNTIL


def test_pages_name_every_public_page_the_targets_cover(catalog):
    corpus.build_corpus(articles=120, seed=3, until=UNTIL, entities=12, verbosity=0)
    found = pages()
    assert set(found) == set(COLD_PAGES)
    # The middle of the archive's pages (20 articles a page), beyond the first.
    last_page = -(-Article.objects.published().count() // 20)
    deep = int(found["archive_deep"].removeprefix("/news/?page="))
    assert 1 < deep < last_page
    assert abs(deep - last_page / 2) <= 1
    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in found.items():
        assert client.get(path).status_code == 200, name
