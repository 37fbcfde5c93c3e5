"""Turn a page's ruling lines and words into a logical table of cells with row and column spans.

Ruled grids: cluster the rules into row and column lines; two neighbouring atomic cells are merged
when the rule between them is missing (a spanning cell). Rule-less tables are built elsewhere
(`columns.py`) into the same `Table`, so one interpreter (`table.py`) reads both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.extraction.daytime import alone_time, find_range, header_days
from core.extraction.lines import Line, group_lines, median_height, text_of
from core.extraction.model import FilledRect, Page, Rule, Word


@dataclass
class Cell:
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    words: list[Word] = field(default_factory=list)
    color: str | None = None
    # Rule-less tables say which cells were placed by guesswork (centring), for confidence.
    guessed: bool = False

    @property
    def lines(self) -> list[Line]:
        return group_lines(self.words)

    @property
    def text(self) -> str:
        return text_of(self.words)


@dataclass
class Table:
    nrows: int
    ncols: int
    cells: list[Cell]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    outside: list[Word] = field(default_factory=list)  # words not in the table (headers, notes)

    def owner(self, r: int, c: int) -> Cell | None:
        for cell in self.cells:
            if cell.r0 <= r < cell.r1 and cell.c0 <= c < cell.c1:
                return cell
        return None

    def transposed(self) -> Table:
        cells = [
            Cell(c.c0, c.c1, c.r0, c.r1, c.words, c.color, c.guessed) for c in self.cells
        ]  # fmt: skip
        return Table(self.ncols, self.nrows, cells, self.x0, self.y0, self.x1, self.y1, self.outside)


Clusters = list[tuple[float, list[tuple[float, float]]]]


def _cluster(
    values: list[tuple[float, float, float]], tol: float
) -> list[tuple[float, list[tuple[float, float]]]]:
    """Cluster (position, start, end) segments by position; return (mean position, segments)."""
    out: list[tuple[float, list[tuple[float, float]]]] = []
    group: list[tuple[float, float, float]] = []
    for v in sorted(values):
        if group and v[0] - group[-1][0] > tol:
            out.append((sum(g[0] for g in group) / len(group), [(g[1], g[2]) for g in group]))
            group = []
        group.append(v)
    if group:
        out.append((sum(g[0] for g in group) / len(group), [(g[1], g[2]) for g in group]))
    return out


PIECE_GAP = 1.0  # text lines: two rules closer than this bound no column (or row) of text


def _join_pieces(clusters: Clusters, lh: float) -> Clusters:
    """Neighbouring rule positions that are pieces of one line: a photo's bowed or keystoned page
    puts a rule's top half a little left of its bottom half, and the two would bound a column no
    word fits in. Pieces lie end to end (they barely overlap along their length) and closer than
    a line of text; two rules side by side along the same stretch stay apart."""
    out: Clusters = []
    for pos, segs in clusters:
        if out:
            prev_pos, prev_segs = out[-1]
            length, prev_len = _length(segs), _length(prev_segs)
            shared = sum((e - s) * _coverage(prev_segs, s, e) for s, e in segs)
            if pos - prev_pos < PIECE_GAP * lh and shared <= max(lh, 0.1 * min(length, prev_len)):
                mid = (prev_pos * prev_len + pos * length) / max(prev_len + length, 1e-9)
                out[-1] = (mid, prev_segs + segs)
                continue
        out.append((pos, segs))
    return out


def _length(segments: list[tuple[float, float]]) -> float:
    return sum(e - s for s, e in segments)


def _coverage(segments: list[tuple[float, float]], a: float, b: float) -> float:
    """Fraction of [a, b] covered by the union of segments."""
    if b <= a:
        return 1.0
    covered, cur = 0.0, a
    for s, e in sorted(segments):
        s, e = max(s, cur), min(e, b)
        if e > s:
            covered += e - s
            cur = e
    return covered / (b - a)


def _span(segments: list[tuple[float, float]]) -> tuple[float, float]:
    return min(s for s, _ in segments), max(e for _, e in segments)


def split_rules(rules: list[Rule]) -> tuple[list[Rule], list[Rule]]:
    horiz = [r for r in rules if (r.x1 - r.x0) >= 3 * (r.y1 - r.y0)]
    vert = [r for r in rules if (r.y1 - r.y0) >= 3 * (r.x1 - r.x0)]
    return horiz, vert


def rule_groups(rules: list[Rule], tol: float) -> list[list[Rule]]:
    """Rules that touch or cross each other, grouped: one group per table on the page. Building
    one grid over two tables would glue them together through columns only one of them has."""
    n = len(rules)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    boxes = [(min(r.x0, r.x1) - tol, min(r.y0, r.y1) - tol, max(r.x0, r.x1) + tol, max(r.y0, r.y1) + tol)
             for r in rules]  # fmt: skip
    order = sorted(range(n), key=lambda i: boxes[i][0])
    for k, i in enumerate(order):
        ax0, ay0, ax1, ay1 = boxes[i]
        for j in order[k + 1 :]:
            bx0, by0, bx1, by1 = boxes[j]
            if bx0 > ax1:
                break
            if by0 <= ay1 and ay0 <= by1:
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def ruled_tables(page: Page) -> list[Table]:
    """Every ruled table on the page, largest first."""
    lh = median_height(page.words) if page.words else 10.0
    tol = max(2.0, 0.35 * lh)
    tables = []
    for group in rule_groups(page.rules, tol):
        t = ruled_table(page, group)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: -(t.x1 - t.x0) * (t.y1 - t.y0))
    return tables


def ruled_table(page: Page, rules: list[Rule] | None = None) -> Table | None:
    """Build the table from the ruling lines, or None when the page has no usable grid."""
    lh = median_height(page.words) if page.words else 10.0
    tol = max(2.0, 0.35 * lh)
    horiz, vert = split_rules(page.rules if rules is None else rules)
    if not horiz or not vert:
        return None
    hcl = _cluster([((r.y0 + r.y1) / 2, r.x0, r.x1) for r in horiz], tol)
    vcl = _cluster([((r.x0 + r.x1) / 2, r.y0, r.y1) for r in vert], tol)
    hcl, vcl = _join_pieces(hcl, lh), _join_pieces(vcl, lh)
    # Keep lines long enough to be table borders, not underlines or OCR specks.
    hcl = [(y, segs) for y, segs in hcl if sum(e - s for s, e in segs) > 3 * lh]
    vcl = [(x, segs) for x, segs in vcl if sum(e - s for s, e in segs) > 1.2 * lh]
    if len(hcl) < 2 or len(vcl) < 2:
        return None
    # The table is where horizontal and vertical lines meet; drop lines outside it.
    ty0, ty1 = hcl[0][0], hcl[-1][0]
    tx0, tx1 = vcl[0][0], vcl[-1][0]
    vcl = [(x, s) for x, s in vcl if _span(s)[1] > ty0 + tol and _span(s)[0] < ty1 - tol]
    hcl = [(y, s) for y, s in hcl if _span(s)[1] > tx0 + tol and _span(s)[0] < tx1 - tol]
    if len(hcl) < 2 or len(vcl) < 2:
        return None
    # A grid drawn with inner rules only: the rules run on past the outermost crossing rule to
    # the table's edge, which closes the outer rows and columns (headers, day names) left open.
    hcl = _open_edges(hcl, vcl, page.words, lh, 1, page.height)
    vcl = _open_edges(vcl, hcl, page.words, lh, 0, page.width)
    hcl = _day_band_above(hcl, vcl, page.words, lh)
    ys = [y for y, _ in hcl]
    xs = [x for x, _ in vcl]
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 1 or nrows * ncols < 4:
        return None
    # Union-find over atomic cells: merge across a boundary with no rule on it.
    parent = list(range(nrows * ncols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(nrows):
        for c in range(ncols - 1):
            if _coverage(vcl[c + 1][1], ys[r] + tol, ys[r + 1] - tol) < 0.5:
                union(r * ncols + c, r * ncols + c + 1)
    for r in range(nrows - 1):
        for c in range(ncols):
            if _coverage(hcl[r + 1][1], xs[c] + tol, xs[c + 1] - tol) < 0.5:
                union(r * ncols + c, (r + 1) * ncols + c)
    groups: dict[int, list[int]] = {}
    for i in range(nrows * ncols):
        groups.setdefault(find(i), []).append(i)
    cells: list[Cell] = []
    index: dict[int, Cell] = {}
    for members in groups.values():
        for part in _rectangles(members, ncols):
            rs = [i // ncols for i in part]
            cs = [i % ncols for i in part]
            cell = Cell(min(rs), max(rs) + 1, min(cs), max(cs) + 1)
            cells.append(cell)
            for i in part:
                index[i] = cell
    table = Table(nrows, ncols, cells, xs[0], ys[0], xs[-1], ys[-1])
    for w in page.words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        r = _locate(ys, cy)
        c = _locate(xs, cx)
        if r is None or c is None:
            table.outside.append(w)
        else:
            index[r * ncols + c].words.append(w)
    _split_time_cells(table, xs, ys)
    _colour_cells(table, xs, ys, page.rects)
    return table


def _rectangles(members: list[int], ncols: int) -> list[list[int]]:
    """A merged group of atomic cells as rectangles. Merged cells are rectangles; a group that is
    not one, a whole row and cells of one column (a header band whose rules are hidden, joined to
    the day cell below its corner) or a frame around the grid, would otherwise become one cell
    over the whole table, covering the cells inside its box: it is split into runs along each row,
    runs over the same columns in consecutive rows joined."""
    rs = [i // ncols for i in members]
    cs = [i % ncols for i in members]
    full = {r for r in set(rs) if sum(rr == r for rr in rs) == ncols}
    rest = {c for r, c in zip(rs, cs, strict=True) if r not in full}
    # A frame around the table (a page's border, a viewer's edge, joined to the grid by a rule
    # that crosses both): full rows and the outermost columns, a ring around the cells.
    ring = rest == {0, ncols - 1} and all(
        sum(rr == r for rr in rs) == 2 for r in set(rs) - full
    )  # fmt: skip
    rectangle = len(members) == (max(rs) - min(rs) + 1) * (max(cs) - min(cs) + 1)
    if rectangle or not full or (len(rest) > 1 and not ring):
        return [members]  # a rectangle, or a patch of lost rules (a photo's): as it was
    runs: list[tuple[int, int, int]] = []  # (row, first column, last column + 1)
    for r in sorted(set(rs)):
        row = sorted(c for rr, c in zip(rs, cs, strict=True) if rr == r)
        start = row[0]
        for a, b in zip(row, [*row[1:], None], strict=True):
            if b != a + 1:
                runs.append((r, start, a + 1))
                if b is not None:
                    start = b
    rects: list[list[int]] = []
    open_: dict[tuple[int, int], tuple[int, list[int]]] = {}  # (c0, c1) -> (last row, members)
    for r, c0, c1 in runs:
        cells = [r * ncols + c for c in range(c0, c1)]
        prev = open_.get((c0, c1))
        if prev is not None and prev[0] == r - 1:
            prev[1].extend(cells)
            open_[(c0, c1)] = (r, prev[1])
        else:
            rects.append(cells)
            open_[(c0, c1)] = (r, cells)
    return rects


def _open_edges(
    lines: Clusters, cross: Clusters, words: list[Word], lh: float, axis: int, extent: float = 0.0
) -> Clusters:
    """Lines at positions along axis (1: y of horizontal rules, 0: x of vertical ones) with an edge
    added before the first or after the last where the crossing rules reach on by more than a
    text line, to words: the border of a table drawn without one. Where they run off the page
    (`extent` long along axis), a photo's frame cut the table: its border is gone and the band
    left (a header row's bottom part) holds a line of text in less."""
    lo = min(s for _, segs in cross for s, _ in segs)
    hi = max(e for _, segs in cross for _, e in segs)
    margin = FRAME_CUT * lh
    before = (CUT_BAND if lo <= margin else OPEN_BAND) * lh
    after = (CUT_BAND if extent and hi >= extent - margin else OPEN_BAND) * lh
    first, last = lines[0][0], lines[-1][0]
    across = (cross[0][0], cross[-1][0])

    def has_words(a: float, b: float) -> bool:
        """Words in the band from a to b along axis, within the table across it."""
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            along, other = (cy, cx) if axis else (cx, cy)
            if a < along < b and across[0] < other < across[1]:
                return True
        return False

    out = list(lines)
    if first - lo > before and has_words(lo, first):
        out.insert(0, (lo, []))
    if hi - last > after and has_words(last, hi):
        out.append((hi, []))
    return out


OPEN_BAND = 1.5  # text lines the crossing rules must reach on for an open edge
CUT_BAND = 0.9  # the same where they run off the page: the frame cut the band
FRAME_CUT = 0.5  # text lines from the page's edge: a rule ending this near it ran off it


def _day_band_above(lines: Clusters, cross: Clusters, words: list[Word], lh: float) -> Clusters:
    """The day names printed just above a grid's top rule, on a band with no rules of its own
    ("Day 1  Day 2 …" over ruled columns): a row is added for them, split by column later like
    any header band (`_split_time_cells`), so the grid is read with its days."""
    top = lines[0][0]
    xs = [x for x, _ in cross]
    band = [
        w for w in words if top - 2.5 * lh < (w.y0 + w.y1) / 2 < top and xs[0] < (w.x0 + w.x1) / 2 < xs[-1]
    ]
    if not band:
        return lines
    texts = [
        " ".join(w.text for w in sorted(band, key=lambda w: w.x0) if a <= (w.x0 + w.x1) / 2 < b)
        for a, b in zip(xs, xs[1:], strict=False)
    ]
    if sum(d is not None for d in header_days(texts)) < 2:
        return lines
    return [(min(w.y0 for w in band) - 0.3 * lh, []), *lines]


def _split_time_cells(table: Table, xs: list[float], ys: list[float]) -> None:
    """A dark header row hides the rules between its cells, which then merge into one holding
    every period's time or every day's name: split such a cell back into its atomic cells when two
    or more of them hold a time range or a day name of their own, or three or more a start time."""
    for cell in list(table.cells):
        for along_cols in (True, False):
            n = (cell.c1 - cell.c0) if along_cols else (cell.r1 - cell.r0)
            if n < 2 or not cell.words:
                continue
            parts: list[list[Word]] = [[] for _ in range(n)]
            edges = xs[cell.c0 : cell.c1 + 1] if along_cols else ys[cell.r0 : cell.r1 + 1]
            for w in cell.words:
                v = (w.x0 + w.x1) / 2 if along_cols else (w.y0 + w.y1) / 2
                i = _locate(edges, v)
                parts[min(i if i is not None else 0, n - 1)].append(w)
            texts = [" ".join(ln.text for ln in group_lines(p)) for p in parts if p]
            timed = sum(find_range(t) is not None for t in texts)
            # A light header band hides its rules as well: a day name in each part splits it too.
            named = sum(d is not None for d in header_days(texts))
            # Or a start time alone in each of three parts or more ("0830", "0900", "0930").
            alone = [alone_time(t.strip(" '\"`‘’“”:;.,|_")) for t in texts]
            starts = sum(a is not None and a.has_minutes for a in alone)
            if timed < 2 and named < 2 and starts < 3:
                continue
            table.cells.remove(cell)
            for k, words in enumerate(parts):
                if along_cols:
                    table.cells.append(
                        Cell(cell.r0, cell.r1, cell.c0 + k, cell.c0 + k + 1, words, cell.color)
                    )
                else:
                    table.cells.append(
                        Cell(cell.r0 + k, cell.r0 + k + 1, cell.c0, cell.c1, words, cell.color)
                    )
            break


def _locate(edges: list[float], v: float) -> int | None:
    if v < edges[0] or v > edges[-1]:
        return None
    for i in range(len(edges) - 1):
        if edges[i] <= v <= edges[i + 1]:
            return i
    return None


def _colour_cells(table: Table, xs: list[float], ys: list[float], rects: list[FilledRect]) -> None:
    """Give each cell the colour of the smallest filled rectangle under its centre."""
    if not rects:
        return
    for cell in table.cells:
        cx = (xs[cell.c0] + xs[cell.c1]) / 2
        cy = (ys[cell.r0] + ys[cell.r1]) / 2
        under = [r for r in rects if r.color and r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1]
        if under:
            cell.color = min(under, key=lambda r: (r.x1 - r.x0) * (r.y1 - r.y0)).color
