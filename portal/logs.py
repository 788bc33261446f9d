"""Structured logs: one JSON object per line on standard output.

``JsonFormatter`` formats the application's records (errors with their traceback
in a field, the ``django.request`` records with method, path and status).
``GunicornLogger`` writes gunicorn's access log the same way, one line per
request with the fields of the common "combined" log format plus the duration
(deploy/gunicorn.conf.py selects it). Both are read by journald, Docker, Loki or
anything else that takes JSON lines, without a parser per format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import traceback

from gunicorn.glogging import Logger as BaseGunicornLogger

# Attributes every LogRecord has; anything else was passed in ``extra``.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": _iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRIBUTES or key.startswith("_"):
                continue
            if key == "request":
                # django.request passes the HttpRequest itself.
                entry["method"] = getattr(value, "method", None)
                entry["path"] = getattr(value, "path", None)
            else:
                entry[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=repr)


class GunicornLogger(BaseGunicornLogger):
    """gunicorn's logger writing JSON lines: its own messages and the access log."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        headers = dict((name.lower(), value) for name, value in resp.headers)
        entry = {
            "time": _iso(dt.datetime.now(dt.UTC).timestamp()),
            "remote_addr": environ.get("REMOTE_ADDR", "-"),
            # The visitor's address as the proxy saw it, when there is one in front.
            "forwarded_for": environ.get("HTTP_X_REAL_IP") or environ.get("HTTP_X_FORWARDED_FOR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("RAW_URI"),
            "protocol": environ.get("SERVER_PROTOCOL"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "referer": environ.get("HTTP_REFERER"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "cache": headers.get("x-cache"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:
            self.error(traceback.format_exc())
