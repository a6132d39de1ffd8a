"""Abstract pictures for the demo: lead images per theme and authors' portraits, drawn with Pillow.

A lead image is planned first (shapes and alt text, cheap and deterministic for a given seed), and
only drawn when its file is missing, so a second run of `load_demo` computes the alt text alone.
"""

import io
import itertools
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900
# Drawn at twice the size then reduced: Pillow draws circles without anti-aliasing.
SUPERSAMPLING = 2


@dataclass(frozen=True)
class Colour:
    value: str
    name: str


@dataclass(frozen=True)
class Palette:
    background: Colour
    colours: tuple


PALETTES = [
    Palette(
        Colour("#f5f0e6", "crème"),
        (
            Colour("#1b2a4a", "bleu nuit"),
            Colour("#b23a2e", "rouge brique"),
            Colour("#265e46", "vert sapin"),
            Colour("#cc9128", "ocre"),
        ),
    ),
    Palette(
        Colour("#16203a", "bleu nuit"),
        (
            Colour("#f3ead8", "crème"),
            Colour("#f07c62", "corail"),
            Colour("#3fb8af", "turquoise"),
            Colour("#f2c94c", "jaune"),
        ),
    ),
    Palette(
        Colour("#e4e6e9", "gris perle"),
        (
            Colour("#7a1f3d", "bordeaux"),
            Colour("#2451a6", "bleu roi"),
            Colour("#d9a521", "moutarde"),
            Colour("#3a3f47", "anthracite"),
        ),
    ),
    Palette(
        Colour("#dcece4", "vert d’eau"),
        (
            Colour("#1f5c4a", "vert sapin"),
            Colour("#e46f2c", "orange"),
            Colour("#1d5f80", "bleu pétrole"),
            Colour("#6b3a6b", "prune"),
        ),
    ),
]


@dataclass(frozen=True)
class Sketch:
    """What a lead image will show: its alt text and its shapes, in 1600 × 900 coordinates."""

    alt: str
    background: Colour
    shapes: list

    def jpeg(self):
        size = (WIDTH * SUPERSAMPLING, HEIGHT * SUPERSAMPLING)
        image = Image.new("RGB", size, self.background.value)
        draw = ImageDraw.Draw(image)
        for method, box, options in self.shapes:
            scaled = [value * SUPERSAMPLING for value in box]
            options = {
                key: value.value if isinstance(value, Colour) else value
                for key, value in options.items()
            }
            if "width" in options:
                options["width"] = round(options["width"] * SUPERSAMPLING)
            getattr(draw, method)(scaled, **options)
        image = image.reduce(SUPERSAMPLING)  # a box filter: fast, and exact at 2×
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85, optimize=True)
        return buffer.getvalue()


def sketch(kind, seed):
    """Plan the lead image of one kind ("hemicycle", "bars", …) from an integer seed."""
    rng = random.Random(seed)
    palette = rng.choice(PALETTES)
    shapes, description = KINDS[kind](rng, palette)
    # The colours in the order they first appear, so the alt text names only what is drawn.
    used = [option for _, _, options in shapes for option in options.values()]
    names = list(dict.fromkeys(colour.name for colour in used if isinstance(colour, Colour)))
    alt = (
        f"Illustration abstraite : {description}, en {french_list(names)}, "
        f"sur fond {palette.background.name}."
    )
    return Sketch(alt=alt, background=palette.background, shapes=shapes)


def french_list(words):
    return " et ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def disc(x, y, radius, fill):
    return ("ellipse", (x - radius, y - radius, x + radius, y + radius), {"fill": fill})


def hemicycle(rng, palette):
    """Seats in concentric rows, coloured by blocks from left to right like political groups."""
    rows = rng.randint(7, 11)
    inner, outer = 230, 640
    centre_x, centre_y = WIDTH / 2, HEIGHT - 120
    step = (outer - inner) / (rows - 1)
    groups = rng.randint(3, 4)
    shares = sorted(rng.uniform(0.15, 1) for _ in range(groups - 1))
    total = shares[-1] + rng.uniform(0.2, 0.8)
    bounds = [share / total for share in shares]
    colours = rng.sample(palette.colours, groups)
    shapes, seats = [], 0
    for row in range(rows):
        radius = inner + row * step
        count = int(math.pi * radius / (step * 1.05))
        for seat in range(count):
            share = seat / (count - 1)
            angle = math.pi * (1 - share)
            group = sum(share > bound for bound in bounds)
            x = centre_x + radius * math.cos(angle)
            y = centre_y - radius * math.sin(angle)
            shapes.append(disc(x, y, step * 0.34, colours[group]))
            seats += 1
    # The government benches and the speaker's desk at the foot of the half-circle.
    desk = (centre_x - 150, centre_y - 40, centre_x + 150, centre_y + 10)
    shapes.append(("rounded_rectangle", desk, {"radius": 12, "fill": rng.choice(palette.colours)}))
    description = (
        f"un hémicycle de {seats} points disposés en {rows} rangées concentriques, "
        f"répartis en {groups} blocs de couleur"
    )
    return shapes, description


