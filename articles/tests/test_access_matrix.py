"""Every route that shows or changes an article, for every role, for every state.

One author writes an article (a draft, a scheduled one or a published one); each
role opens or acts on it through each route, and the outcome is compared with
the table below. The rules themselves are ``articles.access``.
"""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import SUCCESS, WARNING, get_messages
from django.test import Client
from django.utils import timezone

from articles.models import Article, ArticleCompany, EntitySuggestion, RejectedLink
from articles.models.suggestions import SuggestionOccurrence
from articles.roles import AUTHOR, EDITOR, setup_roles
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory

ADMIN = "/admin/"
CHANGELIST = "/admin/articles/article/"
ROLES = ["anonymous", "author", "other_author", "editor", "superuser"]
STATES = ["draft", "scheduled", "published"]
TAG = "Метка автора"
TAG_SLUG = "metka-avtora"
TITLE = "Заметка автора о заводе"


@pytest.fixture
def newsroom(db):
    setup_roles()

    def staff(name: str, group: str) -> User:
        user = User.objects.create_user(name, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "anonymous": None,
        "author": staff("avtor", AUTHOR),
        "other_author": staff("drugoi-avtor", AUTHOR),
        "editor": staff("redaktor", EDITOR),
        "superuser": User.objects.create_superuser("glavnyi"),
    }


def make_article(state: str, author: User) -> Article:
    now = timezone.now()
    status, published_at = {
        "draft": (Article.Status.DRAFT, now - dt.timedelta(hours=1)),
        "scheduled": (Article.Status.PUBLISHED, now + dt.timedelta(days=2)),
        "published": (Article.Status.PUBLISHED, now - dt.timedelta(hours=1)),
    }[state]
    article = ArticleFactory(
        title=TITLE, status=status, published_at=published_at, author=author, tags=[TAG]
    )
    company = CompanyFactory(name="Вымышленный Завод", slug="vymyshlennyi-zavod")
    ArticleCompany.objects.create(article=article, entity=company)
    suggestion = EntitySuggestion.objects.create(
        name="Небывалый Холдинг", kind=EntitySuggestion.Kind.ORGANISATION
    )
    SuggestionOccurrence.objects.create(
        suggestion=suggestion, article=article, sentence="Небывалый Холдинг строит."
    )
    return article


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# Outcomes ---------------------------------------------------------------------------


def answered(response, article: Article) -> str:
    """The status, or where a redirect leads: the login page, the admin's index
    (Django's «no such object»), or the article's public page."""
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith(f"{ADMIN}login/"):
        return "login"
    if location == ADMIN:
        return "absent"
    if location.endswith(article.get_absolute_url()):
        return "redirect"
    return f"302 {location}"


def snapshot(pk: int):
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return None
    return (
        article.title,
        article.status,
        article.published_at,
        article.version,
        sorted(article.tags.names()),
        sorted(article.companies.values_list("pk", flat=True)),
        RejectedLink.objects.count(),
        LogEntry.objects.filter(object_id=str(pk)).count(),
    )


def changed_or_refused(response, article: Article, before) -> str:
    """«done» when the route reports success; «refused» when it says why not and
    nothing changed; otherwise the status or redirect."""
    outcome = answered(response, article)
    if outcome == "login" or response.status_code not in (200, 302):
        assert snapshot(article.pk) == before
        return outcome
    levels = [message.level for message in get_messages(response.wsgi_request)]
    if SUCCESS in levels:
        return "done"
    assert snapshot(article.pk) == before, "refused, yet something changed"
    assert any(level >= WARNING for level in levels), "refused without saying why"
    return "refused"


def shows(response, article: Article, text: str = TITLE) -> str:
    outcome = answered(response, article)
    if outcome != "200":
        return outcome
    return "listed" if text in response.content.decode() else "hidden"


# Routes --------------------------------------------------------------------------------


def change_url(article: Article) -> str:
    return f"{CHANGELIST}{article.pk}/change/"


def public_page(client, article, world):
    return answered(client.get(article.get_absolute_url()), article)


def ninjs(client, article, world):
    return answered(client.get(f"/news/{article.slug}.json"), article)


def view_on_site(client, article, world):
    content_type = ContentType.objects.get_for_model(Article)
    return answered(client.get(f"{ADMIN}r/{content_type.pk}/{article.pk}/"), article)


def change_form(client, article, world):
    response = client.get(change_url(article))
    outcome = answered(response, article)
    if outcome != "200":
        return outcome
    return "edit" if 'name="_save"' in response.content.decode() else "read"


def change_form_post(client, article, world):
    data = form_data(client_for(world["superuser"]).get(change_url(article)))
    data["title"] = "Правка заголовка"
    before = snapshot(article.pk)
    response = client.post(change_url(article), data)
    outcome = answered(response, article)
    changed = Article.objects.get(pk=article.pk).title == "Правка заголовка"
    if outcome == "302 " + CHANGELIST and changed:
        return "done"
    assert not changed and snapshot(article.pk) == before
    return outcome


