"""Topic tags for loaded articles, derived from the text and its linked entities.

A topic applies when any of its phrases occurs in the article, compared lemma
by lemma (so «машиностроения» and «машиностроение» are the same phrase).
Vehicle models add their category («Кроссоверы», «Грузовики»).
"""

from .models import Article
from .morphology import analyse, tokens

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


def topics_in(text: str) -> set[str]:
    words = [analyse(t.text)[0] for t in tokens(text) if t.is_word]
    found = set()
    for tag, phrases in TOPICS.items():
        for phrase in phrases:
            lemmas = phrase.split()
            if any(
                all(lemma in words[i + n] for n, lemma in enumerate(lemmas))
                for i in range(len(words) - len(lemmas) + 1)
            ):
                found.add(tag)
                break
    return found


def apply_topic_tags(*, article: Article) -> list[str]:
    """Add the article's topic and category tags; tags already there stay."""
    names = topics_in(f"{article.title}\n{article.lead}\n{article.body}")
    names |= {
        CATEGORY_TAGS[category]
        for category in article.vehicle_models.values_list("category", flat=True)
        if category
    }
    if names:
        article.tags.add(*sorted(names))
    return sorted(names)
