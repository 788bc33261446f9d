"""Site-wide endpoints for machines: robots.txt, the health check, the favicon."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def robots_txt(request):
    # Absolute sitemap URLs from the request: the portal knows no canonical domain.
    context = {
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        "news_sitemap_url": request.build_absolute_uri(reverse("news-sitemap")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


@require_safe
def healthz(request):
    """200 when the database answers, 503 so the load balancer drops this instance."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check failed: the database does not answer")
        response = HttpResponse(
            "database unavailable", status=503, content_type="text/plain; charset=utf-8"
        )
    else:
        response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    # A cached "ok" would hide an outage from the load balancer.
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def favicon(request):
    # Resolved per request: the hashed static name needs collectstatic's manifest.
    return redirect(static("img/favicon.svg"), permanent=True)


def ok(request):
    """The smallest page: "ok" through the full middleware stack, the benchmarks' yardstick."""
    return HttpResponse("ok", content_type="text/plain")
