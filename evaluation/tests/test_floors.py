"""The linker and the suggester stay at or above the floors on the annotated corpus.

The evaluation runs once per module, in the test database (SQLite or PostgreSQL),
inside a transaction rolled back afterwards.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from evaluation.corpus import CORPUS_DIR
from evaluation.floors import FLOORS
from evaluation.report import as_dict, figures, format_report
from evaluation.runner import evaluate, load_catalogs

ROOT = Path(__file__).resolve().parents[2]
# pytest-django creates only the databases that marked tests need.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_catalogs()
        result = evaluate()
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_stays_at_or_above_its_floor(report, name):
    measured = figures(report).get(name)
    assert measured is not None, f"{name} is no longer measured: drop its floor"
    assert measured >= FLOORS[name], f"{name} fell to {measured} (floor {FLOORS[name]})"


def test_every_figure_has_a_floor(report):
    assert set(figures(report)) <= set(FLOORS)


def test_the_report_shows_the_figures_and_the_errors(report):
    text = format_report(report)
    assert text.startswith("Linking, per mention: ")
    assert "mentions by class:" in text
    assert "Suggestions: " in text
    assert "Linking errors (" in text
    data = json.loads(json.dumps(as_dict(report), ensure_ascii=False))
    assert data["figures"] == figures(report)
    assert data["linking"]["all"]["mentions"] == report.linking.overall.gold


def test_the_script_measures_in_a_throwaway_database_and_exits_0(tmp_path):
    """``make eval-linking`` on its own: a fresh SQLite database, whatever DATABASE_URL says."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(CORPUS_DIR.glob("01_*")):
        shutil.copy(path, corpus)
    out = tmp_path / "figures.json"
    run = subprocess.run(
        [sys.executable, "evaluation/run.py", "--corpus", str(corpus), "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Linking, per mention: 1 texts" in run.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["documents"] == 1
