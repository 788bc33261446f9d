"""Words pymorphy3 does not know and should not decline: Kyrgyz, Kazakh and other names.

For a word missing from its dictionary pymorphy3 guesses a reading from the
ending, as if the word were Russian: «Кара-Суу» becomes the accusative of a
made-up «Кара-Суа», «Айсулуу» of «Айсулуа». Such a guess is trusted only when
the word and the nominative it implies could both be Russian: a word ending in
a doubled vowel other than «ии», «ее» («-уу», «-оо»: a Turkic long vowel) is
no Russian case form, and no Russian noun declines to a nominative ending in a
vowel and then «а», «о», «у», «ы» or «э». Otherwise the word stays as written,
which an editor can always accept; a word the dictionary knows is declined as
the dictionary says.
"""

from __future__ import annotations

import re

# A long vowel at the end, as Turkic languages write it («Кара-Суу», «Бийик-Тоо», «Айсулуу»).
LONG_VOWEL_END_RE = re.compile(r"([аоуыэюяё])\1$")
# A vowel and then a hard vowel: no nominative of a Russian declension ends so.
FOREIGN_NOMINATIVE_END_RE = re.compile(r"[аеёиоуыэюя][аоуыэ]$")


def is_indeclinable(word: str) -> bool:
    """«Кара-Суу», «Айсулуу»: a long vowel at the end, which no Russian case form has."""
    return bool(LONG_VOWEL_END_RE.search(word.lower()))


def declines_the_russian_way(word: str, nominative: str) -> bool:
    """Whether a guessed reading may turn ``word`` into ``nominative``."""
    word, nominative = word.lower(), nominative.lower()
    if word == nominative:
        return True
    return not (is_indeclinable(word) or FOREIGN_NOMINATIVE_END_RE.search(nominative))


def trusted(word: str, parses: list) -> list:
    """``parses`` of ``word`` without the guesses that would decline it the wrong way."""
    return [p for p in parses if p.is_known or declines_the_russian_way(word, p.normal_form)]
