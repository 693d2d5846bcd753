r"""Reading the display math of a Jupyter notebook (`.ipynb`), with locations in the JSON file.

The math of a notebook is that of its Markdown cells, read in order as one page (one scope; a
`<!-- scope: NAME -->` marker still starts a new one). A cell is read on its own, so a fence or a
`$$` left open in one cell never swallows the next.

Locations point into the file itself, so `docs/train.ipynb:LINE:COL` opens at the right place in
an editor. Jupyter and nbformat write notebooks with `indent=1` and each cell's source as a list of
strings, one source line per JSON line; LINE is the JSON line holding the source line. The reader
builds a stand-in page with the same number of lines as the file: each Markdown source line sits on
its JSON line, shifted right by the JSON indentation and the opening quote, and each character that
JSON escapes (`\\` for a backslash, `\"` for a quote) is preceded by as many spaces as its escape
is longer, so columns match the file too. (A token that starts with an escaped character, such as
a command's backslash, is reported at most two columns to the right, inside its escape.)
Every other line of the stand-in page is blank. A notebook written another way (a source held as
one string with line breaks inside, or minified JSON) is refused with a `NotebookError`.
"""

from __future__ import annotations

import json
import re

from .inline import find_spans
from .markdown import RawBlock, ScopeMark, markers_above, in_page_order, read_blocks

CELL_TYPE = re.compile(r'^(\s*)"cell_type":\s*"([^"]*)",?\s*$')
RESAVE = "expected a notebook saved by Jupyter or nbformat (indent=1, one source line per JSON line)"


class NotebookError(ValueError):
    """The file is not a notebook the checker can locate lines in; the message says why."""


class Notebook:
    """The stand-in page of a notebook: `cells` holds one padded text per Markdown cell."""

    def __init__(self, text: str, name: str):
        self.name = name
        self.json_lines = text.splitlines()
        self.padding: dict[int, set] = {}  # 1-based line -> 1-based columns that are padding
        self.cells: list[str] = []
        try:
            notebook = json.loads(text)
        except json.JSONDecodeError as problem:
            raise NotebookError(f"{name}:{problem.lineno}:{problem.colno}: not valid JSON "
                                f"({problem.msg}); expected a Jupyter notebook") from None
        cells = notebook.get("cells") if isinstance(notebook, dict) else None
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise NotebookError(f"{name}: no list of cells; expected a Jupyter notebook (nbformat 4)")
        spans = _cell_spans(self.json_lines)
        if [kind for *_, kind in spans] != [c.get("cell_type") for c in cells]:
            raise NotebookError(f"{name}: cannot find each cell on its own lines; {RESAVE}")
        for number, (cell, (start, stop, indent, kind)) in enumerate(zip(cells, spans)):
            if kind == "markdown":
                located = self._locate_source(cell, start, stop, indent, number + 1)
                self.cells.append(self._stand_in(located))

    def _locate_source(self, cell, start, stop, indent, number):
        """[(0-based JSON line, its string literal's opening column, decoded text)] of the cell."""
        source = cell.get("source", [])
        lines = [source] if isinstance(source, str) else source
        if not isinstance(lines, list) or not all(isinstance(s, str) for s in lines):
            raise NotebookError(f"{self.name}: the source of cell {number} is not text; {RESAVE}")
        key = f'{indent}"source": '
        found = _source_keys(self.json_lines, start, stop, indent)
        if len(found) != 1:
            raise NotebookError(f"{self.name}: cannot find the source of cell {number}; {RESAVE}")
        line = found[0]
        if isinstance(source, str):
            rows = [(line, len(key))]
        elif not lines:
            return []
        else:
            rows = [(line + 1 + k, len(self.json_lines[line + 1 + k]) -
                     len(self.json_lines[line + 1 + k].lstrip())) for k in range(len(lines))]
        located = []
        for text, (row, column) in zip(lines, rows):
            literal = self.json_lines[row][column:] if row < len(self.json_lines) else ""
            if text.rstrip("\n").count("\n") or not _is_literal_of(literal, text):
                raise NotebookError(f"{self.name}:{row + 1}: cell {number} does not keep one source "
                                    f"line per JSON line; {RESAVE}")
            located.append((row, column, literal))
        return located

    def _stand_in(self, located) -> str:
        lines = [""] * len(self.json_lines)
        for row, column, literal in located:
            padded, padding = _pad(literal, column)
            lines[row] = padded
            self.padding[row + 1] = padding
        return "\n".join(lines)

    def clean(self, block: RawBlock) -> str:
        """The block's TeX as the author wrote it (the stand-in page's padding removed)."""
        rows = []
        for offset, text in enumerate(block.text.split("\n")):
            first = block.col if offset == 0 else 1
            padding = self.padding.get(block.line + offset, set())
            rows.append("".join(c for k, c in enumerate(text, start=first) if k not in padding))
        return "\n".join(rows)

    def items(self) -> list:
        """Blocks and scope marks of every Markdown cell, in order, markers read unpadded."""
        items = []
        for cell in self.cells:
            clean_lines = [self.clean(RawBlock(n, 1, line)) for n, line in
                           enumerate(cell.split("\n"), start=1)]
            blocks = read_blocks(cell)
            for item in blocks:
                if isinstance(item, RawBlock):
                    # markers hold code (quotes are escaped in JSON): read them without padding
                    item.markers = markers_above(clean_lines, item.start_index, item)
            items += in_page_order(blocks + find_spans(cell, blocks, notebook=True))
        return items


