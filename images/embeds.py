"""Library images in an article's body: each gets the copies, size and alt text of its image.

The editor inserts an image by its file's address (the picker does it); on save, every
<img> whose address is a library image's file, or one of its "full" copies, is written
again: src the copy nearest the column's width, srcset every "full" width in JPEG, sizes the
article column, width and height (no layout shift), and the library's alt text when the
editor left none. An address the library does not know is left for the sanitizer to judge.
"""

import re
from html import escape, unescape
from pathlib import PurePosixPath

from django.conf import settings

from images.models import Image

IMG_TAG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\b([a-z]+)="([^"]*)"')
# A "full" copy: images/2026/12/renditions/photo-jpg-full-800.webp, of images/2026/12/photo.jpg.
FULL_COPY = re.compile(r"^(?P<folder>.+)/renditions/(?P<stem>.+)-(?P<ext>[a-z0-9]+)-full-\d+\.\w+$")
# The article column is 46rem wide at most, the whole screen below that.
BODY_SIZES = "(min-width: 48rem) 46rem, 100vw"


def stored_name(src):
    """The storage name of the library image an address shows, or None."""
    media = settings.MEDIA_URL
    if not src.startswith(f"{media}images/"):
        return None
    name = src.removeprefix(media).split("?")[0]
    copy = FULL_COPY.match(name)
    if copy:
        return f"{copy['folder']}/{copy['stem']}.{copy['ext']}"
    return name


def embed_library_images(html):
    """`html` with each library image written out whole (one query for all of them)."""
    tags = IMG_TAG.findall(html or "")
    names = {}
    for tag in tags:
        attributes = dict(ATTRIBUTE.findall(tag))
        name = stored_name(unescape(attributes.get("src", "")))
        if name:
            names[tag] = (name, attributes)
    if not names:
        return html
    wanted = {name for name, _ in names.values()}
    images = {image.file.name: image for image in Image.objects.filter(file__in=wanted)}
    for tag, (name, attributes) in names.items():
        image = images.get(name)
        if image is None:
            continue
        html = html.replace(tag, img_tag(image, attributes.get("alt")))
    return html


def img_tag(image, alt):
    full = image.renditions("full")
    alt = alt if alt else image.alt_text
    return (
        f'<img src="{escape(full.src)}" srcset="{escape(full.jpeg_srcset)}" '
        f'sizes="{BODY_SIZES}" width="{full.width}" height="{full.height}" '
        f'alt="{escape(alt)}" loading="lazy">'
    )


def picker_data(image):
    """What the picker hands the article form for an image (JSON-ready)."""
    caption = " — ".join(part for part in [image.caption, image.credit] if part)
    return {
        "id": image.pk,
        "title": str(image),
        "src": image.file.url,
        "alt": image.alt_text,
        "caption": caption,
        "name": PurePosixPath(image.file.name).name,
    }
