r"""Explicit matrices with ellipses, read by their corners (tex/ellipsis_matrices.py parses them).

    [a & \cdots & b]          a row:    entry c is a with its running index set to c
    [a \\ \vdots \\ b]        a column: entry r likewise
    [a & \cdots & b \\        a grid:   entry (r, c) is a with the column index (where a and b
     \vdots & \ddots & \vdots \\        differ) set to c and the row index (where a and c differ)
     c & \cdots & d]                    set to r; d must be a with both at their last values

Two corners are compared node by node: they must be alike except where the first has the number 1
and the other a size (`N`) or a whole number, the running index and its last value. Anything else
that differs, two different last values, or a last corner that does not follow from the others,
is an error: the pattern would be a guess. A row may show more entries before its dots
(`x_1 & x_2 & \cdots & x_N`): each must be the pattern's entry at its place. The matrix is then
built entry by entry and evaluated like any explicit matrix.
"""

from __future__ import annotations

from dataclasses import fields, replace

from ..errors import fail_at
from ..tex.syntax import Dots, Matrix, Name, Node, Number, Subscripted
from ..tex.tokens import Token

LAYOUT = ("a matrix with \\cdots, \\vdots or \\ddots is read by its corners; expected "
          "[a & \\cdots & b], [a \\\\ \\vdots \\\\ b], or a grid [a & \\cdots & b \\\\ \\vdots & "
          "\\ddots & \\vdots \\\\ c & \\cdots & d]")


def has_dots(node: Matrix) -> bool:
    return any(isinstance(entry, Dots) for row in node.rows for entry in row)


def expand(scope, node: Matrix) -> Matrix:
    """The matrix the corners of `node` give, entry by entry (see the module docstring)."""
    rows = node.rows
    if len(rows) == 1:
        return Matrix(node.tok, [_run(scope, node, rows[0], "\\cdots")])
    if all(len(row) == 1 for row in rows):
        return Matrix(node.tok, [[entry] for entry in _run(scope, node, [r[0] for r in rows],
                                                            "\\vdots")])
    if len(rows) != 3 or any(len(row) != 3 for row in rows):
        raise fail_at(node.tok, LAYOUT)
    (top_left, dots_top, top_right), middle, (bottom_left, dots_bottom, bottom_right) = rows
    if not (_is(dots_top, "cdots") and _is(dots_bottom, "cdots") and _is(middle[0], "vdots")
            and _is(middle[1], "ddots") and _is(middle[2], "vdots")):
        raise fail_at(node.tok, LAYOUT)
    if any(isinstance(e, Dots) for e in (top_left, top_right, bottom_left, bottom_right)):
        raise fail_at(node.tok, LAYOUT)
    columns, column_end = _runs(scope, top_left, top_right)
    row_paths, row_end = _runs(scope, top_left, bottom_left)
    if set(columns) & set(row_paths):
        raise fail_at(bottom_left.tok, "the rows and the columns of the matrix run in the same place "
                                       "of its first entry; expected the row index and the column "
                                       "index in different places, as in x_{11} & \\cdots & x_{1N} "
                                       "over x_{M1} & \\cdots & x_{MN}")
    last, _ = _runs(scope, top_left, bottom_right, allow_two=True)
    expected = {path: column_end for path in columns} | {path: row_end for path in row_paths}
    if set(last) != set(expected) or any(_value(scope, last[p]) != _value(scope, expected[p])
                                         for p in last):
        raise fail_at(bottom_right.tok, "the last corner does not follow from the other three; "
                                        "expected the first entry with its row index and its "
                                        "column index both at their last values")
    row_count, column_count = _value(scope, row_end), _value(scope, column_end)
    return Matrix(node.tok, [[_at(top_left, {**{p: r for p in row_paths}, **{p: c for p in columns}})
                              for c in range(1, column_count + 1)]
                             for r in range(1, row_count + 1)])


def _is(entry, kind: str) -> bool:
    return isinstance(entry, Dots) and entry.kind == kind


