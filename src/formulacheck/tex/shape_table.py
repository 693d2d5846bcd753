r"""Shape tables written in math: a display block that is one `\begin{array}` of symbols and shapes.

The rule (GRAMMAR.md, "Shape tables"):

- the block is a single `\begin{array}{...} ... \end{array}` (nothing else but `\label`/`\tag`);
- its column specification counts the columns (`l`, `c`, `r`; `|` rules are presentation);
- the first row is a header of `\text{...}` words: exactly one `\text{symbol}` column (an expression
  per row) and exactly one `\text{shape}` column; every other column is prose and holds only
  `\text{...}` or nothing, so no math in the table escapes the check;
- every other row has exactly one cell per column (an empty cell is a lone `&`); `\hline` is
  presentation;
- a shape is `A \times B` (sizes, or products of sizes such as `N K`), a single size `K` (a K-vector,
  K x 1), `1` or `\text{scalar}` (a scalar), or the same written as `\mathbb{R}^{...}` / `\mathbb{R}`.

Each row's expression is evaluated in the current scope and must have the row's shape; a row counts
as one checked link (`BlockChecker.shape_table`, pages/blocks.py: the reading is here, the checking
there). An expression with free indices (`P_{ij}`) is an error: whether the shape
would be that of one entry or of the whole family could be read two ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import fail_at
from .parser import ExpressionParser
from .shapes import shape_from_tokens
from .vocabulary import TEXT_COMMANDS
from .syntax import Node
from .tokens import Token

COLUMN_LETTERS = {"l", "c", "r"}
SHAPE_EXAMPLES = "N \\times D, a size K (a K-vector), 1 or \\text{scalar}"


@dataclass
class ShapeRow(Node):
    """One body row: `tok` is its first token, `number` counts body rows from 1."""

    number: int
    expression: Node
    dims: tuple
    first: Token  # first token of the symbol cell
    after: Token  # the & or line break ending the symbol cell (to quote its source)


@dataclass
class ShapeTable(Node):
    rows: list


def is_shape_table(tokens: list[Token]) -> bool:
    """True when the block's tokens contain a `\\begin{array}`."""
    return any(t.text == "\\begin" and (t.arg or "").strip() == "array" for t in tokens)


def parse_shape_table(tokens: list[Token]) -> ShapeTable:
    r"""Parse a whole block (tokens ending with `end`) that is a shape table.

    >>> from formulacheck.tex.tokens import tokenize
    >>> table = parse_shape_table(tokenize(r"\begin{array}{ll} \text{symbol} & \text{shape} \\ "
    ...                                    r"X & N \times D \\ b & K \end{array}"))
    >>> [(row.number, row.first.text, row.dims) for row in table.rows]
    [(1, 'X', (('N',), ('D',))), (2, 'b', (('K',),))]
    """
    opening = tokens[0]
    if not is_shape_table(tokens[:1]):
        begin = next(t for t in tokens if t.text == "\\begin" and (t.arg or "").strip() == "array")
        raise fail_at(begin, "a shape table (\\begin{array}) must be the whole block; expected it "
                             "alone between the $$ lines")
    columns, position = _column_count(tokens, 1)
    body, closing = _body_until_end(tokens, position, opening)
    if not tokens[closing + 1].kind == "end":
        raise fail_at(tokens[closing + 1], "a shape table must be the whole block; expected nothing "
                                           "after \\end{array}")
    rows = _split_rows(body, opening)
    header, rows = rows[0], rows[1:]
    words = _header_words(header, columns)
    symbol_column, shape_column = words.index("symbol"), words.index("shape")
    parsed = []
    for number, (first, cells) in enumerate(rows, start=1):
        if len(cells) != columns:
            raise fail_at(first, f"row {number} of the shape table has {len(cells)} cell"
                                 f"{'s' * (len(cells) != 1)} but the table has {columns} columns; "
                                 "expected one cell per column (an empty cell is a lone &)")
        for index, (cell, _) in enumerate(cells):
            if index not in (symbol_column, shape_column):
                _check_prose(cell, words[index])
        symbol_cell, after_symbol = cells[symbol_column]
        parsed.append(ShapeRow(first, number, _expression(symbol_cell, first, number),
                               _shape(cells[shape_column][0], first, number),
                               symbol_cell[0], after_symbol))
    if not parsed:
        raise fail_at(opening, "this shape table has a header but no rows; expected a row such as "
                               "X & N \\times D")
    return ShapeTable(opening, parsed)


