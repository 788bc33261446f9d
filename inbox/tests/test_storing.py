"""Each entry stored once: by source and GUID, by canonical address, by text;
updates flagged; stories grouped; one transaction per item."""

import pytest

from inbox import similarity
from inbox.models import InboxItem, ItemTag
from inbox.storing import ingest

from .factories import SourceFactory, entry

pytestmark = pytest.mark.django_db


def test_new_entries_are_stored_with_their_tags_and_the_sources_defaults():
    source = SourceFactory(default_tags="металлургия, Чуйская область")
    counts = ingest(source, [entry(1, tags=("сталь",)), entry(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    item = InboxItem.objects.get(guid="urn:test:1")
    assert item.title == "Завод «Восток-Металл» запустил линию №1"
    assert item.state == InboxItem.State.NEW and item.signature
    assert sorted(item.tags.values_list("name", flat=True)) == [
        "Чуйская область",
        "металлургия",
        "сталь",
    ]
    assert sorted(counts.changed_ids) == sorted(InboxItem.objects.values_list("pk", flat=True))


def test_the_same_entries_again_are_unchanged():
    source = SourceFactory()
    ingest(source, [entry(1), entry(2)])
    counts = ingest(source, [entry(1), entry(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 2)
    assert counts.changed_ids == []
    assert InboxItem.objects.count() == 2


def test_the_same_guid_with_new_text_updates_the_item_and_says_so():
    source = SourceFactory()
    ingest(source, [entry(1)])
    first = InboxItem.objects.get()
    counts = ingest(source, [entry(1, lead="Исправлено: линия выпускает арматуру.")])
    assert (counts.new, counts.updated) == (0, 1)
    item = InboxItem.objects.get()
    assert item.pk == first.pk and item.was_updated and item.updated_at is not None
    assert item.lead == "Исправлено: линия выпускает арматуру."
    assert item.received_at == first.received_at
    assert counts.changed_ids == [item.pk]


def test_without_guid_the_canonical_address_identifies_the_item():
    source = SourceFactory()
    ingest(source, [entry(1, guid="", url="https://vostok-metall.example/news/1")])
    counts = ingest(
        source, [entry(1, guid="", url="https://vostok-metall.example/news/1?utm_source=rss")]
    )
    assert (counts.new, counts.unchanged) == (0, 1)
    assert InboxItem.objects.count() == 1


def test_without_guid_or_address_the_text_identifies_the_item():
    source = SourceFactory()
    ingest(source, [entry(1, guid="", url="")])
    same_text_respaced = entry(
        1,
        guid="",
        url="",
        title="Завод  «Восток-Металл» запустил   линию №1",
    )
    counts = ingest(source, [same_text_respaced])
    assert (counts.new, counts.unchanged) == (0, 1)
    assert InboxItem.objects.count() == 1


def test_another_sources_copy_of_an_address_is_not_stored_again_nor_updates_it():
    agency, ministry = SourceFactory(), SourceFactory()
    ingest(agency, [entry(1, guid="agency-1")])
    counts = ingest(ministry, [entry(1, guid="ministry-1", lead="Пересказ другими словами.")])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    item = InboxItem.objects.get()
    assert item.source == agency and not item.was_updated


def test_a_guid_repeated_inside_one_feed_is_stored_once_and_reported():
    source = SourceFactory()
    counts = ingest(source, [entry(1), entry(2, guid="urn:test:1")])
    assert counts.new == 1 and InboxItem.objects.count() == 1
    assert counts.skipped and "urn:test:1" in counts.skipped[0]
    assert InboxItem.objects.get().title.endswith("№1")


def test_a_very_long_guid_is_kept_by_its_hash():
    source = SourceFactory()
    long_guid = "urn:" + "x" * 5000
    ingest(source, [entry(1, guid=long_guid)])
    counts = ingest(source, [entry(1, guid=long_guid)])
    assert counts.unchanged == 1
    assert InboxItem.objects.get().guid.startswith("sha256:")


def test_items_telling_the_same_story_from_two_sources_are_grouped():
    agency, ministry = SourceFactory(), SourceFactory()
    ingest(agency, [entry(1, guid="a-1", url="https://agency.example/1")])
    retold = entry(
        1,
        guid="m-1",
        url="https://ministry.example/1",
        lead="Линия №1 выпускает стальной профиль для строителей Чуйской долины и Таласа.",
    )
    counts = ingest(
        ministry,
        [
            retold,
            entry(
                7,
                guid="m-7",
                url="https://ministry.example/7",
                title="Биржа зерна открыла торги",
                lead="Торги пшеницей начались в Бишкеке.",
                body="Первая сделка заключена в девять утра.",
            ),
        ],
    )
    assert (counts.new, counts.grouped) == (2, 1)
    first, second = InboxItem.objects.get(guid="a-1"), InboxItem.objects.get(guid="m-1")
    assert first.group_id is not None and first.group_id == second.group_id
    assert InboxItem.objects.get(guid="m-7").group_id is None


def test_a_third_telling_joins_the_existing_group():
    sources = [SourceFactory() for _ in range(3)]
    for n, source in enumerate(sources):
        lead = f"Линия №1 выпускает стальной профиль для строителей, сообщает источник {n}."
        ingest(source, [entry(1, guid=f"s{n}", url=f"https://s{n}.example/1", lead=lead)])
    assert InboxItem.objects.count() == 3
    groups = set(InboxItem.objects.values_list("group_id", flat=True))
    assert len(groups) == 1 and None not in groups


def test_an_item_that_fails_leaves_nothing_and_the_ones_before_it_stay(monkeypatch):
    source = SourceFactory(default_tags="сталь")
    real = similarity.same_story
    calls = []

    def fail_on_second(candidate, others):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(candidate, others)

    monkeypatch.setattr(similarity, "same_story", fail_on_second)
    with pytest.raises(RuntimeError):
        ingest(source, [entry(1), entry(2), entry(3)])
    assert list(InboxItem.objects.values_list("guid", flat=True)) == ["urn:test:1"]
    assert ItemTag.objects.count() == 1


TELEGRAM = (
    "Подписывайтесь на телеграм-канал агентства «Вымысел-Пресс»: новости промышленности, "
    "экономики, энергетики, транспорта и строительства Кыргызстана, Казахстана и "
    "Узбекистана каждый день, фото, видео, интервью, аналитика и обзоры рынков."
)


def test_a_sources_boilerplate_does_not_group_its_different_stories():
    source = SourceFactory()
    stories = [entry(n, body=f"{entry(n).body}\n\n{TELEGRAM}") for n in (1, 2, 3)]
    counts = ingest(source, stories)
    assert (counts.new, counts.grouped) == (3, 0)
    assert not InboxItem.objects.filter(group__isnull=False).exists()


def test_an_address_repeated_inside_one_feed_is_stored_once():
    source = SourceFactory()
    url = "https://vostok-metall.example/news/1"
    counts = ingest(
        source, [entry(1, guid="a", url=url), entry(1, guid="b", url=url + "?utm_source=rss")]
    )
    assert (counts.new, counts.unchanged) == (1, 1)
    assert InboxItem.objects.get().guid == "a"


def test_an_update_inside_a_feed_is_seen_by_the_entries_after_it():
    source = SourceFactory()
    ingest(source, [entry(1, guid="a", url="")])
    # «a» takes new text; then an entry without GUID or address repeats a's old text:
    # the old text is no longer stored, so it is a new item.
    updated, old_text = entry(1, guid="a", url="", lead="Исправлено."), entry(1, guid="", url="")
    counts = ingest(source, [updated, old_text])
    assert (counts.new, counts.updated, counts.unchanged) == (1, 1, 0)
    # And a third entry with a's new text is a's.
    counts = ingest(source, [entry(1, guid="", url="", lead="Исправлено.")])
    assert counts.unchanged == 1 and InboxItem.objects.count() == 2


def test_an_update_keeps_what_an_editor_changed_meanwhile(monkeypatch):
    from inbox import known_items

    source = SourceFactory()
    ingest(source, [entry(1)])
    real = known_items.KnownItems.__init__

    def editor_discards_it_after_the_lookup(self, **kwargs):
        real(self, **kwargs)
        InboxItem.objects.update(state=InboxItem.State.DISCARDED)

    monkeypatch.setattr(known_items.KnownItems, "__init__", editor_discards_it_after_the_lookup)
    assert ingest(source, [entry(1, lead="Исправлено.")]).updated == 1
    item = InboxItem.objects.get()
    assert (item.lead, item.state) == ("Исправлено.", InboxItem.State.DISCARDED)


@pytest.mark.parametrize("size", [2, 4])
def test_a_polls_lookups_are_three_queries_whatever_its_size(django_assert_num_queries, size):
    """Read once per poll: the recent fingerprints, the items the entries may be,
    the source's newest texts (its boilerplate). Then per new item: its savepoint,
    its row, its tags, the savepoint released; an unchanged entry costs nothing."""
    source = SourceFactory(default_tags="сталь")
    entries = [entry(n) for n in range(1, size + 1)]
    with django_assert_num_queries(3 + 4 * size):
        assert ingest(source, entries).new == size
    with django_assert_num_queries(3):
        assert ingest(source, entries).unchanged == size
