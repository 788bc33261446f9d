"""Locust's visitors for the newsroom load test (``bench/newsroom.py`` runs Locust on it).

Each visitor asks for a page of the mix (``bench/newsroom_plan.py``) at a constant
throughput, so that the users together arrive at the stage's rate whatever the
answers' speed (as long as an answer takes less than a user's interval: the rate
then falls short, and the stage says so). Users start at random moments within one
interval: started together they would stay in step and arrive in bursts.

The configuration comes as a JSON file named by ``NEWSROOM_CONFIG``: the page groups,
each user's rate, and where to write what the cache headers said (``X-Edge-Cache`` of
nginx's micro-cache, ``X-Cache`` of the page cache) when the run ends.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from newsroom_plan import Picker, groups_from_json, source_of

CONFIG = json.loads(Path(os.environ["NEWSROOM_CONFIG"]).read_text())
PICKER = Picker(groups_from_json(CONFIG["groups"]), random.Random())
# As nginx would say in front of the application: the visitor came over HTTPS.
HEADERS = {"X-Forwarded-Proto": "https"}
sources: Counter = Counter()


class Visitor(FastHttpUser):
    wait_time = constant_throughput(CONFIG["per_user_rate"])

    def on_start(self) -> None:
        gevent.sleep(random.uniform(0, 1 / CONFIG["per_user_rate"]))

    @task
    def visit(self) -> None:
        group, path = PICKER.pick()
        with self.client.get(path, name=group, headers=HEADERS, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
                return
            headers = answer.headers or {}
            sources[source_of(headers.get("X-Edge-Cache") or "", headers.get("X-Cache") or "")] += 1


@events.quitting.add_listener
def write_sources(environment, **kwargs) -> None:
    Path(CONFIG["sources_path"]).write_text(json.dumps(dict(sources)))