def _column_count(tokens, position):
    if not tokens[position].is_("{"):
        raise fail_at(tokens[position], "expected the column specification after \\begin{array}, "
                                        "as in \\begin{array}{lll}")
    count = 0
    position += 1
    while not tokens[position].is_("}"):
        token = tokens[position]
        if token.kind == "letter" and token.text in COLUMN_LETTERS:
            count += 1
        elif not token.is_("|"):
            raise fail_at(token, f"unexpected {token} in the column specification; expected the "
                                 "letters l, c, r (and | rules)")
        position += 1
    if count == 0:
        raise fail_at(tokens[position], "the column specification names no column; expected "
                                        "letters such as {lll}")
    return count, position + 1


def _body_until_end(tokens, position, opening):
    depth = 0
    for index in range(position, len(tokens)):
        token = tokens[index]
        if token.text == "\\begin":
            depth += 1
        elif token.text == "\\end":
            if depth == 0:
                if (token.arg or "").strip() != "array":
                    raise fail_at(token, f"\\end{{{token.arg}}} closes \\begin{{array}}")
                return tokens[position:index], index
            depth -= 1
    raise fail_at(opening, "\\begin{array} is never closed; expected \\end{array}")


def _split_rows(body, opening):
    """[(first token of the row, [(cell tokens, token ending the cell), ...]), ...]."""
    rows, cells, current, first, depth = [], [], [], None, 0
    for token in body:
        if token.text == "\\hline" and not current and not cells:
            continue
        first = first or token
        if token.text in ("{", "\\begin"):
            depth += 1
        elif token.text in ("}", "\\end"):
            depth -= 1
        if depth == 0 and token.is_("&"):
            cells.append((current, token))
            current = []
        elif depth == 0 and token.text == "\\\\":
            rows.append((first, cells + [(current, token)]))
            cells, current, first = [], [], None
        else:
            current.append(token)
    if cells or current:
        rows.append((first, cells + [(current, None)]))
    if not rows:
        raise fail_at(opening, "this shape table is empty; expected a header row \\text{symbol} & "
                               "\\text{shape}, then one row per symbol")
    return rows


def _header_words(header, columns):
    first, cells = header
    words = []
    for cell, _ in cells:
        if len(cell) != 1 or cell[0].text not in TEXT_COMMANDS:
            raise fail_at(cell[0] if cell else first, "a shape table starts with a header row of "
                                                      "\\text{...} words, one per column, such as "
                                                      "\\text{symbol} & \\text{shape}")
        words.append((cell[0].arg or "").strip().lower())
    if len(cells) != columns:
        raise fail_at(first, f"the header has {len(cells)} cells but the column specification has "
                             f"{columns} columns; expected one \\text{{...}} per column")
    for word in ("symbol", "shape"):
        if words.count(word) != 1:
            found = "no" if not words.count(word) else "more than one"
            raise fail_at(first, f"the header has {found} \\text{{{word}}} column; expected exactly "
                                 "one \\text{symbol} and one \\text{shape} column")
    return words


def _check_prose(cell, heading):
    for token in cell:
        if token.text not in TEXT_COMMANDS:
            raise fail_at(token, f"the \\text{{{heading}}} column holds words; expected \\text{{...}}"
                                 " or nothing (math there would not be checked)")


def _expression(cell, first, number):
    if not cell:
        raise fail_at(first, f"row {number} of the shape table has no symbol; expected an "
                             "expression such as W_1 or \\frac{\\partial L}{\\partial W_1}")
    end = cell[-1]
    parser = ExpressionParser(cell + [Token("end", "", end.line, end.col + len(end.text))])
    expression = parser.parse_expr()
    if not parser.at_end():
        raise fail_at(parser.tok, f"unexpected {parser.tok} in the symbol cell; expected one "
                                  "expression per row (write a second row for a second symbol)")
    return expression


def _shape(cell, first, number):
    if not cell:
        raise fail_at(first, f"row {number} of the shape table has no shape; expected "
                             f"{SHAPE_EXAMPLES}")
    if cell[0].text == "\\mathbb" and cell[0].arg == "R":
        if len(cell) == 1:
            return ((1,),)
        if not cell[1].is_("^") or len(cell) < 3:
            raise fail_at(cell[1], "expected \\mathbb{R}^{N \\times D} or \\mathbb{R}")
        cell = cell[2:]
        if cell[0].is_("{") and cell[-1].is_("}"):
            cell = cell[1:-1]
    if len(cell) == 1 and cell[0].text in TEXT_COMMANDS:
        if (cell[0].arg or "").strip() == "scalar":
            return ((1,),)
        raise fail_at(cell[0], f"unexpected words in the shape column; expected {SHAPE_EXAMPLES}")
    dims = shape_from_tokens(cell)
    if dims is None:
        raise fail_at(cell[0], f"words inside a shape; expected {SHAPE_EXAMPLES}")
    return dims
