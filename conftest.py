from pathlib import Path

import pytest
from django.core.management import call_command

SEEDS = Path(__file__).resolve().parent / "seeds"


@pytest.fixture(autouse=True, scope="session")
def jinja2_pages_report_their_context():
    """The test client learns a page's context (``response.context``) from the
    ``template_rendered`` signal, which Django sends in tests for its own templates
    only; the public pages' Jinja2 templates send it here too."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def render_and_report(self, context=None, request=None):
        context = {} if context is None else context
        html = render(self, context, request)  # fills in request and context processors
        template_rendered.send(sender=self, template=self, context=context)
        return html

    Template.render = render_and_report
    yield
    Template.render = render


@pytest.fixture(autouse=True)
def fresh_process_values():
    """Each test starts with the per-process values (``portal.lifetimes``) unset,
    as a new web process would: a cache or replica failure an earlier test
    provoked leaves no back-off behind, and no content version still owed."""
    from portal import lifetimes

    lifetimes.clear_all()
    yield
    lifetimes.clear_all()


@pytest.fixture
def catalog(db):
    """The real entity catalog from seeds/catalog.json."""
    call_command("loaddata", SEEDS / "catalog.json", verbosity=0)


@pytest.fixture
def seed_dir(tmp_path):
    """A scratch seed folder; write documents into it with ``write``."""

    class SeedDir:
        path = tmp_path

        def write(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
            file = tmp_path / name
            data = content if isinstance(content, bytes) else content.encode(encoding)
            file.write_bytes(data)
            return file

    return SeedDir()
