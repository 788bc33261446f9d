"""`make lock` keeps the pins pyproject.toml still allows; `make lock-upgrade` moves them all.

scripts/lock.py runs on a small project of its own against a folder of made-up wheels
(pip's --find-links, no index), so the test needs no network and shows exactly which
pins moved.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# Works in its own folders and processes, whatever the test database is.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]


def make_wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    """A minimal pure-Python wheel: only its metadata, which is all pip needs here."""
    info = f"{name}-{version}.dist-info"
    files = {
        f"{info}/METADATA": "\n".join(
            ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
            + [f"Requires-Dist: {requirement}" for requirement in requires]
        )
        + "\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{info}/RECORD"])
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)


def write_project(folder: Path, *, runtime: list[str], dev: list[str]) -> None:
    quoted = ", ".join
    (folder / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\nversion = '0'\n"
        f"dependencies = [{quoted(repr(r) for r in runtime)}]\n"
        f"[project.optional-dependencies]\ndev = [{quoted(repr(r) for r in dev)}]\n"
    )


def run_lock(project: Path, wheels: Path, *args: str) -> None:
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("PIP_")},
        # The machine's pip settings (extra indexes, constraints) stay out of it.
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_NO_CACHE_DIR": "1",
    }
    result = subprocess.run(
        [sys.executable, ROOT / "scripts" / "lock.py", "--project", project, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def pins(lock: Path) -> list[str]:
    return [line for line in lock.read_text().splitlines() if "==" in line]


def test_lock_keeps_pins_and_lock_upgrade_moves_them(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for version in ("1.0", "2.0"):
        make_wheel(wheels, "alpha", version, requires=("beta>=1.0",))
        make_wheel(wheels, "beta", version)
        make_wheel(wheels, "gamma", version)
        make_wheel(wheels, "tester", version, requires=("beta",))
    make_wheel(wheels, "dropped", "1.0")
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.lock").write_text("alpha==1.0\nbeta==1.0\ndropped==1.0\n")
    (project / "requirements-dev.lock").write_text("-r requirements.lock\ntester==1.0\n")
    # pyproject.toml gained gamma and lost dropped since the locks were made.
    write_project(project, runtime=["alpha", "gamma"], dev=["tester"])

    run_lock(project, wheels)
    assert pins(project / "requirements.lock") == ["alpha==1.0", "beta==1.0", "gamma==2.0"]
    dev_lock = (project / "requirements-dev.lock").read_text().splitlines()
    assert "-r requirements.lock" in dev_lock
    assert pins(project / "requirements-dev.lock") == ["tester==1.0"]

    # A requirement the old pin no longer meets moves that pin, and only as far as needed.
    write_project(project, runtime=["alpha", "gamma", "beta>=2.0"], dev=["tester"])
    run_lock(project, wheels)
    assert pins(project / "requirements.lock") == ["alpha==1.0", "beta==2.0", "gamma==2.0"]

    run_lock(project, wheels, "--upgrade")
    assert pins(project / "requirements.lock") == ["alpha==2.0", "beta==2.0", "gamma==2.0"]
    assert pins(project / "requirements-dev.lock") == ["tester==2.0"]
