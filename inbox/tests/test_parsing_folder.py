"""A source's folder of seed-format files as entries."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inbox.errors import FeedError
from inbox.parsing import read_folder

pytestmark = pytest.mark.once

FOLDER = Path(__file__).resolve().parent / "feeds" / "folder"


def test_good_file_is_an_entry_named_by_its_file():
    entry = read_folder(FOLDER).entries[0]
    assert entry.guid == "001_liteyka.txt"
    assert entry.url == ""
    assert entry.title == "Литейный цех вышел на полную мощность"
    assert entry.lead == (
        "Литейный цех ОсОО «Ысык-Көл Металл» в этом месяце впервые вышел на полную мощность."
    )
    assert entry.body == "Главный технолог Айгуль Асанова связывает это с новой формовочной линией."
    # Midnight of the header's day in Bishkek, as the seed loader dates articles.
    assert entry.published == datetime(2025, 11, 27, 18, 0, tzinfo=UTC)


def test_bad_file_is_skipped_naming_the_file_and_the_line():
    parsed = read_folder(FOLDER)
    assert len(parsed.entries) == 1  # readme.md is no seed file
    assert parsed.skipped == [
        "Файл 002_bez_daty.txt не взят: строка 1: expected the header 'date YYYY-MM-DD', "
        "found 'Цех без даты'."
    ]


def test_link_leading_out_of_the_folder_is_not_followed(tmp_path):
    folder, outside = tmp_path / "source", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    shutil.copy(FOLDER / "001_liteyka.txt", outside / "secret.txt")
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    parsed = read_folder(folder)
    assert parsed.entries == []
    assert parsed.skipped[0].startswith("Файл link.txt не взят: файл: is a symbolic link to")


def test_empty_folder_has_no_entries(tmp_path):
    parsed = read_folder(tmp_path)
    assert (parsed.entries, parsed.skipped) == ([], [])


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FeedError, match=r"^Папка источника .*/nowhere не существует"):
        read_folder(tmp_path / "nowhere")


def test_file_instead_of_a_folder_is_an_error():
    with pytest.raises(FeedError, match=r"001_liteyka\.txt не папка"):
        read_folder(FOLDER / "001_liteyka.txt")
