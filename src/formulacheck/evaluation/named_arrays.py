"""Arrays whose leading axes carry index names (like einsum labels) and whose trailing axes are the
positional rows and columns of a matrix.

A `Tensor` with `names=("i", "j")` and `pos=()` is the family of scalars F_{ij}; with `names=()` and
`pos=(7, 4)` it is a 7 x 4 matrix; vectors are columns, `pos=(m, 1)`. Named axes align by name in
every operation (that is what index notation means); positional axes never broadcast: a matrix
product needs matching inner sizes, a sum needs equal shapes. A 1 x 1 product is a scalar.
The data may be complex: derivatives use the complex step, and every operation here is analytic
in the values (comparisons and |x| look at the real part only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..limits import ELEMENT_BUDGET


class ShapeError(Exception):
    """Two shapes or index ranges that do not fit; the evaluator adds the position."""




def ensure_budget(shape) -> None:
    """Raise ShapeError if an array of `shape` (a tuple, or a count) would exceed the budget.

    >>> ensure_budget((7, 4))
    >>> ensure_budget((1000, 1000, 1000))
    Traceback (most recent call last):
    ...
    formulacheck.evaluation.named_arrays.ShapeError: this value would hold 1,000,000,000 numbers, more than the checker's budget of 4,000,000 per value; expected fewer free index letters, smaller sums or smaller sizes
    """
    count = shape if isinstance(shape, int) else math.prod(int(s) for s in shape)
    if count > ELEMENT_BUDGET:
        raise ShapeError(f"this value would hold {count:,} numbers, more than the checker's budget "
                         f"of {ELEMENT_BUDGET:,} per value; expected fewer free index letters, "
                         "smaller sums or smaller sizes")


@dataclass(frozen=True)
class Tensor:
    """`data.shape == sizes of names + pos`.

    >>> t = Tensor(np.ones((2, 3)), ("i", "j"), ())
    >>> t.sizes, t.is_scalar
    ({'i': 2, 'j': 3}, True)
    """

    data: np.ndarray
    names: tuple
    pos: tuple
    # How a definition's value was computed (trace.EvalTrace), kept with its memoised value so
    # every claim that uses it knows its magnitude, rounding steps and branches; None elsewhere.
    trace: object = field(default=None, compare=False, repr=False)

    @property
    def sizes(self) -> dict:
        return dict(zip(self.names, self.data.shape[:len(self.names)]))

    @property
    def is_scalar(self) -> bool:
        return self.pos == ()


def constant(value) -> Tensor:
    """A plain number as a scalar tensor."""
    return Tensor(np.asarray(value), (), ())


def shape_text(pos: tuple) -> str:
    """`7 x 4`, `7 (column)`, or `scalar`."""
    if pos == ():
        return "scalar"
    return f"{pos[0]} x {pos[1]}"


def _expand(tensor: Tensor, names: list, pos_ndim: int) -> np.ndarray:
    # Most operands already have exactly these names in this order (it is called tens of
    # thousands of times a page): their data is the answer as it is.
    if (len(tensor.pos) == pos_ndim and len(tensor.names) == len(names)
            and all(a == b for a, b in zip(tensor.names, names))
            and isinstance(tensor.data, np.ndarray)):
        return tensor.data
    order = [tensor.names.index(name) for name in names if name in tensor.names]
    rest = list(range(len(tensor.names), tensor.data.ndim))
    data = tensor.data.transpose(order + rest)
    sizes = iter(data.shape[:len(order)])
    shape = [next(sizes) if name in tensor.names else 1 for name in names]
    shape += list(data.shape[len(order):]) + [1] * (pos_ndim - len(tensor.pos))
    return data.reshape(shape)


def align(left: Tensor, right: Tensor, pos_ndim: int | None = None):
    """Both data arrays over the union of names (left's order first), broadcastable."""
    left_sizes, right_sizes = left.sizes, right.sizes
    for name in set(left_sizes) & set(right_sizes):
        if left_sizes[name] != right_sizes[name]:
            raise ShapeError(f"index {name} ranges over 1..{left_sizes[name]} on one side and "
                             f"1..{right_sizes[name]} on the other")
    names = list(left.names) + [name for name in right.names if name not in left.names]
    ndim = max(len(left.pos), len(right.pos)) if pos_ndim is None else pos_ndim
    a, b = _expand(left, names, ndim), _expand(right, names, ndim)
    if a.ndim == b.ndim:  # equal ranks always; a mismatch is left for numpy to report
        ensure_budget(tuple(max(x, y) for x, y in zip(a.shape, b.shape)))
    return a, b, tuple(names)


def add(left: Tensor, right: Tensor, sign: int = 1) -> Tensor:
    """`left + sign * right`; positional shapes must be equal (no implicit broadcasting)."""
    if left.pos != right.pos:
        raise ShapeError(f"cannot add a {shape_text(left.pos)} and a {shape_text(right.pos)}")
    a, b, names = align(left, right)
    return Tensor(a + sign * b, names, left.pos)


def multiply(left: Tensor, right: Tensor) -> Tensor:
    """Juxtaposition: scaling when a side is scalar, else a strict matrix product."""
    if left.is_scalar or right.is_scalar:
        a, b, names = align(left, right)
        return Tensor(a * b, names, left.pos or right.pos)
    if left.pos[1] != right.pos[0]:
        raise ShapeError(f"matrix product of a {shape_text(left.pos)} by a {shape_text(right.pos)}: "
                         f"the inner sizes {left.pos[1]} and {right.pos[0]} differ")
    a, b, names = align(left, right)
    ensure_budget(tuple(max(x, y) for x, y in zip(a.shape[:-2], b.shape[:-2]))
                  + (left.pos[0], right.pos[1]))
    data = np.matmul(a, b)
    pos = (left.pos[0], right.pos[1])
    if pos == (1, 1):
        return Tensor(data[..., 0, 0], names, ())
    return Tensor(data, names, pos)


def hadamard(left: Tensor, right: Tensor) -> Tensor:
    """Elementwise product; shapes must be equal."""
    if left.pos != right.pos:
        raise ShapeError(f"\\odot needs equal shapes, got {shape_text(left.pos)} and "
                         f"{shape_text(right.pos)}")
    a, b, names = align(left, right)
    return Tensor(a * b, names, left.pos)


def kronecker(left: Tensor, right: Tensor) -> Tensor:
    """`A \\otimes B` with A m x n, B p x q: the mp x nq block matrix [A_{ab} B]."""
    if left.is_scalar or right.is_scalar:
        raise ShapeError("\\otimes needs two matrices")
    a, b, names = align(left, right)
    m, n = left.pos
    p, q = right.pos
    ensure_budget(tuple(max(x, y) for x, y in zip(a.shape[:-2], b.shape[:-2])) + (m * p, n * q))
    outer = a[..., :, None, :, None] * b[..., None, :, None, :]
    return Tensor(outer.reshape(outer.shape[:-4] + (m * p, n * q)), names, (m * p, n * q))


def transpose(tensor: Tensor) -> Tensor:
    """Swap rows and columns; a scalar is its own transpose."""
    if tensor.is_scalar:
        return tensor
    return Tensor(np.swapaxes(tensor.data, -1, -2), tensor.names, tensor.pos[::-1])


def divide(left: Tensor, right: Tensor) -> Tensor:
    """`\\frac{A}{b}` with a scalar denominator."""
    if not right.is_scalar:
        raise ShapeError(f"division by a {shape_text(right.pos)}: the denominator must be a scalar")
    a, b, names = align(left, right)
    return Tensor(a / b, names, left.pos)


def elementwise(tensor: Tensor, function) -> Tensor:
    """Apply a numpy function entry by entry."""
    return Tensor(function(tensor.data), tensor.names, tensor.pos)


def reduce_index(tensor: Tensor, name: str, lower: int, upper: int) -> Tensor:
    """Sum over index `name` from `lower` to `upper` (1-based, inclusive)."""
    if name not in tensor.names:
        return Tensor(tensor.data * max(upper - lower + 1, 0), tensor.names, tensor.pos)
    axis = tensor.names.index(name)
    data = np.take(tensor.data, np.arange(lower - 1, upper), axis=axis).sum(axis=axis)
    return Tensor(data, tensor.names[:axis] + tensor.names[axis + 1:], tensor.pos)


def max_index(tensor: Tensor, name: str) -> Tensor:
    """Maximum over index `name`, chosen by the real part (so the complex step passes through)."""
    if name not in tensor.names:
        return tensor
    axis = tensor.names.index(name)
    best = np.expand_dims(np.argmax(tensor.data.real, axis=axis), axis)
    data = np.take_along_axis(tensor.data, best, axis=axis).squeeze(axis)
    return Tensor(data, tensor.names[:axis] + tensor.names[axis + 1:], tensor.pos)


def diagonalize(tensor: Tensor) -> Tensor:
    """Merge repeated names by taking diagonals (`J[i, i, j]` for names i, i, j)."""
    data, names = tensor.data, list(tensor.names)
    while len(set(names)) < len(names):
        first = next(n for n in names if names.count(n) > 1)
        p = names.index(first)
        q = names.index(first, p + 1)
        data = np.moveaxis(np.diagonal(data, axis1=p, axis2=q), -1, p)
        del names[q]
    return Tensor(data, tuple(names), tensor.pos)


def gather(tensor: Tensor, axes: list, indices: list, pos: tuple) -> Tensor:
    """Index data axes `axes` (named or positional) by 0-based integer tensors `indices`.

    The new names are the union of the index tensors' names; untouched named axes stay; `pos` is
    the positional shape of what remains. Repeated names become diagonals.
    """
    names: list = []
    for index in indices:
        names += [n for n in index.names if n not in names]
    aligned = [_expand(index, names, 0) for index in indices]
    common = tuple(max(s) for s in zip(*[data.shape for data in aligned]))
    expanded = [np.broadcast_to(data, common) for data in aligned]
    moved = np.moveaxis(tensor.data, axes, list(range(len(axes))))
    if expanded:
        ensure_budget(expanded[0].shape + moved.shape[len(axes):])
    kept_names = [n for k, n in enumerate(tensor.names) if k not in axes]
    result = moved[tuple(expanded)]
    squeeze = result.ndim - len(names) - len(kept_names) - len(pos)
    if squeeze:
        result = result.reshape(result.shape[:len(names) + len(kept_names)] + tuple(pos))
    return diagonalize(Tensor(result, tuple(names) + tuple(kept_names), tuple(pos)))


def to_matrix(tensor: Tensor, order: tuple) -> np.ndarray:
    """The data with named axes in `order` then positional axes (for reports and code ties)."""
    return _expand(tensor, list(order), len(tensor.pos))
