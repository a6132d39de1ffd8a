"""What an uploaded image must be, checked before its pixels are decoded, and its re-encoding."""

import io
import math
import re
import secrets
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError
from slugify import slugify

# Pillow's name for each accepted format, and the one it is saved as. An MPO is the JPEG of
# many phones and cameras with a second picture (depth, preview) appended: its first is kept.
SAVED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}
EXTENSIONS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",), "GIF": (".gif",)}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MIME_TYPES = "image/jpeg,image/png,image/webp,image/gif"
WHAT_TO_SEND = "envoyez un JPEG, un PNG, un WebP ou un GIF"
MEBIBYTE = 1024 * 1024
# Characters of the sent name kept in the stored one (ASCII, so as many bytes).
STORED_STEM_LENGTH = 40
# How many bytes are read to recognise an SVG, an HTML page or a PDF, which Pillow can't open.
SNIFF_BYTES = 1024


def validate_upload(file):
    """Refuse, in French, what is not a JPEG, PNG, WebP or GIF of a sane size, named as it is.

    Only the header is read: Pillow's open() parses it and decodes no pixel.
    """
    if getattr(file, "_committed", False):
        return  # a stored file (editing the alt text, say) was checked when it was uploaded
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            f"Le fichier pèse {megabytes(file.size)} : "
            f"{megabytes(max_bytes).replace(',0 Mo', ' Mo')} au plus. "
            "Réduisez l’image avant de l’envoyer.",
            code="too_heavy",
        )
    extension = PurePosixPath(file.name or "").suffix.lower()
    kind, size = read_header(file, extension)
    width, height = size
    max_pixels = settings.IMAGE_MAX_PIXELS
    if width * height > max_pixels:
        raise ValidationError(
            f"L’image fait {thousands(width)} × {thousands(height)} pixels : "
            f"{millions(max_pixels)} millions au plus. Réduisez-la avant de l’envoyer.",
            code="too_many_pixels",
        )
    expected = EXTENSIONS[kind]
    if extension not in expected:
        named = f", pas par {extension}" if extension else ""
        raise ValidationError(
            f"Ce fichier est un {FORMAT_NAMES[kind]} : son nom doit finir par "
            f"{expected[0]}{named}. Renommez-le avant de l’envoyer.",
            code="wrong_extension",
        )


