"""Page weight: bytes of HTML, CSS and JavaScript of the home, article and entity pages.

    .venv/bin/python bench/weight.py [--articles 1000] [--reuse]

Serves a corpus (SQLite, page cache off) with the production-like gunicorn of the
other benchmarks, fetches each page, follows its stylesheets (``<link
rel=stylesheet>`` and their ``@import``) and scripts (``<script src>``,
``modulepreload``), and prints the bytes of each kind, as sent uncompressed and
gzipped (level 6, what a reverse proxy typically uses). Inline ``<style>`` and
``<script>`` count in the HTML and are listed apart; JSON-LD is data, not script.
Each stylesheet or script counts once per page, as a first visit downloads it.
Targets (the performance issue): article page HTML < 40 KB, CSS < 20 KB, no JS.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (
    BENCH_DIR,
    BenchError,
    check_virtualenv,
    collectstatic,
    django_env,
    drop_working_copies,
    fetch,
    gunicorn,
    machine_summary,
    parse_sizes,
    prepare_corpus,
    probe,
    quote_url,
    script_main,
    table,
)

PAGES = ("home", "article", "company", "model", "official", "country")
RESULTS = BENCH_DIR / "results" / "weight.json"
KB = 1024
HTML_TARGET = 40 * KB  # article page, uncompressed
CSS_TARGET = 20 * KB  # article page, uncompressed
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
CSS_IMPORT_RE = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


class AssetParser(HTMLParser):
    """Collects the stylesheets and scripts an HTML page loads, and its inline ones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.inline_css = 0
        self.inline_js = 0
        self._inline: str | None = None  # "css" or "js" inside <style>/<script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        rel = attr.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and attr.get("href"):
            self.stylesheets.append(attr["href"])
        elif tag == "link" and "modulepreload" in rel and attr.get("href"):
            self.scripts.append(attr["href"])
        elif tag == "script" and attr.get("src"):
            self.scripts.append(attr["src"])
        elif tag == "script" and attr.get("type", "").lower() not in DATA_SCRIPT_TYPES:
            self._inline = "js"
        elif tag == "style":
            self._inline = "css"

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._inline = None

    def handle_data(self, data: str) -> None:
        size = len(data.encode())
        if self._inline == "css":
            self.inline_css += size
        elif self._inline == "js":
            self.inline_js += size


@dataclass(frozen=True)
class Bytes:
    raw: int
    gzip: int

    @classmethod
    def of(cls, *bodies: bytes) -> Bytes:
        return cls(
            raw=sum(len(b) for b in bodies),
            gzip=sum(len(gzip.compress(b, compresslevel=6, mtime=0)) for b in bodies),
        )


@dataclass(frozen=True)
class PageWeight:
    size: int
    page: str
    path: str
    html: Bytes
    css: Bytes
    js: Bytes
    inline_css: int  # bytes, inside the HTML
    inline_js: int  # bytes, inside the HTML
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="1000", help="corpus sizes (1000)")
    parser.add_argument("--reuse", action="store_true", help="reuse cached corpus databases")
    args = parser.parse_args(argv)
    args.sizes = parse_sizes(args.articles)
    return args


def get(url: str) -> bytes:
    answer = fetch(url)
    if answer.status != 200:
        raise BenchError(f"{url} answered {answer.status}")
    return answer.body


def stylesheet_bodies(url: str, seen: set[str]) -> list[bytes]:
    """The stylesheet at ``url`` and those it imports, each once."""
    if url in seen:
        return []
    seen.add(url)
    body = get(url)
    bodies = [body]
    for imported in CSS_IMPORT_RE.findall(body.decode(errors="replace")):
        bodies += stylesheet_bodies(urljoin(url, imported), seen)
    return bodies


def weigh(base: str, size: int, page: str, path: str) -> PageWeight:
    url = quote_url(base, path)
    html = get(url)
    assets = AssetParser()
    assets.feed(html.decode())
    seen: set[str] = set()
    css = [
        body for href in assets.stylesheets for body in stylesheet_bodies(urljoin(url, href), seen)
    ]
    js = [get(urljoin(url, src)) for src in dict.fromkeys(assets.scripts)]
    return PageWeight(
        size=size,
        page=page,
        path=path,
        html=Bytes.of(html),
        css=Bytes.of(*css),
        js=Bytes.of(*js),
        inline_css=assets.inline_css,
        inline_js=assets.inline_js,
        stylesheets=assets.stylesheets,
        scripts=assets.scripts,
    )


def weight_table(weights: list[PageWeight]) -> str:
    rows = [
        (
            f"{w.size:,}",
            w.page,
            _kb(w.html.raw),
            _kb(w.html.gzip),
            _kb(w.css.raw),
            _kb(w.css.gzip),
            _kb(w.js.raw),
            _kb(w.js.gzip),
            f"{len(w.stylesheets)} / {len(w.scripts)}",
            f"{_kb(w.inline_css)} / {_kb(w.inline_js)}",
        )
        for w in weights
    ]
    headers = (
        "articles",
        "page",
        "HTML KB",
        "HTML gz",
        "CSS KB",
        "CSS gz",
        "JS KB",
        "JS gz",
        "css / js files",
        "inline css / js KB",
    )
    return table(headers, rows)


def target_lines(weights: list[PageWeight]) -> list[str]:
    lines = []
    for w in weights:
        if w.page == "article":
            where = f"article page ({w.size:,} articles)"
            lines.append(
                _verdict(w.html.raw < HTML_TARGET, f"{where}: HTML {_kb(w.html.raw)} KB < 40 KB")
            )
            lines.append(
                _verdict(w.css.raw < CSS_TARGET, f"{where}: CSS {_kb(w.css.raw)} KB < 20 KB")
            )
        no_js = w.js.raw == 0 and w.inline_js == 0
        js = f"{_kb(w.js.raw + w.inline_js)} KB"
        lines.append(_verdict(no_js, f"{w.page} ({w.size:,}): no JavaScript (has {js})"))
    return lines


def _verdict(met: bool, text: str) -> str:
    return f"{'met   ' if met else 'MISSED'} {text}"


def _kb(n: int) -> str:
    return f"{n / KB:.1f}"


def main() -> int:
    args = parse_args()
    check_virtualenv()
    machine = machine_summary(with_postgres=False)
    print(f"== {machine}")
    collectstatic()
    weights: list[PageWeight] = []
    for size in args.sizes:
        db = prepare_corpus(size, "sqlite", reuse=args.reuse)
        try:
            pages = probe(db, "pages")
            with gunicorn(django_env(db.url)) as base:
                weights += [weigh(base, size, p, pages[p]) for p in PAGES if p in pages]
        finally:
            drop_working_copies([db])
    print(f"\n== Page weight ({machine})\n")
    print("KB = 1024 bytes; gz = gzip level 6; each stylesheet and script once per page.\n")
    print(weight_table(weights))
    print("\nPages: " + ", ".join(f"{w.page} {w.path}" for w in weights if w.size == args.sizes[0]))
    print("\nTargets:")
    print("\n".join(f"  {line}" for line in target_lines(weights)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "weights": [asdict(w) for w in weights]}
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures saved to {RESULTS}")
    return 0


if __name__ == "__main__":
    script_main(main)
