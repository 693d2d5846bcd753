r"""Messages for forms that look like something the grammar reads, naming both readings and what
to write: undeclared decorated names whose plain letter is known (`\mathcal{L}` after `L`,
`x^{(2)}` after a scalar `x`, `\boldsymbol{a}_i` after a matrix `A`: the known symbol or a piece
of it, or a symbol of its own?), a name applied to `(...)` that is no function (`\sigma(z)`), and
a number added to a matrix (`1 - P`: the matrix of ones to write).
"""

from __future__ import annotations

from ..errors import fail_at
from ..tex.syntax import Name
from ..tex.letters import CALLIGRAPHIC_PREFIX
from .scope import SymbolKind
from ..tex.vocabulary import tex_name


def undeclared_symbol(scope, node, usual: str, where: str = ""):
    """The error for the undeclared name `node` (`where`: where it stands, as ` in the numerator
    of a derivative`), after `refuse_undeclared_decoration`; `usual` is the advice unless a formula
    with a problem was to define it (`scope.undeclared_tail`)."""
    refuse_undeclared_decoration(scope, node)
    return fail_at(node.tok, f"undeclared symbol {tex_name(node.name)}{where}; "
                             f"{scope.undeclared_tail(node.name, usual)}")


def refuse_undeclared_decoration(scope, node) -> None:
    """Raise for an undeclared `\\mathcal{L}` or `x^{(2)}` whose plain letter is declared; return
    for any other name (the caller then reports an undeclared symbol)."""
    name = node.name
    base, layer_mark, layer = name.partition("^(")
    plain = base if layer_mark else name.removeprefix(CALLIGRAPHIC_PREFIX)
    known = scope.lookup(plain, 0)
    if plain == name or known is None:
        return
    shown, plain_shown = tex_name(name), tex_name(plain)
    if layer_mark:
        power = layer.rstrip(")")
        raise fail_at(node.tok, f"{shown} could be the power {plain_shown}^{{{power}}} of "
                                f"{plain_shown} (line {known.line}) or a symbol of layer {power} "
                                f"that is not declared; expected {plain_shown}^{{{power}}} for the "
                                f"power, or a declaration of {shown} before its first use")
    raise fail_at(node.tok, f"{shown} could be {plain_shown} (line {known.line}) written in another "
                            f"font or a symbol of its own that is not declared; expected "
                            f"{plain_shown}, or a declaration or definition of {shown} before its "
                            "first use")


def refuse_unnamed_pieces(scope, node) -> None:
    """Raise for an undeclared `a_i` when the matrix `A` is declared or defined: row i or column i of
    A? (Q&A posts use both.) Return otherwise (the caller reports an undeclared symbol)."""
    base = node.base
    if len(base) != 1 or not base.islower() or len(node.items) != 1:
        return
    matrix = scope.lookup(base.upper(), 0)
    if matrix is None or matrix.kind not in (SymbolKind.LEAF, SymbolKind.DEFINED) or (
            matrix.kind == SymbolKind.LEAF and (len(matrix.shape) != 2 or 1 in matrix.shape)):
        return
    name, whole = tex_name(base), tex_name(base.upper())
    raise fail_at(node.tok, f"{name}_{{{node.text}}} could be row {node.text} or column "
                            f"{node.text} of {whole} (line {matrix.line}), whose pieces are not "
                            f"named; expected them named first, {whole} = \\begin{{bmatrix}} "
                            f"\\boldsymbol{{{name}}}_1^\\top \\\\ \\vdots \\\\ "
                            f"\\boldsymbol{{{name}}}_N^\\top \\end{{bmatrix}} for rows, or "
                            f"{whole} = \\begin{{bmatrix}} \\boldsymbol{{{name}}}_1 & \\cdots & "
                            f"\\boldsymbol{{{name}}}_K \\end{{bmatrix}} for columns")


def refuse_undeclared_function(evaluator, node) -> None:
    """`\\sigma(z)` with \\sigma unknown reads as a function applied to z (a `Product` `node`): the
    message says to define the function (or to declare a symbol and write the product with
    \\cdot)."""
    scope = evaluator.scope
    for left, right in zip(node.factors, node.factors[1:]):
        if (isinstance(left, Name) and right.open_paren is not None and not right.after_cdot
                and not scope.any_arity(left.name) and left.name not in evaluator.ranges
                and left.name not in evaluator.bindings  # a page function's parameter
                and not scope.is_size(left.name)):
            shown = tex_name(left.name)
            raise fail_at(left.tok, f"undeclared function {shown}: {shown}(...) applies {shown} "
                                    f"to what follows; expected {shown} defined as a function "
                                    f"before its first use, as in {shown}(z) = "
                                    "\\frac{1}{1 + e^{-z}}, or, for a product, a declared "
                                    f"symbol and {shown} \\cdot (...)")


def ones_hint(scope, left, right) -> str:
    """What to write for `1 - P` with P a matrix (values `left`, `right`): the number stands for the
    matrix of ones, which this grammar writes out (no implicit broadcasting, GRAMMAR.md)."""
    if left.is_scalar == right.is_scalar:
        return ""
    matrix = right if left.is_scalar else left
    rows, cols = (_subscript(scope.size_name(size)) for size in matrix.pos)
    ones = f"\\mathbf{{1}}_{rows}" + ("" if cols == "1" else f" \\mathbf{{1}}_{cols}^\\top")
    return (f"; a scalar is not added to every entry of a matrix by itself: expected it "
            f"times the matrix of ones, {ones} (for 1 - P: {ones} - P)")


def _subscript(text: str) -> str:
    """A subscript as TeX needs it: `N`, or `{10}` for more than one character."""
    return text if len(text) == 1 else "{" + text + "}"
