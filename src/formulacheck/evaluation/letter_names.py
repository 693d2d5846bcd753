r"""Names whose subscript is a letter, `W_x \in \mathbb{R}^{D \times H}`, `W_{hh}`: the weights of
a recurrent layer as the CS231n notes and assignments name them (input-to-hidden `W_x`,
hidden-to-hidden `W_h`).

A subscript letter that is no symbol of the page is an index letter, so `W_x` alone would read as
the entries of a symbol `W`. In a declaration whose base letter is not a symbol of the scope (no
`W` of any arity), there is no entry to speak of: the subscripted name is the new symbol's name,
and every later `W_x` finds it (a declared compound name is looked up before an entry). Its
ambiguous neighbour is the scalar case, `x_i \in \mathbb{R}`: a scalar named x_i, or the statement
that every entry x_i is real? It is refused with both readings.
"""

from __future__ import annotations

from ..errors import fail_at
from ..tex.syntax import Name, Subscripted
from .indices import is_index_letter


def letter_subscript_name(scope, node) -> str | None:
    """`W_x` (or `W_{xh}`) as the name `W_x` when it can only be a new name, else None."""
    if not isinstance(node, Subscripted) or not 1 <= len(node.items) <= 2:
        return None
    if not all(isinstance(item, Name) and is_index_letter(scope, item.name) for item in node.items):
        return None
    if scope.any_arity(node.base) or scope.is_size(node.base):
        return None
    return f"{node.base}_{node.text}"


def refuse_scalar_letter_name(node, name: str, shape: tuple, labels: str | None = None) -> None:
    """`x_i \\in \\mathbb{R}` (or `x_i > 0`) could name a scalar or speak of entries: refused.
    `labels` is the upper label of `y_i \\in \\{1, \\dots, K\\}` (one label), as written.

    >>> from ..tex.tokens import Token
    >>> node = Subscripted(Token("letter", "y", 4, 1), "y", [], "i")
    >>> refuse_scalar_letter_name(node, "y_i", (), labels="K")
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: y_{i} \\in \\{1, \\dots, K\\} could declare a label named y_{i} or say that every entry y_{i} of a family is a label; expected a label with a name subscript (such as y_1), or the family declared whole (such as y \\in \\{1, \\dots, K\\}^{N})
    """
    if shape:
        return
    shown = f"{node.base}_{{{node.text}}}"
    if labels is None:
        written, what, every, whole = "\\mathbb{R}", "scalar", "real", "\\mathbb{R}^{N}"
    else:
        written = f"\\{{1, \\dots, {labels}\\}}"
        what, every, whole = "label", "a label", written + "^{N}"
    raise fail_at(node.tok, f"{shown} \\in {written} could declare a {what} named {shown} or "
                            f"say that every entry {shown} of a family is {every}; expected a "
                            f"{what} with a name subscript (such as {node.base}_1), or the family "
                            f"declared whole (such as {node.base} \\in {whole})")
