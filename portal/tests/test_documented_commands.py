"""Every command the documentation shows still parses.

The Markdown files' code (fenced blocks and inline spans) is searched for
``manage.py <command> …`` and ``make <target>``: Django must know each command, and its
arguments must parse as written (a synopsis with ``[…]``, ``...`` or placeholders such
as ``PATH`` is checked option by option); ``make -n`` must know each target.
"""

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, get_commands, load_command_class

from portal.tests.fresh_clone import clean_env

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([*ROOT.glob("*.md"), *ROOT.glob("*/README.md")])

FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+(?:\n[^`\n]+)?)`")
MANAGE = re.compile(r"manage\.py\s+([a-z_][a-z0-9_]*)([^\n#;&|)]*)")
MAKE = re.compile(r"(?:^|[\s;&|(])make\s+([a-z][a-z0-9_-]*)", re.MULTILINE)
# Answered by manage.py itself (Django's ManagementUtility), not by a command.
MANAGEMENT_UTILITY = {"help", "version"}
# Words of a synopsis rather than of a command to run.
SYNOPSIS = re.compile(r"[\[\]<>…]|\.\.\.|\b[A-Z][A-Z_-]+\b|^options$")


def code_of(text: str) -> list[str]:
    """The code in a Markdown text: fenced blocks line by line, then inline spans."""
    blocks = FENCED.findall(text)
    prose = FENCED.sub("", text)
    lines = [line for block in blocks for line in block.splitlines()]
    return lines + [span.replace("\n", " ") for span in INLINE.findall(prose)]


def documented(pattern: re.Pattern) -> list[tuple[str, ...]]:
    found = {}
    for doc in DOCS:
        for code in code_of(doc.read_text(encoding="utf-8")):
            for match in pattern.finditer(code):
                found.setdefault(tuple(group.strip() for group in match.groups()), doc.name)
    return sorted(found)


def test_the_documentation_shows_commands():
    assert len(documented(MANAGE)) > 10
    assert len(documented(MAKE)) > 10


SHOWN = [
    pytest.param(*found, id=" ".join(found).strip())
    for found in documented(MANAGE)
    if found[0] not in MANAGEMENT_UTILITY
]


@pytest.mark.parametrize(("name", "arguments"), SHOWN)
def test_manage_py_knows_the_command_and_its_arguments(name, arguments):
    commands = get_commands()
    assert name in commands, f"manage.py {name}: no such command (`manage.py help` lists them)"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    words = shlex.split(arguments)
    if any(SYNOPSIS.search(word) for word in words):
        known = parser._option_string_actions
        options = [word.strip("[]") for word in words if word.strip("[]").startswith("-")]
        unknown = [option for option in options if option not in known]
        assert not unknown, f"manage.py {name} has no option {unknown}"
    else:
        try:
            parser.parse_args(words)
        except CommandError as error:
            pytest.fail(f"manage.py {name} {arguments}: {error}")


@pytest.mark.parametrize("target", [target for (target,) in documented(MAKE)])
def test_make_knows_the_target(target):
    result = subprocess.run(
        ["make", "-n", target], cwd=ROOT, env=clean_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, f"make {target}: {result.stderr}"
