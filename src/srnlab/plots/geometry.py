"""Plane geometry for placing things in figures: axis-aligned boxes (a label's extent), the
segments and circles they must not hit, and a line or half-plane clipped to a box."""

from __future__ import annotations

import numpy as np

Array = np.ndarray
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def boxes_overlap(a: Box, b: Box) -> bool:
    """Do the two boxes share any area?"""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def box_hits_circle(box: Box, cx: float, cy: float, r: float) -> bool:
    """Does the box reach into the circle of radius ``r`` around (cx, cy)?"""
    nearest_x = min(max(cx, box[0]), box[2])
    nearest_y = min(max(cy, box[1]), box[3])
    return (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 < r * r


def segment_hits_box(p: Array, q: Array, box: Box) -> bool:
    """Liang-Barsky: does the segment p-q pass through the box?"""
    t0, t1 = 0.0, 1.0
    d = q - p
    for delta, lo, hi, start in ((d[0], box[0], box[2], p[0]), (d[1], box[1], box[3], p[1])):
        if abs(delta) < 1e-12:
            if start < lo or start > hi:
                return False
            continue
        ta, tb = (lo - start) / delta, (hi - start) / delta
        if ta > tb:
            ta, tb = tb, ta
        t0, t1 = max(t0, ta), min(t1, tb)
        if t0 > t1:
            return False
    return True


def line_in_box(w: Array, c: float, box: Box) -> Array | None:
    """The two ends of the line w[0] u + w[1] v + c = 0 inside the box, or None."""
    x0, y0, x1, y1 = box
    points: list[tuple[float, float]] = []
    if abs(w[1]) > 1e-12:
        for u in (x0, x1):
            v = -(w[0] * u + c) / w[1]
            if y0 - 1e-12 <= v <= y1 + 1e-12:
                points.append((u, v))
    if abs(w[0]) > 1e-12:
        for v in (y0, y1):
            u = -(w[1] * v + c) / w[0]
            if x0 - 1e-12 <= u <= x1 + 1e-12:
                points.append((u, v))
    if len(points) < 2:
        return None
    pts = np.array(points)
    far = max(
        ((i, j) for i in range(len(pts)) for j in range(i + 1, len(pts))),
        key=lambda ij: float(np.linalg.norm(pts[ij[0]] - pts[ij[1]])),
    )
    if np.linalg.norm(pts[far[0]] - pts[far[1]]) < 1e-9:
        return None
    return pts[list(far)]


def half_plane(w: Array, c: float, box: Box) -> Array:
    """The corners of the part of the box where w . p + c > 0 (Sutherland-Hodgman)."""
    x0, y0, x1, y1 = box
    corners = [np.array(p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    out: list[Array] = []
    for k, p in enumerate(corners):
        q = corners[(k + 1) % 4]
        fp, fq = float(w @ p + c), float(w @ q + c)
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            out.append(p + (q - p) * fp / (fp - fq))
    return np.array(out) if out else np.zeros((0, 2))
