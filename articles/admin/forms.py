"""The article desk's forms: the edit form that refuses to overwrite someone else's
newer save and normalises the text as it enters, and the list action form that
names a tag."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Article
from ..text.normalise import normalise_text

# Fields whose saved value is shown when two editors' saves collide.
CONFLICT_FIELDS = ["title", "slug", "lead", "body", "status", "published_at"]
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
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
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
        ]
        field_classes = {
            "title": EnteredLine,
            "lead": EnteredText,
            "body": EnteredText,
            "image_alt": EnteredLine,
            "image_caption": EnteredLine,
            "image_credit": EnteredLine,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        if "slug" in self.fields:
            # Left empty, the slug is made from the headline on save.
            self.fields["slug"].required = False
        if self.instance.title_derived and "title" in self.fields:
            self.fields["title"].help_text = DERIVED_TITLE_NOTE

    def save(self, commit=True):
        if "title" in self.changed_data:
            # The editor's own headline now, no longer the one made from the lead.
            self.instance.title_derived = False
        return super().save(commit)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("edit_version") != self.instance.version:
            raise forms.ValidationError(self.conflict_message(), code="edit_conflict")
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", "Опишите изображение для тех, кто его не видит.")
        return cleaned

    def conflict_message(self) -> str:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Article),
                object_id=str(self.instance.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = (
            f"{entry.user.get_full_name() or entry.user.get_username()}, "
            f"{date_format(timezone.localtime(entry.action_time), 'j E Y, H:i')}"
            if entry
            else "другой пользователь"
        )
        differing = [
            f"«{Article._meta.get_field(name).verbose_name}»: сейчас сохранено "
            f"«{_short(getattr(self.instance, name))}»"
            for name in CONFLICT_FIELDS
            if name in self.cleaned_data and self.cleaned_data[name] != getattr(self.instance, name)
        ]
        details = "; ".join(differing) or "отличий в тексте нет, но версия устарела"
        return (
            f"Статью уже сохранил другой редактор ({who}), пока вы её редактировали. "
            f"Ваши изменения не сохранены, чтобы не затереть чужие. Расхождения: {details}. "
            "Скопируйте свои правки, откройте статью заново и внесите их ещё раз."
        )


def _short(value, limit: int = 80) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class TagActionForm(ActionForm):
    tag = forms.CharField(label="Тег", required=False, help_text="Для действия «Добавить тег».")
