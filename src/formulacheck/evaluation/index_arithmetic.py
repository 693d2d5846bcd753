r"""Index arithmetic in an entry's subscripts: `X_{n,c,S(i-1)+p,S(j-1)+q}`, `W_{f,c,H_f+1-p,W_f+1-q}`,
`X_{n,c,h-P,w-P}` (the parser makes each such item an `IndexArithmetic`, tex/parser.py).

An item is a sum or difference of index letters, sizes and whole numbers; a product of a size or a
whole number with such an expression; parentheses group. Its value is a whole number for every
value of its letters, which take their ranges elsewhere (a plain subscript, a sum, a range written
after the formula): arithmetic gives a letter no range. A value outside the axis it indexes is an
error naming the item, the values it takes and the axis's range: an entry is never read wrapped
around or as 0. Inside a case of `\begin{cases}` (evaluation/piecewise.py) a value outside the axis
is allowed exactly where that case's condition fails, since the case's value is not used there:
that is how a zero-padded tensor is defined.
"""

from __future__ import annotations

import numpy as np

from . import named_arrays as na
from ..errors import fail_at
from ..tex.syntax import Add, IndexArithmetic, Name, Neg, Number, Product, Subscripted
from ..tex.vocabulary import tex_name
from .named_arrays import Tensor

FORM = ("expected sums and differences of index letters, sizes and whole numbers, and products "
        "of a size or a whole number with them, as in S(i-1)+p")


def _is_size(scope, node) -> bool:
    if isinstance(node, Name):
        return scope.is_size(node.name)
    return isinstance(node, Subscripted) and scope.is_size(f"{node.base}_{node.text}")


def check_form(evaluator, item: IndexArithmetic, node) -> bool:
    """Raise unless `node` (part of `item`) has the form of index arithmetic; whether it holds an
    index letter."""
    scope = evaluator.scope
    where = f"in the subscript item {item.text}"
    if isinstance(node, Number):
        if not float(node.value).is_integer():
            raise fail_at(node.tok, f"{node.tok.text} {where} is not a whole number; {FORM}")
        return False
    if _is_size(scope, node):
        return False
    if isinstance(node, Name) and node.name in evaluator.ranges and scope.lookup(node.name, 0) is None:
        return True
    if isinstance(node, Add):
        return any([check_form(evaluator, item, term) for _, term in node.terms])
    if isinstance(node, Neg):
        return check_form(evaluator, item, node.operand)
    if isinstance(node, Product):
        sizes = [f for f in node.factors if isinstance(f, Name) and scope.is_size(f.name)]
        if len(sizes) > 1 and len({f.name for f in sizes}) == 1:
            twice = sizes[0].name
            raise fail_at(node.tok, f"{twice}{twice} {where} is the product {twice} \\cdot {twice} "
                                    f"of the size {twice} by itself (the course's code names the "
                                    f"filter height HH); expected the filter's size as a size of "
                                    f"its own, such as {twice}_f in \\mathbb{{R}}^{{F \\times C "
                                    f"\\times {twice}_f \\times W_f}}")
        varying = [f for f in node.factors if check_form(evaluator, item, f)]
        if len(varying) > 1:
            raise fail_at(node.tok, f"a product of two index expressions {where}; {FORM}")
        return bool(varying)
    if isinstance(node, Name) and scope.lookup(node.name, 0) is not None:
        what = f"the symbol {tex_name(node.name)}"
    elif isinstance(node, Subscripted):
        what = f"{tex_name(node.base)}_{{{node.text}}}"
    else:
        what = getattr(node.tok, "text", "this")
    raise fail_at(node.tok, f"{what} {where}: an index is a whole number computed from index "
                            f"letters and sizes; {FORM}")


def arithmetic_index(evaluator, item: IndexArithmetic) -> Tensor:
    """The 1-based values of an arithmetic item, a whole number for every value of its letters."""
    check_form(evaluator, item, item.expr)
    value = evaluator.eval(item.expr)
    data = np.real(np.asarray(value.data))
    if not value.is_scalar or not np.all(data == np.round(data)):
        raise fail_at(item.tok, f"the subscript item {item.text} is not a whole number; {FORM}")
    return Tensor(np.round(data).astype(np.int64), value.names, ())


def checked_positions(evaluator, node, item, index: Tensor, size: int) -> Tensor:
    """`index` (0-based positions of one subscript item on an axis of `size` entries) after the
    bounds check; positions outside where the case of a `\\begin{cases}` being evaluated does not
    hold (`evaluator.guard`) are moved inside, since the value there is not used."""
    data = np.asarray(index.data)
    outside = (data < 0) | (data >= size)
    if not data.size or not outside.any():
        return index
    names = index.names
    if evaluator.guard is not None:
        out, held, names = na.align(Tensor(outside, index.names, ()), evaluator.guard)
        outside = np.broadcast_to(out & (np.real(held) != 0), np.broadcast_shapes(out.shape, held.shape))
        if not outside.any():
            return Tensor(np.clip(data, 0, size - 1), index.names, ())
    if not isinstance(item, IndexArithmetic):
        raise fail_at(node.tok, f"a subscript of {node.base} runs outside 1..{size}")
    first = tuple(int(k) for k in np.argwhere(outside)[0])
    at = ", ".join(f"{name}={position + _first(evaluator, name)}"
                   for name, position in zip(names, first) if name[0] not in "@#")
    axis = evaluator.scope.size_name(size) if size in evaluator.scope.sizes.values() else str(size)
    case = " where its case of \\begin{cases} holds" if evaluator.guard is not None else ""
    raise fail_at(item.tok, f"the subscript {item.text} of {tex_name(node.base)}_{{{node.text}}} "
                            f"takes the values {data.min() + 1}..{data.max() + 1}, outside the "
                            f"axis's entries 1..{axis} (={size}){case}, at {at} (1-based, as on "
                            f"the page); an entry outside its axis is never read wrapped around or as "
                            f"0: expected the ranges of the letters that keep it inside, or a "
                            f"padded tensor defined piecewise, as in \\tilde{{X}}_{{n,c,h,w}} "
                            f"\\coloneqq \\begin{{cases}} X_{{n,c,h-P,w-P}} & \\text{{if }} "
                            f"P < h \\le P + H \\\\ 0 & \\text{{otherwise}} \\end{{cases}}")


def _first(evaluator, name: str) -> int:
    return evaluator.firsts.get(name, 1)