def bars(rng, palette):
    """A bar chart with a broken line across it."""
    count = rng.randint(8, 16)
    left, right, bottom, top = 140, WIDTH - 140, HEIGHT - 140, 140
    slot = (right - left) / count
    height = rng.uniform(0.3, 0.7)
    colours = rng.sample(palette.colours, 3)
    shapes, points = [], []
    for index in range(count):
        height = min(0.95, max(0.12, height + rng.uniform(-0.18, 0.2)))
        x = left + index * slot + slot * 0.15
        y = bottom - height * (bottom - top)
        shapes.append(("rectangle", (x, y, x + slot * 0.7, bottom), {"fill": colours[index % 2]}))
        points.append((x + slot * 0.35, y - rng.uniform(30, 110)))
    shapes.append(("rectangle", (left - 20, bottom, right + 20, bottom + 8), {"fill": colours[2]}))
    flat = [value for point in points for value in point]
    shapes.append(("line", flat, {"fill": colours[2], "width": 10, "joint": "curve"}))
    shapes.extend(disc(x, y, 14, colours[2]) for x, y in points)
    description = (
        f"un histogramme de {count} barres de hauteurs variées, traversé d’une ligne brisée"
    )
    return shapes, description


def grid(rng, palette):
    """An imaginary map: square cells shared between a few regions, with sea around the coast."""
    cell, gap = 50, 6
    columns, rows = WIDTH // cell, HEIGHT // cell
    regions = [
        (rng.uniform(0.25, 0.75) * columns, rng.uniform(0.2, 0.8) * rows)
        for _ in range(rng.randint(4, 7))
    ]
    colours = [palette.colours[index % len(palette.colours)] for index in range(len(regions))]
    bumps = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    shapes, land = [], 0
    # A margin of one cell all round keeps the coast inside the frame.
    for row in range(1, rows - 1):
        for column in range(1, columns - 1):
            dx, dy = (column - columns / 2) / (columns / 2), (row - rows / 2) / (rows / 2)
            angle = math.atan2(dy, dx)
            coast = 0.75 + 0.12 * sum(math.sin((i + 2) * angle + b) for i, b in enumerate(bumps))
            if math.hypot(dx, dy) > coast:
                continue
            nearest = min(
                range(len(regions)),
                key=lambda i: (regions[i][0] - column) ** 2 + (regions[i][1] - row) ** 2,
            )
            x, y = column * cell + gap, row * cell + gap
            shapes.append(
                ("rectangle", (x, y, x + cell - gap, y + cell - gap), {"fill": colours[nearest]})
            )
            land += 1
    description = (
        f"une carte imaginaire faite de {land} carrés, découpée en {len(regions)} "
        "territoires colorés"
    )
    return shapes, description


def globe(rng, palette):
    """A globe with meridians and parallels, and arcs linking a few points on it."""
    centre_x, centre_y, radius = WIDTH / 2, HEIGHT / 2, 360
    ink, land, link = rng.sample(palette.colours, 3)
    box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
    shapes = [("ellipse", box, {"outline": ink, "width": 8})]
    for fraction in (0.25, 0.55, 0.85):
        half = radius * fraction
        meridian = (centre_x - half, centre_y - radius, centre_x + half, centre_y + radius)
        shapes.append(("ellipse", meridian, {"outline": ink, "width": 4}))
    for fraction in (-0.66, -0.33, 0, 0.33, 0.66):
        y = centre_y + fraction * radius
        half = radius * math.sqrt(1 - fraction**2)
        shapes.append(("line", (centre_x - half, y, centre_x + half, y), {"fill": ink, "width": 4}))
    count = rng.randint(4, 7)
    points = []
    for _ in range(count):
        angle, distance = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.uniform(0.05, 0.8))
        points.append(
            (centre_x + distance * math.cos(angle), centre_y + distance * math.sin(angle))
        )
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        lift = math.hypot(x2 - x1, y2 - y1) * 0.3
        middle = ((x1 + x2) / 2, (y1 + y2) / 2 - lift)
        arc = [value for t in range(11) for value in bezier((x1, y1), middle, (x2, y2), t / 10)]
        shapes.append(("line", arc, {"fill": link, "width": 7, "joint": "curve"}))
    shapes.extend(disc(x, y, 18, land) for x, y in points)
    description = (
        f"un globe stylisé parcouru de méridiens et de parallèles, où {count - 1} arcs "
        f"relient {count} points"
    )
    return shapes, description


def bezier(start, control, end, t):
    return tuple(
        (1 - t) ** 2 * a + 2 * (1 - t) * t * b + t**2 * c
        for a, b, c in zip(start, control, end, strict=True)
    )


def crowd(rng, palette):
    """Rows of simple silhouettes, a head over shoulders, the back rows smaller."""
    shapes, people = [], 0
    for y, size in [(150, 36), (340, 46), (550, 58), (780, 70)]:
        count = int(WIDTH / (size * 2.6))
        offset = rng.uniform(0, size)
        for index in range(count + 1):
            x = offset + index * WIDTH / count + rng.uniform(-size / 3, size / 3)
            colour = rng.choice(palette.colours)
            shoulders = (x - size * 1.1, y + size * 0.9, x + size * 1.1, y + size * 3.2)
            shapes.append(("pieslice", shoulders, {"start": 180, "end": 360, "fill": colour}))
            shapes.append(disc(x, y, size * 0.62, colour))
            people += 1
    description = (
        f"une foule stylisée de {people} silhouettes, chacune faite d’un disque et d’un demi-ovale"
    )
    return shapes, description


KINDS = {"hemicycle": hemicycle, "bars": bars, "grid": grid, "globe": globe, "crowd": crowd}


def portrait(initials, colour, *, size=480):
    """A round badge with initials in white, as a PNG with a transparent background."""
    big = size * SUPERSAMPLING
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=colour)
    font = ImageFont.load_default(size=big * 0.38)
    draw.text((big / 2, big / 2), initials, fill="white", font=font, anchor="mm")
    image = image.reduce(SUPERSAMPLING)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
