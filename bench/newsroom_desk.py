"""The newsroom load test's editor and edge: saves through the admin, nginx in front.

``Desk`` is an editor at work in a thread while the visitors load the site: every
so often it publishes one of the drafts it wrote beforehand (the home page must
show it) or changes the title of one of the newest articles (its page must show
it), through the admin's change form over HTTP (``bench/reliability.py``'s
``Editor``: a session, CSRF), then polls the page through the visitors' front
until the new title shows.

``micro_cached`` runs Debian's nginx in front of a gunicorn with the micro-cache
exactly as ``deploy/nginx-portal.conf`` writes it (``bench/edge.py`` reads the
directives from that file) and the proxy settings of ``bench/scale_demo.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import edge
from bench.common import BenchError, free_port
from bench.reliability import EDITOR, Editor, get, shell
from bench.scale_demo import NGINX_USER, PROXY_DIRECTIVES, ensure_command, nogroup

# A publication is looked for this long after the save, then counted as never shown.
SHOWN_WITHIN = 10.0
POLL_EVERY = 0.05
# The first save comes this soon (or after --edit-every if shorter), so that a short
# run sees one.
FIRST_SAVE_AFTER = 4.0

DRAFTS_SCRIPT = textwrap.dedent(
    """
    import json
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from articles.models import Article

    editor = get_user_model().objects.get(username={editor!r})
    drafts = []
    for n in range({count}):
        title = f"Новость редакции номер {{n + 1}} ({token})"
        article = Article.objects.create(
            title=title, slug=f"newsroom-{token}-{{n + 1}}",
            lead="Заметка нагрузочного теста: её публикует редактор, пока читают посетители.",
            body="Текст заметки.", status=Article.Status.DRAFT,
            published_at=timezone.now(), author=editor,
        )
        drafts.append([article.pk, title])
    print(json.dumps({{"drafts": drafts, "published": Article.Status.PUBLISHED.value}}))
    """
)


@dataclass(frozen=True)
class EditorSite:
    """What ``reliability.Editor`` reads of a server."""

    base: str
    env: dict[str, str]


class Desk:
    """An editor who publishes drafts and retitles the newest articles, in turn."""

    def __init__(self, site: EditorSite, *, newest: list[str], ids: list[int], drafts: int = 40):
        if not newest or len(newest) != len(ids):
            raise BenchError("the corpus has no published articles for the editor to edit")
        self.editor = Editor(site)  # type: ignore[arg-type]  # reads .base and .env only
        self.editor.sign_in()
        token = f"{int(time.time() * 1000) % 10**8}"
        script = DRAFTS_SCRIPT.format(editor=EDITOR, count=drafts, token=token)
        made = json.loads(shell(site.env, script))
        self.drafts: list[tuple[int, str]] = [tuple(d) for d in made["drafts"]]
        self.published_value = made["published"]
        self.newest, self.ids = newest, ids
        self.turn = 0

    @contextlib.contextmanager
    def at_work(self, *, front: str, every: float) -> Iterator[list[dict]]:
        """Saves every ``every`` seconds while the block runs; yields the list of them."""
        saves: list[dict] = []
        stop = threading.Event()

        def work() -> None:
            if stop.wait(min(every, FIRST_SAVE_AFTER)):
                return
            while True:
                saves.append(self.save_one(front))
                if stop.wait(every):
                    return

        thread = threading.Thread(target=work, name="newsroom-editor", daemon=True)
        thread.start()
        try:
            yield saves
        finally:
            stop.set()
            thread.join()

    def save_one(self, front: str) -> dict:
        """Publish a draft or retitle an article; the save and when it showed."""
        self.turn += 1
        if self.turn % 2 == 1 and self.drafts:
            article_id, title = self.drafts.pop(0)
            action, path, change = "publish", "/", {"status": self.published_value}
        else:
            at = (self.turn // 2) % len(self.ids)
            article_id, path = self.ids[at], self.newest[at]
            title = f"Заголовок обновлён редактором, правка {self.turn} ({time.time():.0f})"
            action, change = "edit", {"title": title}
        started = time.monotonic()
        try:
            status = self.submit(article_id, change)
        except (BenchError, OSError) as error:
            status, problem = 0, str(error)[:200]
        else:
            problem = ""
        saved = time.monotonic()
        shown = until_shown(front, path, title, since=saved) if status == 302 else None
        return {
            "action": action,
            "article_id": article_id,
            "path": path,
            "title": title,
            "status": status,
            "problem": problem,
            "save_s": saved - started,
            "visible_after_s": shown,
        }

    def submit(self, article_id: int, change: dict[str, str]) -> int:
        path = f"{self.editor.admin}articles/article/{article_id}/change/"
        fields = self.editor._form(path, "article_form")
        fields = [(k, change.get(k, v)) for k, v in fields]
        return self.editor._call(path, [*fields, ("_save", "Сохранить")]).status


def until_shown(front: str, path: str, text: str, *, since: float) -> float | None:
    """Seconds from ``since`` (monotonic) until ``path`` through ``front`` shows ``text``."""
    while time.monotonic() - since < SHOWN_WITHIN:
        with contextlib.suppress(OSError):
            if text in get(front, path).text:
                return time.monotonic() - since
        time.sleep(POLL_EVERY)
    return None


# --- nginx with the deployment's micro-cache -----------------------------------------

NGINX_CONF = """\
# The newsroom load test's edge (bench/newsroom.py).
daemon off;
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{
    worker_connections 4096;
}}
http {{
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    access_log off;
    server_tokens off;
{edge_http}
    upstream portal {{
        server {upstream} fail_timeout=0;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
{proxy}
{edge_location}
        }}
    }}
}}
"""


@contextlib.contextmanager
def micro_cached(base: str) -> Iterator[str]:
    """nginx with the micro-cache in front of the gunicorn at ``base``; yields its URL."""
    binary = ensure_command("nginx", "nginx")
    folder = Path(tempfile.mkdtemp(prefix="portal-newsroom-nginx-"))
    process = None
    try:
        (folder / "tmp").mkdir()
        user = ""
        if os.geteuid() == 0:
            # The master (root) opens the port and logs; workers run unprivileged.
            user = f"user {NGINX_USER} {nogroup()};"
            folder.chmod(0o755)
            shutil.chown(folder / "tmp", NGINX_USER)
        edge_http, edge_location = edge.micro_cache(folder / "tmp" / "edge-cache")
        port = free_port()
        config = folder / "nginx.conf"
        config.write_text(NGINX_CONF.format(
            folder=folder, user=user, port=port, upstream=base.removeprefix("http://"),
            proxy=PROXY_DIRECTIVES, edge_http=textwrap.indent(edge_http, "    "),
            edge_location=textwrap.indent(edge_location, "            "),
        ))  # fmt: skip
        cmd = [binary, "-p", str(folder), "-c", str(config)]
        test = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise BenchError(f"nginx refuses its configuration:\n{test.stderr}")
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        front = f"http://127.0.0.1:{port}"
        wait_until_up(process, front, folder)
        yield front
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_up(process: subprocess.Popen, front: str, folder: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"nginx exited:\n{(folder / 'error.log').read_text()}")
        with contextlib.suppress(OSError):
            get(front, "/ok")
            return
        time.sleep(0.1)
    raise BenchError("nginx did not answer within 20 s")
