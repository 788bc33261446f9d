"""Seed documents: parse the plain-text format and load it into articles.

A document opens with ``date YYYY-MM-DD`` (after optional whitespace, alone on
its line or followed by the first paragraph). Paragraphs are separated by
blank lines; a short line without closing punctuation is a subheading, and
when the first paragraph is one it is the headline. See DESIGN.md.

Loading is all or nothing: every file is validated before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import serializers
from django.core.serializers.base import DeserializationError
from django.db import transaction
from razdel import sentenize

from .linking import Matcher, build_matcher, link_entities
from .models import SUBHEADING_PREFIX, Article
from .publishing import unique_article_slug
from .tagging import apply_topic_tags

MAX_BYTES = 1024 * 1024
TITLE_MAX = 110
SUBHEADING_MAX = 120
HEADER_RE = re.compile(r"date[ \t]+(\S+)(?:[ \t]+(.*))?$", re.IGNORECASE)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
CLOSING_PUNCTUATION = ".!?…:;,"
TRAILING_QUOTES = "»\"')”’"
CLAUSE_SPLIT_RE = re.compile(r"\s+[—–]\s+|:\s+|;\s+")
DEFAULT_CATALOG = Path(settings.BASE_DIR) / "seeds" / "catalog.json"


class SeedError(Exception):
    """A seed file that cannot be loaded, with where and why."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(str(self))

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


