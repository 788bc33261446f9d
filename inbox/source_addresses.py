"""Whether a source's address can be polled for its kind, said in Russian."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

FOLDER = "folder"


def address_error(kind: str, address: str) -> str:
    """Why ``address`` cannot be a source of ``kind``, or "" when it can."""
    address = address.strip()
    if not address:
        return "Укажите адрес источника."
    if kind == FOLDER:
        folder = Path(address)
        if not folder.is_absolute():
            return f"Папка «{address}»: укажите полный путь (начиная с /)."
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