def history(client, article, world):
    return answered(client.get(f"{change_url(article)[: -len('change/')]}history/"), article)


def changelist(client, article, world):
    return shows(client.get(CHANGELIST), article)


def list_action(name: str, **extra):
    def run(client, article, world):
        before = snapshot(article.pk)
        data = {"action": name, "_selected_action": [article.pk], "post": "yes", **extra}
        return changed_or_refused(client.post(CHANGELIST, data), article, before)

    run.__name__ = name
    return run


def mention_decision(action: str):
    def run(client, article, world):
        entity = article.companies.get()
        before = snapshot(article.pk)
        response = client.post(
            f"{change_url(article)[: -len('change/')]}mentions/{action}/",
            {"entity": f"companies.company:{entity.pk}"},
        )
        return changed_or_refused(response, article, before)

    run.__name__ = f"mentions_{action}"
    return run


def entity_mentions(client, article, world):
    company = article.companies.get()
    return shows(client.get(f"/admin/companies/company/{company.pk}/change/"), article)


def suggestion_page(client, article, world):
    suggestion = EntitySuggestion.objects.get()
    url = f"/admin/articles/entitysuggestion/{suggestion.pk}/change/"
    return shows(client.get(url), article)


def tag_page(client, article, world):
    return answered(client.get(f"/tags/{TAG_SLUG}/"), article)


def tag_feed(client, article, world):
    return answered(client.get(f"/tags/{TAG_SLUG}/feed/"), article)


# The table ------------------------------------------------------------------------------

# For each route: per role, the outcome for the author's draft, scheduled and
# published article (one value: the same in every state).
ONLY_PUBLISHED = {role: ("404", "404", "200") for role in ROLES}
LOGIN = "login"
PUBLISHER_DONE = {"editor": "done", "superuser": "done"}
EXPECTED = {
    public_page: {
        "anonymous": ("404", "404", "200"),
        "author": "200",
        "other_author": ("404", "404", "200"),
        "editor": "200",
        "superuser": "200",
    },
    ninjs: ONLY_PUBLISHED,
    tag_page: ONLY_PUBLISHED,
    tag_feed: ONLY_PUBLISHED,
    view_on_site: {
        "anonymous": LOGIN,
        "author": "redirect",
        "other_author": ("404", "404", "redirect"),
        "editor": "redirect",
        "superuser": "redirect",
    },
    change_form: {
        "anonymous": LOGIN,
        "author": ("edit", "read", "read"),
        "other_author": ("absent", "absent", "read"),
        "editor": "edit",
        "superuser": "edit",
    },
    change_form_post: {
        "anonymous": LOGIN,
        "author": ("done", "403", "403"),
        # A scheduled article's form posts «published», which only a publisher
        # may send: refused before the article is looked up, whoever's it is.
        "other_author": ("absent", "403", "403"),
        **PUBLISHER_DONE,
    },
    history: {
        "anonymous": LOGIN,
        "author": "200",
        "other_author": ("absent", "absent", "200"),
        "editor": "200",
        "superuser": "200",
    },
    changelist: {
        "anonymous": LOGIN,
        "author": "listed",
        "other_author": ("hidden", "hidden", "listed"),
        "editor": "listed",
        "superuser": "listed",
    },
    **{
        list_action(name): {
            "anonymous": LOGIN,
            "author": "403",
            "other_author": "403",
            **PUBLISHER_DONE,
        }
        for name in ("publish_selected", "unpublish_selected")
    },
    **{
        action: {
            "anonymous": LOGIN,
            "author": ("done", "refused", "refused"),
            "other_author": "refused",
            **PUBLISHER_DONE,
        }
        for action in (list_action("relink_selected"), list_action("add_tag", tag="Новый тег"))
    },
    # Authors may not delete articles at all: the action is not theirs to choose.
    list_action("delete_selected"): {
        "anonymous": LOGIN,
        "author": "refused",
        "other_author": "refused",
        **PUBLISHER_DONE,
    },
    **{
        mention_decision(action): {
            "anonymous": LOGIN,
            "author": ("done", "403", "403"),
            "other_author": ("404", "404", "403"),
            **PUBLISHER_DONE,
        }
        for action in ("reject", "restore")
    },
    entity_mentions: {
        "anonymous": LOGIN,
        "author": "listed",
        "other_author": ("hidden", "hidden", "listed"),
        "editor": "listed",
        "superuser": "listed",
    },
    suggestion_page: {
        "anonymous": LOGIN,
        "author": "403",
        "other_author": "403",
        "editor": "listed",
        "superuser": "listed",
    },
}


def expected(route, role: str, state: str) -> str:
    value = EXPECTED[route][role]
    return value[STATES.index(state)] if isinstance(value, tuple) else value


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(EXPECTED), ids=lambda route: route.__name__)
def test_each_role_gets_what_the_rules_allow_on_each_route(newsroom, route, role, state):
    article = make_article(state, author=newsroom["author"])
    outcome = route(client_for(newsroom[role]), article, newsroom)
    assert outcome == expected(route, role, state)
