"""Text for XML documents (feeds, sitemaps)."""

import re

# Characters XML 1.0 cannot carry at all, not even escaped. An editor can paste
# them (a vertical tab from a word processor), and Django refuses to write a
# feed containing one: they are dropped from feed and sitemap text instead.
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids."""
    return XML_INVALID_RE.sub("", value)
