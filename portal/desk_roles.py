"""The newsroom's roles by name, and the permissions apps grant them from outside.

The roles themselves (Django groups and their permissions) are made by
``articles/roles.py`` (``manage.py setup_roles``). An app that the articles app must
not know about, such as readers' mail, adds the permissions its screens need from
its own ``AppConfig.ready()`` with ``grant``; ``setup_roles`` adds what was granted.
"""

from __future__ import annotations

EDITOR = "Редактор"
AUTHOR = "Автор"

_granted: dict[str, list[str]] = {}


def grant(role: str, permissions: list[str]) -> None:
    """Give ``role`` the ``app_label.codename`` ``permissions`` too (each once)."""
    held = _granted.setdefault(role, [])
    held.extend(permission for permission in permissions if permission not in held)


def granted(role: str) -> list[str]:
    """What the apps granted ``role``."""
    return list(_granted.get(role, []))
