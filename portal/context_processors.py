"""What every page's template gets: the site's name and the addresses the
navigation links to."""

from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


@cache
def site_links() -> dict[str, str]:
    """Addresses every page links to, resolved once per process (not per page)."""
    return {
        "home": reverse("articles:home"),
        "archive": reverse("articles:archive"),
        "companies": reverse("companies:company_list"),
        "models": reverse("companies:vehicle_model_list"),
        "officials": reverse("companies:official_list"),
        "countries": reverse("companies:country_list"),
        "search": reverse("articles:search"),
        "feed": reverse("articles:feed"),
        "css": static("css/site.css"),
        "favicon": static("img/favicon.svg"),
        "og_default": static("img/og-default.png"),
    }


def site(request):
    return {"site_name": settings.SITE_NAME, "links_": site_links()}
