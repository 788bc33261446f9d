"""Write a corpus text and its annotations from one marked-up draft.

    .venv/bin/python -m evaluation.authoring DRAFT... [--out evaluation/corpus]

A draft is the seed document with its annotations marked in place, so they are
written where they are read, and a closing section of expected suggestions:

    date 2025-09-03

    «⟦⟦Шевроле|chevrolet|brand_in_model⟧ Кобальт|chevrolet-cobalt|cyrillic_brand_model⟧» в Оше

    Расплав ⟦кобальта|!common_word⟧ … ⟦Минпромторг РФ|minpromtorg-rossii|abbreviation⟧ …

    === suggestions
    person: Марат Чекушов
    organisation: Автолайн Ош | ОсОО «Автолайн Ош»
    acceptable: Ош | Бишкек

``⟦surface|entity|class⟧`` is a mention (marks nest: a brand inside its model),
``⟦surface|?entity⟧`` an optional one, ``⟦surface|!class⟧`` a hard negative. An
entity is ``kind:slug`` or a bare slug of either catalog. ``DRAFT`` named
``NN_slug.draft`` becomes ``NN_slug.txt`` and ``NN_slug.json``, the occurrence of
each surface counted as ``spans`` counts it; the result is then loaded back as
the evaluation loads it, so a draft that would not resolve is refused.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = (ROOT / "seeds" / "catalog.json", ROOT / "evaluation" / "catalog.json")
OPEN, CLOSE = "⟦", "⟧"
HEADER_RE = re.compile(r"\s*date[ \t]+\S+")
SUGGESTIONS = "\n=== suggestions\n"


def entity_refs() -> dict[str, str]:
    """Bare slug → ``kind:slug`` for both catalogs."""
    refs = {}
    for path in CATALOGS:
        for row in json.loads(path.read_text(encoding="utf-8")):
            ref = f"{row['model'].split('.')[1]}:{row['fields']['slug']}"
            refs[row["fields"]["slug"]] = refs[ref] = ref
    return refs


def parse_marks(draft: str) -> tuple[str, list[dict]]:
    """The text without its marks, and each mark as an annotation with its offsets."""
    out: list[str] = []
    opened: list[int] = []
    marks: list[dict] = []
    for char in draft:
        if char == OPEN:
            opened.append(len(out))
        elif char == CLOSE:
            start = opened.pop()
            surface, spec = "".join(out[start:]).rsplit("|", 1)
            mark = {"start": start, "end": start + len(surface)}
            if spec[:1] == "?":
                mark.update(kind="optional", entity=spec[1:])
            elif spec[:1] == "!":
                mark.update(kind="negatives", **{"class": spec[1:]})
            else:
                surface, entity = surface.rsplit("|", 1)
                mark.update(kind="mentions", entity=entity, end=start + len(surface))
                mark["class"] = spec
            mark["surface"] = surface
            out[start:] = list(surface)
            marks.append(mark)
        else:
            out.append(char)
    if opened:
        raise ValueError(f"{len(opened)} mark(s) not closed")
    return "".join(out), sorted(marks, key=lambda m: (m["start"], -m["end"]))


def parse_suggestions(section: str) -> dict:
    expected, acceptable = [], []
    for line in filter(None, (line.strip() for line in section.splitlines())):
        kind, _, names = line.partition(":")
        forms = [name.strip() for name in names.split("|") if name.strip()]
        if kind.strip() == "acceptable":
            acceptable += forms
        else:
            expected.append({"name": forms[0], "kind": kind.strip(), "also": forms[1:]})
            if not expected[-1]["also"]:
                del expected[-1]["also"]
    return {"expected": expected, "acceptable": acceptable}


def annotations(text: str, marks: list[dict], refs: dict[str, str]) -> dict:
    """The annotation file: each mark by surface and occurrence in ``text``."""
    from .spans import occurrences

    header = HEADER_RE.match(text)
    masked = " " * header.end() + text[header.end() :] if header else text
    result: dict[str, list] = {"mentions": [], "optional": [], "negatives": []}
    for mark in marks:
        starts = [span.start for span in occurrences([masked], mark["surface"])]
        if mark["start"] not in starts:
            raise ValueError(f"«{mark['surface']}» is not whole words where it is marked")
        item = {"surface": mark["surface"], "occurrence": starts.index(mark["start"]) + 1}
        if "entity" in mark:
            if mark["entity"] not in refs:
                raise ValueError(f"no entity {mark['entity']!r} in the catalogs")
            item["entity"] = refs[mark["entity"]]
        if "class" in mark:
            item["class"] = mark["class"]
        result[mark["kind"]].append(item)
    return {key: value for key, value in result.items() if value}


def write(draft_path: Path, out: Path) -> Path:
    draft = draft_path.read_text(encoding="utf-8")
    body, _, section = draft.partition(SUGGESTIONS)
    text, marks = parse_marks(body.rstrip("\n") + "\n")
    result = annotations(text, marks, entity_refs())
    result["suggestions"] = parse_suggestions(section)
    target = out / f"{draft_path.stem}.txt"
    target.write_text(text, encoding="utf-8")
    target.with_suffix(".json").write_text(dump(result), encoding="utf-8")
    _check(target, text, marks)
    return target


def dump(annotations: dict) -> str:
    """JSON with one annotation a line, so a diff shows which one changed."""
    parts = []
    for key, value in annotations.items():
        if isinstance(value, dict):
            value = dump(value).replace("\n", "\n ").rstrip()
            parts.append(f' "{key}": {value}')
            continue
        items = ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in value)
        parts.append(f' "{key}": [\n{items}\n ]' if value else f' "{key}": []')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _check(target: Path, text: str, marks: list[dict]) -> None:
    """Load the text as the evaluation does; each surface must occur as often there."""
    from .corpus import load_document
    from .spans import occurrences

    document = load_document(target)
    scored = [p if n >= document.scored_from else "" for n, p in enumerate(document.pieces)]
    header = HEADER_RE.match(text)
    masked = " " * header.end() + text[header.end() :] if header else text
    for surface in {mark["surface"] for mark in marks}:
        if len(occurrences([masked], surface)) != len(occurrences(scored, surface)):
            raise ValueError(f"{target.name}: «{surface}» occurs otherwise in the parsed text")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drafts", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "evaluation" / "corpus")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    import django

    django.setup()
    for draft in args.drafts:
        print(write(draft, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
