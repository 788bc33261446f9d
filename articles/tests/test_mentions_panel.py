"""The mentions panel of the article form: what the linker saw, and rejecting a mention."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import Client

from articles.admin.mentions_panel import build_panel, render_panel
from articles.linking import add_link, link_entities, remove_link
from articles.models import Article, LinkOrigin, RejectedLink
from articles.roles import AUTHOR, EDITOR, setup_roles
from articles.tests.factories import ArticleFactory
from companies.models import Company, Country, Official
from companies.tests.factories import CompanyFactory

TEXT = {
    "title": "Тулпар Моторс растёт",
    "lead": "Роман Чекушов в Киргизии, где собирают Chevrolet Tracker.",
    "body": "Первый <абзац> о Тулпар Моторс.\n\n## Россия\n\nЕщё Chevrolet и Россия.",
}


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def reject_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/mentions/reject/"


def restore_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/mentions/restore/"


def value(entity) -> str:
    return f"{entity._meta.label_lower}:{entity.pk}"


def panel_html(content: str) -> str:
    start = content.index('<div class="mentions-panel"')
    return content[start : content.index("</fieldset>", start)]


def staff(name: str, group: str) -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def roles(db):
    setup_roles()


@pytest.fixture
def editor(roles):
    return staff("editor", EDITOR)


@pytest.fixture
def author(roles):
    return staff("author", AUTHOR)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def article(catalog, editor):
    article = ArticleFactory(author=editor, **TEXT)
    link_entities(article=article)
    return article


# What the panel shows ----------------------------------------------------------


def test_every_mention_is_highlighted_and_labelled_in_words(article, editor):
    remove_link(article=article, entity=Country.objects.get(slug="kyrgyzstan"))
    panel = panel_html(logged_in(editor).get(change_url(article)).content.decode())
    marks = re.findall(r'<mark class="mention mention--(\w+)">([^<]+)</mark>', panel)
    assert marks == [
        ("linker", "Тулпар Моторс"),  # the headline
        ("linker", "Роман Чекушов"),
        ("rejected", "Киргизии"),
        ("linker", "Chevrolet Tracker"),
        ("linker", "Тулпар Моторс"),
        ("linker", "Россия"),  # the subheading
        ("linker", "Chevrolet"),
        ("linker", "Россия"),
    ]
    assert "Кыргызстан</a>, страна, отклонено]" in panel
    assert "Роман Чекушов</a>, должностное лицо, найдено, ссылка на сайте]" in panel
    # The brand inside the model's name is labelled too; its link waits for the body.
    assert "модель техники, найдено, ссылка на сайте; " in panel
    assert "Chevrolet</a>, компания, найдено]" in panel
    assert "Первый &lt;абзац&gt; о " in panel  # the text stays escaped


def test_the_table_lists_each_entity_with_its_state_and_place(article, editor):
    add_link(article=article, entity=Official.objects.get(slug="adylbek-kasymaliev"))
    remove_link(article=article, entity=Country.objects.get(slug="kyrgyzstan"))
    rows = build_panel(Article.objects.get(pk=article.pk)).rows
    assert [(row.entity.name, row.status_label, row.where) for row in rows] == [
        ("Тулпар Моторс", "найдено автоматически", "заголовок, текст"),
        ("Роман Чекушов", "найдено автоматически", "лид"),
        ("Кыргызстан", "отклонено редактором", "лид"),
        ("Chevrolet Tracker", "найдено автоматически", "лид"),
        ("Chevrolet", "найдено автоматически", "лид, текст"),
        ("Россия", "найдено автоматически", "текст ×2"),
        ("Адылбек Касымалиев", "добавлено редактором", ""),  # not named in the text
    ]


def test_stale_positions_are_not_shown(article, editor):
    Article.objects.filter(pk=article.pk).update(lead="Совсем другой лид.")
    panel = panel_html(logged_in(editor).get(change_url(article)).content.decode())
    assert "ещё не найдены" in panel
    assert "<mark" not in panel
    assert "Роман Чекушов" in panel  # the links are still listed, with their buttons
    assert 'value="companies.official:' in panel


def test_the_panel_has_no_inline_script_or_style(article, editor):
    content = logged_in(editor).get(change_url(article)).content.decode()
    panel = panel_html(content)
    assert "<script" not in panel
    assert "style=" not in panel
    assert "articles/admin/mentions.css" in content


def test_its_buttons_submit_their_own_form_outside_the_articles(article, editor):
    content = logged_in(editor).get(change_url(article)).content.decode()
    buttons = re.findall(r"<button[^>]*>", panel_html(content))
    assert len(buttons) == 6
    assert all('form="mentions-actions"' in button for button in buttons)
    # Forms cannot nest: the buttons' form comes after the article's form has closed,
    # so Enter in a field still presses the article's own save button.
    article_form_end = content.index("</form>", content.index('id="article_form"'))
    actions_form = content.index('<form id="mentions-actions" method="post">')
    assert actions_form > article_form_end
    assert "csrfmiddlewaretoken" in content[actions_form : content.index("</form>", actions_form)]


def test_the_add_form_has_no_panel(roles, editor):
    content = logged_in(editor).get("/admin/articles/article/add/").content.decode()
    assert "mentions-panel" not in content


@pytest.mark.parametrize("size", [1, 30])
def test_the_panel_reads_a_fixed_number_of_queries(catalog, django_assert_num_queries, size):
    companies = CompanyFactory.create_batch(size)
    article = ArticleFactory(
        lead=" ".join(f"{c.name} и Роман Чекушов." for c in companies),
        body="\n\n".join(f"Снова {c.name}." for c in companies),
    )
    link_entities(article=article)
    for company in companies:
        remove_link(article=article, entity=company)
    article = Article.objects.get(pk=article.pk)
    # The links of each of the four kinds, the rejected ones, the rejected companies.
    with django_assert_num_queries(6):
        html = render_panel(build_panel(article))
    assert html.count("mention--rejected") == size * 3  # a table row and two marks each


# Rejecting and undoing -----------------------------------------------------------


def test_rejecting_unlinks_and_stays_rejected_through_relinking(article, editor):
    official = Official.objects.get(slug="roman-chekushov")
    response = logged_in(editor).post(reject_url(article), {"entity": value(official)})
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(article)}#mentions"
    assert not article.officials.exists()
    assert RejectedLink.objects.filter(article=article, object_id=official.pk).exists()

    call_command("relink", verbosity=0)
    link_entities(article=article)
    assert not article.officials.exists()
    panel = panel_html(logged_in(editor).get(change_url(article)).content.decode())
    assert "Роман Чекушов</a>, должностное лицо, отклонено]" in panel
    assert f'formaction="{restore_url(article)}" name="entity" value="{value(official)}"' in panel


def test_undo_links_the_entity_as_the_editors(article, editor):
    official = Official.objects.get(slug="roman-chekushov")
    client = logged_in(editor)
    client.post(reject_url(article), {"entity": value(official)})
    assert client.post(restore_url(article), {"entity": value(official)}).status_code == 302
    link = article.articleofficial_set.get()
    assert (link.entity, link.origin) == (official, LinkOrigin.EDITOR)
    assert not RejectedLink.objects.exists()


def test_decisions_are_in_the_history(article, editor):
    country = Country.objects.get(slug="rossiya")
    logged_in(editor).post(reject_url(article), {"entity": value(country)})
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.get_change_message()) == (
        editor,
        "Связь отклонена и не вернётся при перепроверке: Россия (страна).",
    )


def test_an_author_may_reject_on_their_own_draft(catalog, author):
    draft = ArticleFactory(author=author, status=Article.Status.DRAFT, **TEXT)
    link_entities(article=draft)
    company = Company.objects.get(slug="tulpar-motors")
    client = logged_in(author)
    assert client.post(reject_url(draft), {"entity": value(company)}).status_code == 302
    assert not draft.companies.filter(pk=company.pk).exists()


def test_an_author_may_not_reject_on_a_published_article_or_anothers(article, author, editor):
    own_published = ArticleFactory(author=author, **TEXT)
    link_entities(article=own_published)
    others_draft = ArticleFactory(author=editor, status=Article.Status.DRAFT, **TEXT)
    link_entities(article=others_draft)
    company = Company.objects.get(slug="tulpar-motors")
    client = logged_in(author)
    assert client.post(reject_url(own_published), {"entity": value(company)}).status_code == 403
    # Another's published article is theirs to read, not to change.
    assert client.post(reject_url(article), {"entity": value(company)}).status_code == 403
    # Another's draft is not there at all.
    assert client.post(reject_url(others_draft), {"entity": value(company)}).status_code == 404
    assert not RejectedLink.objects.exists()
    # They still see the panel of their published article, without buttons.
    panel = panel_html(client.get(change_url(own_published)).content.decode())
    assert "<mark" in panel
    assert "<button" not in panel


def test_visitors_and_staff_without_rights_cannot_reject(article, roles, client):
    company = Company.objects.get(slug="tulpar-motors")
    response = client.post(reject_url(article), {"entity": value(company)})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    nobody = User.objects.create_user("nobody", password="x", is_staff=True)
    nobody_client = logged_in(nobody)
    assert nobody_client.post(reject_url(article), {"entity": value(company)}).status_code == 403
    # Even on an article of their own: no right to view or change articles at
    # all, so their draft is not there for them either.
    own = ArticleFactory(author=nobody, status=Article.Status.DRAFT, **TEXT)
    link_entities(article=own)
    assert nobody_client.post(reject_url(own), {"entity": value(company)}).status_code == 404
    assert article.companies.filter(pk=company.pk).exists()
    assert not RejectedLink.objects.exists()


def test_rejecting_needs_a_post_with_the_csrf_token(article, editor):
    company = Company.objects.get(slug="tulpar-motors")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(reject_url(article), {"entity": value(company)}).status_code == 405
    assert client.post(reject_url(article), {"entity": value(company)}).status_code == 403
    assert article.companies.filter(pk=company.pk).exists()


@pytest.mark.parametrize("entity", ["", "companies.company", "auth.user:1", "companies.company:x"])
def test_a_button_naming_no_entity_is_refused(article, editor, entity):
    assert logged_in(editor).post(reject_url(article), {"entity": entity}).status_code == 400


def test_a_button_naming_a_missing_entity_is_not_found(article, editor):
    response = logged_in(editor).post(reject_url(article), {"entity": "companies.company:999"})
    assert response.status_code == 404


def test_rejecting_needs_the_right_to_remove_links_as_in_the_form(article, roles):
    user = User.objects.create_user("no-links", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_article", "change_article", "publish_article"]
        )
    )
    company = Company.objects.get(slug="tulpar-motors")
    assert logged_in(user).post(reject_url(article), {"entity": value(company)}).status_code == 403
    assert article.companies.filter(pk=company.pk).exists()


def test_hostile_names_are_escaped_in_the_panel(article, editor):
    hostile = CompanyFactory(name='<img src=x onerror="alert(1)">')
    add_link(article=article, entity=hostile)
    panel = panel_html(logged_in(editor).get(change_url(article)).content.decode())
    assert "<img" not in panel
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in panel
