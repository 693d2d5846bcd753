r"""Tensors with more than two axes (`X \in \mathbb{R}^{N \times C \times H \times W}`, a family
`Y_{nhw}` of three indices), as convolution needs them.

Values here are matrices (rows and columns, named-arrays.py); a tensor of more axes is read entry
by entry, `X_{n,c,h,w}`, with one index per axis, in sums, definitions and derivatives by an entry.
Used whole (`X` alone in a product, `\frac{\partial L}{\partial X}`) it has no matrix to be, so it
is refused.
"""

from __future__ import annotations

from ..errors import fail_at
from ..tex.vocabulary import tex_name


def tensor_axes(symbol, value) -> int:
    """How many axes a symbol's whole value has: 2 for a matrix or vector, more for a tensor."""
    if symbol.arity:
        return symbol.arity
    return len(value.pos)


def refuse_whole_tensor(symbol, value, tok, axes: tuple = ()) -> None:
    """Raise if `symbol` (its value `value`) is a tensor of more than two axes used whole."""
    count = tensor_axes(symbol, value)
    if count <= 2:
        return
    shown = tex_name(symbol.name)
    letters = ",".join("nchwuv"[:count]) if count <= 6 else "..."
    raise fail_at(tok, f"{shown} has {count} axes: a tensor is read entry by entry, not as a "
                       f"whole value; expected an entry with one index per axis, as in "
                       f"{shown}_{{{letters}}}")


def refuse_partial_entry(symbol, value, tok, count: int) -> None:
    """Raise if an entry of a tensor of more than two axes has fewer indices than axes."""
    axes = len(value.pos)
    if axes > 2 and count != axes:
        raise fail_at(tok, f"{tex_name(symbol.name)} has {axes} axes: an entry takes {axes} "
                           f"indices, got {count}; a part of a tensor is not a value here")
