"""The term, holidays, time zone and breaks settings: checked with messages that say what to fix."""

from __future__ import annotations

import pytest

from core.schools.settings import SettingsError, effective, parse_overrides, validate

ENGINES = {"ocr_engines": {"tesseract"}, "llm_engines": set()}


def check(body: dict) -> None:
    validate(effective({}, parse_overrides(body)), **ENGINES)


def refusal(body: dict) -> str:
    with pytest.raises(SettingsError) as raised:
        check(body)
    return str(raised.value)


def test_a_sensible_term_is_accepted() -> None:
    check(
        {
            "termStart": "2026-09-02",
            "termEnd": "2026-12-18",
            "holidays": [{"start": "2026-10-26", "end": "2026-10-30", "name": "Half term"}],
            "timezone": "Australia/Sydney",
            "calendarIncludeBreaks": True,
        }
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"termStart": "2026-12-18", "termEnd": "2026-09-02"}, "ends (2026-09-02) before"),
        ({"termStart": "2026-09-02"}, "set both termStart and termEnd"),
        ({"termStart": "02/09/2026", "termEnd": "2026-12-18"}, "use YYYY-MM-DD"),
        ({"termStart": "2026-02-30", "termEnd": "2026-12-18"}, "not a real date"),
        ({"timezone": "Europe/Narnia"}, "IANA name like Europe/London"),
        (
            {
                "termStart": "2026-09-02",
                "termEnd": "2026-12-18",
                "holidays": [{"start": "2027-02-15", "end": "2027-02-19", "name": "Spring half term"}],
            },
            "not inside the term",
        ),
        (
            {"holidays": [{"start": "2026-10-30", "end": "2026-10-26", "name": "Backwards"}]},
            "ends (2026-10-26)",
        ),
        ({"holidays": [{"start": "2026-10-26"}]}, 'needs a "start" and an "end"'),
        ({"holidays": "half term"}, "JSON list"),
    ],
)
def test_nonsense_is_refused_saying_what_to_fix(body: dict, message: str) -> None:
    assert message in refusal(body)


def test_the_console_text_form_of_a_saved_value_is_read_back() -> None:
    from admin.forms import shown

    # The admin console shows every stored value as text and posts it back unchanged.
    saved = [{"start": "2026-10-26", "end": "2026-10-30", "name": "Half term"}]
    body = parse_overrides({"holidays": shown(saved), "calendarIncludeBreaks": shown(True)})
    assert body == {"holidays": saved, "calendarIncludeBreaks": True}
