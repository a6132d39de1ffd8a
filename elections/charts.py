"""Geometry for the results pages: the hemicycle's seats. Drawn by templates as inline SVG."""

import math
from dataclasses import dataclass

INNER_RADIUS = 0.4  # the empty well in the middle, as a share of the outer radius


@dataclass(frozen=True)
class Seat:
    x: float
    y: float


def hemicycle_seats(count, *, width=400):
    """`count` seat positions on concentric half-rings, from the far left to the far right.

    Rows hold seats in proportion to their length, and the number of rows makes the gap
    between rings close to the gap between seats, as parliament diagrams do.
    """
    if count <= 0:
        return [], 0.0
    # rows × (rows − 1) ≈ 2N(1 − r0) / (π(1 + r0)) equalises the two gaps.
    target = 2 * count * (1 - INNER_RADIUS) / (math.pi * (1 + INNER_RADIUS))
    rows = max(1, round((1 + math.sqrt(1 + 4 * target)) / 2))
    radii = [
        INNER_RADIUS + (1 - INNER_RADIUS) * row / (rows - 1) if rows > 1 else 1.0
        for row in range(rows)
    ]
    shares = [count * radius / sum(radii) for radius in radii]
    per_row = [math.floor(share) for share in shares]
    # Hand the seats lost to rounding down to the rows that lost the most.
    for row in sorted(range(rows), key=lambda r: per_row[r] - shares[r])[: count - sum(per_row)]:
        per_row[row] += 1
    half = width / 2
    placed = []
    for radius, seats in zip(radii, per_row, strict=True):
        for index in range(seats):
            angle = math.pi * (1 - index / (seats - 1)) if seats > 1 else math.pi / 2
            placed.append((angle, -radius, radius))
    # Left to right by angle; along one ray, the inner ring first.
    placed.sort(key=lambda seat: (-seat[0], seat[1]))
    spacing = (1 - INNER_RADIUS) / max(rows - 1, 1)
    dot = min(spacing * 0.42, 0.05) * half
    seats = [
        Seat(
            round(half + radius * half * 0.96 * math.cos(angle), 2),
            round(half - radius * half * 0.96 * math.sin(angle) + dot, 2),
        )
        for angle, _, radius in placed
    ]
    return seats, round(dot, 2)
