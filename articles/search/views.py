"""The search page: a function view, since it branches on what was asked."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.cachekeys import reads_query
from portal.pagination import page_number

from .service import search_articles
from .terms import MAX_QUERY_LENGTH, clean_query

# Stands for "cut to MAX_QUERY_LENGTH" in the cache key; a cleaned query never
# holds a control character, so it cannot be mistaken for text.
CUT_MARK = "\x00"


def query_text(raw: str) -> str | None:
    """The query as the search reads it: spaces and control characters do not
    count, the text is cut where the search cuts it (and the page says so). Case
    does count: the page shows the query as it was written."""
    text, truncated = clean_query(raw)
    if not text:
        return None
    return text + CUT_MARK if truncated else text


@reads_query(q=query_text, page=page_number)
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    outcome = search_articles(query=request.GET.get("q", ""), page=request.GET.get("page"))
    page = outcome.page
    # Links are built with the query beforehand, so the template has nothing left to work out.
    context = {
        "query": outcome.query,
        "truncated": outcome.truncated,
        "max_length": MAX_QUERY_LENGTH,
        "searched": bool(outcome.query),
        "entities": outcome.entities,
        "results": page.object_list,
        "page_obj": page,
        "result_count": page.paginator.count,
        # Only the newest matches were ranked: the count is a lower bound.
        "capped": outcome.capped,
        "canonical_query": outcome.canonical_query,
        "previous_url": outcome.previous_page_url,
        "next_url": outcome.next_page_url,
    }
    return render(request, "articles/search.html", context)
