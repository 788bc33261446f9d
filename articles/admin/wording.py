"""How the admin names each kind of record in Russian: case, number and gender.

Django's Russian admin builds its sentences from a model's ``verbose_name`` in the
nominative and with masculine agreement («Добавить статья», «Статья … был успешно
добавлен», «137 статьи»). Russian needs the noun in the case the sentence asks for,
the verb in the noun's gender and the count in one of three forms. Generating them
(pymorphy3) would guess at phrases such as «связь с компанией», where only the first
word declines, and at animacy; a table written once per model is short and exact.

``NOUNS`` covers every model the admin shows, Django's and the libraries' included;
``articles/tests/test_admin_wording.py`` fails when a model is added without a row, or
when a row's nominative no longer matches the model's ``verbose_name``.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Model
from django.db.models.options import Options


class Gender(StrEnum):
    MASCULINE = "m"
    FEMININE = "f"
    NEUTER = "n"


M, F, N = Gender.MASCULINE, Gender.FEMININE, Gender.NEUTER


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that goes with the number ``n``: 1 статья, 2 статьи, 5 статей
    (21 статья, 11 статей, 112 статей)."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


@dataclass(frozen=True)
class Noun:
    """A noun phrase in the forms the admin's sentences need."""

    nominative: str  # статья; also after 1, 21, 31
    accusative: str  # (добавить) статью
    genitive: str  # (у другой) статьи
    # After 2, 3, 4: the head noun's genitive singular, but an adjective or a phrase
    # it governs goes plural: «3 отклонённые связи», «3 связи с компаниями».
    few: str
    plural: str  # статьи
    genitive_plural: str  # (пять) статей
    gender: Gender
    # Animate nouns take the genitive's form in the accusative plural (and in the
    # masculine singular): «удалить пользователей», not «удалить пользователи».
    animate: bool = False

    def agree(self, masculine: str, feminine: str, neuter: str) -> str:
        """The word (a past participle, a pronoun) that agrees with the noun's gender."""
        return {M: masculine, F: feminine, N: neuter}[self.gender]

    @property
    def accusative_plural(self) -> str:
        return self.genitive_plural if self.animate else self.plural

    @property
    def capitalised(self) -> str:
        return self.nominative[:1].upper() + self.nominative[1:]

    def count(self, n: int) -> str:
        """«1 статья», «3 статьи», «137 статей»: a count as a subject or a label."""
        return f"{n} {plural(n, self.nominative, self.few, self.genitive_plural)}"

    def count_accusative(self, n: int) -> str:
        """«удалить 1 статью», «удалить 3 статьи», «удалить 3 пользователей»."""
        few = self.genitive_plural if self.animate else self.few
        return f"{n} {plural(n, self.accusative, few, self.genitive_plural)}"

    def count_genitive(self, n: int) -> str:
        """«удаление 1 статьи», «удаление 3 статей»."""
        return f"{n} {plural(n, self.genitive, self.genitive_plural, self.genitive_plural)}"

    @property
    def one_more(self) -> str:
        """«ещё одну статью», «ещё один тег», «ещё одно упоминание»."""
        one = self.agree("одного" if self.animate else "один", "одну", "одно")
        return f"ещё {one} {self.accusative}"


# The fields of ``Noun`` that hold words.
FORMS = ("nominative", "accusative", "genitive", "few", "plural", "genitive_plural")


def _noun(forms: str, gender: Gender, animate: bool = False) -> Noun:
    """A row of the table: the forms in ``FORMS`` order, separated by «|»."""
    words = [word.strip() for word in forms.split("|")]
    return Noun(*words, gender=gender, animate=animate)


