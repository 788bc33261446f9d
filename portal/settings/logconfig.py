"""The logging configuration, for ``portal.settings`` and its production settings."""

import os


def logging_config(log_format: str, *, stream: str = "stderr") -> dict:
    """Logs to one standard stream: for the terminal, systemd's journal or a container."""
    console = {"class": "logging.StreamHandler", "stream": f"ext://sys.{stream}"}
    if log_format == "json":
        console["formatter"] = "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
        "handlers": {"console": console},
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            # pymorphy3 announces every dictionary load at INFO.
            "pymorphy3": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},  # a line per request; the inbox's jobs say more
            # Only the root's handler: Django's own would mail admins or print twice.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
        },
    }
