"""How long something has lasted, said roughly in Russian, for the desk's warnings."""

from datetime import timedelta


def duration(delta: timedelta) -> str:
    """«45 мин», «5 ч», «3 дн.»: how long, roughly."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{max(minutes, 1)} мин"
    if minutes < 48 * 60:
        return f"{minutes // 60} ч"
    return f"{minutes // (24 * 60)} дн."
