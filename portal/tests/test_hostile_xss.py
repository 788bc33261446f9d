"""Hostile text in everything a visitor sees comes out as text, never as markup.

Classic cross-site scripting vectors go into article titles, leads, bodies and
tags, and into the names, aliases and descriptions of every kind of catalog
entity. Every public page, feed, sitemap, JSON-LD block and ninjs document that
shows them is then read back the way a browser or a feed reader would:

* HTML through ``html.parser``: no element the templates do not write, no
  script but the page's own JSON-LD, no event handler or style attribute, no
  ``javascript:`` (or ``vbscript:``, ``data:``) address, and the payload's
  markup never appears unescaped in the response;
* JSON-LD parses as JSON and holds the payload intact, as data;
* feeds and sitemaps parse as XML with the payload as text (item titles and
  descriptions escaped once more, since feed readers render them as HTML).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.linking import build_matcher, link_entities
from articles.models import Article, Tag
from companies.models import Company, Country, Official, VehicleModel

# Each vector says XSS where it would run code, so a slip is easy to find.
PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=//xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert('XSS')>",
    '"><img src=x onerror=alert("XSS")>',
    "'><svg/onload=alert('XSS')>",
    '<svg onload="alert(`XSS`)">',
    "<svg><script>alert('XSS')</script></svg>",
    "<a href=\"javascript:alert('XSS')\">ссылка</a>",
    "javascript:alert('XSS')",
    "JaVaScRiPt:alert('XSS')//",
    "</script><script>alert('XSS')</script>",
    "</ScRiPt ><img src=x onerror=alert('XSS')>",
    "<!--<script>alert('XSS')</script>-->",
    "<iframe src=\"javascript:alert('XSS')\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert('XSS')&lt;/script&gt;\"></iframe>",
    "<body onload=alert('XSS')>",
    "<input autofocus onfocus=alert('XSS')>",
    "<details open ontoggle=alert('XSS')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS')>",
    "<style>@import 'javascript:alert(\"XSS\")';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS\')">',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4="></object>',
    "<embed src=\"data:text/html,<script>alert('XSS')</script>\">",
    "<form action=\"javascript:alert('XSS')\"><button>Отправить</button></form>",
    "<base href=\"javascript:alert('XSS')//\">",
    "\" onmouseover=\"alert('XSS')",
    "' onmouseover='alert(1)' x='XSS",
    "{{ 7|add:7 }} {% debug %} ${7*7} #{7*7} <%= 7*7 %> XSS",
    "{% load static %}{{ request.META }}{{ settings.SECRET_KEY }} XSS",
    "&lt;script&gt;alert('XSS')&lt;/script&gt;",
    "&#60;script&#62;alert('XSS')&#60;/script&#62;",
    "%3Cscript%3Ealert('XSS')%3C%2Fscript%3E",
    "\uff1cscript\uff1ealert('XSS')\uff1c/script\uff1e",
    "\u202e<script>alert('XSS')</script>\u202d",
    "<scr\u200bipt>alert('XSS')</scr\u200bipt>",
    "\u2028</script>\u2029<script>alert('XSS')</script>",
    "<<SCRIPT>alert('XSS');//<</SCRIPT>",
    '<img """><script>alert(\'XSS\')</script>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS')>",
    "<a href=\"&#x6A;avascript:alert('XSS')\">x</a>",
    "<div style=\"background:url(javascript:alert('XSS'))\">",
    "]]><script>alert('XSS')</script><![CDATA[",
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x> XSS',
    "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS')>\">",
    "<template><script>alert('XSS')</script></template>",
    "</textarea></title></style><script>alert('XSS')</script>",
    "-->'\"</textarea></title></style></noscript><svg onload=alert('XSS')>",
    "\x0b<script>alert('XSS')</script>\x08\x1f",
]

