"""What goes wrong in a load: a file's error, where and why, and the load refused for them.

Both are raised before anything is written (or inside the load's transaction,
which then takes everything back), so an operator fixes the files named and
runs the command again.
"""

from __future__ import annotations

from pathlib import Path


class SeedError(Exception):
    """A seed file that cannot be loaded, with where and why."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(str(self))

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


class LoadError(Exception):
    """One or more seed files are invalid; nothing was written."""

    def __init__(self, errors: list[SeedError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
