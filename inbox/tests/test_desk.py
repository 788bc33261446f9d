"""«Входящие» in the admin: the list's order, filters and story rows, the item page
with its highlighted text, discarding and restoring."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from companies.tests.factories import CompanyFactory, CountryFactory
from inbox.models import InboxItem, ItemSuggestion

from .desk_helpers import make_item, story
from .factories import SourceFactory

pytestmark = pytest.mark.django_db

LIST = "admin:inbox_inboxitem_changelist"


def listed(client, **params) -> list[str]:
    """The headlines of the list's rows, in order."""
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return [str(item) for item in response.context["cl"].result_list]


def test_new_items_come_first_newest_first(admin_client):
    make_item(title="Старое новое", minutes_ago=30)
    make_item(title="Свежее в работе", minutes_ago=1, state=InboxItem.State.DRAFTED)
    make_item(title="Свежее новое", minutes_ago=5)
    assert listed(admin_client) == ["Свежее новое", "Старое новое", "Свежее в работе"]
    assert "<h1>Входящие</h1>" in admin_client.get(reverse(LIST)).content.decode()


def test_filters_by_source_tag_and_state(admin_client):
    agency = SourceFactory(name="Агентство «Степной вестник»")
    make_item(agency, title="Литейный цех расширен", tags=("металлургия",))
    make_item(title="Фасоль отгружена", tags=("агро",))
    make_item(title="Отклонённая заметка", state=InboxItem.State.DISCARDED)
    assert listed(admin_client, source__id__exact=agency.pk) == ["Литейный цех расширен"]
    assert listed(admin_client, tag="агро") == ["Фасоль отгружена"]
    assert listed(admin_client, state="discarded") == ["Отклонённая заметка"]
    assert len(listed(admin_client, state="all")) == 3


def test_filters_by_the_entities_an_item_names(admin_client):
    firm = CompanyFactory(name="Восток-Металл")
    country = CountryFactory(name="Тарсиния")
    make_item(title="Восток-Металл запустил линию", lead="Линия работает в три смены.")
    make_item(title="Новости Тарсинии", lead="Тарсиния закупает профиль.")
    make_item(title="Урожай фасоли", lead="Фермеры довольны.")
    page = admin_client.get(reverse(LIST)).content.decode()
    assert "Восток-Металл" in page and "Тарсиния" in page  # offered as the filters' choices
    assert listed(admin_client, company=firm.pk) == ["Восток-Металл запустил линию"]
    counted = admin_client.get(reverse(LIST), {"_facets": "True", "company": firm.pk})
    assert counted.status_code == 200 and "Восток-Металл (1)" in counted.content.decode()
    assert listed(admin_client, country=country.pk) == ["Новости Тарсинии"]


def test_a_story_is_one_row_with_its_other_sources(admin_client):
    first, second, newest = story(
        "Линия открыта (агентство)", "Линия открыта (министерство)", "Линия открыта (завод)"
    )
    make_item(title="Отдельная заметка", minutes_ago=10)
    assert listed(admin_client) == ["Линия открыта (завод)", "Отдельная заметка"]
    page = admin_client.get(reverse(LIST)).content.decode()
    assert f'href="/admin/inbox/inboxitem/?group={newest.group_id}"' in page
    assert "ещё из 2 источников" in page
    # The row's link: every item of the story, each on its own row.
    assert listed(admin_client, group=newest.group_id) == [str(newest), str(second), str(first)]


def test_a_discarded_telling_leaves_the_story_and_its_count(admin_client):
    _first, second, newest = story("Сюжет, версия 1", "Сюжет, версия 2", "Сюжет, версия 3")
    InboxItem.objects.filter(pk=newest.pk).update(state=InboxItem.State.DISCARDED)
    assert listed(admin_client) == [str(second)]
    assert "ещё из 1 источника" in admin_client.get(reverse(LIST)).content.decode()


def test_search_reads_headline_and_text(admin_client):
    make_item(title="Литейный цех", body="Мастер Кубат Эсенов принял смену.")
    make_item(title="Фасоль")
    assert listed(admin_client, q="Эсенов") == ["Литейный цех"]


