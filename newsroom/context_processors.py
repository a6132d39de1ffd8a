from django.conf import settings

from articles.models import Theme


def site(request):
    """The site's name and its navigation by theme (a lazy queryset: one query if shown)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "nav_themes": Theme.objects.with_published_articles(),
    }
