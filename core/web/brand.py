"""A school's brand made safe for the app: colours checked, and text colours that keep WCAG AA contrast."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.db.tables import Tenant
from core.schools.service import school_settings, shown_name
from core.schools.settings import DEFAULTS

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
AA = 4.5  # WCAG AA for normal text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on the background."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#ffffff") else "#ffffff"


def darken_until_readable(colour: str, on: str = "#ffffff") -> str:
    """The colour, darkened step by step until text in it reads on `on` (a pale brand still gets AA links)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    current = colour
    while contrast(current, on) < AA and (r or g or b):
        r, g, b = int(r * 0.9), int(g * 0.9), int(b * 0.9)
        current = f"#{r:02x}{g:02x}{b:02x}"
    return current


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


@dataclass(frozen=True)
class AppBrand:
    name: str = "Timetabler"
    slug: str | None = None  # set when the path names the school (/t/{slug}/app/)
    of_a_school: bool = False  # the address names a school, by path or subdomain
    logo_url: str | None = None
    primary: str = DEFAULTS.primary_color
    accent: str = DEFAULTS.accent_color

    @property
    def short_name(self) -> str:
        # Home screens cut names at about 12 characters: keep whole words while they fit.
        if len(self.name) <= 12:
            return self.name
        words: list[str] = []
        for word in self.name.split():
            if len(" ".join([*words, word])) > 12:
                break
            words.append(word)
        return " ".join(words) or self.name[:12]

    @property
    def on_primary(self) -> str:
        return text_on(self.primary)

    @property
    def ink(self) -> str:
        """The brand colour for text and focus rings on white."""
        return darken_until_readable(self.primary)

    @property
    def on_accent(self) -> str:
        return text_on(self.accent)

    @property
    def base(self) -> str:
        """Where this school's app lives: /t/{slug}/app/ or /app/."""
        return f"/t/{self.slug}/app/" if self.slug else "/app/"


def _colour(value: str | None, fallback: str) -> str:
    # Colours land in CSS and in icons: anything but #rrggbb is dropped, whatever was stored.
    return value if value and _COLOR.match(value) else fallback


async def brand_of(school: Tenant | None, *, slug_in_path: bool) -> AppBrand:
    if school is None:
        return AppBrand()
    values, _ = await school_settings(school)
    logo = values.logo_url if values.logo_url and values.logo_url.startswith(("https://", "/")) else None
    return AppBrand(
        name=shown_name(school, values)[:60],
        slug=school.slug if slug_in_path else None,
        of_a_school=True,
        logo_url=logo,
        primary=_colour(values.primary_color, DEFAULTS.primary_color),
        accent=_colour(values.accent_color, DEFAULTS.accent_color),
    )