class LoadError(Exception):
    """One or more seed files are invalid; nothing was written."""

    def __init__(self, errors: list[SeedError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class ParsedDocument:
    source_key: str
    path: Path
    date: dt.date
    title: str
    lead: str
    body: str
    title_derived: bool = False

    @property
    def content_hash(self) -> str:
        parts = [self.date.isoformat(), self.title, self.lead, self.body]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def published_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


# Parsing ---------------------------------------------------------------------


def decode(raw: bytes, *, path: Path | str, encoding: str = "utf-8") -> str:
    if len(raw) > MAX_BYTES:
        raise SeedError(
            path, None, f"file is {len(raw):,} bytes, over the 1 MB limit; split it into several"
        )
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SeedError(
            path,
            line,
            f"byte 0x{raw[exc.start]:02x} at column {column} is not valid {encoding}; "
            "if the file uses a legacy encoding, pass --encoding (for example --encoding cp1251)",
        ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SeedError(path, line, "contains a NUL byte: this is not a plain text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_subheading(paragraph: str) -> bool:
    """A short single line that does not end like a sentence."""
    if "\n" in paragraph or len(paragraph) > SUBHEADING_MAX:
        return False
    return paragraph.rstrip(TRAILING_QUOTES)[-1:] not in CLOSING_PUNCTUATION


def derive_title(lead: str) -> str:
    """A headline from the opening sentence, short enough for a page title."""
    sentence = next(iter(sentenize(lead))).text.rstrip(CLOSING_PUNCTUATION + " ")
    if len(sentence) <= TITLE_MAX:
        return sentence
    clauses = [c.strip() for c in CLAUSE_SPLIT_RE.split(sentence)]
    fitting = [c for c in clauses if 20 <= len(c) <= TITLE_MAX]
    if fitting:
        clause = max(fitting, key=len).rstrip(CLOSING_PUNCTUATION)
        return clause[:1].upper() + clause[1:]
    cut = sentence[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(CLOSING_PUNCTUATION + " —–")
    return f"{cut}…"


def parse_document(text: str, *, path: Path) -> ParsedDocument:
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SeedError(path, 1, "file is empty; it must open with the header 'date YYYY-MM-DD'")
    header = HEADER_RE.match(lines[first].strip())
    if not header:
        raise SeedError(
            path,
            first + 1,
            f"expected the header 'date YYYY-MM-DD', found {lines[first].strip()[:40]!r}",
        )
    date = _parse_date(header.group(1), path=path, line=first + 1)

    paragraphs: list[list[str]] = [[header.group(2).strip()]] if header.group(2) else []
    current = paragraphs[-1] if paragraphs else None
    for line in lines[first + 1 :]:
        if not line.strip():
            current = None
        elif current is None:
            current = [line.strip()]
            paragraphs.append(current)
        else:
            current.append(line.strip())
    texts = [" ".join(p) for p in paragraphs]

    title_derived = not (texts and is_subheading(texts[0]))
    title = "" if title_derived else texts.pop(0)
    if not texts:
        raise SeedError(path, len(lines), "no text after the header and headline")
    lead, rest = texts[0], texts[1:]
    body = "\n\n".join(f"{SUBHEADING_PREFIX}{p}" if is_subheading(p) else p for p in rest)
    return ParsedDocument(
        source_key=path.stem,
        path=path,
        date=date,
        title=title or derive_title(lead),
        lead=lead,
        body=body,
        title_derived=title_derived,
    )


def _parse_date(value: str, *, path: Path, line: int) -> dt.date:
    if not DATE_RE.fullmatch(value):
        raise SeedError(path, line, f"date {value!r} is not in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SeedError(path, line, f"impossible date {value}") from None


def read_document(path: Path, *, encoding: str = "utf-8") -> ParsedDocument:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SeedError(path, None, f"cannot read the file: {exc.strerror}") from None
    return parse_document(decode(raw, path=path, encoding=encoding), path=path)


def collect_files(paths: list[Path]) -> list[Path]:
    """The ``*.txt`` files of every folder (not recursive), plus files given directly."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob("*.txt") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise LoadError([SeedError(path, None, "no such file or folder")])
    seen: dict[str, Path] = {}
    errors = []
    for file in files:
        if file.stem in seen and seen[file.stem].resolve() != file.resolve():
            errors.append(
                SeedError(file, None, f"has the same name as {seen[file.stem]}; rename one")
            )
        seen.setdefault(file.stem, file)
    if errors:
        raise LoadError(errors)
    return list({f.resolve(): f for f in files}.values())


# Loading ---------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[Article] = field(default_factory=list)
    updated: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    skipped: list[tuple[Article, str]] = field(default_factory=list)
    invalid: list[SeedError] = field(default_factory=list)
    catalog_created: int = 0
    catalog_kept: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        text = (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped) + len(self.invalid)}"
        )
        return f"{text} (dry run: nothing written)" if self.dry_run else text


def load_catalog(path: Path) -> tuple[int, int]:
    """Add the catalog entities that are missing; never overwrite an existing one.

    Editors curate the catalog in the admin, so an entity already present (same
    slug) is kept as it is. Returns (created, kept).
    """
    created = kept = 0
    try:
        with path.open(encoding="utf-8") as stream:
            for item in serializers.deserialize("json", stream):
                model = type(item.object)
                if model._default_manager.filter(slug=item.object.slug).exists():
                    kept += 1
                    continue
                item.object.pk = None
                item.save()
                created += 1
    except (OSError, DeserializationError) as exc:
        raise LoadError([SeedError(path, None, f"catalog cannot be loaded: {exc}")]) from None
    return created, kept


def load_documents(
    *,
    paths: list[Path],
    catalog: Path | None = DEFAULT_CATALOG,
    dry_run: bool = False,
    force: bool = False,
    skip_invalid: bool = False,
    encoding: str = "utf-8",
) -> LoadReport:
    report = LoadReport(dry_run=dry_run)
    documents: list[ParsedDocument] = []
    for path in collect_files(paths):
        try:
            documents.append(read_document(path, encoding=encoding))
        except SeedError as exc:
            report.invalid.append(exc)
    if report.invalid and not skip_invalid:
        raise LoadError(report.invalid)

    with transaction.atomic():
        if catalog is not None:
            report.catalog_created, report.catalog_kept = load_catalog(catalog)
        matcher = build_matcher()
        existing = Article.objects.in_bulk(
            [d.source_key for d in documents], field_name="source_key"
        )
        for document in documents:
            _load_one(document, existing.get(document.source_key), matcher, force, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _load_one(
    document: ParsedDocument,
    article: Article | None,
    matcher: Matcher,
    force: bool,
    report: LoadReport,
) -> None:
    if article is None:
        article = Article(
            source_key=document.source_key, slug=unique_article_slug(document.title)
        )
        report.created.append(article)
    elif article.source_hash == document.content_hash:
        report.unchanged.append(article)
        return
    elif article.edited_since_load and not force:
        report.skipped.append(
            (article, "edited by an editor since it was loaded; --force overwrites the edits")
        )
        return
    else:
        report.updated.append(article)

    article.title = document.title
    article.lead = document.lead
    article.body = document.body
    article.status = Article.Status.PUBLISHED
    article.published_at = document.published_at
    article.source_hash = document.content_hash
    article.loaded_hash = article.editorial_hash()
    article.save()
    link_entities(article=article, matcher=matcher)
    apply_topic_tags(article=article)
