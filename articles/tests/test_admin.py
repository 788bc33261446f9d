import datetime as dt
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles.linking import link_entities
from articles.models import Article, ArticleCompany, LinkOrigin
from articles.roles import AUTHOR, EDITOR, setup_roles
from articles.tests.adminforms import add_inline_row, delete_inline_row, form_data
from articles.tests.factories import ArticleFactory
from companies.models import Company, Official

CHANGELIST = "/admin/articles/article/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def roles(db):
    setup_roles()


def staff_user(name: str, group: str) -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(roles):
    return staff_user("editor", EDITOR)


@pytest.fixture
def author(roles):
    return staff_user("author", AUTHOR)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def linked_article(catalog):
    article = ArticleFactory(lead="Тулпар Моторс в Киргизии.", body="")
    link_entities(article=article)
    return article


def post_change(client, article, edit=None):
    """Open the change form, apply ``edit`` to its data, post it back."""
    data = form_data(client.get(change_url(article)))
    if edit:
        edit(data)
    return client.post(change_url(article), data)


# The list ------------------------------------------------------------------


def test_list_shows_state_counts_and_tags(editor_client, linked_article):
    ArticleFactory(title="Будущая", published_at=timezone.now() + dt.timedelta(days=1))
    ArticleFactory(title="Черновая", status=Article.Status.DRAFT)
    linked_article.tags.add("Автопром")
    content = editor_client.get(CHANGELIST).content.decode()
    assert "запланировано" in content
    assert "черновик" in content
    assert "опубликовано" in content
    assert "1 · 0 · 0 · 1" in content  # one company, one country
    assert "Автопром" in content
    assert f'href="{linked_article.get_absolute_url()}"' in content


@pytest.mark.parametrize(
    ("state", "title"),
    [("draft", "Черновая"), ("scheduled", "Будущая"), ("published", "Вышедшая")],
)
def test_list_filters_by_state(editor_client, state, title):
    ArticleFactory(title="Будущая", published_at=timezone.now() + dt.timedelta(days=1))
    ArticleFactory(title="Черновая", status=Article.Status.DRAFT)
    ArticleFactory(title="Вышедшая")
    response = editor_client.get(CHANGELIST, {"state": state})
    assert [a.title for a in response.context["cl"].result_list] == [title]


def test_list_filters_by_tag_company_and_official(editor_client, catalog):
    plant = ArticleFactory(lead="Тулпар Моторс.", tags=["Автопром"])
    person = ArticleFactory(lead="Роман Чекушов сказал.")
    for article in (plant, person):
        link_entities(article=article)
    company = Company.objects.get(slug="tulpar-motors")
    official = Official.objects.get(slug="roman-chekushov")
    by_tag = editor_client.get(CHANGELIST, {"tag": "avtoprom"}).context["cl"].result_list
    by_company = editor_client.get(CHANGELIST, {"companies__id__exact": company.pk})
    by_official = editor_client.get(CHANGELIST, {"officials__id__exact": official.pk})
    assert list(by_tag) == [plant]
    assert list(by_company.context["cl"].result_list) == [plant]
    assert list(by_official.context["cl"].result_list) == [person]


def test_list_searches_headline_and_text(editor_client):
    ArticleFactory(title="Завод запущен", body="Ничего.")
    ArticleFactory(title="Другое", body="Про завод в тексте.")
    ArticleFactory(title="Третье", body="Мимо.")
    result = editor_client.get(CHANGELIST, {"q": "завод"}).context["cl"].result_list
    assert {a.title for a in result} == {"Завод запущен", "Другое"}


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_list_query_count_is_the_same_for_1_and_100_articles(editor_client, catalog):
    companies = list(Company.objects.all()[:3])

    def add_articles(count):
        for article in ArticleFactory.create_batch(count, tags=["Автопром", "Грузовики"]):
            for company in companies:
                ArticleCompany.objects.create(article=article, entity=company)

    add_articles(1)
    editor_client.get(CHANGELIST)  # warm the session and content type caches
    one = changelist_queries(editor_client)
    add_articles(99)
    assert changelist_queries(editor_client) == one


# Creating and editing --------------------------------------------------------


