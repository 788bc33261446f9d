#!/usr/bin/env python3
"""Pin pyproject.toml's dependencies into requirements.lock and requirements-dev.lock.

    python3 scripts/lock.py [--upgrade] [--project DIR]      (make lock, make lock-upgrade)

Without --upgrade the pins already in the locks stay: a throwaway virtualenv gets the
old pins first, then pip installs pyproject.toml's requirements over them, changing
only what they no longer satisfy (pip's "only if needed"), and adds what is new. With
--upgrade every pin moves to the newest release pyproject.toml allows. Either way a
lock lists exactly what the requirements pull in (a package nothing needs any more is
dropped), and the development lock adds to the runtime one without changing its pins.

Needs the package index (pip's own settings apply: PIP_INDEX_URL, PIP_FIND_LINKS, …).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

RUNTIME_HEADER = [
    "# Runtime dependencies, fully pinned (direct ones are listed in pyproject.toml).",
    "# Regenerate: make lock (keeps pins pyproject.toml still allows), make lock-upgrade",
]
DEV_HEADER = [
    "# Test and lint tools, fully pinned, on top of the runtime lock.",
    "-r requirements.lock",
]

# Run inside the throwaway virtualenv: the installed distributions that the given
# requirements pull in, with their extras and environment markers, as {name: version}.
CLOSURE = r"""
import json, sys
from importlib import metadata
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name

def wanted(requirement, extras):
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras))

pins, seen = {}, set()
todo = [(Requirement(line), ()) for line in json.loads(sys.argv[1])]
while todo:
    requirement, parent_extras = todo.pop()
    if not wanted(requirement, parent_extras):
        continue
    key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
    if key in seen:
        continue
    seen.add(key)
    dist = metadata.distribution(requirement.name)
    pins[dist.metadata["Name"]] = dist.version
    for line in dist.requires or []:
        todo.append((Requirement(line), tuple(requirement.extras)))
print(json.dumps(pins))
"""


def pin_lines(lock: Path, *, skip: set[str] = frozenset()) -> list[str]:
    """The ``name==version`` lines of an existing lock, less the names in ``skip``."""
    if not lock.exists():
        return []
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-") and normal(line.split("==")[0]) not in skip:
            pins.append(line)
    return pins


def normal(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


class LockVenv:
    """A throwaway virtualenv in which pip resolves the pins."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        subprocess.run([sys.executable, "-m", "venv", folder / "venv"], check=True)
        self.python = folder / "venv" / "bin" / "python"

    def pip_install(self, *args: str, requirements: list[str]) -> None:
        listing = self.folder / "requirements.txt"
        listing.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        pip = [self.python, "-m", "pip", "--disable-pip-version-check", "--quiet"]
        subprocess.run([*pip, "install", *args, "-r", listing], check=True)

    def closure(self, requirements: list[str]) -> dict[str, str]:
        found = subprocess.run(
            [self.python, "-c", CLOSURE, json.dumps(requirements)],
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(found.stdout)


def lock_text(header: list[str], pins: dict[str, str]) -> str:
    lines = [f"{name}=={version}" for name, version in sorted(pins.items(), key=pin_order)]
    return "\n".join([*header, *lines]) + "\n"


def pin_order(pin: tuple[str, str]) -> str:
    return normal(pin[0])


def lock(*, project: Path, upgrade: bool) -> None:
    spec = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, dev = spec["dependencies"], spec["optional-dependencies"]["dev"]
    runtime_lock, dev_lock = project / "requirements.lock", project / "requirements-dev.lock"
    resolve = ["--upgrade", "--upgrade-strategy", "eager"] if upgrade else []
    with tempfile.TemporaryDirectory(prefix="portal-lock-") as tmp:
        venv = LockVenv(Path(tmp))
        if not upgrade and (old := pin_lines(runtime_lock)):
            venv.pip_install("--no-deps", requirements=old)
        venv.pip_install(*resolve, requirements=runtime)
        runtime_pins = venv.closure(runtime)
        runtime_text = lock_text(RUNTIME_HEADER, runtime_pins)

        kept = {normal(name) for name in runtime_pins}
        if not upgrade and (old := pin_lines(dev_lock, skip=kept)):
            venv.pip_install("--no-deps", requirements=old)
        # The new runtime pins are constraints here: the tools never move them.
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text(runtime_text, encoding="utf-8")
        venv.pip_install(*resolve, "-c", str(constraints), requirements=dev)
        dev_pins = venv.closure([*runtime, *dev])
        extra = {name: version for name, version in dev_pins.items() if normal(name) not in kept}
    # Both or neither: written only once everything resolved.
    runtime_lock.write_text(runtime_text, encoding="utf-8")
    dev_lock.write_text(lock_text(DEV_HEADER, extra), encoding="utf-8")
    how = "every pin at its newest allowed release" if upgrade else "pins kept where allowed"
    print(f"{runtime_lock.name}: {len(runtime_pins)} pins, {dev_lock.name}: {len(extra)} ({how})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--upgrade", action="store_true", help="newest allowed release of every pin"
    )
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    try:
        lock(project=args.project, upgrade=args.upgrade)
    except subprocess.CalledProcessError as error:
        command = " ".join(str(part) for part in error.cmd[:4])
        sys.exit(f"lock: `{command} …` failed (exit {error.returncode}); the locks are unchanged")


if __name__ == "__main__":
    main()
