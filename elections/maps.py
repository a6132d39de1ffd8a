"""The map of France's départements, read once from pygal_maps_fr's SVG (LGPL-3.0).

The source paths use relative, six-decimal coordinates (600 KB). They are converted here to
absolute whole numbers in the same 2000-unit frame and simplified to within 1.5 units (under a
pixel at the sizes the page shows), which cuts them to a tenth. Constituencies the drawing
lacks (the Pacific, Saint-Barthélemy, Saint-Martin, the French abroad) are labelled tiles.
"""

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from xml.etree import ElementTree

SVG_NS = "{http://www.w3.org/2000/svg}"
# The parts of the source drawing, with the translation each applies to its paths.
TRANSLATE = re.compile(r"translate\(([-\d.]+),([-\d.]+)\)")
TOKEN = re.compile(r"[a-zA-Z]|-?\d*\.?\d+(?:e-?\d+)?")
TILE = 100  # side of a tile, in map units
TILE_GAP = 34


@dataclass(frozen=True)
class Shape:
    code: str
    path: str  # absolute, whole-number SVG path data
    box: tuple[int, int, int, int]  # x, y, width, height
    is_inset: bool  # the enlarged Paris area, a second drawing of 75, 92, 93 and 94

    @property
    def centre(self):
        x, y, width, height = self.box
        return x + width / 2, y + height / 2


@dataclass(frozen=True)
class Tile:
    code: str
    x: int
    y: int
    size: int
    label: str

    @property
    def centre(self):
        return self.x + self.size / 2, self.y + self.size / 2


@dataclass(frozen=True)
class FranceMap:
    view_box: str
    shapes: tuple[Shape, ...]
    tiles: tuple[Tile, ...]


# Constituencies without a shape in the drawing, as tiles: code, short label.
TILE_LABELS = {
    "977": "St-Barth",
    "978": "St-Martin",
    "986": "Wallis",
    "987": "Polynésie",
    "988": "N.-Cal.",
    "FEHF-S1": "Étr. 1",
    "FEHF-S2": "Étr. 2",
}


def polylines(data, dx=0.0, dy=0.0):
    """The subpaths of SVG path data as lists of absolute points (curves by their end points)."""
    tokens = TOKEN.findall(data)
    lines, line = [], []
    x = y = 0.0
    command, index = None, 0
    sizes = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "zZ":
                if line:
                    lines.append(line)
                    x, y = line[0][0] - dx, line[0][1] - dy
                line = []
                continue
        upper = command.upper()
        if upper not in sizes:
            raise ValueError(f"unsupported path command {command!r}")
        values = [float(value) for value in tokens[index : index + sizes[upper]]]
        index += sizes[upper]
        relative = command.islower()
        if upper == "H":
            x = x + values[0] if relative else values[0]
        elif upper == "V":
            y = y + values[0] if relative else values[0]
        else:
            x, y = (values[-2] + x, values[-1] + y) if relative else (values[-2], values[-1])
        if upper == "M":
            if line:
                lines.append(line)
            line = []
            command = "l" if relative else "L"  # further pairs after a move are lines
        line.append((x + dx, y + dy))
    if line:
        lines.append(line)
    return lines


def simplified(points, tolerance):
    """Ramer–Douglas–Peucker: drop the points that stray less than `tolerance` from the line."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    farthest, distance = 0, -1.0
    for index, (x, y) in enumerate(points[1:-1], start=1):
        if length:
            gap = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
        else:
            gap = math.hypot(x - x1, y - y1)
        if gap > distance:
            farthest, distance = index, gap
    if distance <= tolerance:
        return [points[0], points[-1]]
    return simplified(points[: farthest + 1], tolerance)[:-1] + simplified(
        points[farthest:], tolerance
    )


def compact_path(data, dx=0.0, dy=0.0, tolerance=1.5):
    """Absolute, simplified, whole-number path data, and the shape's bounding box."""
    parts, xs, ys = [], [], []
    for line in polylines(data, dx, dy):
        points = simplified(line, tolerance)
        if len(points) < 3:
            continue  # a speck smaller than the tolerance
        xs.extend(x for x, _ in points)
        ys.extend(y for _, y in points)
        coordinates = " ".join(f"{round(x)} {round(y)}" for x, y in points)
        parts.append(f"M{coordinates}Z")
    box = (round(min(xs)), round(min(ys)), round(max(xs) - min(xs)), round(max(ys) - min(ys)))
    return "".join(parts), box


