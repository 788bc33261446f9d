"""Which files a load reads, and reading them safely.

The loader is pointed at folders an operator names, which may hold anything:
symbolic links leading elsewhere, named pipes, files of gigabytes. Everything
here refuses those with an error that names the file, before a byte of a
document is parsed or written.

What a folder holds is checked when it is listed, and files are opened later:
every open refuses a symbolic link (``O_NOFOLLOW``), so a file swapped for a
link in between is refused by name rather than followed. A link the listing
accepted is opened at the target it had then (``SeedFile.target``).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from .documents import MAX_BYTES, ParsedDocument, decode, parse_document, size_limit_error
from .errors import LoadError, SeedError

# Article.source_key holds the file name without ".txt".
MAX_NAME_LENGTH = 200


class SeedFile(NamedTuple):
    """A file a load reads: ``path`` as found (its name is the source key, errors
    name it), ``target`` the file opened, fixed when the folder was listed."""

    path: Path
    target: Path


def read_document(
    path: Path,
    *,
    encoding: str = "utf-8",
    max_bytes: int = MAX_BYTES,
    target: Path | None = None,
) -> ParsedDocument:
    """The document at ``path``, read from ``target`` (by default ``path`` itself).

    Neither is followed if it is a symbolic link: ``collect_files`` gives the
    target of a link it accepted.
    """
    if len(path.stem) > MAX_NAME_LENGTH:
        raise SeedError(
            path,
            None,
            f"file name is {len(path.stem)} characters long without .txt; "
            f"the limit is {MAX_NAME_LENGTH}, shorten it",
        )
    raw = read_bytes(target or path, max_bytes=max_bytes, name=path)
    return parse_document(decode(raw, path=path, encoding=encoding, max_bytes=max_bytes), path=path)


def read_bytes(path: Path, *, max_bytes: int, name: Path | None = None) -> bytes:
    """The file's bytes, refusing anything but a regular file within ``max_bytes``.

    The size is checked on the open file before reading, and the read stops one
    byte past the limit, so a file that grows meanwhile costs no more memory.
    Opening without blocking keeps a named pipe from stalling the load, and
    without following a link keeps the open to the file that was checked.
    Errors name ``name`` (the document as found), by default ``path``.
    """
    name = name or path
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _link_at_open_error(name, path) from None
        raise SeedError(name, None, f"cannot read the file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SeedError(name, None, "not a regular file")
        if info.st_size > max_bytes:
            raise size_limit_error(name, info.st_size, max_bytes)
        try:
            return stream.read(max_bytes + 1)
        except OSError as exc:
            raise SeedError(name, None, f"cannot read the file: {exc.strerror}") from None


def _link_at_open_error(name: Path, opened: Path) -> SeedError:
    try:
        where = f" to {os.readlink(opened)}"
    except OSError:
        where = ""
    which = "" if opened == name else f" (its target {opened})"
    return SeedError(
        name,
        None,
        f"is a symbolic link{where}{which} where a file was when the files were listed; "
        "the loader does not follow it: find out who changes the seed folder, then run "
        "the command again",
    )


def outside_link(file: Path, folder: Path) -> SeedError | None:
    """An error when ``file``, found in ``folder``, is a symbolic link leading out of it."""
    if not file.is_symlink():
        return None
    target = file.resolve()
    if target.is_relative_to(folder.resolve()):
        return None
    return SeedError(
        file,
        None,
        f"is a symbolic link to {target}, outside the folder {folder}; the loader reads "
        "only files inside the folders it is given: copy the file in, or name it directly",
    )


def collect_files(paths: list[Path]) -> list[SeedFile]:
    """The ``*.txt`` files of every folder (not recursive), plus files given directly.

    A file given by name is read wherever it is. A folder stands for the files
    inside it: a symbolic link there that leads out of it is refused, the load
    stops before anything is written, and the error names the link. A link that
    is accepted is read at the target it has now (``SeedFile.target``).
    """
    files: list[Path] = []
    refused: list[SeedError] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.glob("*.txt")):
                if error := outside_link(file, path):
                    refused.append(error)
                elif file.is_file():
                    files.append(file)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise LoadError([SeedError(path, None, "not a regular file or folder")])
        else:
            raise LoadError([SeedError(path, None, "no such file or folder")])
    if refused:
        raise LoadError(refused)
    return [SeedFile(f, f.resolve() if f.is_symlink() else f) for f in _distinct(files)]


def _distinct(files: list[Path]) -> list[Path]:
    """Each file once; two different files of one name (one source key) stop the load."""
    seen: dict[str, Path] = {}
    errors = []
    for file in files:
        if file.stem in seen and seen[file.stem].resolve() != file.resolve():
            errors.append(
                SeedError(file, None, f"has the same name as {seen[file.stem]}; rename one")
            )
        seen.setdefault(file.stem, file)
    if errors:
        raise LoadError(errors)
    return list({f.resolve(): f for f in files}.values())
