"""Schema.org data (JSON-LD) about the pages, built from the objects the pages show."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

CONTEXT = "https://schema.org"


def news_article(article, *, request):
    """A NewsArticle; `article` needs its theme, bylines, tags and corrections at hand."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.headline,
        "description": article.excerpt,
        "datePublished": w3c_datetime(article.published_at),
        "dateModified": w3c_datetime(
            article.revised_at if article.is_revised else article.published_at
        ),
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": request.build_absolute_uri(byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": publisher(request=request),
        "articleSection": article.theme.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": "fr-FR",
        "isAccessibleForFree": True,
    }
    corrections = article.corrections.all()
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{correction.get_kind_display()} : {correction.text}",
                "datePublished": w3c_datetime(correction.published_at),
            }
            for correction in corrections
        ]
    if article.lead_image:
        # The social crop (1.91:1) first, then the original, as Google's guidelines ask.
        data["image"] = [
            request.build_absolute_uri(article.social_image["url"]),
            request.build_absolute_uri(article.lead_image.file.url),
        ]
    return data


def breadcrumbs(trail, *, request):
    """A BreadcrumbList from (name, path) pairs, home first."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def person(author, *, request):
    data = {
        "@context": CONTEXT,
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "worksFor": publisher(request=request),
    }
    if author.job_title:
        data["jobTitle"] = author.job_title
    if author.bio:
        data["description"] = author.bio
    if author.photo:
        data["image"] = request.build_absolute_uri(author.photo.url)
    return data


def publisher(*, request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri(reverse("articles:home")),
    }


def w3c_datetime(value):
    return timezone.localtime(value).isoformat()
