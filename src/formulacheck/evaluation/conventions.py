r"""Conventions of other authors that a page states once (GRAMMAR.md, "Conventions a page states").

A marker `<!-- convention: numerator layout -->` (or `\otimes elementwise`, several separated by
`;`) directly above a display block states the convention from that block to the end of its scope:

- `numerator layout` (Parr & Howard): the derivative of a scalar by a vector or a matrix is laid
  out along the numerator, so `\frac{\partial a}{\partial \mathbf{w}}` of a column w is a row and
  by a D x K matrix it is K x D (the site's own layout, the denominator or gradient layout, gives
  the shape of the denominator). A Jacobian of a column by a column has one row per numerator
  entry in both layouts. `\nabla` follows the stated layout too.
- `\otimes elementwise` (Parr & Howard write the elementwise product so): `\otimes` is `\odot`, not
  the Kronecker product.

Without a marker a derivative has the denominator layout and `\otimes` is the Kronecker product.
When the two sides of a claim have transposed shapes, the message says that a layout could be why.
"""

from __future__ import annotations

from . import named_arrays as na
from ..errors import fail_at
from .indices import walk
from .named_arrays import Tensor
from ..tex.syntax import Derivative

#: What a `convention:` marker may state -> (the scope's setting, its value).
CONVENTIONS = {
    "numerator layout": ("layout", "numerator"),
    "denominator layout": ("layout", "denominator"),
    "\\otimes elementwise": ("otimes", "elementwise"),
}


def state_conventions(scope, text: str, tok) -> None:
    """Record the conventions the marker text states in `scope` (an unknown one is an error)."""
    for stated in (" ".join(part.split()) for part in text.split(";")):
        if stated not in CONVENTIONS:
            known = ", ".join(f"`{name}`" for name in CONVENTIONS)
            raise fail_at(tok, f"unknown convention '{stated}' in the convention: marker; expected "
                               f"one of {known}")
        setting, value = CONVENTIONS[stated]
        scope.conventions[setting] = value


def laid_out(scope, numerator: Tensor, result: Tensor) -> Tensor:
    """A derivative's value in the page's layout: a scalar's derivative by a vector or matrix is
    transposed in numerator layout."""
    if scope.conventions.get("layout") == "numerator" and numerator.is_scalar and not result.is_scalar:
        return na.transpose(result)
    return result


def otimes_is_elementwise(scope) -> bool:
    return scope.conventions.get("otimes") == "elementwise"


def layout_hint(left: Tensor, right: Tensor, scope, sides) -> tuple:
    """A detail for two sides (`sides`, their syntax) whose shapes are each other's transpose, one
    with a derivative: its layout could explain it (nothing otherwise)."""
    if left.is_scalar or right.is_scalar or left.pos != tuple(reversed(right.pos)) or left.pos == right.pos:
        return ()
    if not any(isinstance(node, Derivative) for side in sides for node in walk(side)):
        return ()
    layout = scope.conventions.get("layout", "denominator")
    other = "numerator" if layout == "denominator" else "denominator"
    return (f"the shapes are each other's transpose: a derivative's layout may be why (this page uses the {layout} layout; a page in the {other} layout states "
            f"it with <!-- convention: {other} layout -->)",)

