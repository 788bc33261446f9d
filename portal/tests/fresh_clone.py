"""A fresh clone of this repository that runs make targets without installing anything.

``git clone`` copies what is committed, as a newcomer gets it. The clone's ``.venv`` is
a folder of its own whose parts (``bin``, ``lib``, ``pyvenv.cfg``…) are symbolic links
into the test run's virtualenv, plus the Makefile's install stamp: make then sees an
installed virtualenv and installs nothing. Reinstalling would take minutes and need a
package index, and a plain link to the shared virtualenv would let make write its stamp
(or pip) into it.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The test run's settings, database and make flags stay out of the clone's commands.
FOREIGN_ENV = ("PYTEST", "DJANGO_", "TEST_POSTGRES", "DATABASE_", "REDIS_", "MAKE", "MFLAGS")
FOREIGN_NAMES = {"SECRET_KEY", "DEBUG", "ADMIN_PATH", "ALLOWED_HOSTS", "STATIC_ROOT"}


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(FOREIGN_ENV) and key not in FOREIGN_NAMES
    }
    return {**env, **extra}


def make_clone(folder: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", ROOT, folder], check=True, timeout=120)
    venv = folder / ".venv"
    venv.mkdir()
    shared = Path(sys.prefix).resolve()
    for part in shared.iterdir():
        if not part.name.startswith("."):
            (venv / part.name).symlink_to(part)
    stamp = subprocess.run(
        ["make", "--no-print-directory", "-s", "--eval=stamp: ; @echo $(STAMP)", "stamp"],
        cwd=folder,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (folder / stamp).touch()
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
