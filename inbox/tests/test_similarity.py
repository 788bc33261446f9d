"""Identity and near-duplicates of inbox items (``inbox.similarity``): canonical
addresses, content keys, fingerprints, the same-story decision on the labelled
texts of ``stories/`` and the LSH index against exhaustive comparison."""

import itertools
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from inbox.similarity import (
    THRESHOLD,
    FingerprintSet,
    canonical_url,
    content_key,
    learn_boilerplate,
    same_story,
    signature,
    similarity,
)
from inbox.similarity.fingerprints import SIGNATURE_BYTES
from inbox.similarity.index import StoryIndex
from inbox.similarity.words import read_story, story_features, story_words

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
STORIES = Path(__file__).resolve().parent / "stories"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example.COM/a/b", "http://news.example.com/a/b"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x&gclid=y"
            "&yclid=z&_openstat=q&from=main&ref=tg&UTM_Campaign=c",
            "https://example.com/a?id=7",
        ),
        ("https://завод.рф/news", "https://xn--80aegj1b.xn--p1ai/news"),
        ("https://XN--80AEGJ1B.xn--p1ai./news", "https://xn--80aegj1b.xn--p1ai/news"),
        (
            "https://example.com/новости",
            "https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
        ),
        ("https://example.com/%d0%bd%7e", "https://example.com/%D0%BD~"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("http://[::1]:8000/feed", "http://[::1]:8000/feed"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_url_writes_one_address_for_the_same_page(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "/news/1",
        "ftp://example.com/a",
        "mailto:desk@example.com",
        "http://",
        "http://example.com:99999/",
        "http://[::1/",
    ],
)
def test_canonical_url_is_empty_for_what_names_no_web_page(url):
    assert canonical_url(url) == ""


def test_canonical_url_keeps_what_may_name_another_page():
    assert canonical_url("http://example.com/a") != canonical_url("https://example.com/a")
    assert canonical_url("https://example.com/a?id=1") != canonical_url(
        "https://example.com/a?id=2"
    )
    assert canonical_url("https://example.com/a/") != canonical_url("https://example.com/a")


TITLE = "«Сарыжон Моторс» запустил линию сборки — 1 200 автобусов"
BODY = "Завод запустил вторую линию.\n\nЕё мощность — 1 200 автобусов в год."


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (TITLE.upper(), BODY),
        ("  " + TITLE.replace(" ", "   "), BODY.replace("\n\n", "\n \n\n")),
        (TITLE.replace("«", '"').replace("»", '"').replace("—", "-"), BODY.replace("—", "–")),
        (TITLE, BODY.replace("Её", "Ее")),
        (TITLE.replace("1 200", "1\xa0200"), BODY.replace("1 200", "1200")),
        (TITLE, BODY.replace("запустил", "запус\xadтил")),
    ],
)
def test_content_key_is_equal_however_the_text_is_spaced_cased_or_punctuated(title, body):
    assert content_key(title, body) == content_key(TITLE, BODY)


def test_content_key_changes_with_a_word_and_with_the_title_boundary():
    key = content_key(TITLE, BODY)
    assert len(key) == 32 and int(key, 16) >= 0
    assert content_key(TITLE, BODY.replace("вторую", "третью")) != key
    assert content_key("Завод запустил", "линию") != content_key("Завод", "запустил линию")


def test_story_words_read_every_grammatical_form_as_one_word():
    assert story_words("на заводе в цехах «Сарыжон Моторса», 12 000 автобусов") == story_words(
        "Завод, цех «Сарыжон Моторс»: 12000 автобус"
    )


def test_names_and_numbers_weigh_more_than_common_nouns():
    words = read_story("Завод «Сарыжон Моторс» выпустил 1 200 автобусов, сообщил Нурлан Касымбеков")
    assert story_features(words, shingle_size=1, telling_weight=2) == {
        "завод",
        "автобус",
        "сарыжон",
        "сарыжон#2",
        "моторс",
        "моторс#2",
        "1200",
        "1200#2",
        "нурлан",
        "нурлан#2",
        "касымбек",
        "касымбек#2",
    }


def test_signature_is_the_same_bytes_in_another_process():
    text = (STORIES / "sarjon-buses--vestnik.txt").read_text(encoding="utf-8")
    script = (
        "import sys; from inbox.similarity import signature; "
        "sys.stdout.write(signature(sys.stdin.read()).hex())"
    )
    # Another hash seed: nothing may depend on Python's per-process str hashes.
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    assert bytes.fromhex(done.stdout) == signature(text)
    assert len(signature(text)) == SIGNATURE_BYTES


