r"""Undeclared decorated names whose plain letter is known: `\mathcal{L}` after `L`, `x^{(2)}`
after a scalar `x`. Each could be the known symbol, written another way, or a symbol of its own
(tex/letters.py reads them as symbols of their own); the message names both readings.
"""

from __future__ import annotations

from ..errors import fail_at
from ..tex.letters import CALLIGRAPHIC_PREFIX
from ..tex.vocabulary import tex_name


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
