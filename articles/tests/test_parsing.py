import datetime as dt
from pathlib import Path

import pytest

from articles.seeding import (
    MAX_BYTES,
    SeedError,
    decode,
    derive_title,
    parse_document,
    read_document,
)

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_f151a0e0119b62b8.txt"


def parse(text: str, name: str = "doc.txt"):
    return parse_document(decode(text.encode(), path=name), path=Path(name))


def test_header_followed_by_first_paragraph_on_the_same_line():
    doc = parse("date 2025-08-16 Первый абзац. Ещё предложение.\n\nВторой абзац.")
    assert doc.date == dt.date(2025, 8, 16)
    assert doc.lead == "Первый абзац. Ещё предложение."
    assert doc.body == "Второй абзац."


def test_header_alone_on_its_line():
    doc = parse("date 2025-08-16\nПервый абзац.\n\nВторой абзац.")
    assert doc.lead == "Первый абзац."
    assert doc.body == "Второй абзац."


def test_leading_whitespace_before_header():
    doc = parse("\n\n   \t date 2025-08-16\nПервый абзац.")
    assert doc.date == dt.date(2025, 8, 16)
    assert doc.lead == "Первый абзац."


def test_byte_order_mark_and_crlf():
    raw = "\ufeffdate 2025-08-16\r\nПервый абзац,\r\nпродолжение.\r\n\r\nВторой.".encode()
    doc = parse_document(decode(raw, path="a.txt"), path=Path("a.txt"))
    assert doc.lead == "Первый абзац, продолжение."
    assert doc.body == "Второй."


def test_text_is_normalised_as_all_entering_text():
    raw = (
        "date 2025-08-16\r\nАйгерим Чеку-\r\nшова из Кара-\r\nБалты\xa0возглавила "
        "произ\xadводство.  \r\n\r\nСтрока\u2028продолжение.\u2029Новый\tабзац."
    )
    doc = parse_document(decode(raw.encode(), path="pdf.txt"), path=Path("pdf.txt"))
    assert doc.lead == "Айгерим Чекушова из Кара-Балты возглавила производство."
    assert doc.body == "Строка продолжение.\n\nНовый абзац."


def test_paragraph_of_invisible_characters_is_no_paragraph():
    doc = parse("date 2025-08-16\nЛид.\n\n\u200b\xad\n\nТекст.")
    assert doc.body == "Текст."


def test_lines_of_one_paragraph_are_joined():
    doc = parse("date 2025-08-16\nОдна строка\nи вторая строка.\n\nДальше.")
    assert doc.lead == "Одна строка и вторая строка."


def test_short_line_without_punctuation_is_a_subheading():
    doc = parse("date 2025-08-16\nЛид.\n\nПодзаголовок раздела\n\nАбзац раздела.")
    assert doc.body == "## Подзаголовок раздела\n\nАбзац раздела."


def test_first_short_line_is_the_headline():
    doc = parse("date 2025-08-16\nЗавод начал работу\n\nЛид новости.\n\nТекст.")
    assert doc.title == "Завод начал работу"
    assert not doc.title_derived
    assert doc.lead == "Лид новости."
    assert doc.body == "Текст."


def test_headline_derived_from_a_short_opening_sentence():
    doc = parse("date 2025-08-16\nЗавод начал работу. Подробности позже.")
    assert doc.title == "Завод начал работу"
    assert doc.title_derived


def test_derived_headline_keeps_its_question_mark():
    doc = parse("date 2025-08-16\nКогда завод начнёт работу? Ответа пока нет.")
    assert doc.title == "Когда завод начнёт работу?"


def test_long_opening_sentence_gives_a_clause_as_headline():
    doc = read_document(SEED)
    assert doc.title == (
        "Россия и Киргизия обсуждают возможность запуска сборки российских машин "
        "прямо на киргизских заводах"
    )
    assert len(doc.title) <= 110


def test_headline_without_clauses_is_cut_at_a_word():
    sentence = " ".join(["слово"] * 40) + "."
    title = derive_title(sentence)
    assert title.endswith("…")
    assert len(title) <= 110
    assert title[:-1].split()[-1] == "слово"


def test_real_seed_keeps_structure():
    doc = read_document(SEED)
    assert doc.source_key == "000_f151a0e0119b62b8"
    assert doc.date == dt.date(2025, 8, 16)
    assert doc.lead.startswith("Неожиданный поворот в автомобильной индустрии")
    subheadings = [p for p in doc.body.split("\n\n") if p.startswith("## ")]
    assert subheadings == [
        "## Стратегия с выгодой для обеих сторон",
        "## Опыт, на который можно опереться",
        "## Потенциал расширения производства",
    ]
    assert len(doc.body.split("\n\n")) == 6


def test_published_at_is_midnight_in_bishkek():
    doc = parse("date 2025-08-16\nТекст.")
    assert doc.published_at.isoformat() == "2025-08-16T00:00:00+06:00"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "file is empty"),
        ("\n\n   \n", 1, "file is empty"),
        ("Заголовок\n\ndate 2025-08-16 Текст.", 1, "expected the header 'date YYYY-MM-DD'"),
        ("\n\ndata 2025-08-16 Текст.", 3, "expected the header"),
        ("date 16.08.2025 Текст.", 1, "is not in the form YYYY-MM-DD"),
        ("date 2025-02-30 Текст.", 1, "impossible date 2025-02-30"),
        ("date 2025-13-01 Текст.", 1, "impossible date"),
        ("date 2025-08-16", 1, "no text after the header"),
        ("date 2025-08-16\n\n\n", 4, "no text after the header"),
        ("date 2025-08-16\nТолько заголовок", 2, "no text after the header and headline"),
    ],
)
def test_invalid_documents_name_line_and_reason(text, line, reason):
    with pytest.raises(SeedError) as error:
        parse(text, "bad.txt")
    assert error.value.line == line
    assert reason in error.value.reason
    assert str(error.value).startswith(f"bad.txt:{line}: ")


def test_non_utf8_bytes_give_line_and_encoding_hint():
    raw = "date 2025-08-16\nПервый абзац.\n".encode() + "Привет".encode("cp1251")
    with pytest.raises(SeedError) as error:
        decode(raw, path="legacy.txt")
    assert error.value.line == 3
    assert "not valid utf-8" in error.value.reason
    assert "--encoding cp1251" in error.value.reason


def test_legacy_encoding_is_read_when_named():
    raw = "date 2025-08-16\nПривет из Бишкека.".encode("cp1251")
    doc = parse_document(decode(raw, path="legacy.txt", encoding="cp1251"), path=Path("x.txt"))
    assert doc.lead == "Привет из Бишкека."


def test_nul_byte_is_rejected_with_its_line():
    with pytest.raises(SeedError) as error:
        decode(b"date 2025-08-16\nabc\n\x00def", path="nul.txt")
    assert error.value.line == 3
    assert "NUL" in error.value.reason


def test_file_over_one_megabyte_is_rejected():
    raw = b"date 2025-08-16\n" + b"a" * MAX_BYTES
    with pytest.raises(SeedError) as error:
        decode(raw, path="big.txt")
    assert "over the 1 MB limit" in error.value.reason
