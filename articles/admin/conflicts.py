"""Two editors, one article: what the other saved, against what you are saving.

The form carries the version it started from (``edit_base``: the values it was
opened with, and when). When a save is refused because someone saved in
between, each field is compared three ways: the other editor's change (the
starting values against what is saved now) and yours (the starting values
against what you sent), as word-level differences (``textdiff``), body
included. Fields only the other editor changed take their saved value in the
form; your values stay everywhere else, so you merge by hand where both of you
changed something and save again.
"""

import base64
import datetime as dt
import json
import zlib
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from ..models import Article
from .history import moment
from .textdiff import Block, text_diff

# The fields the article form edits and a conflict compares, in the form's
# order; images by their file name.
CONFLICT_FIELDS = (
    "title",
    "slug",
    "lead",
    "body",
    "status",
    "published_at",
    "author",
    "image",
    "image_alt",
    "image_caption",
    "image_credit",
    "source_name",
    "source_url",
)
MULTILINE_FIELDS = {"lead", "body"}
# A posted starting version unpacks to no more than this: it is the sender's data.
MAX_BASE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class EditBase:
    """The version an editor's form started from: when it was opened, and its values."""

    opened: dt.datetime
    values: dict[str, str]


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    theirs: list[Block] | None  # None: the other editor left the field as it was
    yours: list[Block] | None  # None: you left it as it was
    saved: str  # the value saved now, in full, to copy from
    adopted: bool  # only the other editor changed it: the form now holds their value
    multiline: bool


@dataclass(frozen=True)
class EditConflict:
    saved_by: str  # who saved in between, and when
    base_known: bool
    fields: list[FieldConflict]


def raw_value(value) -> str:
    """A field's value as compared and kept in ``edit_base``: to the second, by key."""
    if value is None or value is False:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, File):
        return value.name or ""
    return str(value)


def stored_values(article: Article) -> dict[str, str]:
    """The compared fields of ``article`` as it is (a relation by its key, no query)."""
    return {
        name: raw_value(getattr(article, Article._meta.get_field(name).attname))
        for name in CONFLICT_FIELDS
    }


def submitted_values(cleaned_data: dict, article: Article) -> dict[str, str]:
    """What a form sends, the stored value standing in for a field it does not hold."""
    stored = stored_values(article)
    return {
        name: raw_value(cleaned_data[name]) if name in cleaned_data else stored[name]
        for name in CONFLICT_FIELDS
    }


def encode_base(article: Article, *, opened: dt.datetime) -> str:
    """``article``'s values for the form to carry back. Compressed: the body is in it,
    and the whole request must stay within Django's upload limit."""
    data = {"opened": opened.isoformat(), "values": stored_values(article)}
    packed = zlib.compress(json.dumps(data, ensure_ascii=False).encode())
    return base64.urlsafe_b64encode(packed).decode("ascii")


def decode_base(text: str) -> EditBase | None:
    """The posted starting version; None when absent or not one of ours."""
    try:
        packed = base64.urlsafe_b64decode(text.encode("ascii"))
        unpacked = zlib.decompressobj().decompress(packed, MAX_BASE_BYTES)
        data = json.loads(unpacked)
        opened = dt.datetime.fromisoformat(data["opened"])
        values = data["values"]
    except (TypeError, ValueError, KeyError, UnicodeError, zlib.error):
        return None
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        return None
    return EditBase(opened=opened, values=values)


def build_conflict(
    *, article: Article, base: EditBase | None, submitted: dict[str, str]
) -> EditConflict:
    """The fields that differ, each with the other editor's change and yours."""
    saved = stored_values(article)
    labels = _Labels()
    fields = []
    for name in CONFLICT_FIELDS:
        start = base.values.get(name) if base else None
        field = _compare(name, start, saved[name], submitted[name], labels)
        if field is not None:
            fields.append(field)
    return EditConflict(
        saved_by=saved_by(article, since=base.opened if base else None),
        base_known=base is not None,
        fields=fields,
    )


def _compare(name: str, start: str | None, saved: str, yours: str, labels) -> FieldConflict | None:
    if start is None:  # where the form started is unknown: saved against sent
        if saved == yours:
            return None
        theirs_diff, yours_diff, adopted = None, _diff(name, saved, yours, labels), False
    else:
        theirs_changed, yours_changed = start != saved, start != yours
        if not (theirs_changed or yours_changed):
            return None
        theirs_diff = _diff(name, start, saved, labels) if theirs_changed else None
        yours_diff = _diff(name, start, yours, labels) if yours_changed else None
        adopted = theirs_changed and not yours_changed
    return FieldConflict(
        name=name,
        label=capfirst(Article._meta.get_field(name).verbose_name),
        theirs=theirs_diff,
        yours=yours_diff,
        saved=labels.text(name, saved),
        adopted=adopted,
        multiline=name in MULTILINE_FIELDS,
    )


def _diff(name: str, old: str, new: str, labels) -> list[Block]:
    return text_diff(labels.text(name, old), labels.text(name, new))


class _Labels:
    """Raw values as an editor reads them: a status's label, a date, a person's name."""

    def __init__(self):
        self.people: dict[str, str] = {}

    def text(self, name: str, raw: str) -> str:
        if not raw:
            return ""
        if name == "status":
            return str(Article.Status(raw).label) if raw in Article.Status.values else raw
        if name == "published_at":
            return moment(dt.datetime.fromisoformat(raw))
        if name == "author":
            if raw not in self.people:
                user = get_user_model().objects.filter(pk=raw).first()
                self.people[raw] = _person(user) if user else f"№ {raw}"
            return self.people[raw]
        return raw


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def saved_by(article: Article, *, since: dt.datetime | None) -> str:
    """Who saved ``article`` after ``since`` (the form's opening), each with their last time.

    Without ``since``, the last entry of the history.
    """
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=str(article.pk)
    ).select_related("user")
    if since is not None:
        recent = list(entries.filter(action_time__gt=since).order_by("action_time"))
    else:
        recent = list(entries.order_by("-action_time")[:1])
    last_by_person = {_person(entry.user): entry.action_time for entry in recent}
    return "; ".join(f"{who}, {moment(when)}" for who, when in last_by_person.items()) or (
        "другой пользователь"
    )


def conflict_message(conflict: EditConflict) -> str:
    return (
        f"Статью уже сохранил другой редактор ({conflict.saved_by}), пока вы её "
        "редактировали. Ваша правка не сохранена, чтобы не затереть чужую: ниже, в «Сравнении "
        "версий», видно, что изменено другим редактором и что меняете вы. Ваши значения "
        "остались в форме; сведите правки и сохраните ещё раз."
    )