def test_the_item_page_highlights_entities_as_the_article_admin_does(admin_client):
    CompanyFactory(name="Восток-Металл")
    source = SourceFactory(name="Пресс-служба «Ала-Арча»", address="https://ala-archa.example/rss")
    item = make_item(source, title="Восток-Металл запустил линию", lead="Восток-Металл доволен.")
    partner = story("Линия открыта агентством", "Линия открыта министерством")[0]
    InboxItem.objects.filter(pk=item.pk).update(group=partner.group)
    ItemSuggestion.objects.create(
        item=item, name="Кара-Суу Агро", kind="organisation", sentence="…"
    )
    page = admin_client.get(
        reverse("admin:inbox_inboxitem_change", args=[item.pk])
    ).content.decode()
    assert page.count('<mark class="mention mention--linker">Восток-Металл</mark>') == 2
    assert "Сущности в статье: 1" in page  # the article admin's own panel
    assert 'href="https://ala-archa.example/rss"' not in page  # the address is shown, not linked
    assert "Пресс-служба «Ала-Арча»" in page and f'href="{item.url}"' in page
    assert "Линия открыта агентством" in page and "Линия открыта министерством" in page
    assert "Кара-Суу Агро" in page and "организация" in page
    assert "Сделать черновик" in page and "Отклонить" in page
    assert 'name="_save"' not in page  # nothing is edited in place
    assert "<h1>Входящий материал</h1>" in page


def test_an_item_not_linked_yet_shows_its_text_and_says_so(admin_client):
    item = make_item(title="Без связей", link=False)
    page = admin_client.get(
        reverse("admin:inbox_inboxitem_change", args=[item.pk])
    ).content.decode()
    assert "ещё не найдены" in page and "Подробности сообщила пресс-служба." in page


def test_discard_hides_an_item_and_restore_brings_it_back(admin_client):
    item = make_item(title="Лишняя заметка")
    url = reverse("admin:inbox_inboxitem_discard", args=[item.pk])
    response = admin_client.post(url)
    assert response.status_code == 302 and response.url == reverse(LIST)
    assert listed(admin_client) == []
    assert listed(admin_client, state="discarded") == ["Лишняя заметка"]
    admin_client.post(reverse("admin:inbox_inboxitem_restore", args=[item.pk]))
    assert listed(admin_client) == ["Лишняя заметка"]


def test_discarding_is_a_post_only(admin_client):
    item = make_item(title="Заметка")
    assert (
        admin_client.get(reverse("admin:inbox_inboxitem_discard", args=[item.pk])).status_code
        == 405
    )
    assert InboxItem.objects.get().state == InboxItem.State.NEW


def test_bulk_discard_leaves_items_in_work_alone_and_says_so(admin_client):
    new = [make_item(title=f"Заметка {n}") for n in range(3)]
    drafted = make_item(title="В работе", state=InboxItem.State.DRAFTED)
    chosen = [item.pk for item in [*new, drafted]]
    response = admin_client.post(
        reverse(LIST), {"action": "discard_action", "_selected_action": chosen}, follow=True
    )
    page = response.content.decode()
    assert "Отклонено: 3." in page and "Не отклонено: 1" in page
    assert listed(admin_client) == ["В работе"]
    admin_client.post(
        reverse(LIST) + "?state=discarded", {"action": "restore_action", "_selected_action": chosen}
    )
    assert len(listed(admin_client)) == 4


def test_discarding_a_story_row_discards_the_story_and_one_story_list_discards_one(
    admin_client,
):
    first, second, newest = story("Сюжет А, версия 1", "Сюжет А, версия 2", "Сюжет А, версия 3")
    one_story = reverse(LIST) + f"?group={newest.group_id}"
    admin_client.post(one_story, {"action": "discard_action", "_selected_action": [second.pk]})
    assert InboxItem.objects.get(pk=second.pk).state == InboxItem.State.DISCARDED
    assert InboxItem.objects.filter(state=InboxItem.State.NEW).count() == 2
    response = admin_client.post(
        reverse(LIST), {"action": "discard_action", "_selected_action": [newest.pk]}
    )
    assert "Отклонено: 2." in [str(m) for m in get_messages(response.wsgi_request)]
    assert not InboxItem.objects.filter(state=InboxItem.State.NEW).exists()
    assert first.pk in {item.pk for item in InboxItem.objects.filter(state="discarded")}
