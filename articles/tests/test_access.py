"""The newsroom's rules (``articles.access``) and the findings they fixed: an
author reading others' embargoed drafts, changing published articles through
list actions, and seeing others' draft titles in the catalog's admin."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from articles.access import (
    can_edit,
    can_preview,
    can_publish,
    editable_by,
    previewable_by,
    public_tags,
)
from articles.models import Article, ArticleCompany, EntitySuggestion, Tag
from articles.models.suggestions import SuggestionOccurrence
from articles.roles import AUTHOR, EDITOR, setup_roles
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory
from portal.middleware import shareable

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def people(db):
    setup_roles()

    def staff(name: str, group: str | None) -> User:
        user = User.objects.create_user(name, is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "anonymous": AnonymousUser(),
        "author": staff("avtor", AUTHOR),
        "other_author": staff("drugoi-avtor", AUTHOR),
        "editor": staff("redaktor", EDITOR),
        "superuser": User.objects.create_superuser("glavnyi"),
        "staff_without_rights": staff("bez-prav", None),
        "former_author": User.objects.create_user("byvshii-avtor", is_staff=False),
    }


def article_in(state: str, **fields) -> Article:
    now = timezone.now()
    if state == "draft":
        return ArticleFactory(status=Article.Status.DRAFT, **fields)
    when = now + dt.timedelta(days=1) if state == "scheduled" else now - dt.timedelta(hours=1)
    return ArticleFactory(published_at=when, **fields)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The rules -----------------------------------------------------------------------------


@pytest.fixture
def articles_of(people):
    """One article in each state by the author, by another author, and by a
    former author no longer on the staff."""
    return [
        article_in(state, author=people[who], title=f"{who} {state}")
        for who, state in itertools.product(
            ["author", "other_author", "former_author"], ["draft", "scheduled", "published"]
        )
    ]


@pytest.mark.parametrize(
    ("role", "previews", "edits"),
    [
        ("anonymous", {"published"}, set()),
        ("staff_without_rights", {"published"}, set()),
        ("former_author", {"published"}, set()),
        ("author", {"published", "own draft", "own scheduled", "own published"}, {"own draft"}),
        ("editor", {"published", "draft", "scheduled"}, {"published", "draft", "scheduled"}),
        ("superuser", {"published", "draft", "scheduled"}, {"published", "draft", "scheduled"}),
    ],
)
def test_who_previews_and_edits_what(people, articles_of, role, previews, edits):
    user = people[role]

    def kinds(article: Article) -> set[str]:
        state = article.state.value
        own = article.author_id is not None and article.author_id == user.pk
        return {state, f"own {state}"} if own else {state}

    for article in articles_of:
        assert can_preview(user, article) == bool(kinds(article) & previews), article.title
        assert can_edit(user, article) == bool(kinds(article) & edits), article.title
    # The QuerySets say the same as the predicates, article by article.
    assert set(previewable_by(user)) == {a for a in articles_of if can_preview(user, a)}
    assert set(editable_by(user)) == {a for a in articles_of if can_edit(user, a)}


def test_only_editors_and_superusers_publish(people):
    assert [role for role, user in people.items() if can_publish(user)] == ["editor", "superuser"]


def test_a_deactivated_editor_sees_only_what_visitors_see(people):
    editor = people["editor"]
    draft = article_in("draft", author=editor)
    editor.is_active = False
    editor.save()
    editor = User.objects.get(pk=editor.pk)  # no permissions cached from before
    assert not can_preview(editor, draft)
    assert not previewable_by(editor).exists()


def test_public_tags_are_those_a_published_article_carries(db):
    article_in("published", tags=["Вышедший"])
    article_in("draft", tags=["Черновой"])
    article_in("scheduled", tags=["Будущий"])
    Tag.objects.create(name="Ничей")
    assert [tag.name for tag in public_tags()] == ["Вышедший"]


# Finding 1: others' embargoed drafts ---------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_an_author_cannot_open_another_authors_unpublished_article(people, state):
    article = article_in(state, author=people["other_author"])
    assert logged_in(people["author"]).get(article.get_absolute_url()).status_code == 404
    assert logged_in(people["other_author"]).get(article.get_absolute_url()).status_code == 200


def test_the_view_on_site_redirect_does_not_tell_another_authors_slug(people):
    article = article_in("draft", author=people["other_author"], slug="sekretnaya-sdelka")
    content_type = ContentType.objects.get_for_model(Article)
    url = f"/admin/r/{content_type.pk}/{article.pk}/"
    response = logged_in(people["author"]).get(url)
    assert response.status_code == 404
    assert "sekretnaya-sdelka" not in str(response.headers) + response.content.decode()
    own = logged_in(people["other_author"]).get(url)
    assert own.status_code == 302 and own["Location"].endswith("/news/sekretnaya-sdelka/")


def test_the_view_on_site_redirect_still_serves_the_catalog(people):
    company = CompanyFactory(name="Вымышленный Завод", slug="vymyshlennyi-zavod")
    content_type = ContentType.objects.get_for_model(company)
    response = logged_in(people["author"]).get(f"/admin/r/{content_type.pk}/{company.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith("/companies/vymyshlennyi-zavod/")


def test_the_catalog_admin_hides_others_unpublished_articles_from_an_author(people):
    company = CompanyFactory(name="Вымышленный Завод", slug="vymyshlennyi-zavod")
    titles = {
        "Чужой черновик": article_in("draft", author=people["other_author"]),
        "Чужая будущая": article_in("scheduled", author=people["other_author"]),
        "Свой черновик": article_in("draft", author=people["author"]),
        "Вышедшая": article_in("published", author=people["other_author"]),
    }
    for title, article in titles.items():
        Article.objects.filter(pk=article.pk).update(title=title)
        ArticleCompany.objects.create(article=article, entity=company)
    client = logged_in(people["author"])
    page = client.get(f"/admin/companies/company/{company.pk}/change/").content.decode()
    assert [title for title in titles if title in page] == ["Свой черновик", "Вышедшая"]
    listed = client.get("/admin/companies/company/").context["cl"].result_list
    assert [entity.n_articles for entity in listed] == [2]
    editors = logged_in(people["editor"]).get("/admin/companies/company/")
    assert [entity.n_articles for entity in editors.context["cl"].result_list] == [4]


def test_the_article_list_shows_an_author_their_own_and_the_published(people):
    own = [article_in(state, author=people["author"]) for state in ("draft", "scheduled")]
    published = article_in("published", author=people["other_author"])
    article_in("draft", author=people["other_author"])
    article_in("scheduled", author=people["other_author"])
    listed = logged_in(people["author"]).get(CHANGELIST).context["cl"].result_list
    assert set(listed) == {*own, published}


# Finding 2: list actions on articles an author may not change -----------------------------------


def run_action(client, action: str, articles, **extra):
    data = {"action": action, "_selected_action": [a.pk for a in articles], **extra}
    response = client.post(CHANGELIST, data)
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("state", ["scheduled", "published"])
def test_an_author_cannot_tag_their_own_scheduled_or_published_article(people, state):
    draft = article_in("draft", author=people["author"], title="Свой черновик")
    out = article_in(state, author=people["author"], title="Своя статья")
    client = logged_in(people["author"])
    said = run_action(client, "add_tag", [draft, out], tag="Реклама")
    assert said == [
        "Действие не выполнено: автор может менять только свои черновики, а среди "
        "выбранных есть другие статьи: «Своя статья». Ничего не изменено."
    ]
    assert not Tag.objects.filter(name="Реклама").exists()
    assert not out.tags.exists() and not draft.tags.exists()


def test_an_author_cannot_relink_a_published_article(people):
    company = CompanyFactory(name="Вымышленный Завод", slug="vymyshlennyi-zavod")
    article = article_in("published", author=people["author"], lead="Вымышленный Завод растёт.")
    said = run_action(logged_in(people["author"]), "relink_selected", [article])
    assert "Ничего не изменено" in said[0]
    assert not article.companies.filter(pk=company.pk).exists()


def test_an_action_on_another_authors_draft_is_refused_not_quietly_dropped(people):
    own = article_in("draft", author=people["author"])
    theirs = article_in("draft", author=people["other_author"])
    said = run_action(logged_in(people["author"]), "add_tag", [own, theirs], tag="Реклама")
    assert said == [
        "Действие не выполнено: среди выбранных есть статьи, которых нет в вашем списке "
        "(удалены или недоступны вам). Ничего не изменено."
    ]
    assert not own.tags.exists() and not theirs.tags.exists()


def test_an_author_tags_their_own_drafts(people):
    drafts = [article_in("draft", author=people["author"]) for _ in range(2)]
    said = run_action(logged_in(people["author"]), "add_tag", drafts, tag="Сборка")
    assert said == ["Тег «Сборка» добавлен к 2 статьям."]
    assert all(list(draft.tags.names()) == ["Сборка"] for draft in drafts)


# The page cache and previews ------------------------------------------------------------------


def test_a_preview_is_never_stored_for_visitors(people, settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pv"}
    }
    draft = article_in("draft", author=people["author"])
    preview = logged_in(people["author"]).get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in preview["Cache-Control"].split(",")}
    assert not shareable(preview)
    visitor = Client()
    assert [visitor.get(draft.get_absolute_url()).status_code for _ in range(2)] == [404, 404]


def test_a_suggestions_occurrences_name_only_articles_the_user_may_open(people):
    # An author allowed to read suggestions (a role of the newsroom's own making).
    reader = people["author"]
    reader.user_permissions.add(Permission.objects.get(codename="view_entitysuggestion"))
    suggestion = EntitySuggestion.objects.create(
        name="Небывалый Холдинг", kind=EntitySuggestion.Kind.ORGANISATION
    )
    for title, state in [("Чужой черновик", "draft"), ("Вышедшая", "published")]:
        article = article_in(state, author=people["other_author"], title=title)
        SuggestionOccurrence.objects.create(
            suggestion=suggestion, article=article, sentence="Небывалый Холдинг строит."
        )
    url = f"/admin/articles/entitysuggestion/{suggestion.pk}/change/"
    page = logged_in(User.objects.get(pk=reader.pk)).get(url).content.decode()
    assert "Вышедшая" in page
    assert "Чужой черновик" not in page
