SITEMAPS: dict = {}


def news_sitemap(request):
    raise NotImplementedError
