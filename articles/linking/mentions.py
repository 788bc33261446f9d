"""What the linker finds in one article, without touching the database.

Every entity its headline, lead and body name, and where in the body: the
body positions (``Article.body_mentions``) are what the article page links,
kept with the hash of the body they were found in.
"""

from __future__ import annotations

from dataclasses import dataclass

from companies.kinds import kind_named

from ..models import Article
from ..text.tokens import FastToken, edge_may_join, fast_tokens, word_lemmas
from .matcher import EntityKey, Matcher, entity_key


class ArticleText:
    """An article's headline, lead and body blocks, each split into tokens once.

    The linker reads the blocks; the topic tagger reads the words of the
    whole text (``words``), so a loader that needs both tokenizes only once.
    """

    def __init__(self, article: Article):
        # The headline, the lead, then the body blocks.
        self.texts = [article.title, article.lead, *(b.text for b in article.blocks())]
        self._streams: list[list[FastToken] | None] = [None] * len(self.texts)

    def stream(self, n: int) -> list[FastToken]:
        """Tokens of text ``n``: 0 the headline, 1 the lead, 2 onwards the body blocks."""
        if (tokens := self._streams[n]) is None:
            tokens = self._streams[n] = fast_tokens(self.texts[n])
        return tokens

    def words(self) -> list[frozenset[str]] | None:
        """The lemmas of every word of ``f"{title}\\n{lead}\\n{body}"``, in order.

        The same words as tokenizing that whole text, read from the pieces'
        tokens. A tokenizer rule may look one atom past a space, so a piece
        that starts or ends with a dash, underscore, slash or a point after a
        digit could be tokenized otherwise in the whole text: then None, and
        the caller tokenizes the whole text.
        """
        texts = self.texts
        if any(edge_may_join(text) for text in texts):
            return None
        lemmas = [word_lemmas(token.text) for n in range(len(texts)) for token in self.stream(n)]
        return [word for word in lemmas if word is not None]


@dataclass(frozen=True)
class ArticleMentions:
    """What the linker finds in one article: body positions and every entity named."""

    body_mentions: list[list]
    body_mentions_hash: str
    found: set[EntityKey]


def find_mentions(
    *, article: Article, matcher: Matcher, text: ArticleText | None = None
) -> ArticleMentions:
    """Mentions in the headline, lead and body, without touching the database.

    ``text`` is the article's ``ArticleText`` when the caller has it already.
    """
    text = text or ArticleText(article)
    texts = text.texts
    # All the texts at once: a short form needs the whole article's evidence.
    per_text = matcher.find_in_texts(texts, [text.stream(n) for n in range(len(texts))])
    found = {entity_key(m.entity) for n in (0, 1) for m in per_text[n]}
    # Each body mention: the block, where it starts and ends, the entity's
    # model label and pk.
    body_mentions = [
        [n - 2, m.start, m.end, m.entity._meta.label_lower, m.entity.pk]
        for n in range(2, len(texts))
        for m in per_text[n]
    ]
    found |= {(kind_named(label).model, pk) for _n, _s, _e, label, pk in body_mentions}
    return ArticleMentions(body_mentions, article.body_hash(), found)
