"""Reading the display math of a Markdown page, with line numbers and the markers before it.

Mirrors what pymdownx.arithmatex hands to MathJax as display math: a block opened by a line that
starts with `$$` (possibly indented, e.g. inside an admonition) and closed by a line ending in
`$$`, or `\\[ ... \\]`, or a top-level `\\begin{align}...\\end{align}`-style environment. Nothing
inside fenced code (``` or ~~~) or HTML comments is math. Markers are HTML comments on the lines
directly above a block (no blank line between): `<!-- unchecked: REASON -->`,
`<!-- code: EXPR -->`, `<!-- convention: TEXT -->`; `<!-- scope: NAME -->` may stand anywhere and starts a new scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = re.compile(r"^\s*<!--\s*(unchecked|code|scope|convention)\s*:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^\s*(```+|~~~+)")
ENVIRONMENT = re.compile(r"^\s*\\begin\{(align\*?|equation\*?|gather\*?|multline\*?|alignat\*?)\}")


@dataclass
class RawBlock:
    """One display block: `line`/`col` locate its first character of math in the page."""

    line: int
    col: int
    text: str
    markers: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    start_index: int = 0
    # The last page line (0-based) of the block, its closing delimiter included; for an inline
    # span (`kind == "inline"`, see pages/inline.py) `col` is the column of its first character of math.
    end_index: int = 0
    kind: str = "display"


@dataclass
class ScopeMark:
    line: int
    name: str


def read_blocks(text: str) -> list:
    """The display blocks and scope marks of a page, in order.

    >>> items = read_blocks("Intro\\n\\n$$\\nF = X W\\n$$\\n")
    >>> [(b.line, b.text) for b in items]
    [(4, 'F = X W')]
    """
    lines = text.splitlines()
    items: list = []
    fence = None
    in_comment = False
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            index += 1
            continue
        fence_match = FENCE.match(line)
        if fence_match:
            fence = fence_match.group(1)[:3]
            index += 1
            continue
        if in_comment:
            in_comment = "-->" not in line
            index += 1
            continue
        marker = MARKER.match(line)
        if marker and marker.group(1) == "scope":
            items.append(ScopeMark(index + 1, marker.group(2)))
            index += 1
            continue
        if stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            index += 1
            continue
        block = None
        if stripped.startswith("$$"):
            block, index = _dollar_block(lines, index)
        elif stripped.startswith("\\[") and not stripped.startswith("\\[\\]"):
            block, index = _delimited_block(lines, index, "\\[", "\\]")
        elif ENVIRONMENT.match(line):
            block, index = _environment_block(lines, index)
        else:
            index += 1
            continue
        block.markers = markers_above(lines, block.start_index, block)
        block.end_index = min(index, len(lines)) - 1
        items.append(block)
    return items


def _dollar_block(lines, index):
    line = lines[index]
    opening = line.index("$$")
    rest = line[opening + 2:]
    if rest.rstrip().endswith("$$") and rest.strip() not in ("", "$$"):
        block = RawBlock(index + 1, opening + 3, rest.rstrip()[:-2], start_index=index)
        return block, index + 1
    body = [rest] if rest.strip() else []
    first_line, first_col = (index + 1, opening + 3) if rest.strip() else (index + 2, 1)
    end = index + 1
    while end < len(lines) and not lines[end].rstrip().endswith("$$"):
        body.append(lines[end])
        end += 1
    block = RawBlock(first_line, first_col, "\n".join(body), start_index=index)
    if end >= len(lines):
        block.problems.append("this $$ block is never closed; expected a line with $$")
    else:
        closing = lines[end].rstrip()[:-2]
        if closing.strip():
            block.text += "\n" + closing
    return block, end + 1


def _delimited_block(lines, index, opening, closing):
    body, end = [], index + 1
    while end < len(lines) and lines[end].strip() != closing:
        body.append(lines[end])
        end += 1
    block = RawBlock(index + 2, 1, "\n".join(body), start_index=index)
    if end >= len(lines):
        block.problems.append(f"this {opening} block is never closed; expected {closing}")
    return block, end + 1


def _environment_block(lines, index):
    name = ENVIRONMENT.match(lines[index]).group(1)
    end = index
    while end < len(lines) and f"\\end{{{name}}}" not in lines[end]:
        end += 1
    block = RawBlock(index + 1, 1, "\n".join(lines[index:end + 1]), start_index=index)
    if end >= len(lines):
        block.problems.append(f"\\begin{{{name}}} is never closed; expected \\end{{{name}}}")
    return block, end + 1


def markers_above(lines, start_index: int, block: RawBlock) -> dict:
    markers: dict = {}
    above = start_index - 1
    while above >= 0:
        match = MARKER.match(lines[above])
        if not match or match.group(1) == "scope":
            break
        markers.setdefault(match.group(1), match.group(2))
        above -= 1
    return markers


def in_page_order(items: list) -> list:
    """Blocks, inline spans (pages/inline.py) and scope marks sorted by where they start in the page."""
    def where(item):
        if isinstance(item, ScopeMark):
            return (item.line - 1, 0)
        return (item.start_index, item.col if item.kind == "inline" else 0)
    return sorted(items, key=where)
