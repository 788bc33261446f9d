"""A synthetic corpus for load tests: many plausible Russian articles, clearly marked.

``generate_corpus`` (the command) and ``bench/load_seed.py`` use it to find out
how the portal behaves with a hundred thousand articles. The text is built
from plain template sentences written here, a small industry vocabulary and
the catalog's entities in their case forms («Тулпар Моторса», «Романа
Чекушова»; Latin names stay as they are). The sentences state nothing beyond
commonplaces; what they say about a real company or official is invented
filler, so every generated article is marked three ways:

- its ``source_key`` is ``synthetic-`` and a number (``--clear`` deletes by it);
- it carries the tag «Синтетика»;
- its last paragraph says it was generated (``DISCLAIMER``).

Entities the corpus adds to the catalog (``--entities``) are named as tests
(«Тестовый завод 7», «Testmark 3 Alpha»), have slugs starting with
``synthetic-`` and say so in their description. No people are invented.

Links are written directly, with the body positions the generator knows
because it put each name there itself; running the real linker on 100,000
articles would take most of the time budget. Each form of a name is checked
once with the real ``Matcher``, template words are checked to name nothing,
and ``generate`` re-checks a sample of articles with the linker and reports
any difference (``relink`` would then fix the links).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, islice
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import reset_queries, transaction
from slugify import slugify

from companies.models import Company, Country, Entity, Official, VehicleModel, make_slug

from .linking import LINK_KINDS, Matcher, build_matcher, find_mentions, insert_rows
from .linking.topics import CATEGORY_TAGS, topics_in
from .models import SUBHEADING_PREFIX, Article, LinkOrigin, Tag, TaggedArticle
from .text.morphology import analyzer, is_common_word

PREFIX = "synthetic-"
TAG = "Синтетика"
DISCLAIMER = (
    "Это синтетическая новость: текст создан автоматически для проверки "
    "производительности портала, события в нём вымышлены."
)
ENTITY_DESCRIPTION = "Синтетическая запись для нагрузочных тестов, не настоящая компания."
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
DRAFT_SHARE = 0.02
SCHEDULED_SHARE = 0.01
# One article in this many is linked again by the real linker and compared.
CHECK_EVERY = 250

# Vocabulary ------------------------------------------------------------------
#
# Slots: {kind:case} takes an entity of the article's cast in that case; kinds
# are country, company, plant (assembly plants and manufacturers), brand,
# ministry (government bodies), model and official. {num} is a round number
# (so «120 машин» agrees), {pct} a percentage, {money} a sum, {year} a year
# near the article's date, {period} and {month} (accusative), {month_loct}
# (prepositional). Templates avoid the words «грузовики» and «автобусы»: the
# catalog's aliases «грузовики … Isuzu» would pair them with a brand nearby.

TITLES = [
    "{plant:nomn} наращивает выпуск {model:gent}",
    "{country:nomn} и {country:nomn} обсуждают совместную сборку машин",
    "Спрос на {model:accs} растёт в {country:loct}",
    "{official:nomn}: рынку нужны долгосрочные контракты",
    "{ministry:nomn} готовит меры поддержки промышленности",
    "{brand:nomn} расширяет присутствие в {country:loct}",
    "Сборка {model:gent} начнётся на мощностях {plant:gent}",
    "Поставки {model:gent} в {country:accs} выросли на {pct}%",
    "{plant:nomn}: итоги работы за {period}",
    "Экспорт {model:gent} из {country:gent}: первые результаты",
    "Рынок {country:gent} ждёт новые модели {brand:gent}",
    "{country:nomn} рассчитывает на рост промышленного производства",
    "Переговоры с {ministry:ablt} о льготах для предприятий",
    "Локализация производства: {plant:nomn} увеличивает долю местных деталей",
    "Инвестиции в {plant:accs} превысят {money}",
    "Новые рабочие места на площадке {plant:gent}",
    "Производители Центральной Азии договариваются о кооперации",
    "Дилеры {country:gent} отмечают интерес к {model:datv}",
]

SENTENCES = [
    "По данным {plant:gent}, за {period} выпуск вырос на {pct}%.",
    "В {country:loct} спрос на {model:accs} остаётся стабильным.",
    "{official:nomn} отмечает, что предприятиям нужны долгосрочные контракты.",
    "По словам {official:gent}, новые правила могут вступить в силу в {year} году.",
    "С {official:ablt} обсуждали сроки запуска новой линии.",
    "{ministry:nomn} рассматривает программу льготных кредитов для предприятий.",
    "{plant:nomn} планирует выпустить {num} машин до конца года.",
    "На конвейере {plant:gent} собирают {model:accs} и другие модели.",
    "{brand:nomn} поставляет комплекты для сборки в {country:accs}.",
    "Дилеры {country:gent} сообщают о росте продаж {model:gent}.",
    "Партнёры из {country:gent} готовы увеличить поставки комплектующих.",
    "Представители {plant:gent} провели встречу с поставщиками.",
    "Сотрудничество {country:gent} и {country:gent} охватывает несколько отраслей.",
    "Модель {model:nomn} пользуется спросом у корпоративных клиентов.",
    "Часть машин {brand:gent} планируют отправить на экспорт.",
    "Письмо {ministry:datv} направили отраслевые ассоциации.",
    "Вопрос обсуждали в {ministry:loct} на прошлой неделе.",
    "{country:nomn} остаётся одним из ключевых рынков для {brand:gent}.",
    "Проект поддерживает {ministry:nomn}.",
    "Решение по {model:datv} примут после испытаний.",
    "Испытания {model:gent} проходят на полигоне в {country:loct}.",
    "Эксперты сравнивают {model:accs} с конкурентами в том же классе.",
    "{plant:nomn} получает новые заказы от партнёров.",
    "На площадке {plant:gent} работают {num} человек.",
    "Интерес к {model:datv} проявляют и покупатели из {country:gent}.",
    "Участники рынка ожидают уточнения требований к комплектующим.",
    "Отраслевые аналитики ждут роста продаж во втором полугодии.",
    "Стороны договорились вернуться к обсуждению через несколько месяцев.",
    "Производители рассчитывают на стабильный курс валют.",
    "Логистика комплектующих остаётся узким местом.",
    "Цены на новые машины в регионе выросли на {pct}% за год.",
    "Сроки запуска новой линии пока не названы.",
    "Для запуска проекта потребуется обучить новых специалистов.",
    "Власти обсуждают снижение пошлин на комплектующие.",
    "Компании изучают возможность совместного экспорта.",
    "Конкретные объёмы поставок стороны не раскрывают.",
    "Рынок подержанных машин тоже показывает рост.",
    "Эксперты называют эти планы амбициозными, но выполнимыми.",
    "Часть оборудования уже доставлена на площадку.",
    "Следующий этап переговоров намечен на {month}.",
    "Итоги года подведут в {month_loct}.",
    "Отрасль внимательно следит за изменениями в таможенных правилах.",
    "Для покупателей это означает больший выбор моделей.",
    "Кредитные программы помогают поддерживать спрос.",
]

TOPIC_SENTENCES = {
    "Автопром": [
        "Развитие автопрома остаётся одним из приоритетов региона.",
        "Автопроизводители пересматривают планы на следующий год.",
        "Для автомобильной индустрии это важный сигнал.",
    ],
    "Машиностроение": [
        "Доля машиностроения в экономике постепенно растёт.",
        "Машиностроение получает дополнительные заказы.",
    ],
    "Локализация производства": [
        "Локализация производства остаётся главной темой переговоров.",
        "Стороны обсуждают локальное производство деталей.",
    ],
    "Инвестиции": [
        "Инвестиции в проект оцениваются в {money}.",
        "Инвесторы ждут ясности с налоговыми льготами.",
    ],
    "Рабочие места": [
        "Проект создаст около {num} рабочих мест.",
        "Новые рабочие места появятся и у поставщиков.",
    ],
    "Центральная Азия": [
        "Продукцию планируют поставлять в страны Центральной Азии.",
        "Рынок Центральной Азии быстро растёт.",
    ],
}

SUBHEADINGS = [
    "Планы на следующий год",
    "Что говорят участники рынка",
    "Производство и поставки",
    "Цифры и сроки",
    "Рынок и спрос",
    "Кадры и технологии",
    "Следующие шаги",
    "Экспортные планы",
    "Условия для партнёров",
    "Логистика и комплектующие",
]

PERIODS = ["первое полугодие", "девять месяцев", "первый квартал", "прошлый год", "год"]
MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
MONTHS_LOCT = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
]
MODEL_SUFFIXES = ["Alpha", "Beta", "Gamma"]
MODEL_CATEGORIES = [c for c, _label in VehicleModel.Category.choices]

# The transliteration ``make_slug`` ends up with (python-slugify's fallback).
BACKEND = "text-unidecode"
SLOT_RE = re.compile(r"\{(\w+)(?::(\w+))?\}")
ENTITY_KINDS = ("country", "company", "plant", "brand", "ministry", "model", "official")


# Names in their case forms ------------------------------------------------------


def _restore_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _parse(word: str, test: Callable) -> object | None:
    return next((p for p in analyzer().parse(word.lower()) if test(p)), None)


def _inflect_word(word: str, case: str, test: Callable, extra: frozenset = frozenset()) -> str:
    parse = _parse(word, test)
    if parse is None:
        return word
    form = parse.inflect({case} | extra)
    return _restore_case(word, form.word) if form else word


def _is_cyrillic(word: str) -> bool:
    return bool(re.search("[а-яё]", word.lower()))


def _nominative(pos: str) -> Callable:
    return lambda p: pos == p.tag.POS and p.tag.case == "nomn"


def inflect_name(entity: Entity, name: str, case: str) -> str:
    """``name`` of ``entity`` in a grammatical case: «Тулпар Моторс» → «Тулпар Моторса».

    People decline every word (first name and surname agree in gender);
    «Кыргызская Республика» declines the adjective and its noun; a name led by
    a dictionary noun declines that noun («Министерства промышленности…»); a
    name of unknown words declines its last one («Тулпар Моторса»), unless it
    ends in a vowel (foreign names like «Исузу» do not decline). Latin names
    stay. The result is only a proposal: ``entity_forms`` keeps it only if the
    linker recognises it.
    """
    words = name.split()
    if case == "nomn" or not words or not _is_cyrillic(words[0]) or name.isupper():
        # Latin names and abbreviations («КР», «РФ») do not decline.
        return name
    if isinstance(entity, Official):
        first = _parse(words[0], lambda p: "Name" in p.tag and p.tag.case == "nomn")
        gender = {first.tag.gender} if first and first.tag.gender else set()
        person = {"Name", "Surn", "Patr"}

        def test(p):
            return p.tag.case == "nomn" and person & p.tag.grammemes and gender <= p.tag.grammemes

        return " ".join(_inflect_word(w, case, test) for w in words)

    first = words[0]
    if _parse(first, _nominative("ADJF")):
        # The adjectives up to their noun: «Кыргызская Республика», «Тестовый завод 17».
        noun_at = next(
            (i for i, w in enumerate(words) if i and _parse(w, _nominative("NOUN"))), None
        )
        if noun_at is not None:
            noun = _parse(words[noun_at], _nominative("NOUN"))
            # Masculine and plural adjectives have two accusatives: «тестовый завод»,
            # «тестового директора»; the noun's animacy picks one.
            two_forms = noun.tag.gender == "masc" or noun.tag.number == "plur"
            extra = frozenset()
            if case == "accs" and two_forms and noun.tag.animacy:
                extra = frozenset({noun.tag.animacy})
            inflected = [
                _inflect_word(w, case, _nominative("ADJF"), extra) for w in words[:noun_at]
            ]
            inflected.append(_inflect_word(words[noun_at], case, _nominative("NOUN")))
            return " ".join(inflected + words[noun_at + 1 :])
    if any(p.is_known for p in analyzer().parse(first.lower())):
        if _parse(first, _nominative("NOUN")):
            return " ".join([_inflect_word(first, case, _nominative("NOUN")), *words[1:]])
        return name
    # Unknown words: the name proper runs while the words are unknown Cyrillic.
    run = 1
    while run < len(words) and _is_cyrillic(words[run]) and words[run][:1].isupper():
        if any(p.is_known for p in analyzer().parse(words[run].lower())):
            break
        run += 1
    last = words[run - 1]
    if last[-1:].lower() in "аеёиоуыэюя":
        return name
    inflected = _inflect_word(last, case, _nominative("NOUN"))
    return " ".join([*words[: run - 1], inflected, *words[run:]])


@dataclass(frozen=True)
class Form:
    """A name in one case, and every mention the linker finds in it (relative positions)."""

    text: str
    mentions: tuple[tuple[int, int, str, int], ...]


def _names(entity: Entity) -> list[str]:
    names = [n for n in entity.names if "…" not in n and "..." not in n]
    if isinstance(entity, Official) and entity.surname:
        names.append(entity.surname)
    if isinstance(entity, VehicleModel) and entity.short_name:
        names.append(entity.short_name)
    return names


def entity_forms(entity: Entity, matcher: Matcher) -> dict[str, list[Form]]:
    """Every case form of every name of ``entity`` that the linker finds as this entity."""
    key = (type(entity), entity.pk)
    forms: dict[str, list[Form]] = {}
    for case in CASES:
        for name in _names(entity):
            text = inflect_name(entity, name, case)
            if isinstance(entity, VehicleModel) and is_common_word(text.split()[0]):
                # «грузовики Isuzu» in running text, not «Грузовики Isuzu».
                text = text[:1].lower() + text[1:]
            found = matcher.find(text)
            if not any(
                (type(m.entity), m.entity.pk) == key and (m.start, m.end) == (0, len(text))
                for m in found
            ):
                continue
            mentions = tuple(
                (m.start, m.end, m.entity._meta.label_lower, m.entity.pk) for m in found
            )
            forms.setdefault(case, []).append(Form(text, mentions))
    return forms


# Templates --------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    parts: tuple[tuple[str, str, str], ...]  # ("text", literal, "") or ("slot", kind, case)
    kinds: frozenset[str]
    topics: frozenset[str]

    @classmethod
    def compile(cls, text: str) -> Template:
        parts: list[tuple[str, str, str]] = []
        position = 0
        for match in SLOT_RE.finditer(text):
            if match.start() > position:
                parts.append(("text", text[position : match.start()], ""))
            parts.append(("slot", match.group(1), match.group(2) or ""))
            position = match.end()
        if position < len(text):
            parts.append(("text", text[position:], ""))
        kinds = frozenset(kind for part, kind, _case in parts if part == "slot") & frozenset(
            ENTITY_KINDS
        )
        return cls(tuple(parts), kinds, frozenset(topics_in(_neutral(parts))))


def _neutral(parts: tuple[tuple[str, str, str], ...]) -> str:
    # Slots as a number: a word that names nothing and does not stop a gapped alias.
    return "".join(value if part == "text" else "0" for part, value, _c in parts)


def check_templates(templates: list[Template], matcher: Matcher) -> list[Template]:
    """The templates whose own words name no catalog entity."""
    return [t for t in templates if not matcher.find(_neutral(t.parts))]


# Generation ------------------------------------------------------------------


@dataclass
class Paragraph:
    """A block being built: its text so far and the mentions in it."""

    pieces: list[str] = field(default_factory=list)
    length: int = 0
    mentions: list[tuple[int, int, str, int]] = field(default_factory=list)

    def add(self, text: str, mentions=()) -> None:
        if self.pieces:
            self.pieces.append(" ")
            self.length += 1
        for start, end, label, pk in mentions:
            self.mentions.append((self.length + start, self.length + end, label, pk))
        self.pieces.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class SyntheticArticle:
    index: int
    title: str
    lead: str
    blocks: list[tuple[str, str]]  # ("paragraph" | "subheading", text)
    body_mentions: list[list]
    found: set[tuple[str, int]]  # (label, pk) of every entity named anywhere
    tags: set[str]
    published_at: dt.datetime
    status: str

    @property
    def source_key(self) -> str:
        return f"{PREFIX}{self.index:07d}"

    @property
    def body(self) -> str:
        return "\n\n".join(
            f"{SUBHEADING_PREFIX}{text}" if kind == "subheading" else text
            for kind, text in self.blocks
        )

    def seed_document(self) -> str:
        """The article as a seed file (``load_seed``'s format)."""
        paragraphs = [self.title, self.lead, *(text for _kind, text in self.blocks)]
        date = self.published_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        return f"date {date.isoformat()}\n" + "\n\n".join(paragraphs) + "\n"


class Generator:
    """Builds synthetic articles from the catalog; article ``n`` depends only on seed and n."""

    def __init__(
        self, *, matcher: Matcher, seed: int = 1, years: int = 4, until: dt.date | None = None
    ):
        self.seed = seed
        zone = ZoneInfo(settings.TIME_ZONE)
        until = until or dt.datetime.now(zone).date()
        self.until = dt.datetime.combine(until, dt.time.min, tzinfo=zone)
        self.span_days = max(1, round(365.25 * years))
        self.cast_pool = self._cast_pool(matcher)
        available = {kind for kind, entries in self.cast_pool.items() if entries}

        def usable(texts: list[str]) -> list[Template]:
            compiled = [Template.compile(text) for text in texts]
            return [t for t in check_templates(compiled, matcher) if t.kinds <= available]

        self.titles = usable(TITLES)
        self.sentences = [t for t in usable(SENTENCES) if not t.topics]
        self.topic_sentences = {
            topic: [t for t in usable(texts) if t.topics == {topic}]
            for topic, texts in TOPIC_SENTENCES.items()
        }
        self.topic_sentences = {k: v for k, v in self.topic_sentences.items() if v}
        self.subheadings = [s for s in SUBHEADINGS if not matcher.find(s) and not topics_in(s)]
        self.named_sentences = [t for t in self.sentences if t.kinds] or self.sentences
        self.categories = {entity.pk: entity.category for entity, _f in self.cast_pool["model"]}
        self._cumulative: dict[int, list[float]] = {}
        if not self.titles or not self.sentences:
            raise ValueError("the catalog has too few entities to build articles from")

    @staticmethod
    def _cast_pool(matcher: Matcher) -> dict[str, list[tuple[Entity, dict[str, list[Form]]]]]:
        pool: dict[str, list] = {kind: [] for kind in ENTITY_KINDS}
        entities = sorted(matcher.entities.values(), key=lambda e: (type(e).__name__, e.pk))
        for entity in entities:
            forms = entity_forms(entity, matcher)
            if "nomn" not in forms:
                continue
            entry = (entity, forms)
            if isinstance(entity, Country):
                pool["country"].append(entry)
            elif isinstance(entity, VehicleModel):
                pool["model"].append(entry)
            elif isinstance(entity, Official):
                pool["official"].append(entry)
            elif isinstance(entity, Company):
                pool["company"].append(entry)
                kind = {
                    Company.Kind.ASSEMBLY_PLANT: "plant",
                    Company.Kind.MANUFACTURER: "plant",
                    Company.Kind.BRAND: "brand",
                    Company.Kind.GOVERNMENT_BODY: "ministry",
                }.get(entity.kind)
                if kind:
                    pool[kind].append(entry)
        return pool

    def article(self, index: int) -> SyntheticArticle:
        rng = random.Random(f"{self.seed}:{index}")
        cast = {
            kind: self._pick_cast(rng, entries, 2 if kind == "country" else 1)
            for kind, entries in self.cast_pool.items()
            if entries
        }
        day = self.until - dt.timedelta(days=rng.randint(1, self.span_days))
        published_at = day + dt.timedelta(hours=rng.randint(8, 20), minutes=rng.randrange(60))
        status = Article.Status.PUBLISHED
        roll = rng.random()
        if roll < DRAFT_SHARE:
            status = Article.Status.DRAFT
        elif roll < DRAFT_SHARE + SCHEDULED_SHARE:
            published_at = self.until + dt.timedelta(days=rng.randint(1, 30), hours=10)
        draft = _Draft(rng, cast, published_at.year)

        title = draft.paragraph([rng.choice(self.titles)])
        # No sentence twice in one article.
        sizes = [rng.randint(2, 4) for _ in range(rng.randint(3, 6))]
        first = rng.choice(self.named_sentences)
        rest = [t for t in self.sentences if t is not first]
        chosen = iter(rng.sample(rest, k=min(len(rest), 1 + sum(sizes))))
        lead = draft.paragraph([first, *islice(chosen, 1)])
        paragraphs = [sentences for size in sizes if (sentences := list(islice(chosen, size)))]
        topics = sorted(self.topic_sentences)
        for topic in rng.sample(topics, k=min(len(topics), rng.randint(1, 2))):
            sentences = rng.choice(paragraphs)
            sentences.insert(
                rng.randint(0, len(sentences)), rng.choice(self.topic_sentences[topic])
            )

        blocks: list[tuple[str, str]] = []
        body_mentions: list[list] = []
        headings = rng.sample(self.subheadings, k=min(len(self.subheadings), 4))
        for n, sentences in enumerate(paragraphs):
            if n and headings and rng.random() < 0.5:
                blocks.append(("subheading", headings.pop()))
            paragraph = draft.paragraph(sentences)
            body_mentions += [[len(blocks), *mention] for mention in paragraph.mentions]
            blocks.append(("paragraph", paragraph.text))
        blocks.append(("paragraph", DISCLAIMER))

        for label, pk in draft.found:
            if label == "companies.vehiclemodel" and self.categories.get(pk):
                draft.tags.add(CATEGORY_TAGS[self.categories[pk]])
        return SyntheticArticle(
            index=index,
            title=title.text,
            lead=lead.text,
            blocks=blocks,
            body_mentions=body_mentions,
            found=draft.found,
            tags=draft.tags,
            published_at=published_at,
            status=status,
        )

    def _pick_cast(self, rng: random.Random, entries: list, count: int) -> list:
        # A few entities are in many articles, most in a few: weights fall with the rank.
        n = len(entries)
        if n not in self._cumulative:
            self._cumulative[n] = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(n)))
        picked: list = []
        for _ in range(count * 3):
            entry = rng.choices(entries, cum_weights=self._cumulative[n])[0]
            if all(entry is not other for other in picked):
                picked.append(entry)
            if len(picked) == count:
                break
        return picked


