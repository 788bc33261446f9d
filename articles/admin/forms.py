"""The article desk's forms: the edit form, and the list action form that names a tag.

The edit form normalises the text as it enters, dates an article at the moment
it is published unless the editor entered the date (``publishing``), and
refuses to overwrite someone else's newer save, showing both versions
(``conflicts``).
"""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone

from ..models import Article
from ..publishing import stamp_publication
from ..text.normalise import normalise_text
from .conflicts import (
    CONFLICT_FIELDS,
    EditConflict,
    build_conflict,
    conflict_message,
    decode_base,
    encode_base,
    raw_value,
    submitted_values,
)
from .history import moment

DERIVED_TITLE_NOTE = (
    "Заголовок составлен автоматически из первого предложения лида. Проверьте его: "
    "когда вы сохраните свой заголовок, эта пометка исчезнет."
)


class EnteredText(forms.CharField):
    """Text as it enters the portal: line ends, spaces and broken words made uniform
    (``normalise_text``). Browsers send a textarea's line breaks as CRLF, which the
    pages would not read as a paragraph break.

    Normalised in ``to_python``, so that ``has_changed`` compares normalised text:
    a form sent back as it was does not count as an edit.
    """

    single_line = False

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value, single_line=self.single_line) if value else value


class EnteredLine(EnteredText):
    """A value shown on one line (a headline, a caption): line breaks become spaces."""

    single_line = True


class ArticleAdminForm(forms.ModelForm):
    # The version the form was opened at, and its values (``conflicts.EditBase``):
    # a save from an older version is refused and compared field by field.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # Every field the form edits is compared when two saves collide.
        fields = list(CONFLICT_FIELDS)
        field_classes = {
            "title": EnteredLine,
            "lead": EnteredText,
            "body": EnteredText,
            "image_alt": EnteredLine,
            "image_caption": EnteredLine,
            "image_credit": EnteredLine,
            "source_name": EnteredLine,
        }

    class Media:
        css = {"all": ["articles/admin/conflicts.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: EditConflict | None = None  # set when a save is refused
        self.publication_stamped = False  # the save dated the article at its publication
        self.publication_note = ""  # what the save did with the date, for the editor
        self.fields["edit_version"].initial = self.instance.version
        self.fields["edit_base"].initial = encode_base(self.instance, opened=timezone.now())
        if "slug" in self.fields:
            # Left empty, the slug is made from the headline on save.
            self.fields["slug"].required = False
        if self.instance.title_derived and "title" in self.fields:
            self.fields["title"].help_text = DERIVED_TITLE_NOTE
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = date_note(self.instance)

    def save(self, commit=True):
        if "title" in self.changed_data:
            # The editor's own headline now, no longer the one made from the lead.
            self.instance.title_derived = False
        self._date_publication()
        return super().save(commit)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("edit_version") != self.instance.version:
            self._refuse_conflicting_save(cleaned)
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", "Опишите изображение для тех, кто его не видит.")
        return cleaned

    # Publication date ------------------------------------------------------

    def _date_entered(self) -> bool:
        """Whether the editor changed the date in this save (against the opened form)."""
        base = decode_base(self.cleaned_data.get("edit_base") or "")
        if base is None or "published_at" not in self.cleaned_data:
            # Not sent by our form: the date sent is taken as meant.
            return "published_at" in self.cleaned_data
        entered = raw_value(self.cleaned_data["published_at"])
        return entered != base.values.get("published_at")

    def _date_publication(self) -> None:
        article, previous = self.instance, self.initial.get("status")
        going_out = (
            article.status == Article.Status.PUBLISHED and previous != Article.Status.PUBLISHED
        )
        if not going_out:
            return
        self.publication_stamped = stamp_publication(
            article=article, previous_status=previous, date_entered=self._date_entered()
        )
        self.publication_note = published_note(article, stamped=self.publication_stamped)

    # Edit conflicts --------------------------------------------------------

    def _refuse_conflicting_save(self, cleaned: dict) -> None:
        """Compare the versions, set the form up for merging by hand, refuse the save.

        The form goes on from the version saved now (its number and values), so
        the next save, once the editor has merged, goes through; the fields only
        the other editor changed take their saved value.
        """
        base = decode_base(cleaned.get("edit_base") or "")
        submitted = submitted_values(cleaned, self.instance)
        self.conflict = build_conflict(article=self.instance, base=base, submitted=submitted)
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = str(self.instance.version)
        data[self.add_prefix("edit_base")] = encode_base(self.instance, opened=timezone.now())
        for field in self.conflict.fields:
            if field.adopted and field.name in self.fields and field.name != "image":
                # A file input cannot be refilled; left empty, it keeps the saved image.
                attname = Article._meta.get_field(field.name).attname
                put_value(data, self[field.name], getattr(self.instance, attname))
        self.data = data
        raise forms.ValidationError(conflict_message(self.conflict), code="edit_conflict")


def put_value(data, bound: forms.BoundField, value) -> None:
    """Put ``value`` into posted ``data`` as ``bound``'s widget would have sent it."""
    widget = bound.field.widget
    if isinstance(widget, forms.MultiWidget):  # the date and time of a date field
        for suffix, part_widget, part in zip(
            widget.widgets_names, widget.widgets, widget.decompress(value), strict=True
        ):
            data[bound.html_name + suffix] = part_widget.format_value(part) or ""
        return
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        data.setlist(bound.html_name, formatted)
    else:
        data[bound.html_name] = formatted or ""


def date_note(article: Article) -> str:
    """The note beside the date field: which date the article will carry."""
    state = article.state
    if state == Article.State.DRAFT:
        return (
            "У черновика дата предварительная: при публикации статья получит время "
            "публикации, если вы сами не измените дату. Дата в будущем — статья выйдет "
            "в это время сама."
        )
    if state == Article.State.SCHEDULED:
        return (
            "Статья выйдет в это время сама и будет датирована им. Опубликовать раньше: "
            "действие «Опубликовать сейчас» в списке статей или текущее время здесь."
        )
    return "Дата, под которой статья стоит на сайте. Меняйте её, только если она неверна."


def published_note(article: Article, *, stamped: bool) -> str:
    """What publishing did with the date, said after the save."""
    when = moment(article.published_at)
    if stamped:
        return f"Статья опубликована с датой публикации: {when} (момент публикации)."
    if article.published_at > timezone.now():
        return f"Статья запланирована: выйдет {when}."
    return f"Статья опубликована с датой, которую вы указали: {when}."


class TagActionForm(ActionForm):
    tag = forms.CharField(label="Тег", required=False, help_text="Для действия «Добавить тег».")
