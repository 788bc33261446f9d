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
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import reset_queries, transaction
from django.utils import timezone
from razdel import sentenize

from companies.models import Company, Country, Official, VehicleModel, make_slug
from portal.cache import bump_content_version

from .linking import (
    ArticleText,
    LinkResult,
    Matcher,
    build_matcher,
    find_mentions,
    sync_links,
)
from .linking.topics import CATEGORY_TAGS, article_topics, tag_articles
from .models import SUBHEADING_PREFIX, Article, Tag
from .statistics import refresh_after_bulk_write

# Seed documents are news texts of a few kilobytes: a bigger file is a mistake
# (or an attack), refused before it is read. ``--max-bytes`` raises the limit.
MAX_BYTES = 1024 * 1024
# Article.source_key holds the file name without ".txt".
MAX_NAME_LENGTH = 200
# Dates a news article can carry; outside them a date is a typo, and year 1 would
# not even survive the conversion to UTC.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
TITLE_MAX = 110
SUBHEADING_MAX = 120
HEADER_RE = re.compile(r"date[ \t]+(\S+)(?:[ \t]+(.*))?$", re.IGNORECASE)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
SURROGATE_RE = re.compile("[\ud800-\udfff]")
CLOSING_PUNCTUATION = ".!?…:;,"
TRAILING_QUOTES = "»\"')”’"
CLAUSE_SPLIT_RE = re.compile(r"\s+[—–]\s+|:\s+|;\s+")
DEFAULT_CATALOG = Path(settings.BASE_DIR) / "seeds" / "catalog.json"
# Files written per batch: large enough that queries are few, small enough
# that a batch's texts and objects take little memory.
BATCH_SIZE = 500


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


def size_limit_error(path: Path | str, size: int, max_bytes: int) -> SeedError:
    limit = "1 MB" if max_bytes == MAX_BYTES else f"{max_bytes:,}-byte"
    return SeedError(
        path,
        None,
        f"file is {size:,} bytes, over the {limit} limit; split it into several "
        "or raise the limit with --max-bytes",
    )


def decode(
    raw: bytes, *, path: Path | str, encoding: str = "utf-8", max_bytes: int = MAX_BYTES
) -> str:
    if len(raw) > max_bytes:
        raise size_limit_error(path, len(raw), max_bytes)
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
    if surrogate := SURROGATE_RE.search(text):
        # Some codecs (utf-7, unicode_escape) decode to halves of a character
        # pair, which no database can store.
        line = text.count("\n", 0, surrogate.start()) + 1
        raise SeedError(
            path,
            line,
            f"decodes to U+{ord(surrogate.group()):04X}, half of a character pair, "
            f"not a character: is {encoding} the file's encoding?",
        )
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
    title = title or derive_title(lead)
    if not title:
        raise SeedError(path, first + 1, "the first paragraph has no words to make a headline from")
    return ParsedDocument(
        source_key=path.stem,
        path=path,
        date=date,
        title=title,
        lead=lead,
        body=body,
        title_derived=title_derived,
    )


