"""Dates an editor reads in the admin are in the site's time zone (Asia/Bishkek).

20:00 UTC on 15 August is 02:00 on 16 August in Bishkek (UTC+6): a date taken
from the UTC value would be a day early.
"""

import datetime as dt

import pytest

from articles.linking import add_link
from articles.tests.factories import ArticleFactory
from companies.kinds import KINDS
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)

LATE_EVENING_UTC = dt.datetime(2025, 8, 15, 20, 0, tzinfo=dt.UTC)
FACTORIES = {
    "company": CompanyFactory,
    "vehiclemodel": VehicleModelFactory,
    "official": OfficialFactory,
    "country": CountryFactory,
}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_entity_page_dates_mentioning_articles_in_the_site_zone(admin_client, kind):
    entity = FACTORIES[kind.name]()
    article = ArticleFactory(title="Вечерняя новость", published_at=LATE_EVENING_UTC)
    add_link(article=article, entity=entity)
    opts = kind.model._meta
    content = admin_client.get(
        f"/admin/{opts.app_label}/{opts.model_name}/{entity.pk}/change/"
    ).content.decode()
    assert "Вечерняя новость</a> (16.08.2025)" in content
    assert "15.08.2025" not in content