# Elements and attributes a payload must never manage to create.
FORBIDDEN_ATTRIBUTES = {
    "style",
    "srcdoc",
    "formaction",
    "http-equiv",
    "xlink:href",
    "autofocus",
    "background",
    "dynsrc",
    "lowsrc",
}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "data", "poster", "cite"}
# Open Graph and Twitter properties whose ``content`` is an address.
URL_PROPERTIES_RE = re.compile(r"(url|image)$")
DANGEROUS_SCHEME_RE = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
# What every markup-carrying payload contains and correct escaping removes.
MARKUP_CHARS = set('<>&"')
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def template_elements() -> frozenset[str]:
    """Every element name the public templates write: nothing else may appear."""
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        if "admin" in path.relative_to(TEMPLATES).parts:
            continue
        names.update(m.lower() for m in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", path.read_text()))
    return frozenset(names)


# Search highlights matches with <mark>, written by articles/search.py.
ALLOWED_ELEMENTS = template_elements() | {"mark"}
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value: str) -> str:
    """What a feed or sitemap can carry of ``value``: XML 1.0 has no control characters."""
    return XML_INVALID_RE.sub("", value)


def squash(text: str) -> str:
    """Whitespace as paragraphs and HTML collapse it."""
    return " ".join(text.split())


class MarkupReader(HTMLParser):
    """Reads an HTML page as a browser would, noting whatever looks injected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.jsonld: list[str] = []
        self.text: list[str] = []
        self.elements: list[str] = []
        self.start_tags: list[tuple[str, list]] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        self.start_tags.append((tag, attrs))
        if tag not in ALLOWED_ELEMENTS and tag != "script":
            self.problems.append(f"element <{tag}> that no template writes")
        attributes = dict(attrs)
        for name, value in attrs:
            is_address = name in URL_ATTRIBUTES or (
                tag == "meta"
                and name == "content"
                and URL_PROPERTIES_RE.search(
                    attributes.get("property") or attributes.get("name") or ""
                )
            )
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
            if is_address and value:
                # Browsers drop control characters and spaces before the scheme.
                address = re.sub(r"[\x00-\x20]", "", value)
                if DANGEROUS_SCHEME_RE.match(address):
                    self.problems.append(f"address {name}={value!r} on <{tag}>")
        if tag == "script":
            if attributes.get("type") != "application/ld+json":
                self.problems.append(f"script element {attrs!r}")
            self._script = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.jsonld.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")


@dataclass
class Page:
    url: str
    reader: MarkupReader
    raw: str

    @property
    def text(self) -> str:
        return squash("".join(self.reader.text))

    def jsonld(self) -> list:
        return [json.loads(block) for block in self.reader.jsonld]


@dataclass
class Findings:
    """Problems across many pages, reported together with the address of each."""

    problems: list[str] = field(default_factory=list)
    pages: int = 0

    def add(self, url: str, problem: str) -> None:
        self.problems.append(f"{url}: {problem}")

    def assert_none(self) -> None:
        assert self.pages, "no page was checked"
        shown = "\n".join(self.problems[:40])
        assert not self.problems, f"{len(self.problems)} problem(s) in {self.pages} pages:\n{shown}"


def read_html(client, url: str, findings: Findings, *, status: int = 200) -> Page:
    response = client.get(url)
    findings.pages += 1
    if response.status_code != status:
        findings.add(url, f"answered {response.status_code}, expected {status}")
    raw = response.content.decode()
    reader = MarkupReader()
    reader.feed(raw)
    reader.close()
    for problem in reader.problems:
        findings.add(url, problem)
    for payload in PAYLOADS:
        if MARKUP_CHARS & set(payload) and payload in raw:
            findings.add(url, f"payload unescaped in the response: {payload!r}")
    for block in reader.jsonld:
        try:
            json.loads(block)
        except json.JSONDecodeError as exc:
            findings.add(url, f"JSON-LD does not parse ({exc}): {block[:200]!r}")
    return Page(url, reader, raw)


def expect_text(page: Page, findings: Findings, *texts: str) -> None:
    """The page shows each of ``texts`` as text: neither lost nor escaped twice."""
    for text in texts:
        if squash(text) not in page.text:
            findings.add(page.url, f"does not show {text!r} as text")


# Data ------------------------------------------------------------------------


@dataclass
class HostileSite:
    articles: list[Article]
    entities: list  # every Country, Company, VehicleModel and Official
    tags: list[Tag]


def tag_name(payload: str) -> str:
    # django-taggit keeps names of up to 100 characters.
    return f"тег {payload}"[:100]


@pytest.fixture(scope="module")
def hostile_site(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end.

    Every test runs in a savepoint inside it (pytest-django's ``db``), so the
    tests cannot change what the next one sees.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_hostile_site()
        transaction.set_rollback(True)


@pytest.fixture
def hostile(hostile_site, db) -> HostileSite:
    return hostile_site


def build_hostile_site() -> HostileSite:
    """An article per payload, and an entity of each kind named with it."""
    now = timezone.now()
    articles, entities = [], []
    for n, payload in enumerate(PAYLOADS):
        country = Country.objects.create(
            name=payload, slug=f"hostile-country-{n}", aliases=[f"{payload} страна"]
        )
        company = Company.objects.create(
            name=payload,
            slug=f"hostile-company-{n}",
            kind=Company.Kind.GOVERNMENT_BODY if n % 2 else Company.Kind.BRAND,
            country=country,
            description=f"Описание: {payload}",
            aliases=[f"{payload} компания"],
            parent=entities[-3] if entities else None,
        )
        model = VehicleModel.objects.create(
            name=payload,
            slug=f"hostile-model-{n}",
            brand=company,
            category=VehicleModel.Category.TRUCK,
            aliases=[f"{payload} модель"],
        )
        model.plants.add(company)
        official = Official.objects.create(
            name=payload,
            slug=f"hostile-official-{n}",
            position=f"Должность {payload}",
            organization=company if company.kind == Company.Kind.GOVERNMENT_BODY else None,
            country=country,
            aliases=[f"{payload} персона"],
        )
        entities += [country, company, model, official]
        article = Article.objects.create(
            title=payload,
            slug=f"hostile-{n}",
            lead=f"Лид {payload}",
            body=f"{payload}\n\n## {payload}\n\nЗавод {payload} и снова {payload}.",
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(minutes=n + 1),
        )
        article.tags.add(tag_name(payload))
        # Editor links, so every entity page lists the article whatever the linker finds.
        article.countries.add(country)
        article.companies.add(company)
        article.vehicle_models.add(model)
        article.officials.add(official)
        articles.append(article)
    # The linker reads the hostile names in the hostile texts: its links land in the body.
    matcher = build_matcher()
    for article in articles:
        link_entities(article=article, matcher=matcher)
    return HostileSite(articles, entities, list(Tag.objects.all()))


# HTML pages ------------------------------------------------------------------


def test_home_and_archive_show_hostile_articles_as_text(hostile, client):
    findings = Findings()
    home = read_html(client, "/", findings)
    expect_text(home, findings, hostile.articles[0].title)
    shown = []
    for number in range(1, 10):
        page = read_html(client, f"/news/?page={number}", findings)
        shown.append(page.text)
        if f"page={number + 1}" not in page.raw:
            break
    archive = " ".join(shown)
    for article in hostile.articles:
        if squash(article.title) not in archive:
            findings.add("/news/", f"does not list {article.title!r}")
    findings.assert_none()


def test_article_pages_escape_every_field_and_keep_jsonld_intact(hostile, client):
    findings = Findings()
    for article in hostile.articles:
        page = read_html(client, article.get_absolute_url(), findings)
        expect_text(page, findings, article.title, article.lead, tag_name(article.title))
        (data,) = page.jsonld()
        if data["headline"] != article.title or data["description"] != article.lead:
            findings.add(page.url, f"JSON-LD changed the text: {data['headline']!r}")
        if tag_name(article.title) not in data.get("keywords", []):
            findings.add(page.url, "JSON-LD lost the tag")
        names = {entity["name"] for entity in data.get("mentions", [])}
        if article.title not in names:
            findings.add(page.url, f"JSON-LD mentions lost the entity name: {names!r}")
    findings.assert_none()


def test_entity_pages_escape_names_aliases_and_descriptions(hostile, client):
    findings = Findings()
    for entity in hostile.entities:
        page = read_html(client, entity.get_absolute_url(), findings)
        expect_text(page, findings, entity.name, *entity.aliases)
        (data,) = page.jsonld()
        aliases = [alias.strip() for alias in entity.aliases]
        if data["name"] != entity.name or data.get("alternateName") != aliases:
            findings.add(page.url, f"JSON-LD changed the names: {data!r}")
        if isinstance(entity, Company) and data.get("description") != entity.description:
            findings.add(page.url, "JSON-LD changed the description")
        if isinstance(entity, Official) and data.get("jobTitle") != entity.position:
            findings.add(page.url, "JSON-LD changed the position")
    findings.assert_none()


def test_entity_lists_and_tag_pages_escape_names(hostile, client):
    findings = Findings()
    for prefix, model in [
        ("/companies/", Company),
        ("/models/", VehicleModel),
        ("/officials/", Official),
        ("/countries/", Country),
    ]:
        page = read_html(client, prefix, findings)
        expect_text(page, findings, *model.objects.values_list("name", flat=True))
    for tag in hostile.tags:
        page = read_html(client, tag.get_absolute_url(), findings)
        expect_text(page, findings, tag.name)
    findings.assert_none()


def test_search_escapes_hostile_queries_and_results(hostile, client):
    findings = Findings()
    for payload in PAYLOADS:
        page = read_html(client, "/search/?" + urlencode({"q": payload}), findings)
        # The page repeats the query without control characters.
        shown = squash("".join(c if c.isprintable() else " " for c in payload))
        expect_text(page, findings, shown)
    findings.assert_none()


def test_hostile_query_strings_and_paths_are_not_reflected_as_markup(hostile, client):
    findings = Findings()
    for payload in PAYLOADS:
        query = urlencode({"q": payload, payload: payload})
        for url in ["/news/", "/countries/hostile-country-0/", "/tags/"]:
            status = 404 if url == "/tags/" else 200
            read_html(client, f"{url}?{query}", findings, status=status)
            # A page that is no page number: the 404 page, which must reflect nothing either.
            read_html(client, f"{url}?{query}&{urlencode({'page': payload})}", findings, status=404)
        read_html(client, "/news/" + quote(payload, safe="") + "/", findings, status=404)
    findings.assert_none()


def test_image_alt_caption_and_credit_are_escaped(db, client, settings, tmp_path):
    from articles.tests.test_images import article_with_image, image_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    article = article_with_image(image_bytes(size=(1200, 630)), title="Завод", slug="zavod")
    findings = Findings()
    for payload in PAYLOADS:
        Article.objects.filter(pk=article.pk).update(
            image_alt=payload, image_caption=f"Подпись {payload}", image_credit=payload
        )
        # Home and archive show the image too (decorative there: alt="").
        read_html(client, "/", findings)
        read_html(client, "/news/", findings)
        page = read_html(client, article.get_absolute_url(), findings)
        expect_text(page, findings, f"Подпись {payload}", f"Фото: {payload}")
        alts = [dict(attrs).get("alt") for tag, attrs in page.reader.start_tags if tag == "img"]
        if payload not in alts:
            findings.add(page.url, f"no image with the alt text {payload!r}")
    findings.assert_none()


# Feeds, sitemaps, ninjs --------------------------------------------------------


def read_xml(client, url: str, findings: Findings) -> ET.Element | None:
    response = client.get(url)
    findings.pages += 1
    if response.status_code != 200:
        findings.add(url, f"answered {response.status_code}")
        return None
    if b"<!DOCTYPE" in response.content or b"<!ENTITY" in response.content:
        findings.add(url, "a document type declaration came through")
    try:
        return ET.fromstring(response.content)
    except ET.ParseError as exc:
        findings.add(url, f"not well-formed XML: {exc}")
        return None


def expect_inert_html_text(url: str, findings: Findings, value: str | None, expected: str):
    """A feed field readers render as HTML: text only, ``expected`` once unescaped."""
    reader = MarkupReader()
    reader.feed(value or "")
    reader.close()
    if reader.elements:
        findings.add(url, f"feed text makes elements {reader.elements}: {value!r}")
    if html.unescape(value or "") != expected:
        findings.add(url, f"feed text {value!r} does not read as {expected!r}")


def check_feed(client, url: str, findings: Findings, *, name: str | None = None) -> None:
    root = read_xml(client, url, findings)
    if root is None:
        return
    channel = root.find("channel")
    if name is not None and xml_text(name) not in html.unescape(channel.findtext("title")):
        findings.add(url, f"channel title lost {name!r}")
    for element in ("title", "description"):
        reader = MarkupReader()
        reader.feed(channel.findtext(element) or "")
        if reader.elements:
            findings.add(url, f"channel {element} makes elements: {reader.elements}")
    items = channel.findall("item")
    if not items:
        findings.add(url, "no items")
    for item in items:
        article = Article.objects.get(slug=urlsplit(item.findtext("link")).path.split("/")[2])
        expect_inert_html_text(url, findings, item.findtext("title"), xml_text(article.title))
        expect_inert_html_text(url, findings, item.findtext("description"), xml_text(article.lead))
        categories = [c.text for c in item.findall("category")]
        if categories != sorted(xml_text(t.name) for t in article.tags.all()):
            findings.add(url, f"categories {categories!r} are not the tag names")


def test_feeds_parse_as_xml_with_hostile_text_escaped(hostile, client):
    findings = Findings()
    check_feed(client, "/feeds/news.xml", findings)
    for tag in hostile.tags:
        check_feed(client, f"{tag.get_absolute_url()}feed/", findings, name=tag.name)
    for entity in hostile.entities:
        check_feed(client, f"{entity.get_absolute_url()}feed/", findings, name=entity.name)
    findings.assert_none()


def test_sitemaps_parse_as_xml_with_hostile_titles_as_text(hostile, client):
    findings = Findings()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = read_xml(client, "/sitemap.xml", findings)
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", namespace)]
    assert sections
    for section in sections:
        read_xml(client, urlsplit(section).path, findings)
    news = read_xml(client, "/news-sitemap.xml", findings)
    titles = [
        title.text for title in news.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")
    ]
    for article in hostile.articles:
        if xml_text(article.title) not in titles:
            findings.add("/news-sitemap.xml", f"no title {article.title!r}")
    findings.assert_none()


def test_ninjs_documents_keep_hostile_text_as_data(hostile, client):
    findings = Findings()
    for article in hostile.articles:
        url = article.get_ninjs_url()
        response = client.get(url)
        findings.pages += 1
        data = json.loads(response.content)
        if data["headlines"][0]["value"] != article.title:
            findings.add(url, "headline changed")
        if data["descriptions"][0]["value"] != article.lead:
            findings.add(url, "description changed")
        html_body, text_body = data["bodies"]
        reader = MarkupReader()
        reader.feed(html_body["value"])
        reader.close()
        if set(reader.elements) - {"p", "h2"}:
            findings.add(url, f"body HTML makes elements {reader.elements}")
        if squash("".join(reader.text)) != squash(text_body["value"]):
            findings.add(url, "body HTML does not read as the plain body")
        for key in ("people", "organisations", "places", "objects"):
            if article.title not in [e["name"] for e in data[key]]:
                findings.add(url, f"{key} lost the entity name")
        if [s["name"] for s in data["subjects"]] != [tag_name(article.title)]:
            findings.add(url, "subjects lost the tag name")
    findings.assert_none()


def test_payload_list_is_long_enough():
    # The bar: at least 30 classic vectors, each distinct.
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 30


@pytest.mark.parametrize(
    "markup",
    [
        f"<p>{PAYLOADS[0]}</p>",
        f'<p title="{PAYLOADS[3]}">x</p>',
        f'<p title="{PAYLOADS[25]}">x</p>',
        f"<a href='{PAYLOADS[9]}'>x</a>",
        f'<script type="application/ld+json">{{"name": "{PAYLOADS[10]}"}}</script>',
        f"<title>{PAYLOADS[45]}</title>",
    ],
)
def test_the_reader_sees_payloads_that_were_not_escaped(markup):
    # The checks above can fail: the same payloads, left raw, are noticed.
    reader = MarkupReader()
    reader.feed(markup)
    reader.close()
    assert reader.problems
