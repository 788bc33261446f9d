"""gunicorn's settings for the portal in production.

    gunicorn -c deploy/gunicorn.conf.py

Environment (all optional):
GUNICORN_BIND       address to listen on, default 127.0.0.1:8000 (nginx in front)
WEB_CONCURRENCY     number of worker processes, default 2 × CPUs + 1
GUNICORN_TIMEOUT    seconds a worker may spend on one request before it is replaced, default 30
FORWARDED_ALLOW_IPS addresses whose X-Forwarded-Proto gunicorn trusts, default 127.0.0.1
DJANGO_SETTINGS_MODULE  default portal.settings.production

Graceful reload: SIGHUP (``systemctl reload portal``) starts workers with the new
code and lets the old ones finish their requests, up to ``graceful_timeout``
seconds; SIGTERM stops the same way. The workers keep the environment the master
started with: after changing the environment file, ``systemctl restart portal``.
"""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Pages are CPU-bound (templates, ORM) and fast: synchronous workers, a few per CPU
# so one waiting on the database does not leave a core idle.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))

# A request still running after this long is stuck: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# How long stopping or reloading waits for requests in flight.
graceful_timeout = 30
# nginx keeps connections to gunicorn open between requests.
keepalive = 5
# Replace each worker after a few thousand requests, at staggered moments, so a
# slow leak never grows and the workers never restart all at once.
max_requests = 5000
max_requests_jitter = 500
# The workers' heartbeat files on tmpfs: a slow disk cannot make them look hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# TLS ends at the proxy on this machine; gunicorn believes its X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# One JSON object per line (portal/logs.py): requests on standard output with the
# fields of the combined log format and the duration, gunicorn's own messages on
# standard error.
logger_class = "portal.logs.GunicornLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Signals from systemd manage the server; no control socket in the service's home.
control_socket_disable = True
