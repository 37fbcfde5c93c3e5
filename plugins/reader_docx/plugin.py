"""Reads DOCX files: tables (with gridSpan / vMerge merged cells) and paragraphs.

The output is the same intermediate form a scanned page gives: words on a synthetic page grid and
the rules between cells, drawn only where two different cells meet, so the ruled-grid interpretation
reads merged cells exactly as it does on a PDF or an image.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from core.plugin_api import DocumentUnreadable, Page, Rule, Word, check_docx, hookimpl

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COL_W = 160.0  # synthetic page units per grid column
LINE_H = 14.0  # synthetic line height
CHAR_W = 7.0
PAD = 6.0


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements that only wrap others: a content control, custom XML, an edit's insertion. Word files
# from templates and forms put whole tables, rows or cells inside them.
WRAPPERS = {W + "sdt": W + "sdtContent", W + "customXml": None, W + "ins": None, W + "smartTag": None}


def _children(el, tags: tuple[str, ...]) -> list:  # noqa: ANN001
    """el's children of the given tags, looking through wrapper elements."""
    out = []
    for child in el:
        if child.tag in tags:
            out.append(child)
        elif child.tag in WRAPPERS:
            inner = child.find(WRAPPERS[child.tag]) if WRAPPERS[child.tag] else child
            if inner is not None:
                out += _children(inner, tags)
    return out


def _para_text(p) -> list[str]:  # noqa: ANN001 (lxml element)
    """A paragraph's text split at explicit line breaks. A drawing's text box is written twice, as
    DrawingML and as its VML fallback: only the first is read."""
    lines, cur = [], []
    for el in p.iter():
        if el.tag == MC + "Fallback" or any(a.tag == MC + "Fallback" for a in el.iterancestors()):
            continue
        if el.tag == W + "t" and el.text:
            cur.append(el.text)
        elif el.tag == W + "tab" and el.getparent().tag != W + "tabs":  # not a tab stop's definition
            cur.append("  ")
        elif el.tag in (W + "br", W + "cr"):
            lines.append("".join(cur))
            cur = []
    lines.append("".join(cur))
    return lines


def _cell_lines(tc) -> list[str]:  # noqa: ANN001
    out: list[str] = []
    for p in tc.iter(W + "p"):
        if any(a.tag == MC + "Fallback" for a in p.iterancestors()):
            continue
        out += _para_text(p)
    return [ln for ln in (x.strip() for x in out) if ln]


def _column_widths(owner: list[list[int]], texts: dict[int, list[str]], ncols: int) -> list[float]:
    """Each grid column as wide as its longest line needs (COL_W at least): a line wider than its
    cell would run over the rule into the next cell and read as part of it. A cell spanning
    columns widens them all alike when together they are too narrow."""
    widths = [COL_W] * ncols
    spans: dict[int, tuple[int, int]] = {}
    for row in owner:
        for c, cid in enumerate(row):
            a, b = spans.get(cid, (c, c))
            spans[cid] = (min(a, c), max(b, c))
    for cid, (a, b) in sorted(spans.items(), key=lambda kv: kv[1][1] - kv[1][0]):
        need = max((len(t) * CHAR_W for t in texts[cid]), default=0.0) + 2 * PAD
        have = sum(widths[a : b + 1])
        if need > have:
            extra = (need - have) / (b - a + 1)
            for c in range(a, b + 1):
                widths[c] += extra
    return widths


def _words_for_line(text: str, x_centre: float, y: float) -> list[Word]:
    """Lay a line's words out centred on x_centre at top y, with widths by character count."""
    tokens = text.split()
    total = sum(len(t) for t in tokens) * CHAR_W + CHAR_W * max(len(tokens) - 1, 0)
    x = x_centre - total / 2
    words = []
    for t in tokens:
        w = len(t) * CHAR_W
        words.append(Word(t, x, y, x + w, y + LINE_H * 0.8))
        x += w + CHAR_W
    return words