def _parse_date(value: str, *, path: Path, line: int) -> dt.date:
    if not DATE_RE.fullmatch(value):
        raise SeedError(path, line, f"date {value!r} is not in the form YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise SeedError(path, line, f"impossible date {value}") from None
    if not MIN_DATE <= date <= MAX_DATE:
        raise SeedError(
            path, line, f"date {value} is outside {MIN_DATE.year}–{MAX_DATE.year}; is it a typo?"
        )
    return date


def read_document(
    path: Path, *, encoding: str = "utf-8", max_bytes: int = MAX_BYTES
) -> ParsedDocument:
    if len(path.stem) > MAX_NAME_LENGTH:
        raise SeedError(
            path,
            None,
            f"file name is {len(path.stem)} characters long without .txt; "
            f"the limit is {MAX_NAME_LENGTH}, shorten it",
        )
    raw = read_bytes(path, max_bytes=max_bytes)
    return parse_document(decode(raw, path=path, encoding=encoding, max_bytes=max_bytes), path=path)


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything but a regular file within ``max_bytes``.

    The size is checked on the open file before reading, and the read stops one
    byte past the limit, so a file that grows meanwhile costs no more memory.
    Opening without blocking keeps a named pipe from stalling the load.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SeedError(path, None, f"cannot read the file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SeedError(path, None, "not a regular file")
        if info.st_size > max_bytes:
            raise size_limit_error(path, info.st_size, max_bytes)
        try:
            return stream.read(max_bytes + 1)
        except OSError as exc:
            raise SeedError(path, None, f"cannot read the file: {exc.strerror}") from None


def outside_link(file: Path, folder: Path) -> SeedError | None:
    """An error when ``file``, found in ``folder``, is a symbolic link leading out of it."""
    if not file.is_symlink():
        return None
    target = file.resolve()
    if target.is_relative_to(folder.resolve()):
        return None
    return SeedError(
        file,
        None,
        f"is a symbolic link to {target}, outside the folder {folder}; the loader reads "
        "only files inside the folders it is given: copy the file in, or name it directly",
    )


def collect_files(paths: list[Path]) -> list[Path]:
    """The ``*.txt`` files of every folder (not recursive), plus files given directly.

    A file given by name is read wherever it is. A folder stands for the files
    inside it: a symbolic link there that leads out of it is refused, the load
    stops before anything is written, and the error names the link.
    """
    files: list[Path] = []
    refused: list[SeedError] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.glob("*.txt")):
                if error := outside_link(file, path):
                    refused.append(error)
                elif file.is_file():
                    files.append(file)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise LoadError([SeedError(path, None, "not a regular file or folder")])
        else:
            raise LoadError([SeedError(path, None, "no such file or folder")])
    if refused:
        raise LoadError(refused)
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


class LoadedArticle(NamedTuple):
    """An article the loader saw, as its report lists it.

    A large load reports thousands: a tuple keeps memory small where a model
    instance per file would not. ``Article.objects.get(pk=...)`` has the rest.
    """

    pk: int
    source_key: str
    title: str
    slug: str


@dataclass
class LoadReport:
    created: list[LoadedArticle] = field(default_factory=list)
    updated: list[LoadedArticle] = field(default_factory=list)
    unchanged: list[LoadedArticle] = field(default_factory=list)
    skipped: list[tuple[LoadedArticle, str]] = field(default_factory=list)
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


CATALOG_MODELS = (Country, Company, VehicleModel, Official)


def load_catalog(path: Path) -> tuple[int, int]:
    """Add the catalog entities that are missing; never overwrite an existing one.

    Editors curate the catalog in the admin, so an entity already present (same
    slug) is kept as it is. Returns (created, kept).

    A catalog holds entities and nothing else, each checked as the admin's
    forms would (lengths, slug, choices, that aliases are a list of names):
    the fixture format could otherwise carry any row of any table, or values
    the database refuses halfway through the load. Call inside a transaction:
    an error raises ``LoadError`` and whatever came before goes back with it.
    """
    created = kept = 0
    try:
        with path.open(encoding="utf-8") as stream:
            for number, item in enumerate(serializers.deserialize("json", stream), start=1):
                entity = item.object
                if not isinstance(entity, CATALOG_MODELS):
                    raise SeedError(
                        path,
                        None,
                        f"entry {number} is a {entity._meta.label} row; a catalog holds only "
                        "countries, companies, vehicle models and officials",
                    )
                model = type(entity)
                if model._default_manager.filter(slug=entity.slug).exists():
                    kept += 1
                    continue
                entity.pk = None
                _check_catalog_entry(entity, path=path, number=number)
                item.save()
                created += 1
    except (OSError, DeserializationError) as exc:
        raise LoadError([SeedError(path, None, f"catalog cannot be loaded: {exc}")]) from None
    except SeedError as exc:
        raise LoadError([exc]) from None
    return created, kept


def _check_catalog_entry(entity, *, path: Path, number: int) -> None:
    where = f"entry {number} ({entity._meta.model_name} {entity.slug!r})"
    aliases = entity.aliases
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SeedError(path, None, f"{where}: aliases must be a list of names")
    try:
        entity.full_clean()
    except ValidationError as exc:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
        raise SeedError(path, None, f"{where}: {problems}") from None


def load_documents(
    *,
    paths: list[Path],
    catalog: Path | None = DEFAULT_CATALOG,
    dry_run: bool = False,
    force: bool = False,
    skip_invalid: bool = False,
    encoding: str = "utf-8",
    max_bytes: int = MAX_BYTES,
) -> LoadReport:
    """Validate every file, then write them in batches inside one transaction.

    The first pass parses each file and keeps only its name and fingerprint,
    so memory stays flat however many files there are; the second reads the
    new and changed files again, a batch at a time, and writes each batch in a
    fixed number of queries. A file that changed between the passes stops the
    load, and the transaction takes everything back.
    """
    report = LoadReport(dry_run=dry_run)
    checked: list[_Checked] = []
    for path in collect_files(paths):
        try:
            document = read_document(path, encoding=encoding, max_bytes=max_bytes)
        except SeedError as exc:
            report.invalid.append(exc)
            continue
        checked.append(_Checked(path, document.content_hash))
    if report.invalid and not skip_invalid:
        raise LoadError(report.invalid)

    with transaction.atomic():
        if catalog is not None:
            report.catalog_created, report.catalog_kept = load_catalog(catalog)
        batches = _Batches(
            matcher=build_matcher(),
            force=force,
            encoding=encoding,
            max_bytes=max_bytes,
            report=report,
        )
        for start in range(0, len(checked), BATCH_SIZE):
            batches.write(checked[start : start + BATCH_SIZE])
            if settings.DEBUG:
                # Django keeps the SQL of every query then, texts included.
                reset_queries()
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and (report.created or report.updated or report.catalog_created):
        # Pages cached before the load would not show it: bulk writes send no signals.
        bump_content_version()
        refresh_after_bulk_write(len(report.created) + len(report.updated))
    return report


@dataclass(frozen=True, slots=True)
class _Checked:
    """A file that passed validation: all the loader keeps of it until its batch."""

    path: Path
    content_hash: str

    @property
    def source_key(self) -> str:
        return self.path.stem


# What the loader writes on an existing article (``updated_at`` set by hand:
# ``bulk_update`` does not apply ``auto_now``).
UPDATED_FIELDS = [
    "title",
    "lead",
    "body",
    "status",
    "published_at",
    "source_hash",
    "loaded_hash",
    "body_mentions",
    "body_mentions_hash",
    "updated_at",
]
EDITED_REASON = "edited by an editor since it was loaded; --force overwrites the edits"


class _Slugs:
    """``unique_article_slug`` for the new articles of one load, in a query or two a batch.

    The same slugs as calling it for each title in turn and saving each
    article before the next. It takes the first of ``base``, ``base-2``,
    ``base-3``… that no article has; a load with many equal headlines would
    repeat that search from ``-2`` each time, so the next number to try is
    remembered per base (every lower one is taken by then).
    """

    WINDOW = 50

    def __init__(self):
        self.next_number: dict[str, int] = {}

    def for_titles(self, titles: list[str]) -> list[str]:
        bases = [make_slug(title)[:90] or "article" for title in titles]
        in_database = set(
            Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True)
        )
        given: set[str] = set()
        result = []
        for base in bases:
            taken = base in in_database or base in given or base in self.next_number
            slug = self._numbered(base, given) if taken else base
            given.add(slug)
            result.append(slug)
        return result

    def _numbered(self, base: str, given: set[str]) -> str:
        number = self.next_number.get(base, 2)
        while True:
            window = [f"{base}-{n}" for n in range(number, number + self.WINDOW)]
            taken = given.intersection(window)
            taken.update(Article.objects.filter(slug__in=window).values_list("slug", flat=True))
            for n, slug in enumerate(window, number):
                if slug not in taken:
                    self.next_number[base] = n + 1
                    return slug
            number += self.WINDOW


