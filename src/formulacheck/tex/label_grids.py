r"""Labels on a grid of two axes: `x \in \{1, \dots, V\}^{N \times T}`.

A caption model reads N sequences of T words each: the words (and the targets of the temporal
softmax loss) are a label per example and time step, an N x T matrix of labels in 1..V. Such a
declaration makes a label matrix; its entries `x_{nt}` are labels like `y_i`, so they select
(`W_{x_{nt} d}`), are compared with an index (`\mathbb{1}(x_{nt} = v)`, which gives v the range
1..V) and pass to the code 0-based, as an (N, T) integer array.

Only two axes: a label per entry of a matrix is what the sequence layers need, and a label grid of
more axes would be a tensor of labels, which nothing reads yet (refused, not guessed).
"""

from __future__ import annotations

from ..errors import fail_at
from .shapes import parse_shape_label


def label_grid_follows(parser) -> bool:
    """True when the exponent of a label set is a braced shape with `\\times` at its top level."""
    if not parser.tok.is_("{"):
        return False
    depth, position = 0, parser.pos
    while position < len(parser.tokens):
        token = parser.tokens[position]
        depth += token.is_("{") - token.is_("}")
        if depth == 0 or token.kind == "end":
            return False
        if depth == 1 and token.is_("\\times"):
            return True
        position += 1
    return False


def parse_label_grid(parser) -> tuple[str, str]:
    """The two size names of `^{N \\times T}`, after the `^`."""
    start = parser.tok
    dims = parse_shape_label(parser)
    if len(dims) != 2:
        raise fail_at(start, f"a label set takes one or two axes (\\{{1, \\dots, K\\}}^{{N}} or "
                             f"^{{N \\times T}}), got {len(dims)}: a tensor of labels is not read; "
                             "expected labels per example, or per example and time step")
    names = []
    for dim in dims:
        if len(dim) != 1 or not isinstance(dim[0], str) or not dim[0][:1].isupper():
            raise fail_at(start, "expected a size name such as N or T for each axis of the labels, "
                                 "as in \\{1, \\dots, V\\}^{N \\times T}")
        names.append(dim[0])
    return names[0], names[1]
