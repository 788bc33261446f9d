"""The reader's forms: follow, and the manage page's changes."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .models import Frequency, Reader
from .signup import normalise_address

# Monday is 0, as ``date.weekday()`` and ``Reader.digest_weekday``.
WEEKDAYS = (
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
)

# The region's zones; the site's own is added when it is not among them.
REGION_ZONES = (
    ("Asia/Bishkek", "Бишкек"),
    ("Asia/Almaty", "Алматы, Астана"),
    ("Asia/Tashkent", "Ташкент"),
    ("Asia/Dushanbe", "Душанбе"),
    ("Asia/Ashgabat", "Ашхабад"),
    ("Europe/Moscow", "Москва"),
    ("UTC", "UTC"),
)


def zone_choices() -> list[tuple[str, str]]:
    zones = list(REGION_ZONES)
    if settings.TIME_ZONE not in dict(zones):
        zones.insert(0, (settings.TIME_ZONE, settings.TIME_ZONE))
    return zones


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Электронная почта",
        max_length=254,
        error_messages={
            "required": "Укажите адрес электронной почты.",
            "invalid": "Это не похоже на адрес электронной почты: проверьте его.",
        },
    )
    frequency = forms.ChoiceField(
        label="Как часто присылать",
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите, как часто присылать письма."},
    )

    def clean_email(self) -> str:
        return normalise_address(self.cleaned_data["email"])


class FrequencyForm(forms.Form):
    """One subscription's frequency, on the manage page."""

    subscription = forms.IntegerField(widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label="Как часто", choices=Frequency.choices)


class RemoveForm(forms.Form):
    subscription = forms.IntegerField(widget=forms.HiddenInput)


class DigestTimeForm(forms.ModelForm):
    """When the reader's digests arrive."""

    digest_hour = forms.TypedChoiceField(
        label="Час рассылки",
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
    )
    digest_weekday = forms.TypedChoiceField(
        label="День недельной подборки", coerce=int, choices=list(enumerate(WEEKDAYS))
    )
    time_zone = forms.ChoiceField(label="Часовой пояс", choices=zone_choices)

    class Meta:
        model = Reader
        fields = ["digest_hour", "digest_weekday", "time_zone"]
