"""Sitemaps for search engines: every public page, and Google News's list of recent articles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Greatest
from django.utils import timezone

from articles.models import Article, Author, Tag, Theme
from articles.text import CONTROL_CHARACTERS

# Google News reads only the articles of the last two days, a thousand at most.
NEWS_PERIOD = timedelta(days=2)
NEWS_LIMIT = 1000


def last_change(article):
    """When an article's page last changed: a scheduled one appears at its publication."""
    return max(article.updated_at, article.published_at)


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, article):
        return last_change(article)


class ListingSitemap(Sitemap):
    """Themes, authors or tags with at least one live article, dated by their latest change."""

    articles = None  # the lookup from the model to its articles

    def items(self):
        # filter() before annotate(): Max() sees only the live articles.
        return (
            self.model.objects.filter(**{f"{self.articles}__in": Article.objects.published()})
            .annotate(
                last_change=Max(
                    Greatest(f"{self.articles}__updated_at", f"{self.articles}__published_at")
                )
            )
            .order_by("slug")
        )

    def lastmod(self, owner):
        return owner.last_change


class ThemeSitemap(ListingSitemap):
    model, articles = Theme, "articles"


class AuthorSitemap(ListingSitemap):
    model, articles = Author, "articles"


class TagSitemap(ListingSitemap):
    model, articles = Tag, "tagged_articles__content_object"


class NewsSitemap(Sitemap):
    """The Google News sitemap (template articles/sitemap_news.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_PERIOD
        return Article.objects.published().filter(published_at__gte=since)[:NEWS_LIMIT]

    def lastmod(self, article):
        return last_change(article)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            article = url["item"]
            url["news"] = {
                "name": settings.SITE_NAME,
                "language": "fr",
                # XML 1.0 has no place for control characters pasted into a headline.
                "title": CONTROL_CHARACTERS.sub("", article.headline),
                # W3C Datetime, in Paris time, to the second.
                "published_at": timezone.localtime(article.published_at)
                .replace(microsecond=0)
                .isoformat(),
            }
        return urls


SITEMAPS = {
    "articles": ArticleSitemap,
    "themes": ThemeSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
