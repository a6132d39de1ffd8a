"""Plain data helpers for the media library: images as bytes, uploads, library rows."""

import io
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from images.models import Image

RED, BLUE = (220, 0, 0), (0, 0, 220)
MEBIBYTE = 1024 * 1024
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(width=1600, height=900, kind="JPEG", color=RED, **options):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), color).save(buffer, kind, **options)
    return buffer.getvalue()


def split_image_bytes(width=3200, height=900, left=RED, right=BLUE):
    """A JPEG whose left half is one colour and right half another."""
    image = PillowImage.new("RGB", (width, height), left)
    image.paste(right, (width // 2, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def photo_with_gps_bytes(width=1600, height=900, orientation=1):
    """A JPEG as a phone writes it: EXIF with where it was taken, and how to turn it."""
    exif = PillowImage.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Téléphone"  # Make
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (48.0, 50.0, 56.0), 3: "E", 4: (2.0, 20.0, 13.0)}  # the Luxembourg palace
    )
    return image_bytes(width, height, exif=exif.tobytes())


@cache
def png_bomb_bytes():
    """A PNG of 10,000 × 10,000 black and white pixels: 100 megapixels in about 12 KiB."""
    buffer = io.BytesIO()
    PillowImage.new("1", (10_000, 10_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert("xss")</script><circle cx="50" cy="50" r="40"/></svg>'
)
HTML_PAGE = (
    b'<!DOCTYPE html>\n<html lang="fr"><head><title>Gagnez un iPhone</title></head>'
    b"<body><script>document.location = 'https://example.org/'</script></body></html>"
)


def upload(name="hemicycle.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(
        name, image_bytes() if content is None else content, content_type=content_type
    )


def make_image(**fields):
    fields.setdefault("file", upload())
    fields.setdefault("alt_text", "L’hémicycle du Sénat pendant un vote")
    return Image.objects.create(**fields)


def image_form(**fields):
    """The admin form's POST data for an image."""
    data = {
        "file": "",
        "title": "",
        "alt_text": "L’hémicycle du Sénat pendant un vote",
        "caption": "",
        "credit": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    data.update(fields)
    return data


def stored_files(media_root):
    return sorted(
        str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
    )
