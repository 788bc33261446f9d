from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Tag


class PublishedArticlesMixin:
    """Visitors see only published articles whose time has come."""

    def get_queryset(self):
        return Article.objects.published()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return super().get_queryset().for_listing()


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return super().get_queryset().with_entities()


class TagView(PublishedArticlesMixin, ListView):
    template_name = "articles/tag.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveView(HomeView):
    template_name = "articles/archive.html"
