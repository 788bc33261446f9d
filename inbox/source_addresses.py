"""Whether a source's address can be polled for its kind, said in Russian.

A folder source is read with the worker's rights, so its folder must lie below one
of ``INBOX_FOLDER_ROOTS`` (none in production until an operator names them): an
address typed into a source never reads the server's other files. The rule is
checked when a source is saved (``address_error``) and again at every poll on the
folder as resolved then (``allowed_folder``): a symbolic link changed since, or one
pointing out of the roots, is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .errors import FeedError

FOLDER = "folder"


def address_error(kind: str, address: str, *, roots: Sequence[Path] | None = None) -> str:
    """Why ``address`` cannot be a source of ``kind``, or "" when it can.

    ``roots``: the folders folder sources may be in (default ``INBOX_FOLDER_ROOTS``)."""
    address = address.strip()
    if not address:
        return "Укажите адрес источника."
    if kind == FOLDER:
        folder = Path(address)
        if not folder.is_absolute():
            return f"Папка «{address}»: укажите полный путь (начиная с /)."
        if message := outside_roots(folder, roots=roots):
            return message
        if not folder.is_dir():
            return f"Папки «{address}» нет на сервере: создайте её или исправьте путь."
        return ""
    parts = urlsplit(address)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return (
            f"Адрес «{address}» не подходит: ленты читаются только по http:// или https:// "
            "(для папки с файлами выберите вид «папка»)."
        )
    return ""


def outside_roots(folder: Path, *, roots: Sequence[Path] | None = None) -> str:
    """Why ``folder`` (a full path) may not be a source's, or "" when it lies, its
    symbolic links followed, below one of ``roots`` (default ``INBOX_FOLDER_ROOTS``)."""
    roots = settings.INBOX_FOLDER_ROOTS if roots is None else roots
    if not roots:
        return (
            f"Папка «{folder}»: папки-источники на этом сервере выключены. Администратор "
            "сервера может разрешить их, назвав допустимые папки в настройке "
            "INBOX_FOLDER_ROOTS."
        )
    resolved = folder.resolve()
    for root in roots:
        root = root.resolve()
        if resolved == root or root in resolved.parents:
            return ""
    where = f" (путь ведёт в «{resolved}»)" if resolved != folder else ""
    allowed = ", ".join(str(root) for root in roots)
    return (
        f"Папка «{folder}»{where} вне папок, разрешённых для источников ({allowed}): "
        "положите файлы в одну из них или добавьте папку в настройку INBOX_FOLDER_ROOTS."
    )


def allowed_folder(address: str) -> Path:
    """A folder source's folder, checked at poll time; ``FeedError`` when outside the roots."""
    folder = Path(address.strip())
    if not folder.is_absolute():
        raise FeedError(f"Папка «{address}»: укажите полный путь (начиная с /).")
    if message := outside_roots(folder):
        raise FeedError(message)
    return folder
