"""Topic tags for loaded articles, derived from the text and its linked entities.

A topic applies when any of its phrases occurs in the article, compared lemma
by lemma (so «машиностроения» and «машиностроение» are the same phrase).
Vehicle models add their category («Кроссоверы», «Грузовики»). It lives with
the linker because it reads the same tokens (``ArticleText``) and the links
the linker wrote.
"""

from collections.abc import Iterable, Mapping

from ..figures import note_articles
from ..models import Article, Tag, TaggedArticle
from ..text.morphology import analyse
from ..text.tokens import fast_tokens
from .mentions import ArticleText
from .writing import insert_rows

TOPICS: dict[str, tuple[str, ...]] = {
    "Автопром": ("автопром", "автопроизводитель", "автосборочный завод", "автомобильный индустрия"),
    "Машиностроение": ("машиностроение",),
    "Локализация производства": ("локальный производство", "локализация"),
    "Инвестиции": ("инвестиция", "инвестор"),
    "Рабочие места": ("рабочий место",),
    "Центральная Азия": ("центральный азия",),
}

CATEGORY_TAGS = {
    "passenger_car": "Легковые автомобили",
    "crossover": "Кроссоверы",
    "suv": "Внедорожники",
    "pickup": "Пикапы",
    "van": "Фургоны",
    "truck": "Грузовики",
    "bus": "Автобусы",
    "special": "Спецтехника",
}

# Only words carrying a phrase's first lemma can start a phrase: the rest of the
# text is skipped with one set operation per word.
_PHRASES = [(tag, phrase.split()) for tag, phrases in TOPICS.items() for phrase in phrases]
_FIRST_LEMMAS = frozenset(lemmas[0] for _tag, lemmas in _PHRASES)


def topics_in(text: str) -> set[str]:
    return topics_in_words([analyse(t.text)[0] for t in fast_tokens(text) if t.is_word])


def topics_in_words(words: list[frozenset[str]]) -> set[str]:
    """The topics of a text given as the lemma sets of its words."""
    starts = [i for i, word in enumerate(words) if not _FIRST_LEMMAS.isdisjoint(word)]
    found = set()
    for tag, lemmas in _PHRASES:
        if tag in found:
            continue
        if any(
            i + len(lemmas) <= len(words)
            and all(lemma in words[i + n] for n, lemma in enumerate(lemmas))
            for i in starts
        ):
            found.add(tag)
    return found


def article_topics(article: Article, *, text: ArticleText | None = None) -> set[str]:
    """The topics of an article's headline, lead and body.

    ``text``, the article already tokenized for linking, saves tokenizing it again.
    """
    words = text.words() if text is not None else None
    if words is None:
        return topics_in(f"{article.title}\n{article.lead}\n{article.body}")
    return topics_in_words(words)


def apply_topic_tags(*, article: Article) -> list[str]:
    """Add the article's topic and category tags; tags already there stay."""
    names = article_topics(article)
    names |= {
        CATEGORY_TAGS[category]
        for category in article.vehicle_models.values_list("category", flat=True)
        if category
    }
    if names:
        article.tags.add(*sorted(names))
    return sorted(names)


def tag_articles(
    *,
    names: Mapping[int, Iterable[str]],
    new: bool = False,
    known: dict[str, Tag] | None = None,
) -> None:
    """Add tags to many articles (by pk) in a few queries; tags already there stay.

    The result is what ``article.tags.add(*names)`` gives each article (tags are
    found by name regardless of case, as taggit does with
    ``TAGGIT_CASE_INSENSITIVE``), without its queries per article and tag.
    ``new`` says the articles were just created and have no tags yet; ``known``
    keeps tags already looked up between the batches of one load.
    """
    known = {} if known is None else known
    wanted = {pk: sorted(set(tags)) for pk, tags in names.items()}
    for name in sorted({name for tags in wanted.values() for name in tags} - known.keys()):
        known[name] = Tag.objects.for_name(name)
    present: set[tuple[int, int]] = set()
    if not new:
        present = set(
            TaggedArticle.objects.filter(content_object_id__in=list(wanted)).values_list(
                "content_object_id", "tag_id"
            )
        )
    rows = []
    for pk, tags in wanted.items():
        for tag_id in dict.fromkeys(known[name].pk for name in tags):
            if (pk, tag_id) not in present:
                rows.append((pk, tag_id))
    insert_rows(TaggedArticle, ["content_object", "tag"], rows)
    # ``insert_rows`` sends no signals: the figures learn of the new tags here.
    note_articles(article_ids={pk for pk, _tag in rows})