@dataclass
class _Draft:
    """One article being written: its cast, and what its sentences named and were about."""

    rng: random.Random
    cast: dict[str, list[tuple[Entity, dict[str, list[Form]]]]]
    year: int
    found: set[tuple[str, int]] = field(default_factory=set)
    tags: set[str] = field(default_factory=lambda: {TAG})

    def paragraph(self, templates: list[Template]) -> Paragraph:
        paragraph = Paragraph()
        for template in templates:
            text, mentions = self.sentence(template)
            paragraph.add(text, mentions)
            self.tags |= template.topics
        return paragraph

    def sentence(self, template: Template) -> tuple[str, list[tuple[int, int, str, int]]]:
        pieces: list[str] = []
        mentions: list[tuple[int, int, str, int]] = []
        length = 0
        used: dict[str, int] = {}
        for part, value, case in template.parts:
            if part == "text":
                text = value
            elif value in self.cast:
                # A second slot of the same kind takes the cast's second entity.
                choices = self.cast[value]
                _entity, forms = choices[used.get(value, 0) % len(choices)]
                used[value] = used.get(value, 0) + 1
                options = forms.get(case) or forms["nomn"]
                form = options[0] if self.rng.random() < 0.6 else self.rng.choice(options)
                text = form.text
                for start, end, label, pk in form.mentions:
                    mentions.append((length + start, length + end, label, pk))
                    self.found.add((label, pk))
            else:
                text = _value(self.rng, value, self.year)
            pieces.append(text)
            length += len(text)
        text = "".join(pieces)
        return text[:1].upper() + text[1:], mentions