class _Layout:
    def __init__(self) -> None:
        self.y = PAD
        self.words: list[Word] = []
        self.rules: list[Rule] = []
        self.width = COL_W * 2

    def paragraph(self, p) -> None:  # noqa: ANN001
        for text in _para_text(p):
            if text.strip():
                x = PAD
                for t in text.split():
                    w = len(t) * CHAR_W
                    self.words.append(Word(t, x, self.y, x + w, self.y + LINE_H * 0.8))
                    x += w + CHAR_W
                self.width = max(self.width, x + PAD)
            self.y += LINE_H * 1.3

    def table(self, tbl) -> None:  # noqa: ANN001
        # Resolve the grid: owner[r][c] = id of the cell covering that grid slot.
        rows = _children(tbl, (W + "tr",))
        owner: list[list[int]] = []
        texts: dict[int, list[str]] = {}
        next_id = 0
        for r, tr in enumerate(rows):
            row: list[int] = []
            pr_row = tr.find(W + "trPr")
            before = pr_row.find(W + "gridBefore") if pr_row is not None else None
            for _ in range(int(before.get(W + "val", "0") or 0) if before is not None else 0):
                row.append(next_id)  # grid columns the row leaves out before its first cell
                texts[next_id] = []
                next_id += 1
            for tc in _children(tr, (W + "tc",)):
                pr = tc.find(W + "tcPr")
                span, vmerge = 1, None
                if pr is not None:
                    gs = pr.find(W + "gridSpan")
                    if gs is not None:
                        span = int(gs.get(W + "val", "1") or 1)
                    vm = pr.find(W + "vMerge")
                    if vm is not None:
                        vmerge = vm.get(W + "val", "continue")
                c = len(row)
                if vmerge == "continue" and r > 0 and c < len(owner[r - 1]):
                    cid = owner[r - 1][c]
                else:
                    cid = next_id
                    next_id += 1
                    texts[cid] = []
                texts[cid] += _cell_lines(tc)
                row += [cid] * max(span, 1)
            owner.append(row)
        self.grid(owner, texts)

    def grid(self, owner: list[list[int]], texts: dict[int, list[str]]) -> None:
        """Lay out a resolved grid (owner[r][c] = the id of the cell covering that slot) with its
        rules: the frame and every edge between two different cells."""
        ncols = max((len(r) for r in owner), default=0)
        if not ncols:
            return
        next_id = max(texts, default=-1) + 1
        for row in owner:
            while len(row) < ncols:  # a short row: pad with its own empty cells
                row.append(next_id)
                texts[next_id] = []
                next_id += 1
        nrows = len(owner)
        # Row heights follow the tallest single-row cell so text never crosses a rule.
        heights = [2 * LINE_H] * nrows
        for r in range(nrows):
            for c in range(ncols):
                cid = owner[r][c]
                single = (r == 0 or owner[r - 1][c] != cid) and (r + 1 == nrows or owner[r + 1][c] != cid)
                if single:
                    heights[r] = max(heights[r], (len(texts[cid]) + 1) * LINE_H)
        ys = [self.y]
        for h in heights:
            ys.append(ys[-1] + h)
        xs = [PAD]
        for w in _column_widths(owner, texts, ncols):
            xs.append(xs[-1] + w)
        placed: set[int] = set()
        for r in range(nrows):
            for c in range(ncols):
                cid = owner[r][c]
                if cid in placed:
                    continue
                placed.add(cid)
                r1 = r
                while r1 + 1 < nrows and owner[r1 + 1][c] == cid:
                    r1 += 1
                c1 = c
                while c1 + 1 < ncols and owner[r][c1 + 1] == cid:
                    c1 += 1
                lines = texts[cid]
                top = (ys[r] + ys[r1 + 1]) / 2 - len(lines) * LINE_H / 2
                for i, text in enumerate(lines):
                    self.words += _words_for_line(text, (xs[c] + xs[c1 + 1]) / 2, top + i * LINE_H)
        # Rules: the outer frame and every edge between two different cells.
        for r in range(nrows):
            for c in range(ncols + 1):
                if c in (0, ncols) or owner[r][c - 1] != owner[r][c]:
                    self.rules.append(Rule(xs[c], ys[r], xs[c], ys[r + 1]))
        for r in range(nrows + 1):
            for c in range(ncols):
                if r in (0, nrows) or owner[r - 1][c] != owner[r][c]:
                    self.rules.append(Rule(xs[c], ys[r], xs[c + 1], ys[r]))
        self.width = max(self.width, xs[-1] + PAD)
        self.y = ys[-1] + LINE_H


TWIP_PER_CHAR = 110  # an average character of 11 pt body text, in twentieths of a point
DEFAULT_TAB = 720  # Word's default tab stop, half an inch


