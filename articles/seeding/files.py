"""Which files a load reads, and reading them safely.

The loader is pointed at folders an operator names, which may hold anything:
symbolic links leading elsewhere, named pipes, files of gigabytes. Everything
here refuses those with an error that names the file, before a byte of a
document is parsed or written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .documents import MAX_BYTES, ParsedDocument, decode, parse_document, size_limit_error
from .errors import LoadError, SeedError

# Article.source_key holds the file name without ".txt".
MAX_NAME_LENGTH = 200


def read_document(
    path: Path, *, encoding: str = "utf-8", max_bytes: int = MAX_BYTES
) -> ParsedDocument:
    if len(path.stem) > MAX_NAME_LENGTH:
        raise SeedError(
            path,
            None,
            f"file name is {len(path.stem)} characters long without .txt; "
            f"the limit is {MAX_NAME_LENGTH}, shorten it",
        )
    raw = read_bytes(path, max_bytes=max_bytes)
    return parse_document(decode(raw, path=path, encoding=encoding, max_bytes=max_bytes), path=path)


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything but a regular file within ``max_bytes``.

    The size is checked on the open file before reading, and the read stops one
    byte past the limit, so a file that grows meanwhile costs no more memory.
    Opening without blocking keeps a named pipe from stalling the load.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SeedError(path, None, f"cannot read the file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SeedError(path, None, "not a regular file")
        if info.st_size > max_bytes:
            raise size_limit_error(path, info.st_size, max_bytes)
        try:
            return stream.read(max_bytes + 1)
        except OSError as exc:
            raise SeedError(path, None, f"cannot read the file: {exc.strerror}") from None


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


def collect_files(paths: list[Path]) -> list[Path]:
    """The ``*.txt`` files of every folder (not recursive), plus files given directly.

    A file given by name is read wherever it is. A folder stands for the files
    inside it: a symbolic link there that leads out of it is refused, the load
    stops before anything is written, and the error names the link.
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
    return _distinct(files)


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