@cache
def france_map():
    """The départements as shapes, plus tiles for the constituencies the drawing lacks."""
    source = files("pygal_maps_fr").joinpath("fr.departments.svg").read_bytes()
    root = ElementTree.fromstring(source)
    shapes = []
    for part in root.findall(f"{SVG_NS}g"):
        match = TRANSLATE.search(part.get("transform", ""))
        dx, dy = (float(match[1]), float(match[2])) if match else (0.0, 0.0)
        is_inset = part.get("id") == "paris-petite-couronne"
        for group in part.iter(f"{SVG_NS}g"):
            code = next(
                (name[1:] for name in group.get("class", "").split() if name.startswith("z")),
                None,
            )
            path = group.find(f"{SVG_NS}path")
            if code and path is not None:
                data, box = compact_path(path.get("d"), dx, dy)
                shapes.append(Shape(code, data, box, is_inset))
    right = max(shape.box[0] + shape.box[2] for shape in shapes)
    bottom = max(shape.box[1] + shape.box[3] for shape in shapes)
    # The tiles stand in a row under the drawing, from the right edge leftwards.
    y = bottom + 40
    tiles = []
    for position, (code, label) in enumerate(reversed(TILE_LABELS.items())):
        x = right - (position + 1) * TILE - position * TILE_GAP
        tiles.append(Tile(code, x, y, TILE, label))
    tiles.reverse()
    left = min(shape.box[0] for shape in shapes)
    top = min(shape.box[1] for shape in shapes)
    view_box = f"{left - 10} {top - 10} {right - left + 20} {y + TILE + 50 - top}"
    return FranceMap(view_box, tuple(shapes), tuple(tiles))


DOT_RADIUS = 9
DOT_STEP = 21
DOTS_PER_ROW = 4
# The Paris départements are too small on the main drawing: their seats go on the inset.
INSET_CODES = {"75", "92", "93", "94"}


@dataclass(frozen=True)
class Area:
    """One constituency on the map: its outline or tile, its state, a dot per seat."""

    shape: Shape | None
    tile: Tile | None
    race: object  # elections.results.RaceState
    dots: tuple[tuple[float, float, str], ...]  # x, y, bloc ("" while unknown)
    is_focusable: bool


def seat_dots(centre, blocs):
    """Dots in rows of four, centred on the area."""
    cx, cy = centre
    rows = [blocs[i : i + DOTS_PER_ROW] for i in range(0, len(blocs), DOTS_PER_ROW)]
    dots = []
    for row_index, row in enumerate(rows):
        y = cy + (row_index - (len(rows) - 1) / 2) * DOT_STEP
        for index, bloc in enumerate(row):
            x = cx + (index - (len(row) - 1) / 2) * DOT_STEP
            dots.append((round(x, 1), round(y, 1), bloc))
    return tuple(dots)


def map_areas(races):
    """The map's areas for these constituencies (elections.results.RaceState objects)."""
    drawing = france_map()
    by_code = {race.code: race for race in races}
    areas = []
    for shape in drawing.shapes:
        race = by_code.get(shape.code)
        if race is None:
            continue
        main_of_inset = shape.code in INSET_CODES and not shape.is_inset
        areas.append(
            Area(
                shape=shape,
                tile=None,
                race=race,
                dots=() if main_of_inset else seat_dots(shape.centre, seat_blocs(race)),
                is_focusable=not main_of_inset,
            )
        )
    for tile in drawing.tiles:
        race = by_code.get(tile.code)
        if race is not None:
            areas.append(Area(None, tile, race, seat_dots(tile.centre, seat_blocs(race)), True))
    return areas


def seat_blocs(race):
    known = [elected.bloc for elected in race.elected]
    if race.state == "not_renewed":
        return []
    return known + [""] * (race.seats - len(known))
