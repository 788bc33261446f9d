"""What the linker finds in one article, without touching the database.

Every entity its headline, lead and body name, and where: the positions
(``Article.mentions``, in the headline, the lead and each body block) are what
the article page links and the editor's mentions panel shows, kept with the
fingerprint of the texts they were found in.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Article
from ..text.tokens import FastToken, edge_may_join, fast_tokens, word_lemmas
from .matcher import EntityKey, Matcher, entity_key


class ArticleText:
    """An article's headline, lead and body blocks, each split into tokens once.

    The linker reads the blocks; the topic tagger reads the words of the
    whole text (``words``), so a loader that needs both tokenizes only once.
    """

    def __init__(self, article: Article):
        # The texts mention positions count in: the headline, the lead, the body blocks.
        self.texts = article.mention_texts()
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


# The ``Article`` fields that hold the positions, for loaders and ``relink``.
POSITION_FIELDS = ["mentions", "mentions_hash"]


@dataclass(frozen=True)
class ArticleMentions:
    """What the linker finds in one article: where each mention is, and every entity named."""

    # [text, start, end, "app.model", pk] per mention, in reading order
    # (``Article.mentions``), and the fingerprint of the texts they were found in.
    positions: list[list]
    positions_hash: str
    found: set[EntityKey]

    def store(self, article: Article) -> bool:
        """Put the positions on ``article`` (not saved); whether they changed."""
        if (article.mentions, article.mentions_hash) == (self.positions, self.positions_hash):
            return False
        article.mentions, article.mentions_hash = self.positions, self.positions_hash
        return True


def find_mentions(
    *, article: Article, matcher: Matcher, text: ArticleText | None = None
) -> ArticleMentions:
    """Mentions in the headline, lead and body, without touching the database.

    ``text`` is the article's ``ArticleText`` when the caller has it already.
    """
    text = text or ArticleText(article)
    # All the texts at once (``Article.mention_texts()``, in reading order): a
    # short form needs the whole article's evidence.
    per_text = matcher.find_in_texts(text.texts, [text.stream(n) for n in range(len(text.texts))])
    positions = [
        [n, m.start, m.end, m.entity._meta.label_lower, m.entity.pk]
        for n, mentions in enumerate(per_text)
        for m in mentions
    ]
    found = {entity_key(m.entity) for mentions in per_text for m in mentions}
    return ArticleMentions(positions, article.text_hash(), found)
