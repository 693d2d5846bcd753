r"""The shape of a whole tensor, claimed: `E \in \mathbb{R}^{N \times T \times D}` after
`E_{ntd} \coloneqq ...` (or of a declared tensor).

A tensor of more than two axes is read entry by entry (evaluation/tensors.py): used whole in a
product or a derivative it has no matrix to be, and is refused. Its shape, though, is a value of
its own, and pages state it for every result: a claim whose left side is the tensor's bare name
and whose right side is a real space of as many axes compares the sizes axis by axis. Anything
else with a whole tensor (`E^\top`, `E = ...`, a derivative by `E`) is still refused. A row of a
shape table that names a tensor (`E & N \times T \times D`) is the same claim.
"""

from __future__ import annotations

from ..errors import fail_at
from ..evaluation.compare import dim_size
from ..tex.syntax import Name, RealSpace


def whole_tensor_shape(block, item) -> tuple | None:
    """The sizes of the tensor `item` names (a declared tensor or a family of more than two
    indices), or None when `item` is not the bare name of a tensor."""
    if not isinstance(item, Name):
        return None
    symbol = block.scope.lookup(item.name, 0)
    if symbol is not None:
        value = block.context(0).value(symbol.key, item.tok)
        if len(value.pos) <= 2:
            return None
        block.used.add(symbol.key)  # what the claim reads (`BlockChecker.reads_drawn_value`)
        return tuple(value.pos)
    for family in block.scope.any_arity(item.name):
        if family.arity > 2:
            block.used.add(family.key)
            return tuple(family.ranges[index] for index in family.indices)
    return None


def claim_tensor_shape(block, items, relations) -> bool:
    """Check `E \\in \\mathbb{R}^{N \\times T \\times D}` for a tensor E; False when the chain is
    not such a claim (it is then checked as any other)."""
    if len(items) != 2 or [r.text for r in relations] != ["\\in"] or not isinstance(items[1], RealSpace):
        return False
    sizes = whole_tensor_shape(block, items[0])
    if sizes is None:
        return False
    space = items[1]
    written = [dim_size(dim, block.scope, space.tok) for dim in space.shape or ()]
    if tuple(written) != sizes:
        shown = " x ".join("".join(str(f) for f in dim) for dim in space.shape or ())
        names = " x ".join(block.scope.size_name(size) for size in sizes)
        actual = " x ".join(str(size) for size in sizes)
        raise fail_at(relations[0], f"the claim (shape): the shape written is {shown} but "
                                    f"{items[0].name} is {actual} ({names})", kind="failed")
    block.links += 1
    return True


def tensor_row(block, row) -> bool:
    """A row of a shape table naming a whole tensor, `Y & N \\times C \\times H' \\times W'`: its
    shape compared axis by axis, one checked link (False when the row names no tensor)."""
    sizes = whole_tensor_shape(block, row.expression)
    if sizes is None:
        return False
    written = tuple(dim_size(dim, block.scope, row.tok) for dim in row.dims)
    if written != sizes:
        shown = " x ".join("".join(str(f) for f in dim) for dim in row.dims)
        names = " x ".join(block.scope.size_name(size) for size in sizes)
        raise fail_at(row.tok, f"row {row.number} of the shape table, {row.expression.name}: the "
                               f"shape written is {shown} but {row.expression.name} is "
                               f"{' x '.join(str(size) for size in sizes)} ({names})", kind="failed")
    return True
