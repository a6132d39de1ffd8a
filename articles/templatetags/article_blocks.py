"""Blocks of articles that other apps' pages show, so those apps need not import articles."""

from django import template

from articles.models import Article

register = template.Library()

ABOUT_COUNT = 6


@register.inclusion_tag("articles/includes/articles_about.html")
def articles_about(subject, *, title):
    """The newest live articles linked to an election or a race, under `title`: one query."""
    return {
        "title": title,
        "articles": Article.objects.published().about(subject).for_cards()[:ABOUT_COUNT],
    }
