from django.contrib.syndication.views import Feed


class LatestArticlesFeed(Feed):
    title = "stub"
    link = "/"

    def items(self):
        return []


class TagFeed(LatestArticlesFeed):
    pass


class CompanyFeed(LatestArticlesFeed):
    pass


class VehicleModelFeed(LatestArticlesFeed):
    pass


class OfficialFeed(LatestArticlesFeed):
    pass


class CountryFeed(LatestArticlesFeed):
    pass