def code_cell_places(text: str) -> list:
    r"""(line, col), 1-based, of the first source line of each code cell of the notebook `text`
    (its `"source"` key when the cell has no source line), for messages about a code cell.

    >>> code_cell_places('{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": [\n'
    ...                  '    "x = 1"\n   ]\n  }\n ]\n}\n')
    [(6, 5)]
    """
    lines = text.splitlines()
    places = []
    for start, stop, indent, kind in _cell_spans(lines):
        if kind != "code":
            continue
        found = _source_keys(lines, start, stop, indent)
        if not found:
            places.append((start + 1, len(indent) + 1))
        elif lines[found[0]].rstrip().endswith("[") and found[0] + 1 < stop:
            first = lines[found[0] + 1]
            places.append((found[0] + 2, len(first) - len(first.lstrip()) + 1))
        else:
            places.append((found[0] + 1, len(f'{indent}"source": ') + 1))
    return places


def _cell_spans(json_lines: list) -> list:
    """(first line, line after, indentation, cell type) of each cell, in order: from its
    `"cell_type"` line (0-based) to the next cell's, or the end of the file."""
    starts = [(index, match.group(1), match.group(2)) for index, line in enumerate(json_lines)
              if (match := CELL_TYPE.match(line))]
    stops = [index for index, _, _ in starts[1:]] + [len(json_lines)]
    return [(start, stop, indent, kind) for (start, indent, kind), stop in zip(starts, stops)]


def _source_keys(json_lines: list, start: int, stop: int, indent: str) -> list:
    """The 0-based lines between `start` and `stop` that open a cell's `"source"` at `indent`."""
    return [i for i in range(start, stop) if json_lines[i].startswith(f'{indent}"source": ')]


def _is_literal_of(literal: str, text: str) -> bool:
    """True when `literal` is one JSON string literal (then `,` or nothing) decoding to `text`."""
    try:
        value, end = json.JSONDecoder().raw_decode(literal)
    except json.JSONDecodeError:
        return False
    return value == text and literal[end:].strip() in ("", ",")


def _pad(literal: str, column: int):
    """The decoded line placed at the literal's columns; returns (text, padding columns)."""
    out = [" "] * (column + 1)
    padding = set(range(1, column + 2))
    position = 1
    run = []  # a run of backslashes keeps its padding in front of it: TeX reads them in pairs
    while literal[position] != '"':
        width = 1
        if literal[position] == "\\":
            width = 6 if literal[position + 1] == "u" else 2
            char = json.loads('"' + literal[position:position + width] + '"')
            if 0xD800 <= ord(char[0]) < 0xDC00:  # a surrogate pair is one character
                width = 12
                char = json.loads('"' + literal[position:position + width] + '"')
        else:
            char = literal[position]
        position += width
        if char == "\n":
            break
        if char == "\\":
            run.append(width)
            continue
        _flush(run, out, padding)
        padding.update(range(len(out) + 1, len(out) + width))
        out.extend([" "] * (width - 1) + [char])
    _flush(run, out, padding)
    return "".join(out), padding


def _flush(run, out, padding):
    if run:
        extra = sum(width - 1 for width in run)
        padding.update(range(len(out) + 1, len(out) + extra + 1))
        out.extend([" "] * extra + ["\\"] * len(run))
        run.clear()