@dataclass
class _Batches:
    """Writes batches of checked files: articles, links and tags, a few queries each."""

    matcher: Matcher
    force: bool
    encoding: str
    max_bytes: int
    report: LoadReport
    tags: dict[str, Tag] = field(default_factory=dict)
    slugs: _Slugs = field(default_factory=_Slugs)

    def write(self, batch: list[_Checked]) -> None:
        current = {
            key: (pk, source_hash, title, slug)
            for key, pk, source_hash, title, slug in Article.objects.filter(
                source_key__in=[c.source_key for c in batch]
            ).values_list("source_key", "pk", "source_hash", "title", "slug")
        }
        changed = Article.objects.in_bulk(
            [
                current[c.source_key][0]
                for c in batch
                if c.source_key in current and current[c.source_key][1] != c.content_hash
            ]
        )
        created: list[tuple[Article, ParsedDocument]] = []
        updated: list[tuple[Article, ParsedDocument]] = []
        for checked in batch:
            if checked.source_key not in current:
                document = self._read_again(checked)
                created.append((Article(source_key=checked.source_key), document))
                continue
            pk, source_hash, title, slug = current[checked.source_key]
            if source_hash == checked.content_hash:
                self.report.unchanged.append(LoadedArticle(pk, checked.source_key, title, slug))
            elif changed[pk].edited_since_load and not self.force:
                summary = LoadedArticle(pk, checked.source_key, title, slug)
                self.report.skipped.append((summary, EDITED_REASON))
            else:
                updated.append((changed[pk], self._read_again(checked)))

        for (article, _document), slug in zip(
            created, self.slugs.for_titles([d.title for _a, d in created]), strict=True
        ):
            article.slug = slug
        found, topics = {}, {}
        for article, document in created + updated:
            _fill(article, document)
            text = ArticleText(article)
            mentions = find_mentions(article=article, matcher=self.matcher, text=text)
            article.body_mentions = mentions.body_mentions
            article.body_mentions_hash = mentions.body_mentions_hash
            found[id(article)] = mentions.found
            topics[id(article)] = article_topics(article, text=text)
        Article.objects.bulk_create([article for article, _d in created])
        now = timezone.now()
        for article, _document in updated:
            article.updated_at = now
        Article.objects.bulk_update([article for article, _d in updated], UPDATED_FIELDS)

        for group, new in ((created, True), (updated, False)):
            if not group:
                continue
            links = sync_links(
                found={a.pk: found[id(a)] for a, _d in group}, matcher=self.matcher, new=new
            )
            tag_articles(
                names={a.pk: topics[id(a)] | self._categories(links[a.pk]) for a, _d in group},
                new=new,
                known=self.tags,
            )
        self.report.created += [_summary_of(a) for a, _d in created]
        self.report.updated += [_summary_of(a) for a, _d in updated]

    def _read_again(self, checked: _Checked) -> ParsedDocument:
        try:
            document = read_document(checked.path, encoding=self.encoding, max_bytes=self.max_bytes)
        except SeedError:
            document = None
        if document is None or document.content_hash != checked.content_hash:
            # Raised inside the transaction: whatever was written goes back.
            raise LoadError(
                [SeedError(checked.path, None, "changed while loading; run the command again")]
            )
        return document

    def _categories(self, links: LinkResult) -> set[str]:
        """Category tags of the vehicle models linked to an article."""
        models = [pk for model, pk in links.linked if model is VehicleModel]
        known = self.matcher.entities
        missing = [pk for pk in models if (VehicleModel, pk) not in known]
        categories = [known[(VehicleModel, pk)].category for pk in models if pk not in missing]
        if missing:
            categories += VehicleModel.objects.filter(pk__in=missing).values_list(
                "category", flat=True
            )
        return {CATEGORY_TAGS[category] for category in categories if category}


def _fill(article: Article, document: ParsedDocument) -> None:
    article.title = document.title
    article.lead = document.lead
    article.body = document.body
    article.status = Article.Status.PUBLISHED
    article.published_at = document.published_at
    article.source_hash = document.content_hash
    article.loaded_hash = article.editorial_hash()


def _summary_of(article: Article) -> LoadedArticle:
    return LoadedArticle(article.pk, article.source_key, article.title, article.slug)
