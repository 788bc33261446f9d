"""The portal's own ninjs, as another portal would fetch it, reads back whole."""

from __future__ import annotations

import datetime as dt

from articles.tests.factories import ArticleFactory
from inbox.parsing import parse


def test_the_portals_own_ninjs_reads_back_as_the_article(db, client):
    article = ArticleFactory(
        title="ОсОО «Кемин Шифер» открыло второй цех",
        lead="Цех выпускает кровельный шифер, сообщила директор Гульмира Токтосунова.",
        body="Цех открылся в понедельник.\n\n## Планы\n\nТретий цех заложат осенью.",
        published_at=dt.datetime(2025, 12, 1, 4, 0, tzinfo=dt.UTC),
        tags=["Стройматериалы", "Чуйская область"],
    )
    response = client.get(f"/news/{article.slug}.json")
    parsed = parse(response.content, kind="ninjs", content_type=response["Content-Type"])
    assert parsed.skipped == []
    [entry] = parsed.entries
    assert entry.guid == entry.url == f"http://testserver/news/{article.slug}/"
    assert (entry.title, entry.lead, entry.body) == (article.title, article.lead, article.body)
    assert entry.published == article.published_at
    assert entry.tags == ("Стройматериалы", "Чуйская область")
