"""Every font face installed on this machine (`fc-list`), for the randomised generator.

A face is one regular, italic or light file that draws Latin text; its bold is the file of the same
name with "-Bold" where one exists (else the face itself). Each face gets a class from its family name
(serif, mono, condensed, handwriting, sans), which the benchmark breaks F1 down by.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from PIL import ImageFont

HANDWRITING = (
    "Comic",
    "Kalam",
    "Caveat",
    "Patrick Hand",
    "Indie Flower",
    "Architects",
    "Gochi",
    "Shadows Into Light",
    "Chalk",
    "Handlee",
    "Schoolbell",
    "Segoe Print",
    "Script",
    "Hand",
)
_BOLD = re.compile(r"(?i)bold|black|heavy|semibold")


@cache
def _installed() -> dict[str, tuple[str, str]]:
    """File stem -> (file, family) of every TrueType or OpenType file fc-list knows."""
    try:
        out = subprocess.run(["fc-list", ":", "file", "family"], capture_output=True, text=True, timeout=20)
        lines = out.stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        lines = []
    files = {}
    for line in lines:
        path, _, family = line.partition(":")
        if path.endswith((".ttf", ".otf")):
            files[Path(path).stem] = (path, family.strip())
    return files


@cache
def faces() -> dict[str, tuple[str, str]]:
    """Face name (the file's stem) -> (regular file, bold file), every installed Latin face."""
    files = _installed()
    found = {}
    for stem, (path, _family) in sorted(files.items()):
        if _BOLD.search(stem) or not _draws_latin(path):
            continue
        bold = files.get(_bold_stem(stem), (path, ""))[0]
        found[stem] = (path, bold)
    return found


def _bold_stem(stem: str) -> str:
    for plain, heavy in (("-Oblique", "-BoldOblique"), ("-Italic", "-BoldItalic")):
        if stem.endswith(plain):
            return stem[: -len(plain)] + heavy
    return re.sub(r"-(Regular|Light|ExtraLight)$", "", stem) + "-Bold"


def _draws_latin(path: str) -> bool:
    """False for symbol fonts: their letters are all the same missing-glyph box."""
    try:
        font = ImageFont.truetype(path, 40)
    except OSError:
        return False
    masks = {bytes(font.getmask(ch)) for ch in "aMo8"}
    return len(masks) == 4


def face_class(face: str) -> str:
    """serif | mono | condensed | handwriting | sans, from the face's name."""
    name = f"{face} {_installed().get(face, ('', ''))[1]}"
    if any(h.lower() in name.lower() for h in HANDWRITING):
        return "handwriting"
    if "Mono" in name or "Courier" in name:
        return "mono"
    if "Condensed" in name or "Narrow" in name:
        return "condensed"
    if "Serif" in face or "Times" in name or "Gyre" in name:
        return "serif"
    return "sans"


def face_file(face: str, bold: bool) -> str:
    regular, heavy = faces()[face]
    return heavy if bold else regular


@cache
def _unit_font(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, 100)


def text_width(text: str, face: str, size: float, bold: bool = False) -> float:
    """The width in points of one line of text at `size` points."""
    return _unit_font(face_file(face, bold)).getlength(text) * size / 100


def base14(face: str) -> tuple[str, str]:
    """The standard PDF fonts nearest the face (a text PDF names them, no embedding)."""
    cls = face_class(face)
    if cls == "mono":
        return "Courier", "Courier-Bold"
    if cls == "serif":
        return "Times-Roman", "Times-Bold"
    return "Helvetica", "Helvetica-Bold"
