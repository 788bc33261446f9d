"""A source that is a folder of seed-format files (``*.txt``, not recursive).

Each file is read by the portal's own seed parser (``articles.seeding``), with
its safety rules: only regular files, no symbolic link leading out of the
folder, the size limit. A file it refuses is skipped with its reason, which
names the file and the line; the others are taken. The file's name is the
item's GUID, so a file changed in place updates its inbox item.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from articles.seeding import SeedError, read_document
from articles.seeding.files import outside_link
from inbox.errors import FeedError

from .parsed import Item, Parsed, collect


def read_folder(folder: Path) -> Parsed:
    if not folder.is_dir():
        state = "не папка" if folder.exists() else "не существует"
        raise FeedError(
            f"Папка источника {folder} {state}: укажите в адресе источника путь к папке "
            "с файлами .txt на сервере."
        )
    try:
        files = sorted(folder.glob("*.txt"))
    except OSError as error:
        raise FeedError(
            f"Папку источника {folder} не прочитать ({error.strerror}): проверьте права доступа."
        ) from None
    return collect(_item(file, folder) for file in files)


def _item(file: Path, folder: Path) -> Item:
    name = f"Файл {file.name}"
    refused = outside_link(file, folder)
    if refused is not None:
        return Item(name=name, problem=_reason(refused))
    if not file.is_file():
        return Item(name=name, problem="это не обычный файл")
    try:
        document = read_document(file, target=file.resolve() if file.is_symlink() else None)
    except SeedError as error:
        return Item(name=name, problem=_reason(error))
    return Item(
        name=name,
        guid=file.name,
        title=document.title,
        summary=document.lead,
        body=document.body,
        published=document.published_at.astimezone(UTC),
    )


def _reason(error: SeedError) -> str:
    """The seed parser's reason, with the line it names (its wording is the loader's)."""
    where = f"строка {error.line}" if error.line else "файл"
    return f"{where}: {error.reason}"
