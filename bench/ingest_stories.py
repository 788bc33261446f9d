"""Stories for ``bench/ingest.py``: each with facts of its own, told in the corpus's words.

The synthetic corpus (``bench/corpus``) draws every article's sentences from one
small pool of templates and its names from the catalog's few entities, so two of
its articles share most of their nouns and names: as texts for story grouping,
nearly every pair would pass for one story. Real news differ by what they are
about. So each story here has its own: an invented firm and its director (made
from syllables, unique per story, marked as invented), a product, a city and
figures, in sentences of its own; and a few of the corpus's template sentences
around them, which name the catalog's entities for the linker to find. No
sentence says anything about a real company beyond the corpus's commonplaces,
and every item ends with ``ingest_feeds.MARK``: the news is invented.
"""

from __future__ import annotations

import random
import re

from bench.ingest_feeds import Story

FIRM_HEADS = (
    "Кара", "Ак", "Тал", "Жер", "Нур", "Сай", "Кен", "Бел", "Сары", "Кок", "Узун", "Жаны",
    "Орто", "Кум", "Таш", "Алтын", "Темир", "Суу", "Тоо", "Арал",
)  # fmt: skip
FIRM_TAILS = (
    "маш", "сталь", "цемент", "агро", "энерго", "текс", "мет", "хим", "строй", "лит",
    "пласт", "кабель", "стекло", "пром", "транс",
)  # fmt: skip
FIRM_ENDS = ("", "-Ком", "-Инвест", "-Холдинг")
# A story's partner has another story's firm name (of the first 300, which have no
# ending): stories of the same plan rarely share one, and never an ending.
PARTNERS = 300
PARTNER_STEP = 7
FIRST_NAMES = (
    "Бакыт", "Нурлан", "Айбек", "Эрлан", "Азамат", "Тимур", "Руслан", "Данияр", "Улан",
    "Марат", "Канат", "Жыргал", "Темирлан", "Арсен", "Бекжан", "Мирлан", "Султан",
)  # fmt: skip
SURNAME_HEADS = (
    "Жуну", "Сейи", "Токто", "Асан", "Бексул", "Курман", "Мамбет", "Осмон", "Сапар", "Турду",
    "Абды", "Кадыр", "Сыды", "Жолдош", "Эсен",
)  # fmt: skip
SURNAME_TAILS = ("баев", "беков", "алиев", "уулов", "кулов", "маматов")
PRODUCTS = (
    "тракторов", "кабеля", "цемента", "стекла", "автобусов", "удобрений", "труб", "арматуры",
    "подшипников", "насосов", "трансформаторов", "аккумуляторов", "шин", "красок", "пряжи",
    "тканей", "обуви", "мебели", "кирпича", "плитки", "бумаги", "картона", "сахара", "муки",
    "станков", "лифтов", "вагонов", "котлов", "радиаторов", "окон", "проводов",
    "светильников", "холодильников", "кондиционеров", "прицепов", "комбайнов", "сеялок",
    "генераторов", "двигателей", "редукторов", "клапанов", "компрессоров", "фильтров",
)  # fmt: skip
CITIES = (
    "Оше", "Караколе", "Таразе", "Шымкенте", "Ходженте", "Самарканде", "Намангане",
    "Андижане", "Бухаре", "Нукусе", "Актобе", "Костанае", "Павлодаре", "Туркестане",
    "Нарыне", "Талассе", "Кызылорде", "Термезе", "Фергане", "Хороге",
)  # fmt: skip
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def firm_name(number: int) -> str:
    """An invented firm's name, different for every number below 1,200."""
    heads, tails = len(FIRM_HEADS), len(FIRM_TAILS)
    head = FIRM_HEADS[number % heads]
    tail = FIRM_TAILS[(number // heads) % tails]
    end = FIRM_ENDS[(number // (heads * tails)) % len(FIRM_ENDS)]
    return f"{head}{tail}{end}"


def person_name(number: int) -> str:
    """An invented director's name, the surname different for every number below 90."""
    head = SURNAME_HEADS[number % len(SURNAME_HEADS)]
    first = FIRST_NAMES[(number * 7) % len(FIRST_NAMES)]
    tail = SURNAME_TAILS[(number // len(SURNAME_HEADS)) % len(SURNAME_TAILS)]
    return f"{first} {head}{tail}"


TITLES = (
    "Завод «{firm}» в {city} увеличит выпуск {product}",
    "«{firm}» построит в {city} цех {product}",
    "В {city} запустят производство {product} на заводе «{firm}»",
    "«{firm}» и «{partner}» договорились о поставках {product}",
    "Инвестор из {region} вошёл в капитал «{firm}»",
    "Село {village} получит завод {product}",
)
LEADS = (
    "Вымышленный завод «{firm}» в {city} выпустит до {units} единиц {product} за год.",
    "Компания «{firm}» (вымышленная) вложит {millions} млн сомов в цех {product} в {city}.",
    "Партнёром «{firm}» по выпуску {product} в {city} станет фирма «{partner}».",
    "Фирма «{firm}» из {city} нашла покупателей {product} в {region}.",
    "Мэрия {city} выделила «{firm}» землю у села {village}.",
)
FACTS = (
    "Директор «{firm}» {person} оценил вложения в {millions} млн сомов.",
    "{person} рассказал, что сырьё будет поставлять «{partner}».",
    "На площадке «{firm}» откроют до {jobs} рабочих мест.",
    "Первая партия {product} уйдёт заказчикам из {region} в течение {months} месяцев.",
    "Оборудование для «{firm}» привезут из {region}, монтаж займёт до {months} месяцев.",
    "Линию назовут «{brand}»: так называется река у села {village}.",
    "Цех построят у села {village}, где «{partner}» уже держит склад.",
    "Кредит в {millions} млн сомов «{firm}» взял под залог цеха в {city}.",
    "Марку «{brand}» {person} собирается вывести на рынок {region}.",
    "Профсоюз «{partner}» добился для рабочих надбавки в {jobs} сомов.",
    "Аким села {village} пообещал «{firm}» подвести газ к весне.",
    "Экспорт {product} под маркой «{brand}» начнётся через {months} месяцев.",
    "Склады «{partner}» в {city} заполнены на {jobs} процентов.",
    "Водители «{firm}» перевезут груз по трассе до {village}.",
    "Лабораторию качества {person} открыл при общежитии для {jobs} студентов.",
    "Акционеры «{partner}» одобрили дивиденды: {millions} сомов на акцию.",
    "Налоговики проверили «{firm}» и претензий не нашли.",
    "Электричество для {village} даст подстанция мощностью {jobs} киловатт.",
    "Учебный центр при «{firm}» подготовит {jobs} сварщиков и токарей.",
    "Банк «{brand}» открыл «{partner}» кредитную линию на {millions} млн сомов.",
    "Выставка в {region} принесла «{firm}» контракты на {millions} тысяч долларов.",
    "Тарифы на воду для «{firm}» утвердит мэрия {city} до конца года.",
    "Жители {village} спорили с «{partner}» о пастбищах и дорогах.",
    "Грант фонда «{brand}» пойдёт на теплицы и семена.",
)
REGIONS = (
    "Турции", "Китая", "Кореи", "Италии", "Германии", "Индии", "Ирана", "Беларуси",
    "Чехии", "Польши", "Японии", "Вьетнама",
)  # fmt: skip


def story(number: int, *, corpus_sentences: list[str]) -> Story:
    """Story ``number``: its own facts, and the corpus article's first sentence (which
    names a catalog entity) in the lead."""
    rng = random.Random(f"ingest-story:{number}")
    facts = {
        "firm": firm_name(number),
        "partner": firm_name((number * PARTNER_STEP + 1) % PARTNERS),
        "person": person_name(number),
        "product": rng.choice(PRODUCTS),
        "city": rng.choice(CITIES),
        "region": rng.choice(REGIONS),
        "units": rng.randint(120, 9800),
        "millions": rng.randint(11, 980),
        "jobs": rng.randint(15, 900),
        "months": rng.randint(2, 30),
        "brand": invented_word(rng),
        "village": invented_word(rng),
    }
    first, second, third, fourth = (t.format(**facts) for t in rng.sample(FACTS, k=4))
    title = rng.choice(TITLES).format(**facts)
    lead = f"{rng.choice(LEADS).format(**facts)} {_first(corpus_sentences, 0)}".strip()
    paragraphs = (
        f"{first} {second}",
        third,
        fourth,
    )
    return Story(title, lead, paragraphs)


def invented_word(rng: random.Random) -> str:
    """A made-up name of two or three syllables (a brand, a village)."""
    syllables = ("ка", "ра", "су", "ай", "тал", "бек", "жол", "ку", "мар", "тун", "ой", "сай")
    word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
    return word.capitalize()


def _first(sentences: list[str], index: int) -> str:
    return sentences[index] if index < len(sentences) else ""


def sentences_of(*paragraphs: str) -> list[str]:
    """The sentences of the corpus article's lead and paragraphs, in order."""
    return [s for paragraph in paragraphs for s in SENTENCE_END.split(paragraph) if s]
