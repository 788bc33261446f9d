"""The confirmation limits come from the environment; a bad value is refused by name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("FOLLOWING_CONFIRMATIONS_PER_ADDRESS", "FOLLOWING_CONFIRMATIONS_PER_CLIENT")
PRINT = f"print(s.{NAMES[0]}, s.{NAMES[1]})"


def following_settings(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FOLLOWING_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", f"import portal.settings.following as s; {PRINT}"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_limits_default_to_three_an_address_and_ten_a_client():
    result = following_settings()
    assert result.stdout.split() == ["3", "10"], result.stderr


def test_the_limits_are_read_from_the_environment():
    result = following_settings(**{NAMES[0]: "5", NAMES[1]: "40"})
    assert result.stdout.split() == ["5", "40"], result.stderr


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", ["0", "many", "-2"])
def test_a_bad_limit_is_refused_in_one_line_naming_it(name, value):
    result = following_settings(**{name: value})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert name in last and "whole number of at least 1" in last
