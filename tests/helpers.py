"""Plain data helpers: keyword overrides over sensible defaults."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Theme

_serial = itertools.count(1)


def make_theme(**fields):
    number = next(_serial)
    fields.setdefault("name", f"Thématique {number}")
    return Theme.objects.create(**fields)


def make_author(**fields):
    number = next(_serial)
    fields.setdefault("name", f"Camille Auteur {number}")
    fields.setdefault("job_title", "Journaliste politique")
    return Author.objects.create(**fields)


def make_article(*, authors=None, tags=(), **fields):
    """An article, published an hour ago unless told otherwise, signed by `authors`."""
    fields.setdefault("headline", f"Le Sénat adopte le budget {next(_serial)}")
    fields.setdefault("standfirst", "Les sénateurs ont voté le texte en première lecture.")
    fields.setdefault("body", "<p>Le texte a été adopté après deux jours de débats.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] != Article.Status.DRAFT:
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "theme" not in fields:
        fields["theme"] = make_theme()
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors if authors is not None else [make_author()]):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.set(list(tags))
    return article


def image_bytes(width=1600, height=900, kind="JPEG", color=(160, 20, 45)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, kind)
    return buffer.getvalue()


def image_upload(name="image.jpg", **options):
    return SimpleUploadedFile(name, image_bytes(**options), content_type="image/jpeg")
