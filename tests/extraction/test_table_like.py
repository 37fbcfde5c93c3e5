"""Pages that plainly hold a table of text, whatever it says, and pages that do not."""

from __future__ import annotations

from core.extraction.model import Page, Word
from core.extraction.table_like import holds_a_table


def _page(rows: list[list[str]], col_width: float) -> Page:
    """Each row's pieces of text at fixed column starts (col_width apart), words 6 units per letter."""
    words = []
    for r, row in enumerate(rows):
        for c, piece in enumerate(row):
            x = 40.0 + c * col_width
            for tok in piece.split():
                words.append(Word(tok, x, 40.0 + 24 * r, x + 6 * len(tok), 52.0 + 24 * r))
                x += 6 * len(tok) + 4
    return Page(number=1, width=900, height=800, words=words, source="pdf_text")


def test_a_grid_of_text_in_an_unknown_language_holds_a_table() -> None:
    rows = [["Heure", "Lundi", "Mardi", "Mercredi"]] + [
        [f"{h}h00", "Maths", "Chimie", "Dessin"] for h in range(8, 13)
    ]
    assert holds_a_table([_page(rows, 160)])


def test_a_letter_holds_no_table() -> None:
    prose = "Dear parents we are writing to tell you about the trip to the museum next week"
    rows = [[prose[i:] + " and more"] for i in range(0, 30, 3)]
    assert not holds_a_table([_page(rows, 160)])
    assert not holds_a_table([Page(number=1, width=900, height=800)])  # a photo with no words
