"""IPTC ninjs 3.x documents: one news item, or a list of them.

Each item is validated against the official ninjs 3.1 schema, the one the
portal's own ninjs output is checked against (``articles/schemas/``). A single
item that fails it, or a list none of whose items pass, is no ninjs the inbox
can read: an error. In a list, an item that fails is skipped and named.

The schema says ``uri`` identifies an item rather than locates it, but agencies
(and this portal) use the item's web address as its ``uri``: an http(s) one is
taken as the item's address too.
"""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match

import articles
from inbox.errors import FeedError

from .cleaning import UnreadableMarkup, joined, to_text
from .jsondocs import load_json
from .parsed import Item, Parsed, collect, item_name
from .values import RFC3339_RE, distinct_tags, from_rfc3339, web_address

EXPECTED = "документа ninjs"
SCHEMA_PATH = Path(articles.__file__).resolve().parent / "schemas" / "ninjs-schema_3.1.json"
# Only these are news to rewrite; "withheld" and "canceled" items were pulled by their source.
USABLE = "usable"
# Roles of the texts that are the item's own. A headline or body in another role
# is still the item's when it has no other; a description in another role (an
# image's alt text or caption, a note) is never its lead.
MAIN_ROLES = (None, "main", "summary", "lead", "abstract")

# jsonschema checks "date-time" only with an optional package; without the
# check a date without its zone would pass and be read in the worker's zone.
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def _is_rfc3339(value: object) -> bool:
    return not isinstance(value, str) or (
        bool(RFC3339_RE.fullmatch(value)) and from_rfc3339(value) is not None
    )


VALIDATOR = Draft202012Validator(
    json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), format_checker=FORMATS
)


def parse_ninjs(content: bytes) -> Parsed:
    document = load_json(content, expected=EXPECTED)
    if isinstance(document, dict):
        if problem := _schema_problem(document):
            raise _invalid(problem)
        return collect([_item(document, 1)])
    if not isinstance(document, list):
        raise FeedError(
            "Документ — JSON, но не ninjs: ожидался объект новости или список их; "
            "проверьте адрес и вид источника."
        )
    problems = [_schema_problem(value) for value in document]
    if document and all(problems):
        raise _invalid(f"элемент №1: {problems[0]}")
    return collect(
        _refused(value, position, problem) if problem else _item(value, position)
        for position, (value, problem) in enumerate(zip(document, problems, strict=True), 1)
    )


def _refused(value: object, position: int, problem: str) -> Item:
    return Item(
        name=item_name(position, guid=_uri(value)), problem=f"не по схеме ninjs 3.1: {problem}"
    )


def _invalid(problem: str) -> FeedError:
    return FeedError(
        f"Документ не соответствует схеме ninjs 3.1 ({problem}): проверьте адрес и вид "
        "источника или сообщите его владельцу."
    )


def _schema_problem(value: object) -> str:
    try:
        error = best_match(VALIDATOR.iter_errors(value))
    except RecursionError:
        return "вложенность глубже, чем бывают новости"
    if error is None:
        return ""
    where = "/".join(str(part) for part in error.absolute_path)
    return f"{where}: {_say(error)}" if where else _say(error)


def _say(error: ValidationError) -> str:
    """The schema's complaint in Russian where it is a common one."""
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"нет обязательного поля «{missing}»"
    if error.validator == "type":
        return f"значение {_short(error.instance)} должно быть типа {error.validator_value}"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"значение {_short(error.instance)} не из допустимых ({allowed})"
    if error.validator == "format":
        return f"значение {_short(error.instance)} не в формате {error.validator_value}"
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        return f"лишние поля: {error.message}"
    return error.message


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:60] + "…"


def _item(value: dict, position: int) -> Item:
    guid = _uri(value)
    url = web_address(guid)
    name = item_name(position, guid=guid)
    if (status := value.get("pubStatus", USABLE)) != USABLE:
        return Item(name=name, problem=f"источник снял его с публикации (pubStatus: {status})")
    if (kind := value.get("type", "text")) != "text":
        return Item(name=name, problem=f"это не текстовая новость (type: {kind})")
    try:
        return _read(value, name=name, guid=guid, url=url)
    except UnreadableMarkup as refusal:
        return Item(name=name, problem=str(refusal))


def _read(value: dict, *, name: str, guid: str, url: str) -> Item:
    tags = [subject.get("name") for subject in value.get("subjects", ())]
    return Item(
        name=name,
        guid=guid,
        url=url,
        title=joined(_text(value.get("headlines", ()))),
        summary=_text(value.get("descriptions", ()), any_role=False),
        body=_text(value.get("bodies", ())),
        published=from_rfc3339(value.get("firstCreated"))
        or from_rfc3339(value.get("versionCreated")),
        tags=distinct_tags(tags),
    )


def _uri(value: object) -> str:
    uri = value.get("uri") if isinstance(value, dict) else None
    return uri.strip() if isinstance(uri, str) else ""


def _text(variants, *, any_role: bool = True) -> str:
    """The item's own text among ``variants`` (headlines, descriptions or bodies),
    markup preferred: it keeps the subheadings."""
    own = [v for v in variants if v.get("role") in MAIN_ROLES]
    if not own and any_role:
        own = list(variants)
    for variant in sorted(own, key=lambda v: "html" not in (v.get("contentType") or "")):
        if text := to_text(variant["value"], content_type=variant.get("contentType") or ""):
            return text
    return ""
