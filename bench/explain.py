"""EXPLAIN every SQL query the public pages run, and flag sequential scans of articles.

Run against a database that holds a corpus (e.g. 100k articles from bench/generate_corpus.py):

    DATABASE_URL=postgres://… SECRET_KEY=x .venv/bin/python bench/explain.py

It renders each page once through Django's test client, captures its queries, and
prints for each the plan's top nodes; any "Seq Scan on articles_article" (or on a
link table) is listed at the end and makes the exit status non-zero.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("PAGE_CACHE", "0")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from articles.models import Article, Tag  # noqa: E402
from companies.models import Company, Country, Official, VehicleModel  # noqa: E402

WATCHED = re.compile(r"Seq Scan on (articles_\w+)")


def pages() -> dict[str, str]:
    article = Article.objects.published().first()
    tag = Tag.objects.first()
    urls = {
        "home": "/",
        "archive": "/news/",
        "archive p.50": "/news/?page=50",
        "article": article.get_absolute_url(),
        "search": "/search/?q=завод",
        "feed": "/feeds/news.xml",
        "news sitemap": "/news-sitemap.xml",
        "companies": "/companies/",
    }
    for name, model in [
        ("company", Company),
        ("model", VehicleModel),
        ("official", Official),
        ("country", Country),
    ]:
        entity = model.objects.filter(
            slug__in=["tulpar-motors", "chevrolet-tracker", "roman-chekushov", "kyrgyzstan"]
        ).first()
        if entity:
            urls[name] = entity.get_absolute_url()
    if tag:
        urls["tag"] = tag.get_absolute_url()
    return urls


def main() -> int:
    if connection.vendor != "postgresql":
        print("EXPLAIN plans are checked on PostgreSQL; set DATABASE_URL=postgres://…")
        return 2
    setup_test_environment()
    client = Client()
    problems = []
    print(f"articles: {Article.objects.count():,}")
    for name, url in pages().items():
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        print(f"\n== {name} {url} → {status}, {len(captured)} queries")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            top = plan.splitlines()[0]
            print(f"  {top[:110]}")
            for table in WATCHED.findall(plan):
                problems.append((name, table, sql[:160]))
    print()
    if problems:
        print("Sequential scans:")
        for name, table, sql in problems:
            print(f"  {name}: {table}: {sql}")
        return 1
    print("No sequential scans of article tables.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
