"""The reader's pages (placeholders until built)."""

from django.http import Http404


def follow(request, kind, slug):
    raise Http404


def confirm(request, token):
    raise Http404


def manage(request, token):
    raise Http404


def unsubscribe(request, token):
    raise Http404
