"""Lead images: accepted formats, the smaller copies offered in srcset, and the social crop."""

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_PIXELS = 40_000_000  # about 8000 × 5000: beyond that, a decompression bomb
RENDITION_WIDTHS = [480, 800, 1200]
# The large card of Open Graph and X: 1.91:1, the size both recommend.
SOCIAL_SIZE = (1200, 630)


def validate_image_format(file):
    """Refuse what is not a JPEG, PNG, WebP or GIF image of a sane size, in French."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            "Ce fichier n’est pas une image lisible. Envoyez un JPEG, un PNG, un WebP ou un GIF."
        ) from None
    finally:
        file.seek(0)
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"Le format {kind} n’est pas accepté. Envoyez un JPEG, un PNG, un WebP ou un GIF."
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"L’image est trop grande ({width} × {height} pixels) : "
            f"{MAX_PIXELS // 1_000_000} millions de pixels au plus."
        )


def rendition_name(name, width):
    path = PurePosixPath(name)
    return str(path.parent / "renditions" / f"{path.stem}-{width}.jpg")


def social_rendition_name(name):
    width, height = SOCIAL_SIZE
    path = PurePosixPath(name)
    return str(path.parent / "renditions" / f"{path.stem}-{width}x{height}.jpg")


def rendition_widths(original_width):
    return [width for width in RENDITION_WIDTHS if width < (original_width or 0)]


def renditions(field, original_width):
    """The srcset candidates of an image field, from its name and width alone (no I/O)."""
    if not field:
        return None
    storage = field.storage
    candidates = [
        (storage.url(rendition_name(field.name, width)), width)
        for width in rendition_widths(original_width)
    ]
    candidates.append((field.url, original_width))
    # The default src is the copy closest to the width of the article column.
    src = next((url for url, width in candidates if width and width >= 800), candidates[-1][0])
    return {
        "src": src,
        "srcset": ", ".join(f"{url} {width}w" for url, width in candidates if width),
    }


def social_image(field, alt):
    """The social crop of an image field, from its name alone (no I/O), or None."""
    if not field:
        return None
    width, height = SOCIAL_SIZE
    url = field.storage.url(social_rendition_name(field.name))
    return {"url": url, "width": width, "height": height, "alt": alt}


def make_renditions(field, original_width):
    """Write the missing smaller JPEG copies of an image field, and its social crop, next to it."""
    if not field:
        return
    storage = field.storage
    missing = [
        width
        for width in rendition_widths(original_width)
        if not storage.exists(rendition_name(field.name, width))
    ]
    social_name = social_rendition_name(field.name)
    has_social = storage.exists(social_name)
    if not missing and has_social:
        return  # the usual case on a save that did not touch the image: no decoding
    with field.open("rb"), Image.open(field) as original:
        original.load()
        for width in missing:
            height = round(original.height * width / original.width)
            copy = original.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
            save_jpeg(copy, storage, rendition_name(field.name, width))
        if not has_social:
            # Cropped around the centre; a smaller original is enlarged, so cards keep one size.
            crop = ImageOps.fit(original.convert("RGB"), SOCIAL_SIZE, Image.Resampling.LANCZOS)
            save_jpeg(crop, storage, social_name)


def save_jpeg(image, storage, name):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    storage.save(name, ContentFile(buffer.getvalue()))