def test_new_article_gets_slug_author_and_links(editor_client, editor, catalog):
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Завод Тулпар Моторс расширяется",
            "slug": "",
            "lead": "Тулпар Моторсу нужны кадры в Киргизии.",
            "body": "Текст.",
            "status": "draft",
            "published_at_0": "2025-08-20",
            "published_at_1": "10:00:00",
            **empty_inlines(),
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.slug == "zavod-tulpar-motors-rasshiriaetsia"
    assert article.author == editor
    assert set(article.companies.values_list("slug", flat=True)) == {"tulpar-motors"}
    assert set(article.countries.values_list("slug", flat=True)) == {"kyrgyzstan"}
    assert ArticleCompany.objects.get(article=article).origin == LinkOrigin.LINKER


def empty_inlines() -> dict:
    data = {}
    for prefix in [
        "taggedarticle_set",
        "articlecompany_set",
        "articlevehiclemodel_set",
        "articleofficial_set",
        "articlecountry_set",
    ]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def test_editing_text_runs_the_linker(editor_client, linked_article):
    def edit(data):
        data["lead"] = "Роман Чекушов посетил Тулпар Моторс."

    assert post_change(editor_client, linked_article, edit).status_code == 302
    assert linked_article.officials.filter(slug="roman-chekushov").exists()
    assert not linked_article.countries.exists()  # the text no longer names a country


def test_link_removed_in_admin_is_not_restored(editor_client, linked_article):
    plant = Company.objects.get(slug="tulpar-motors")

    def edit(data):
        delete_inline_row(data, "articlecompany_set", where="entity", equals=plant.pk)

    assert post_change(editor_client, linked_article, edit).status_code == 302
    link_entities(article=linked_article)
    assert not linked_article.companies.filter(pk=plant.pk).exists()


def test_link_added_in_admin_is_the_editors(editor_client, linked_article):
    official = Official.objects.get(slug="roman-chekushov")

    def edit(data):
        add_inline_row(data, "articleofficial_set", entity=official.pk, article=linked_article.pk)

    assert post_change(editor_client, linked_article, edit).status_code == 302
    link_entities(article=linked_article)
    link = linked_article.articleofficial_set.get()
    assert (link.entity, link.origin) == (official, LinkOrigin.EDITOR)


def test_change_form_shows_who_made_each_link(editor_client, linked_article):
    content = editor_client.get(change_url(linked_article)).content.decode()
    assert "найдено автоматически" in content


def test_changing_a_published_slug_keeps_the_old_url(editor_client, client, linked_article):
    old_url = linked_article.get_absolute_url()

    def edit(data):
        data["slug"] = "novyi-adres"

    assert post_change(editor_client, linked_article, edit).status_code == 302
    editor_client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/news/novyi-adres/"


def test_concurrent_edit_is_detected_and_nothing_is_overwritten(
    editor_client, linked_article, roles
):
    form = form_data(editor_client.get(change_url(linked_article)))
    other = staff_user("other", EDITOR)
    other_client = type(editor_client)()
    other_client.force_login(other)
    assert post_change(other_client, linked_article, lambda d: d.update(title="Версия Б"))
    assert Article.objects.get().title == "Версия Б"

    form["title"] = "Версия А"
    response = editor_client.post(change_url(linked_article), form)

    assert response.status_code == 200
    content = response.content.decode()
    assert "уже сохранил другой редактор (other" in content
    theirs = content[content.index('id="conflict-title"') :].split("conflict-side--yours")[0]
    assert "Версия Б" in theirs  # the other editor's headline, shown as theirs
    assert Article.objects.get().title == "Версия Б"


def test_history_records_who_changed_what(editor_client, editor, linked_article):
    post_change(editor_client, linked_article, lambda d: d.update(title="Новый заголовок"))
    entry = LogEntry.objects.get(object_id=str(linked_article.pk))
    assert entry.user == editor
    assert "Заголовок" in entry.get_change_message() or "заголовок" in entry.get_change_message()
    history = editor_client.get(f"{change_url(linked_article).rsplit('change/', 1)[0]}history/")
    assert "editor" in history.content.decode()