def _value(rng: random.Random, kind: str, year: int) -> str:
    if kind == "num":
        return str(rng.randint(2, 200) * 10)
    if kind == "pct":
        return str(rng.randint(2, 40))
    if kind == "money":
        return f"{rng.randint(5, 500)} млн долларов"
    if kind == "year":
        return str(year + rng.randint(0, 2))
    if kind == "period":
        return rng.choice(PERIODS)
    if kind == "month":
        return rng.choice(MONTHS)
    if kind == "month_loct":
        return rng.choice(MONTHS_LOCT)
    raise ValueError(f"unknown slot {kind!r}")


# The catalog -----------------------------------------------------------------


def add_synthetic_entities(count: int) -> int:
    """Up to ``count`` test entities (plants, brands and their models); returns how many are new.

    Idempotent: entities already present (same slug) are kept.
    """
    countries = list(Country.objects.order_by("pk"))
    plants = round(count * 0.4)
    brands = max(0, (count - plants) // (1 + len(MODEL_SUFFIXES)))
    plants = count - brands * (1 + len(MODEL_SUFFIXES))
    created = 0
    for n in range(1, plants + 1):
        _, new = Company.objects.get_or_create(
            slug=f"{PREFIX}{make_slug(f'Тестовый завод {n}')}",
            defaults={
                "name": f"Тестовый завод {n}",
                "kind": Company.Kind.ASSEMBLY_PLANT,
                "country": countries[n % len(countries)] if countries else None,
                "description": ENTITY_DESCRIPTION,
            },
        )
        created += new
    for n in range(1, brands + 1):
        brand, new = Company.objects.get_or_create(
            slug=f"{PREFIX}testmark-{n}",
            defaults={
                "name": f"Testmark {n}",
                "kind": Company.Kind.BRAND,
                "description": ENTITY_DESCRIPTION,
            },
        )
        created += new
        for m, suffix in enumerate(MODEL_SUFFIXES):
            _, new = VehicleModel.objects.get_or_create(
                slug=f"{PREFIX}testmark-{n}-{suffix.lower()}",
                defaults={
                    "name": f"Testmark {n} {suffix}",
                    "brand": brand,
                    "category": MODEL_CATEGORIES[(n + m) % len(MODEL_CATEGORIES)],
                },
            )
            created += new
    return created


def clear() -> int:
    """Delete the synthetic articles and entities; returns the number of articles deleted."""
    deleted = 0
    synthetic = Article.objects.filter(source_key__startswith=PREFIX)
    while ids := list(synthetic.values_list("pk", flat=True)[:2000]):
        with transaction.atomic():
            Article.objects.filter(pk__in=ids).only("pk").delete()
        deleted += len(ids)
    VehicleModel.objects.filter(slug__startswith=PREFIX).delete()
    Company.objects.filter(slug__startswith=PREFIX).delete()
    return deleted


# Writing ---------------------------------------------------------------------


@dataclass
class GenerateReport:
    created: int = 0
    seconds: float = 0.0
    checked: int = 0
    mismatched: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def next_index() -> int:
    last = (
        Article.objects.filter(source_key__startswith=PREFIX)
        .order_by("-source_key")
        .values_list("source_key", flat=True)
        .first()
    )
    return int(last.removeprefix(PREFIX)) + 1 if last else 1


def generate(
    *,
    count: int,
    seed: int = 1,
    years: int = 4,
    until: dt.date | None = None,
    batch_size: int = 2000,
    progress: Callable[[int, float], None] | None = None,
) -> GenerateReport:
    """Write ``count`` synthetic articles with their links and tags, a batch per transaction."""
    started = time.perf_counter()
    matcher = build_matcher()
    generator = Generator(matcher=matcher, seed=seed, years=years, until=until)
    report = GenerateReport()
    first = next_index()
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in _all_tag_names()}
    labels = {model._meta.label_lower: (model, through) for model, through, _a in LINK_KINDS}
    for start in range(first, first + count, batch_size):
        articles = [
            generator.article(n) for n in range(start, min(start + batch_size, first + count))
        ]
        with transaction.atomic():
            _write(articles, tags, labels)
        report.created += len(articles)
        _after_batch(articles, matcher, report)
        if progress:
            progress(report.created, time.perf_counter() - started)
    report.seconds = time.perf_counter() - started
    return report


