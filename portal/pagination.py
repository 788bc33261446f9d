class ForgivingPaginationMixin:
    """ListView pagination where a bad ``?page=`` shows the nearest page, never a 404/500."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