# By model label; the forms in ``FORMS`` order: nominative | accusative | genitive |
# after 2-4 | plural | genitive plural. Rows for the models Django and the libraries
# bring decline the names their own Russian translations give them.
NOUNS: dict[str, Noun] = {
    # The newsroom.
    "articles.article": _noun("статья | статью | статьи | статьи | статьи | статей", F),
    "articles.tag": _noun("тег | тег | тега | тега | теги | тегов", M),
    "articles.taggedarticle": _noun(
        "тег статьи | тег статьи | тега статьи | тега статей | теги статей | тегов статей", M
    ),
    "articles.articlecountry": _noun(
        "связь со страной | связь со страной | связи со страной | связи со странами"
        " | связи со странами | связей со странами",
        F,
    ),
    "articles.articlecompany": _noun(
        "связь с компанией | связь с компанией | связи с компанией | связи с компаниями"
        " | связи с компаниями | связей с компаниями",
        F,
    ),
    "articles.articlevehiclemodel": _noun(
        "связь с моделью | связь с моделью | связи с моделью | связи с моделями"
        " | связи с моделями | связей с моделями",
        F,
    ),
    "articles.articleofficial": _noun(
        "связь с должностным лицом | связь с должностным лицом | связи с должностным лицом"
        " | связи с должностными лицами | связи с должностными лицами"
        " | связей с должностными лицами",
        F,
    ),
    "articles.rejectedlink": _noun(
        "отклонённая связь | отклонённую связь | отклонённой связи | отклонённые связи"
        " | отклонённые связи | отклонённых связей",
        F,
    ),
    "articles.entitysuggestion": _noun(
        "предложенная сущность | предложенную сущность | предложенной сущности"
        " | предложенные сущности | предложенные сущности | предложенных сущностей",
        F,
    ),
    "articles.suggestionoccurrence": _noun(
        "упоминание | упоминание | упоминания | упоминания | упоминания | упоминаний", N
    ),
    # The catalog.
    "companies.country": _noun("страна | страну | страны | страны | страны | стран", F),
    "companies.company": _noun(
        "компания | компанию | компании | компании | компании | компаний", F
    ),
    "companies.vehiclemodel": _noun(
        "модель техники | модель техники | модели техники | модели техники | модели техники"
        " | моделей техники",
        F,
    ),
    # «Лицо» in the sense of a person declines as animate in the plural.
    "companies.official": _noun(
        "должностное лицо | должностное лицо | должностного лица | должностных лица"
        " | должностные лица | должностных лиц",
        N,
        animate=True,
    ),
    # The core.
    "portal.retiredslug": _noun(
        "старый адрес | старый адрес | старого адреса | старых адреса | старые адреса"
        " | старых адресов",
        M,
    ),
    "portal.contentversion": _noun(
        "версия содержимого | версию содержимого | версии содержимого | версии содержимого"
        " | версии содержимого | версий содержимого",
        F,
    ),
    # Django's own and the libraries'.
    "auth.user": _noun(
        "пользователь | пользователя | пользователя | пользователя | пользователи | пользователей",
        M,
        animate=True,
    ),
    "auth.group": _noun("группа | группу | группы | группы | группы | групп", F),
    "auth.permission": _noun("право | право | права | права | права | прав", N),
    "admin.logentry": _noun(
        "запись в журнале | запись в журнале | записи в журнале | записи в журнале"
        " | записи в журнале | записей в журнале",
        F,
    ),
    "contenttypes.contenttype": _noun(
        "тип содержимого | тип содержимого | типа содержимого | типа содержимого"
        " | типы содержимого | типов содержимого",
        M,
    ),
    "sessions.session": _noun("сессия | сессию | сессии | сессии | сессии | сессий", F),
    "taggit.tag": _noun("тег | тег | тега | тега | теги | тегов", M),
    "taggit.taggeditem": _noun(
        "элемент с меткой | элемент с меткой | элемента с меткой | элемента с меткой"
        " | элементы с меткой | элементов с меткой",
        M,
    ),
    "axes.accessattempt": _noun(
        "запись о попытке доступа | запись о попытке доступа | записи о попытке доступа"
        " | записи о попытках доступа | записи о попытках доступа"
        " | записей о попытках доступа",
        F,
    ),
    "axes.accesslog": _noun(
        "запись о доступе | запись о доступе | записи о доступе | записи о доступе"
        " | записи о доступе | записей о доступе",
        F,
    ),
    "axes.accessfailurelog": _noun(
        "ошибка доступа | ошибку доступа | ошибки доступа | ошибки доступа | ошибки доступа"
        " | ошибок доступа",
        F,
    ),
    "inbox.source": _noun(
        "источник | источник | источника | источника | источники | источников", M
    ),
    "inbox.inboxitem": _noun(
        "входящий материал | входящий материал | входящего материала | входящих материала"
        " | входящие материалы | входящих материалов",
        M,
    ),
    "following.delivery": _noun("письмо | письмо | письма | письма | письма | писем", N),
    "following.reader": _noun(
        "читатель | читателя | читателя | читателя | читатели | читателей", M, animate=True
    ),
    "following.subscription": _noun(
        "подписка | подписку | подписки | подписки | подписки | подписок", F
    ),
    "django_q.success": _noun(
        "успешная задача | успешную задачу | успешной задачи | успешные задачи"
        " | успешные задачи | успешных задач",
        F,
    ),
    "django_q.failure": _noun(
        "неудачная задача | неудачную задачу | неудачной задачи | неудачные задачи"
        " | неудачные задачи | неудачных задач",
        F,
    ),
    "django_q.schedule": _noun(
        "запланированная задача | запланированную задачу | запланированной задачи"
        " | запланированные задачи | запланированные задачи | запланированных задач",
        F,
    ),
    "django_q.ormq": _noun(
        "задача в очереди | задачу в очереди | задачи в очереди | задачи в очереди"
        " | задачи в очереди | задач в очереди",
        F,
    ),
}

_BY_NOMINATIVE = {noun.nominative: noun for noun in NOUNS.values()}


def noun_named(name: str) -> Noun:
    """The noun whose nominative is ``name`` (a verbose name, any capitalisation).

    A name outside the table gets every case equal to it, masculine: what Django
    would have written, never an error in the middle of a page.
    """
    name = str(name)
    known = _BY_NOMINATIVE.get(name.lower())
    if known is not None:
        return known
    return Noun(*[name] * len(FORMS), gender=M)


def noun_for(model: type[Model] | Model | Options) -> Noun:
    """The noun for a model (a class, an instance or its ``_meta``)."""
    opts = model if isinstance(model, Options) else model._meta
    return NOUNS.get(opts.label_lower) or noun_named(opts.verbose_name)