def _after_batch(
    articles: list[SyntheticArticle], matcher: Matcher, report: GenerateReport
) -> None:
    if settings.DEBUG:
        # Django keeps the SQL of every query then, and a batch's INSERT holds
        # all its texts: a long run would hold them all.
        reset_queries()
    for synthetic in articles:
        if synthetic.index % CHECK_EVERY == 0:
            report.checked += 1
            if not _agrees_with_linker(synthetic, matcher):
                report.mismatched.append(synthetic.source_key)


def _all_tag_names() -> list[str]:
    return [TAG, *TOPIC_SENTENCES, *CATEGORY_TAGS.values()]


def _write(articles: list[SyntheticArticle], tags: dict[str, Tag], labels: dict) -> None:
    slugs = _slugs(articles)
    objects = [
        Article(
            title=a.title,
            slug=slug,
            lead=a.lead,
            body=a.body,
            published_at=a.published_at,
            status=a.status,
            source_key=a.source_key,
            body_mentions=a.body_mentions,
        )
        for a, slug in zip(articles, slugs, strict=True)
    ]
    for article in objects:
        article.body_mentions_hash = article.body_hash()
    Article.objects.bulk_create(objects)
    # Link and tag rows go in with plain INSERTs: three integers and a word each,
    # and building a model instance per row was most of the writing time.
    links: dict[type, list[tuple]] = {}
    for synthetic, article in zip(articles, objects, strict=True):
        for label, pk in sorted(synthetic.found):
            _model, through = labels[label]
            links.setdefault(through, []).append((article.pk, pk, LinkOrigin.LINKER.value))
    for through, rows in links.items():
        insert_rows(through, ["article", "entity", "origin"], rows)
    tag_rows = [
        (article.pk, tags[name].pk)
        for synthetic, article in zip(articles, objects, strict=True)
        for name in sorted(synthetic.tags)
    ]
    insert_rows(TaggedArticle, ["content_object", "tag"], tag_rows)


