"""A visitor and an editor of the installed portal, talking to nginx over HTTP and
HTTPS as a browser would (the site's host name, its certificate, cookies, CSRF)."""

import http.client
import io
import re
import secrets
import ssl
import urllib.parse
from dataclasses import dataclass, field

from bench.reliability import FormFields


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Front:
    """nginx's two ports, answering for ``host``."""

    host: str
    http_port: int
    https_port: int
    certificate: str

    def get(self, path: str, *, scheme: str = "https", **kwargs) -> Answer:
        return self.request("GET", path, scheme=scheme, **kwargs)

    def request(
        self,
        method: str,
        path: str,
        *,
        scheme: str = "https",
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        if scheme == "https":
            context = ssl.create_default_context(cafile=self.certificate)
            context.check_hostname = False  # the address is 127.0.0.1, the name the site's
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=60
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=60)
        try:
            conn.request(method, path, body=body, headers={"Host": self.host, **(headers or {})})
            response = conn.getresponse()
            return Answer(response.status, response.getheaders(), response.read())
        finally:
            conn.close()


def multipart(fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]):
    """A multipart/form-data body and its Content-Type, as a browser sends a form."""
    boundary = "----portal" + secrets.token_hex(12)
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, data, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Editor:
    """A staff user in the admin through nginx: session and CSRF cookies, the forms."""

    front: Front
    admin: str  # "/admin/" or the ADMIN_PATH of the environment file
    cookies: dict[str, str] = field(default_factory=dict)

    def _headers(self, path: str) -> dict[str, str]:
        origin = f"https://{self.front.host}"
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "Origin": origin, "Referer": origin + path}

    def call(self, method: str, path: str, body=None, content_type=None) -> Answer:
        headers = self._headers(path)
        if content_type:
            headers["Content-Type"] = content_type
        answer = self.front.request(method, path, body=body, headers=headers)
        for value in answer.all("Set-Cookie"):
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def form(self, path: str, form_id: str) -> list[tuple[str, str]]:
        answer = self.call("GET", path)
        assert answer.status == 200, f"GET {path}: {answer.status}"
        parser = FormFields(form_id)
        parser.feed(answer.text)
        assert parser.fields, f"no form #{form_id} on {path}"
        return parser.fields

    def sign_in(self, username: str, password: str) -> None:
        path = self.admin + "login/?next=" + self.admin
        fields = [
            (k, v) for k, v in self.form(path, "login-form") if k not in {"username", "password"}
        ]
        body = urllib.parse.urlencode([*fields, ("username", username), ("password", password)])
        answer = self.call("POST", path, body.encode(), "application/x-www-form-urlencoded")
        assert answer.status == 302, f"sign-in answered {answer.status}: {answer.text[:500]}"

    def first_article(self) -> int:
        answer = self.call("GET", self.admin + "articles/article/")
        found = re.search(re.escape(self.admin) + r"articles/article/(\d+)/change/", answer.text)
        assert found, "no article in the admin's list"
        return int(found[1])

    def upload_lead_image(self, article_id: int, image: bytes) -> Answer:
        path = f"{self.admin}articles/article/{article_id}/change/"
        fields = [(k, v) for k, v in self.form(path, "article_form") if k != "image_alt"]
        fields += [("image_alt", "Сборочный цех"), ("_save", "Сохранить")]
        body, content_type = multipart(fields, {"image": ("цех.jpg", image, "image/jpeg")})
        return self.call("POST", path, body, content_type)