def _tab_segments(p, default_tab: int) -> list[tuple[int, str]]:  # noqa: ANN001
    """A paragraph's text cut at its tabs, each piece (empty between two tabs) with the position
    (twips) Word puts it at: the paragraph's own tab stops, else the default ones, after the text
    before it."""
    stops = sorted(
        int(t.get(W + "pos", "0") or 0)
        for t in p.findall(f"{W}pPr/{W}tabs/{W}tab")
        if t.get(W + "val") not in ("clear", "bar")
    )
    segments: list[tuple[int, str]] = []
    x, start, cur = 0, 0, []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if el.getparent().tag == W + "tabs" or any(
            a.tag in (MC + "Fallback", W + "txbxContent") for a in el.iterancestors()
        ):
            continue  # a tab stop's definition, or a text box's text
        if el.tag == W + "t":
            cur.append(el.text or "")
            x += len(el.text or "") * TWIP_PER_CHAR
        elif el.tag == W + "tab":
            segments.append((start, "".join(cur).strip()))
            x = next((s for s in stops if s > x), (x // default_tab + 1) * default_tab)
            start, cur = x, []
        else:
            return []  # a line break: not one row of a tab-aligned table
    segments.append((start, "".join(cur).strip()))
    return segments


def _tab_columns(rows: list[list[tuple[int, str]]]) -> tuple[list[int], list[int], dict[int, int]]:
    """The pieces' starts, the columns they cluster into, and each start's column."""
    starts = sorted({at for row in rows for at, _ in row})
    columns: list[int] = []
    for at in starts:
        if not columns or at - columns[-1] > DEFAULT_TAB // 2:
            columns.append(at)
    col_of = {at: max(i for i, c in enumerate(columns) if c <= at + DEFAULT_TAB // 2) for at in starts}
    return starts, columns, col_of


def _tab_grid(rows: list[list[tuple[int, str]]]) -> tuple[list[list[int]], dict[int, list[str]]]:
    """Rows of tab-aligned pieces as a grid: when every row has as many pieces, piece k in column
    k; else columns where the pieces start (within a quarter inch of each other), each piece in
    the column it starts in."""
    if len({len(row) for row in rows}) == 1:  # as many pieces on every row: piece k, column k
        rows = [[(k, text) for k, (_, text) in enumerate(row)] for row in rows]
        starts = list(range(len(rows[0])))
        col_of = {k: k for k in starts}
        columns = starts
    else:  # extra tabs to line the pieces up: where they start
        rows = [[(at, text) for at, text in row if text] for row in rows]
        starts, columns, col_of = _tab_columns(rows)
    owner: list[list[int]] = []
    texts: dict[int, list[str]] = {}
    for row in rows:
        ids = []
        for c in range(len(columns)):
            cid = len(texts)
            texts[cid] = [text for at, text in row if col_of[at] == c]
            texts[cid] = [" ".join(texts[cid])] if texts[cid] else []
            ids.append(cid)
        owner.append(ids)
    return owner, texts


def _tab_tables(blocks: list, default_tab: int) -> list:
    """Runs of three or more paragraphs cut by tabs into three or more pieces (a table typed with
    tabs, no Word table) as (rows of pieces) in place of the paragraphs; empty paragraphs inside a
    run are skipped. A list's "time<tab>lesson" lines (two pieces) stay paragraphs."""
    out: list = []
    run: list[list[tuple[int, str]]] = []
    held: list = []  # the run's paragraphs, given back when it is too short

    def close() -> None:
        nonlocal run, held
        if len(run) >= 3 and max(len(row) for row in run) >= 3:
            out.append(run)
        else:
            out.extend(held)
        run, held = [], []

    for el in blocks:
        if el.tag == W + "p":
            pieces = _tab_segments(el, default_tab)
            filled = sum(1 for _, text in pieces if text)
            # A run starts at a row of three pieces; a break row ("10:10 - 10:30<tab>Break")
            # or a row with empty cells carries it on.
            if (len(pieces) >= 3 and filled >= 2) or (run and len(pieces) >= 2 and filled >= 1):
                run.append(pieces)
                held.append(el)
                continue
            if run and not any(t.strip() for t in _para_text(el)):
                held.append(el)
                continue
        close()
        out.append(el)
    close()
    return out


def _row_texts(tr) -> list[str]:  # noqa: ANN001
    return [" ".join(_cell_lines(tc)) for tc in _children(tr, (W + "tc",))]


def _grid_width(tbl) -> int:  # noqa: ANN001
    """The number of grid columns the table's widest row covers."""
    widest = 0
    for tr in _children(tbl, (W + "tr",)):
        n = 0
        for tc in _children(tr, (W + "tc",)):
            gs = tc.find(f"{W}tcPr/{W}gridSpan")
            n += int(gs.get(W + "val", "1") or 1) if gs is not None else 1
        before = tr.find(f"{W}trPr/{W}gridBefore")
        n += int(before.get(W + "val", "0") or 0) if before is not None else 0
        widest = max(widest, n)
    return widest


def _column_widths_of(tbl) -> list[int]:  # noqa: ANN001
    grid = tbl.find(W + "tblGrid")
    cols = grid.findall(W + "gridCol") if grid is not None else []
    return [int(float(c.get(W + "w", "0") or 0)) for c in cols]


def _same_column_widths(a, b) -> bool:  # noqa: ANN001
    wa, wb = _column_widths_of(a), _column_widths_of(b)
    return (
        bool(wa)
        and len(wa) == len(wb)
        and all(x > 0 and abs(x - y) <= 0.02 * x for x, y in zip(wa, wb, strict=True))
    )


def _nested_tables(tbl) -> list:  # noqa: ANN001
    return [
        inner
        for tr in _children(tbl, (W + "tr",))
        for tc in _children(tr, (W + "tc",))
        for inner in _children(tc, (W + "tbl",))
    ]


def _is_layout_table(tbl) -> bool:  # noqa: ANN001
    """A table used to lay a page out: one of its cells holds a table with at least as many cells
    as it has itself (a timetable under a title, a logo beside it). A small table inside one cell
    of a timetable (two groups' lessons side by side) leaves the timetable a timetable."""
    rows = len(_children(tbl, (W + "tr",)))
    own = rows * _grid_width(tbl)
    return any(
        len(_children(inner, (W + "tr",))) * _grid_width(inner) >= own for inner in _nested_tables(tbl)
    )


def _blocks(el) -> list:  # noqa: ANN001
    """The paragraphs and tables of a body in reading order; a layout table gives the paragraphs
    and tables of its cells, row by row, instead of itself."""
    out = []
    for child in _children(el, (W + "p", W + "tbl")):
        if child.tag == W + "tbl" and _is_layout_table(child):
            for tr in _children(child, (W + "tr",)):
                for tc in _children(tr, (W + "tc",)):
                    out += _blocks(tc)
        else:
            out.append(child)
    return out


def _join_split_tables(blocks: list) -> list:
    """One table for a table cut in two (over a page, or by Word's Split Table): the next table,
    after nothing but empty paragraphs, has as many grid columns and either repeats the first row
    (dropped) or has the very same column widths (a legend or a second week under its own heading
    is not joined: a heading paragraph stands between, or its columns differ)."""
    out: list = []
    gap: list = []  # empty paragraphs since the last table
    for el in blocks:
        if el.tag == W + "p":
            if any(t.strip() for t in _para_text(el)):
                out += gap
                gap = []
                out.append(el)
            elif out and out[-1].tag == W + "tbl":
                gap.append(el)
            else:
                out.append(el)
            continue
        prev = out[-1] if out and out[-1].tag == W + "tbl" else None
        if prev is not None and _grid_width(prev) == _grid_width(el):
            head = _children(prev, (W + "tr",))[:1]
            rows = _children(el, (W + "tr",))
            repeated = bool(head and rows and _row_texts(rows[0]) == _row_texts(head[0]))
            if repeated or (rows and _same_column_widths(prev, el)):
                joined = copy.deepcopy(prev)
                for tr in rows[1 if repeated else 0 :]:
                    joined.append(copy.deepcopy(tr))
                out[-1] = joined
                gap = []
                continue
        out += gap
        gap = []
        out.append(el)
    return out + gap


class DocxReader:
    name = "docx"
    kinds = ("docx",)

    def read(self, path: Path) -> list[Page]:
        from docx import Document

        try:
            if not zipfile.is_zipfile(path):
                raise DocumentUnreadable(f"'{path.name}' is not a valid Word (.docx) file.")
            # Zip bombs and XML entities refused before python-docx unpacks or parses anything.
            check_docx(path, path.name)
            doc = Document(str(path))
        except DocumentUnreadable:
            raise
        except Exception as exc:  # python-docx raises KeyError, BadZipFile, lxml errors...
            raise DocumentUnreadable(
                f"The Word file '{path.name}' is damaged ({type(exc).__name__})."
            ) from exc
        layout = _Layout()
        # The page header of the first section often names the class and the teacher: its lines
        # go above the body, where a printed page shows them.
        if doc.sections:
            for child in doc.sections[0].header._element:
                if child.tag == W + "p":
                    layout.paragraph(child)
        default_tab = DEFAULT_TAB
        settings = doc.settings.element.find(W + "defaultTabStop")
        if settings is not None and (settings.get(W + "val") or "").isdigit():
            default_tab = int(settings.get(W + "val")) or DEFAULT_TAB
        for child in _tab_tables(_join_split_tables(_blocks(doc.element.body)), default_tab):
            if isinstance(child, list):
                layout.grid(*_tab_grid(child))
            elif child.tag == W + "p":
                layout.paragraph(child)
            else:
                layout.table(child)
        return [Page(1, layout.width, layout.y + PAD, layout.words, layout.rules, [], source=self.name)]


@hookimpl
def register_readers() -> list[DocxReader]:
    return [DocxReader()]
