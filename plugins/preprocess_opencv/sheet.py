"""Find the sheet of paper in a phone photo and undo its perspective.

The paper is the largest bright, four-cornered region that does not already fill the frame and is
clearly brighter than what surrounds it (a desk, a wall). Scans and clean images fill the frame and
pass through untouched.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 640
EDGE_TRIM = 0.012  # the search runs on a small copy: corners need no more resolution than this


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    pts = pts.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(1), np.diff(pts, axis=1).ravel()
    return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], np.float32)


def _quad(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2)
    return None


def find_sheet(image: np.ndarray) -> np.ndarray | None:
    """Corners (4x2, full-resolution pixels, ordered) of the paper, or None when there is no sheet
    distinct from its background."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    scale = WORK_SIDE / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Close the text and rules into the paper; open away thin bright bits of the background.
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
    cnts, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not cnts:
        return None
    c = max(cnts, key=cv2.contourArea)
    frac = cv2.contourArea(c) / float(small.shape[0] * small.shape[1])
    if not 0.15 <= frac <= 0.93:
        return None
    q = _quad(c)
    if q is None:
        return None
    mask = np.zeros_like(small)
    cv2.fillConvexPoly(mask, q.astype(np.int32), 255)
    inside, outside = small[mask > 0], small[mask == 0]
    if outside.size < 0.03 * small.size or float(np.median(inside)) - float(np.median(outside)) < 40:
        return None  # the "background" is part of the page (a header bar, a margin)
    if _sides_on_frame(q, small.shape[1], small.shape[0]) >= 2:
        return None  # the frame cuts it: a region of a screenshot, or a page filling the photo
    return order_corners(q / scale)


FRAME_TOUCH = 0.01  # of the side: a corner this close to the frame's edge lies on it


def _sides_on_frame(q: np.ndarray, w: int, h: int) -> int:
    """How many of the frame's sides a corner of the quad lies on. A sheet on a desk lies inside the
    frame (or runs off one side); a region the frame bounds on two sides or more is a screen's
    window or panel, where warping would shear it or trim its text."""
    xs, ys = q[:, 0], q[:, 1]
    tx, ty = FRAME_TOUCH * w + 1, FRAME_TOUCH * h + 1
    corners_on = [(xs <= tx).sum(), (xs >= w - 1 - tx).sum(), (ys <= ty).sum(), (ys >= h - 1 - ty).sum()]
    return sum(int(n) >= 1 for n in corners_on)


def warp_sheet(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    out = cv2.warpPerspective(
        image, m, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    # Trim a thin margin: the found edge is never exact, and a sliver of desk along it reads as a
    # ruling line. Printed matter keeps a wider margin than this.
    dy, dx = int(height * EDGE_TRIM), int(width * EDGE_TRIM)
    return out[dy : height - dy, dx : width - dx]
