"""The smaller copies of an image: named and sized from its row alone, drawn with Pillow.

Each kind is offered in WebP with a JPEG fallback:
- "full": the whole image, 480, 800, 1200 and 1600 pixels wide, never wider than the original;
- "card": a 16:9 crop around the focal point, 400 and 800 pixels wide;
- "social": a 1200 × 630 crop around the focal point, for Open Graph and X cards.

A crop's name carries the focal point it was cut around, so moving the point names new files
(written on the next save) and a page cached with the old names still finds its copies.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image

KINDS = ["full", "card", "social"]
FULL_WIDTHS = [480, 800, 1200, 1600]
CARD_WIDTHS = [400, 800]
CARD_RATIO = (16, 9)
# The large card of Open Graph and X: 1.91:1, the size both recommend.
SOCIAL_SIZE = (1200, 630)
# Extension, Pillow format, MIME type; the browser takes the first it supports.
FORMATS = [("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg")]
ENCODER_OPTIONS = {
    "WEBP": {"quality": 80},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
}
# The src of the JPEG fallback: the copy nearest the width of the article column.
DEFAULT_WIDTH = 800


@dataclass(frozen=True)
class Rendition:
    """One copy of an image: its size, the part of the original it shows, its file stem."""

    kind: str
    width: int
    height: int
    box: tuple[int, int, int, int]  # left, upper, right, lower in the original
    stem: str  # the storage name without its extension

    def name(self, extension):
        return f"{self.stem}.{extension}"


@dataclass(frozen=True)
class Candidate:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class RenditionSet:
    """One kind of copies of an image, smallest first, in WebP and JPEG: what srcset needs."""

    webp: list[Candidate]
    jpeg: list[Candidate]

    @property
    def webp_srcset(self):
        return srcset(self.webp)

    @property
    def jpeg_srcset(self):
        return srcset(self.jpeg)

    @property
    def src(self):
        return self.default.url

    @property
    def default(self):
        return next((c for c in self.jpeg if c.width >= DEFAULT_WIDTH), self.jpeg[-1])

    @property
    def width(self):
        """The largest copy's size: <img width height> only give the browser the proportions."""
        return self.jpeg[-1].width

    @property
    def height(self):
        return self.jpeg[-1].height


def plan(name, size, focal_point, kind):
    """The copies of one kind that an image stored as `name` has, from its row alone (no I/O)."""
    width, height = size
    path = PurePosixPath(name)
    # "photo.jpg" and "photo.png" may share a folder: both parts of the name make it unique.
    prefix = path.parent / "renditions" / f"{path.stem}-{path.suffix.removeprefix('.')}"
    # Rounded to a hundredth, as the name carries it: the name then says exactly what it shows.
    focal_x, focal_y = (round(value * 100) for value in focal_point)
    rounded_focal_point = (focal_x / 100, focal_y / 100)
    if kind == "full":
        # The original's own width is offered too, up to the largest: nothing is enlarged.
        widths = sorted({w for w in FULL_WIDTHS if w < width} | {min(width, FULL_WIDTHS[-1])})
        sizes = [(w, max(1, round(height * w / width))) for w in widths]
        box, label = (0, 0, width, height), kind
    elif kind == "card":
        box = crop_box(size, CARD_RATIO, rounded_focal_point)
        # No enlargement beyond the smallest width: a bigger copy would only be blurrier.
        widths = [w for w in CARD_WIDTHS if w <= box[2] - box[0]] or CARD_WIDTHS[:1]
        sizes = [(w, round(w * CARD_RATIO[1] / CARD_RATIO[0])) for w in widths]
        label = f"{kind}-f{focal_x}-{focal_y}"
    elif kind == "social":
        box = crop_box(size, SOCIAL_SIZE, rounded_focal_point)
        # One size for every network; a smaller original is enlarged to it.
        sizes = [SOCIAL_SIZE]
        label = f"{kind}-f{focal_x}-{focal_y}"
    else:
        raise ValueError(f"Unknown kind of rendition: {kind!r} (one of {', '.join(KINDS)}).")
    return [Rendition(kind, w, h, box, f"{prefix}-{label}-{w}") for w, h in sizes]


def crop_box(size, ratio, focal_point):
    """The largest box of the given proportions in an image, centred on the focal point.

    It slides along the edges rather than leave the image: the focal point then sits off
    centre but inside the crop.
    """
    width, height = size
    ratio_width, ratio_height = ratio
    if width * ratio_height > height * ratio_width:  # wider than the crop: keep the full height
        crop_width, crop_height = max(1, round(height * ratio_width / ratio_height)), height
    else:
        crop_width, crop_height = width, max(1, round(width * ratio_height / ratio_width))
    focal_x, focal_y = focal_point
    left = min(max(round(focal_x * width - crop_width / 2), 0), width - crop_width)
    top = min(max(round(focal_y * height - crop_height / 2), 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def rendition_set(renditions, storage):
    """The URLs and widths of planned copies, for srcset (no I/O with a file system storage)."""
    by_extension = {
        extension: [
            Candidate(storage.url(rendition.name(extension)), rendition.width, rendition.height)
            for rendition in renditions
        ]
        for extension, _, _ in FORMATS
    }
    return RenditionSet(webp=by_extension["webp"], jpeg=by_extension["jpg"])


def srcset(candidates):
    return ", ".join(f"{candidate.url} {candidate.width}w" for candidate in candidates)


def write(field, renditions, *, force=False):
    """Write the copies of an image field that are missing (all of them with `force`).

    The original is decoded only when a copy is to be written, so the usual save (an edited
    caption) costs a few existence checks. Returns how many files were written.
    """
    storage = field.storage
    todo = []
    for rendition in renditions:
        formats = [
            (extension, pillow_format)
            for extension, pillow_format, _ in FORMATS
            if force or not storage.exists(rendition.name(extension))
        ]
        if formats:
            todo.append((rendition, formats))
    if not todo:
        return 0
    written = 0
    with field.open("rb"), Image.open(field) as original:
        source = prepared(original)
        # The colour profile describes the original's RGB values, and only those.
        icc_profile = original.info.get("icc_profile") if original.mode in ("RGB", "RGBA") else None
    for rendition, formats in todo:
        copy = source.resize(
            (rendition.width, rendition.height),
            Image.Resampling.LANCZOS,
            box=rendition.box,
            reducing_gap=3.0,  # shrink by whole factors first: much faster, as sharp
        )
        for extension, pillow_format in formats:
            image = flattened(copy) if pillow_format == "JPEG" else copy
            save(image, pillow_format, icc_profile, storage, rendition.name(extension))
            written += 1
    return written


def prepared(original):
    """The original as RGB, or RGBA when it has transparency, ready for resizing."""
    has_alpha = original.mode in ("RGBA", "LA", "PA") or (
        original.mode == "P" and "transparency" in original.info
    )
    return original.convert("RGBA" if has_alpha else "RGB")


def flattened(image):
    """An RGB image, transparent parts on white: JPEG has no transparency."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def save(image, pillow_format, icc_profile, storage, name):
    buffer = io.BytesIO()
    options = dict(ENCODER_OPTIONS[pillow_format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(buffer, pillow_format, **options)
    if storage.exists(name):
        storage.delete(name)  # forced: replace it, rather than get a name with a random suffix
    saved = storage.save(name, ContentFile(buffer.getvalue()))
    if saved != name:
        storage.delete(saved)  # another save wrote the same copy meanwhile: keep that one