def _run(scope, node: Matrix, entries: list, dots: str) -> list:
    """The entries of a row (or a column) `first [more] dots last`."""
    positions = [k for k, entry in enumerate(entries) if isinstance(entry, Dots)]
    if len(positions) != 1 or positions[0] == 0 or positions[0] != len(entries) - 2 or (
            entries[positions[0]].kind != dots[1:] and not (dots == "\\cdots"
                                                            and entries[positions[0]].kind in ("dots", "ldots"))):
        raise fail_at(node.tok, LAYOUT)
    first, last = entries[0], entries[-1]
    paths, end = _runs(scope, first, last)
    count = _value(scope, end)
    expanded = [_at(first, {path: k for path in paths}) for k in range(1, count + 1)]
    for k, shown in enumerate(entries[1:positions[0]], start=2):
        if k > count or _differences(shown, expanded[k - 1], (), _last_value(scope)) != []:
            raise fail_at(shown.tok, f"entry {k} is not the pattern of the first and the last "
                                     "entries at that place; expected the first entry with its "
                                     f"running index set to {k}")
    return expanded


def _runs(scope, first, other, allow_two: bool = False):
    """The places where `other` differs from `first` (1 there, a last value here), and that last
    value: ({path: node}, node)."""
    differences = _differences(first, other, (), _last_value(scope))
    if differences is None:
        raise fail_at(other.tok, "the corners of the matrix differ in more than a running index "
                                 "(1 in the first entry, a size or a whole number in the other); "
                                 "expected entries written alike but for their indices")
    if not differences:
        raise fail_at(other.tok, "two corners of the matrix are the same entry, so no index runs "
                                 "between them; expected the index that runs, 1 in the first entry "
                                 "and its last value in the other")
    ends = {_value(scope, end) for _, end in differences}
    if len(ends) > 1 and not allow_two:
        raise fail_at(other.tok, "two indices run to different last values between these corners; "
                                 "expected one running index between two corners")
    return dict(differences), differences[0][1]


def _value(scope, end) -> int:
    if isinstance(end, Number):
        return int(end.value)
    return scope.sizes[end.name]


def _last_value(scope):
    """Whether a node can be the last value of a running index: a size or a whole number > 1."""
    def is_end(node) -> bool:
        if isinstance(node, Number):
            return float(node.value).is_integer() and node.value > 1
        return isinstance(node, Name) and scope.is_size(node.name)
    return is_end


def _differences(first, other, path, is_end):
    """[(path, other's node)] where first has 1 and other a last value; None if they differ
    otherwise."""
    if isinstance(first, Number) and first.value == 1 and not (
            isinstance(other, Number) and other.value == 1):
        return [(path, other)] if is_end(other) else None
    if type(first) is not type(other):
        return None
    if isinstance(first, Number):
        return [] if first.value == other.value else None
    if isinstance(first, Name):
        return [] if first.name == other.name else None
    found = []
    for item in fields(first):
        if item.name in ("tok", "text", "index_tok") or not item.init or item.kw_only:
            continue
        result = _compare_values(getattr(first, item.name), getattr(other, item.name),
                                 path + (item.name,), is_end)
        if result is None:
            return None
        found += result
    return found


def _compare_values(a, b, path, is_end):
    if isinstance(a, Node) and isinstance(b, Node):
        return _differences(a, b, path, is_end)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return None
        found = []
        for k, (x, y) in enumerate(zip(a, b)):
            result = _compare_values(x, y, path + (k,), is_end)
            if result is None:
                return None
            found += result
        return found
    return [] if isinstance(a, Token) and isinstance(b, Token) or a == b else None


def _at(node, values: dict, path=()):
    """`node` with the Number at each path of `values` replaced by that value."""
    if path in values:
        return Number(node.tok, float(values[path]))
    if not isinstance(node, Node) or not any(p[:len(path)] == path for p in values):
        return node
    changes = {}
    for item in fields(node):
        if item.name == "tok" or not item.init or item.kw_only:
            continue
        changes[item.name] = _at_value(getattr(node, item.name), values, path + (item.name,))
    changed = replace(node, **changes)
    if isinstance(changed, Subscripted):
        changed = replace(changed, text="".join(_item_text(i) for i in changed.items))
    return changed


def _at_value(value, values, path):
    if isinstance(value, Node):
        return _at(value, values, path)
    if isinstance(value, (list, tuple)):
        return type(value)(_at_value(v, values, path + (k,)) for k, v in enumerate(value))
    return value


def _item_text(item) -> str:
    if isinstance(item, Number):
        return str(int(item.value))
    if isinstance(item, Subscripted):
        return f"{item.base}_{item.text}"
    return getattr(item, "name", "")
