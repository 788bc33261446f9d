"""Load and faults, the short form of bench/reliability.py, in the PostgreSQL pass.

The script starts a PostgreSQL cluster of its own (the outage stops it, so it cannot
be the test suite's), gunicorn with the production settings and wrk with 64
connections, then: 30 s of load, an editor saving articles through the admin under
load, two workers killed under load, PostgreSQL stopped and started under load.
About two minutes; wrk is installed by .ci/run (or apt-get install wrk).
"""

import pytest

from portal.tests.bench_scripts import outcome, run_short


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return run_short("reliability.py", tmp_path_factory.mktemp("reliability"))


pytestmark = pytest.mark.postgres


def test_the_production_setup_was_tested(report):
    assert report["settings"] == "portal.settings.production"
    assert report["connections"] == 64
    assert report["durations"]["load"] == 30


def test_load_without_errors(report):
    load = outcome(report, "load")
    figures = load["figures"]
    assert figures["requests"] > 0
    assert figures["socket_errors"] == 0, report["output"]
    assert figures["bad_statuses"] == 0, report["output"]
    assert load["ok"], report["output"]


def test_editor_saves_under_load_lose_nothing(report):
    editor = outcome(report, "editor")
    figures = editor["figures"]
    assert figures["saves"] == report["durations"]["edits"], report["output"]
    assert figures["failures"] == [], report["output"]
    assert figures["lost"] == [], report["output"]
    assert figures["stale_pages"] == [], report["output"]
    assert figures["readers"]["socket_errors"] + figures["readers"]["bad_statuses"] == 0
    assert editor["ok"], report["output"]


def test_killed_workers_cost_at_most_their_requests(report):
    crash = outcome(report, "crash")
    figures = crash["figures"]
    assert len(figures["killed"]) == 2
    assert figures["replaced"], report["output"]
    # A sync worker serves one request at a time: that one may fail, no other.
    assert figures["socket_errors"] + figures["bad_statuses"] <= 2, report["output"]
    assert figures["requests"] > 0
    assert crash["ok"], report["output"]


def test_database_outage_answers_503_and_recovers_within_5_seconds(report):
    outage = outcome(report, "outage")
    figures = outage["figures"]
    assert figures["down_page_requests"] > 0
    assert figures["not_friendly"] == [], report["output"]
    assert figures["leaks"] == [], report["output"]
    assert figures["down_healthz"] == [503], report["output"]
    assert figures["server_errors"] == 0, report["output"]
    assert figures["wrk"]["statuses"].get("503", 0) > 0
    assert set(figures["wrk"]["statuses"]) <= {"200", "503"}, report["output"]
    assert figures["recovery_seconds"] <= 5.0, report["output"]
    assert outcome(report, "outage")["ok"], report["output"]