def _slugs(articles: list[SyntheticArticle]) -> list[str]:
    # The number keeps them unique among themselves; a real article could still
    # have taken one, so those few get another suffix.
    slugs = [f"{_transliterate(a.title)[:80].rstrip('-') or 'article'}-{a.index}" for a in articles]
    taken = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [f"{slug}-s" if slug in taken else slug for slug in slugs]


def _transliterate(title: str) -> str:
    """``make_slug`` with the transliteration named: python-slugify's default tries
    to import ``unidecode`` (not installed) on every call before it falls back to
    ``text_unidecode``, which cost more than the rest of an article's writing."""
    return slugify(title, max_length=80, word_boundary=True, save_order=True, backend=BACKEND)


def _agrees_with_linker(synthetic: SyntheticArticle, matcher: Matcher) -> bool:
    article = Article(title=synthetic.title, lead=synthetic.lead, body=synthetic.body)
    mentions = find_mentions(article=article, matcher=matcher)
    found = {(model._meta.label_lower, pk) for model, pk in mentions.found}
    return mentions.body_mentions == synthetic.body_mentions and found == synthetic.found


def documents(*, count: int, seed: int = 1, years: int = 4) -> Iterator[SyntheticArticle]:
    """Synthetic articles without writing them (for seed files in benchmarks)."""
    generator = Generator(matcher=build_matcher(), seed=seed, years=years)
    for index in range(1, count + 1):
        yield generator.article(index)
