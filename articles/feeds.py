"""RSS 2.0 feeds of the live articles: the whole site, and one per theme, author and tag."""

import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed

from articles.models import Article, Author, Tag, Theme
from articles.text import CONTROL_CHARACTERS

FEED_SIZE = 30


def xml_text(text):
    """Text that XML 1.0 accepts: a control character pasted into a headline is dropped."""
    return CONTROL_CHARACTERS.sub("", text or "")


def feed_text(text):
    """Plain text that stays text: readers take a title or description as HTML once they
    have read the XML, so "<" must reach them as "&lt;" (escaped twice in the file)."""
    return html.escape(xml_text(text), quote=False)


class NewsFeed(Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author, where RSS's <author> wants an e-mail."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)


class LatestArticlesFeed(Feed):
    feed_type = NewsFeed
    language = "fr"
    link = "/"

    def title(self, obj):
        return settings.SITE_NAME

    def description(self, obj):
        return settings.SITE_TAGLINE

    def items(self, obj):
        return self.articles(obj).published().for_listing()[:FEED_SIZE]

    def articles(self, obj):
        return Article.objects

    def item_title(self, article):
        return feed_text(article.headline)

    def item_description(self, article):
        return feed_text(article.excerpt)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.revised_at if article.is_revised else article.published_at

    def item_categories(self, article):
        return [xml_text(article.theme.name)]

    def item_extra_kwargs(self, article):
        return {"authors": [xml_text(byline.author.name) for byline in article.bylines.all()]}

    def item_enclosures(self, article):
        image = article.lead_image
        if not image:
            return []
        social = image.plan("social")[-1]
        name = social.name("jpg")
        storage = image.file.storage
        # RSS wants the size in bytes; 0 is the accepted value when it can't be known.
        length = storage.size(name) if storage.exists(name) else 0
        return [Enclosure(storage.url(name), str(length), "image/jpeg")]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The framework makes item links absolute, but not enclosure URLs.
        for item in feed.items:
            item["enclosures"] = [
                Enclosure(request.build_absolute_uri(e.url), e.length, e.mime_type)
                for e in item["enclosures"]
            ]
        return feed


class OwnerFeed(LatestArticlesFeed):
    """The live articles of one theme, author or tag, found by the slug in the URL."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, owner):
        return xml_text(f"{owner.name} — {settings.SITE_NAME}")

    def link(self, owner):
        return owner.get_absolute_url()


class ThemeFeed(OwnerFeed):
    model = Theme

    def description(self, theme):
        return xml_text(theme.description or f"Les articles de la thématique « {theme.name} ».")

    def articles(self, theme):
        return theme.articles


class AuthorFeed(OwnerFeed):
    model = Author

    def description(self, author):
        return xml_text(f"Les articles de {author.name}.")

    def articles(self, author):
        return author.articles


class TagFeed(OwnerFeed):
    model = Tag

    def description(self, tag):
        return xml_text(f"Les articles sur le sujet « {tag.name} ».")

    def articles(self, tag):
        return Article.objects.filter(tags=tag)