def test_a_text_without_words_has_an_empty_signature_that_matches_nothing():
    assert signature(" — … ") == b""
    assert same_story(b"", [(1, b"")]) == []
    assert same_story(signature("Завод и цех"), [(1, b""), (2, b"\x09" * SIGNATURE_BYTES)]) == []


def labelled_texts():
    """The labelled texts: (story, source, signature), each signed without the
    paragraphs its source repeats, learned from that source's texts."""
    texts = [
        (*path.stem.split("--"), path.read_text(encoding="utf-8"))
        for path in sorted(STORIES.glob("*.txt"))
    ]
    boilerplate = {
        source: learn_boilerplate(body for _, of, body in texts if of == source)
        for source in {source for _, source, _ in texts}
    }
    return [
        (story, source, signature(body, boilerplate=boilerplate[source]))
        for story, source, body in texts
    ]


def test_every_labelled_retelling_is_found_and_no_other_story_grouped():
    texts = labelled_texts()
    assert len(texts) >= 20
    found = {
        (i, j)
        for i, (_, _, candidate) in enumerate(texts)
        for j in same_story(candidate, [(j, fp) for j, (_, _, fp) in enumerate(texts) if j != i])
    }
    same = {
        (i, j)
        for i, j in itertools.permutations(range(len(texts)), 2)
        if texts[i][0] == texts[j][0]
    }
    assert found == same


def test_a_sources_boilerplate_would_group_its_stories_were_it_read():
    """Why the boilerplate is learned: signed whole, some of one source's
    different stories would be grouped."""
    texts = [
        (*path.stem.split("--"), signature(path.read_text(encoding="utf-8")))
        for path in sorted(STORIES.glob("*.txt"))
    ]
    grouped = [
        (first, second)
        for first, second in itertools.combinations(texts, 2)
        if similarity(first[2], second[2]) >= THRESHOLD and first[0] != second[0]
    ]
    assert grouped
    assert all(first[1] == second[1] for first, second in grouped)


def variants(count: int) -> list[tuple[int, bytes]]:
    """``count`` fingerprints of texts cut from the labelled ones: sentences
    dropped and shuffled, so that many pairs lie near the threshold."""
    rng = random.Random(18)
    bodies = [path.read_text(encoding="utf-8") for path in sorted(STORIES.glob("*.txt"))]
    sentences = [[s for s in body.replace("\n", " ").split(". ") if s] for body in bodies]
    made = []
    for id_ in range(count):
        chosen = rng.choice(sentences)
        kept = rng.sample(chosen, k=max(1, round(len(chosen) * rng.uniform(0.4, 1.0))))
        made.append((id_, signature(". ".join(kept))))
    return made


def test_the_lsh_index_finds_what_exhaustive_comparison_finds():
    fingerprints = variants(300)
    index = StoryIndex(fingerprints)
    found_anything = 0
    for _, candidate in fingerprints[:60]:
        exhaustive = sorted(same_story(candidate, fingerprints))
        assert index.same_story(candidate) == exhaustive
        found_anything += len(exhaustive) > 1
    assert found_anything > 30


def test_the_lsh_index_takes_fingerprints_one_by_one():
    fingerprints = variants(40)
    index = StoryIndex()
    for id_, fingerprint in fingerprints:
        index.add(id_, fingerprint)
    candidate = fingerprints[0][1]
    assert index.same_story(candidate) == sorted(same_story(candidate, fingerprints))


def test_a_fingerprint_set_answers_as_the_pairs_it_was_given():
    fingerprints = variants(120)
    decoded = FingerprintSet(fingerprints)
    for _, candidate in fingerprints[:40]:
        assert same_story(candidate, decoded) == same_story(candidate, fingerprints)


def test_a_fingerprint_set_grows_replaces_in_place_and_hides_one_id():
    fingerprints = variants(70)  # more than its first room: it grows
    decoded = FingerprintSet()
    for id_, fingerprint in fingerprints:
        decoded.add(id_, fingerprint)
    candidate = fingerprints[5][1]
    pairs = dict(fingerprints)
    # A replaced fingerprint keeps its id's place, as a dict's value does.
    pairs[0] = decoded_replacement = fingerprints[5][1]
    decoded.add(0, decoded_replacement)
    assert same_story(candidate, decoded) == same_story(candidate, list(pairs.items()))
    # One of another format or empty matches nothing, in place of the one it replaces.
    decoded.add(5, b"\x09" * SIGNATURE_BYTES)
    pairs[5] = b"\x09" * SIGNATURE_BYTES
    assert same_story(candidate, decoded) == same_story(candidate, list(pairs.items()))
    with decoded.hidden(0):
        assert 0 not in same_story(candidate, decoded)
    assert 0 in same_story(candidate, decoded)
    assert same_story(b"", decoded) == []