def jpeg_upload(name="zavod.jpg", size=(1200, 800)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3060a0").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_image_needs_alt_text(editor_client, linked_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(editor_client.get(change_url(linked_article)))
    response = editor_client.post(change_url(linked_article), {**data, "image": jpeg_upload()})
    assert response.status_code == 200
    assert "Опишите изображение" in response.content.decode()
    linked_article.refresh_from_db()
    assert not linked_article.image


def test_uploaded_image_gets_renditions(editor_client, linked_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(editor_client.get(change_url(linked_article)))
    upload = {"image": jpeg_upload(), "image_alt": "Сборочный цех", "image_credit": "Пресс-служба"}
    response = editor_client.post(change_url(linked_article), {**data, **upload})
    assert response.status_code == 302
    linked_article.refresh_from_db()
    assert set(linked_article.image_renditions["crops"]) == {"16x9", "4x3", "1x1"}
    page = editor_client.get(linked_article.get_absolute_url()).content.decode()
    assert 'alt="Сборочный цех"' in page


def test_non_image_upload_is_refused(editor_client, linked_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(editor_client.get(change_url(linked_article)))
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = editor_client.post(
        change_url(linked_article), {**data, "image": fake, "image_alt": "Цех"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]


# Actions ------------------------------------------------------------------------


def run_action(client, action, articles, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles], **extra},
    )


def test_publish_now_and_unpublish(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=3))
    run_action(editor_client, "publish_selected", [draft, scheduled])
    for article in (draft, scheduled):
        article.refresh_from_db()
        assert article.is_public
    run_action(editor_client, "unpublish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_relink_action(editor_client, catalog):
    article = ArticleFactory(lead="Isuzu и Chevrolet.")
    run_action(editor_client, "relink_selected", [article])
    assert set(article.companies.values_list("slug", flat=True)) == {"isuzu", "chevrolet"}


def test_add_tag_to_many(editor_client):
    articles = ArticleFactory.create_batch(3)
    run_action(editor_client, "add_tag", articles[:2], tag="Локализация")
    assert [list(a.tags.names()) for a in articles] == [["Локализация"], ["Локализация"], []]


# Roles ----------------------------------------------------------------------------


def test_setup_roles_is_idempotent(db):
    first = setup_roles()
    second = setup_roles()
    assert first == second
    assert Group.objects.filter(name__in=[EDITOR, AUTHOR]).count() == 2
    editor_perms = Group.objects.get(name=EDITOR).permissions
    assert editor_perms.filter(codename="publish_article").exists()
    assert (
        not Group.objects.get(name=AUTHOR)
        .permissions.filter(codename__in=["publish_article", "delete_article"])
        .exists()
    )


@pytest.mark.parametrize("who", ["editor_client", "author_client", "admin_client"])
def test_admin_pages_render_for_each_role(request, who, linked_article):
    client = request.getfixturevalue(who)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get("/admin/articles/article/add/").status_code == 200
    assert client.get("/admin/companies/company/").status_code == 200


def test_author_writes_own_drafts(author_client, author):
    response = author_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Заметка автора",
            "lead": "Лид.",
            "body": "",
            "published_at_0": "2025-08-20",
            "published_at_1": "10:00:00",
            **empty_inlines(),
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.author, article.status) == (author, Article.Status.DRAFT)
    assert (
        post_change(author_client, article, lambda d: d.update(title="Правка")).status_code == 302
    )


def test_author_posting_publish_gets_403(author_client, author):
    article = ArticleFactory(author=author, status=Article.Status.DRAFT)
    data = form_data(author_client.get(change_url(article)))
    data["status"] = Article.Status.PUBLISHED
    assert author_client.post(change_url(article), data).status_code == 403
    assert run_action(author_client, "publish_selected", [article]).status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_author_cannot_touch_others_or_published_articles(author_client, author, editor):
    theirs = ArticleFactory(author=editor, status=Article.Status.DRAFT)
    own_published = ArticleFactory(author=author)
    assert author_client.get(change_url(theirs)).status_code == 302  # not in their list
    assert list(author_client.get(CHANGELIST).context["cl"].result_list) == [own_published]
    response = author_client.post(change_url(own_published), {"title": "x"})
    assert response.status_code == 403
    assert (
        author_client.post(
            f"/admin/articles/article/{own_published.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Article.objects.filter(pk=own_published.pk).exists()


def test_relink_action_refreshes_cached_pages(transactional_db, editor_client, catalog, settings):
    # Real commits: the page cache's version changes when a transaction commits.
    visitor = Client()
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "relink-action",
        }
    }
    article = ArticleFactory(lead="Isuzu и Chevrolet.")
    first = visitor.get(article.get_absolute_url())
    assert "/companies/isuzu/" not in first.content.decode()
    assert visitor.get(article.get_absolute_url())["X-Cache"] == "HIT"
    run_action(editor_client, "relink_selected", [article])
    assert "/companies/isuzu/" in visitor.get(article.get_absolute_url()).content.decode()
