"""Plain data helpers: keyword overrides over sensible defaults."""

import io
import itertools
from datetime import date, timedelta

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Article, Author, Byline, Theme
from elections.ministry import Source
from elections.models import Election, Kind, Race
from elections.reference import SENATE, load_constituencies
from images.models import Image

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
    article.record_relations()  # into its first version, as the admin does after its inlines
    return article


def image_bytes(width=1600, height=900, kind="JPEG", color=(160, 20, 45)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), color).save(buffer, kind)
    return buffer.getvalue()


def image_upload(name="image.jpg", **options):
    return SimpleUploadedFile(name, image_bytes(**options), content_type="image/jpeg")


def make_image(name="hemicycle.jpg", *, width=1600, height=900, **fields):
    """An image of the media library, saved as an editor's upload is (renditions included)."""
    fields.setdefault("alt_text", "L’hémicycle du Sénat vu des tribunes")
    return Image.objects.create(file=image_upload(name, width=width, height=height), **fields)


FEED = SENATE.parent / "ministry-feed"


def make_senate_election(*, year=2026, series=2, **fields):
    """A senatorial election with a race for each constituency of its series."""
    fields.setdefault("slug", f"senatoriales-{year}")
    fields.setdefault("name", f"Sénatoriales {year}")
    fields.setdefault("round1_on", date(year, 9, 27 if year == 2026 else 24))
    election = Election.objects.create(kind=Kind.SENATORIALES, year=year, series=series, **fields)
    for constituency in load_constituencies().values():
        if constituency.series == series:
            Race.objects.create(
                election=election,
                constituency=constituency,
                seats=constituency.seats,
                voting_system=constituency.voting_system,
            )
    return election


def feed_source(name, data=None):
    """A file of the Ministry's feed, as shipped or with the bytes a test gives."""
    return Source(name, data if data is not None else (FEED / name).read_bytes())


def form_data(html, selector="form"):
    """What a browser would send for the form `selector` of a page, as it was rendered."""
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "select":
            chosen = field.select("option[selected]") or field.select("option")[:1]
            data[name] = chosen[0].get("value", "") if chosen else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif kind not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data