def read_header(file, extension):
    """The accepted format ("JPEG", "PNG", "WEBP" or "GIF") and size of a file, from its header."""
    try:
        file.seek(0)
        # A huge image makes Pillow warn (or raise, past twice its limit) as it opens it.
        # Our own limit is lower and gives the dimensions, so the warning is not needed; it is
        # also an error under the test settings, which turn every RuntimeWarning into one.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                pillow_format, size = image.format, image.size
    except Image.DecompressionBombError:
        raise ValidationError(
            f"L’image fait plus de {millions(2 * Image.MAX_IMAGE_PIXELS)} millions de pixels : "
            f"{millions(settings.IMAGE_MAX_PIXELS)} millions au plus. "
            "Réduisez-la avant de l’envoyer.",
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image(file, extension) from None
    finally:
        file.seek(0)
    if pillow_format not in SAVED_AS:
        raise ValidationError(
            f"Le format {pillow_format} n’est pas accepté : {WHAT_TO_SEND}.",
            code="wrong_format",
        )
    return SAVED_AS[pillow_format], size


def not_an_image(file, extension):
    """The error for a file Pillow can't read, saying what it looks like when that is known."""
    file.seek(0)
    head = file.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head:
        return ValidationError(
            f"Le format SVG n’est pas accepté : {WHAT_TO_SEND}.", code="wrong_format"
        )
    if head.startswith(b"%pdf"):
        return ValidationError(
            f"Ce fichier est un document PDF, pas une image : {WHAT_TO_SEND}.", code="not_an_image"
        )
    if any(tag in head for tag in (b"<!doctype html", b"<html", b"<head", b"<body")):
        renamed = f" renommée en {extension}" if extension not in ("", ".htm", ".html") else ""
        return ValidationError(
            f"Ce fichier est une page HTML{renamed}, pas une image : {WHAT_TO_SEND}.",
            code="not_an_image",
        )
    return ValidationError(
        f"Ce fichier n’est pas une image lisible : {WHAT_TO_SEND}.", code="not_an_image"
    )


def validate_decodes(file):
    """Decode the whole image once, so that a damaged file is refused here, not when saved.

    Call it after validate_upload(), which bounds what decoding costs.
    """
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.load()
    except Exception:  # Pillow's decoders raise many kinds of error on a broken file
        raise ValidationError(
            "Ce fichier est abîmé ou incomplet : ouvrez-le dans un logiciel d’images, "
            "enregistrez-le à nouveau, puis envoyez-le.",
            code="damaged",
        ) from None
    finally:
        file.seek(0)


@deconstructible
class UnguessableName:
    """`upload_to` for uploads: the folder, a slug of the sent name, a random part, the extension.

    The uploader's name is never the stored one: "x.php.png" is stored as
    "images/2026/12/x-php-3f9c1a7e2b6d4c80.png", and the random part makes it unguessable. The
    name stays short in bytes whatever was sent (a file system counts bytes, not characters).
    """

    def __init__(self, folder):
        self.folder = folder

    def __eq__(self, other):
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __call__(self, instance, filename):
        path = PurePosixPath(filename)
        stem = slugify(path.stem, max_length=STORED_STEM_LENGTH, word_boundary=True) or "image"
        extension = re.sub(r"[^a-z0-9]", "", path.suffix.lower())[:5]
        folder = timezone.now().strftime(self.folder)
        return f"{folder}/{stem}-{secrets.token_hex(8)}.{extension or 'bin'}"


class UploadedImageField(forms.ImageField):
    """An image upload whose refusals are ours, in French.

    Django's forms.ImageField runs Pillow's verify() first and words every refusal the same
    way (« Téléversez une image valide… »), so its to_python() is replaced, not extended.
    The sent name may be of any length: it is stored under UnguessableName's.
    """

    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(max_length=None, **kwargs)

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)  # empty file, name too long
        if file is None:
            return None
        validate_upload(file)
        validate_decodes(file)
        return file

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = MIME_TYPES
        return attrs


def reencode(file):
    """A new file of the same format: EXIF orientation applied, metadata left out.

    EXIF (with a phone's GPS position), XMP and comments are dropped; the colour profile is
    kept, so colours don't shift. An animated GIF or WebP keeps its first frame only: the
    renditions are still images anyway, and decoding every frame of an upload would multiply
    what a decompression bomb costs.
    """
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    with Image.open(file) as original:
        kind = SAVED_AS[original.format]
        image = ImageOps.exif_transpose(original)
    options = {key: image.info[key] for key in ["icc_profile"] if image.info.get(key)}
    if kind in ("PNG", "GIF") and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    if kind == "JPEG":
        options.update(quality=90, optimize=True)
    elif kind == "WEBP":
        # A lossless WebP (a chart, a logo) stays lossless.
        if head[12:16] == b"VP8L":
            options.update(lossless=True)
        else:
            options.update(quality=90)
    # Pillow writes only what it is given, but nothing of the upload's metadata should reach
    # the new file even if a future version starts reading it from here.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    # Named, as Django computes width and height from the content it stores, by its name.
    return ContentFile(buffer.getvalue(), name=PurePosixPath(file.name).name)


def megabytes(size):
    """A size in Mo, rounded up to a tenth: a file just over the cap never reads as equal to it."""
    tenths = math.ceil(size * 10 / MEBIBYTE)
    return f"{tenths // 10},{tenths % 10} Mo"


def millions(pixels):
    """A number of pixels in millions, rounded down to a tenth: « 40 », « 178,9 »."""
    tenths = pixels // 100_000
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"


def thousands(number):
    return f"{number:,}".replace(",", "\N{NO-BREAK SPACE}")
