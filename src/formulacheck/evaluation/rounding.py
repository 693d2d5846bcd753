r"""`\approx` against a decimal (tex/decimals.py): `\log 3 \approx 1.0986` holds when the other
side lies within half a unit of the decimal's last digit (0.00005), plus the rounding tolerance of
its own computation: `\frac{2}{3} \approx 0.6667` holds, `\frac{2}{3} \approx 0.6666` (cut off, not
rounded) fails.

A decimal is one number, so the other side must be one number too: computed from numbers,
functions and symbols defined from those, not from what the checker draws (a declared symbol,
labels) or chooses (a size). `L \approx 2.3026` for a loss L of random scores would fail on an
instance, for no fault of the page; it is refused instead, naming what the side reads.
"""

from __future__ import annotations

import numpy as np

from ..errors import fail_at
from .compare import check_finite, describe, tolerance, trace_of, worst_entry
from .indices import subscripted_meaning, walk
from .named_arrays import Tensor
from .scope import DRAWN_KINDS
from ..tex.decimals import WrittenDecimal
from ..tex.syntax import Name, Node, Subscripted
from ..tex.vocabulary import tex_name

def drawn_or_chosen(node, scope) -> str | None:
    """What `node` reads that is not one number for every instance: a declared symbol, labels
    or a size (directly or through the definitions it uses), described; None if nothing."""
    seen, pending = set(), [node]
    while pending:
        for part in walk(pending.pop()):
            if isinstance(part, Name) and scope.is_size(part.name):
                return f"the size {part.name}, which the checker chooses"
            if isinstance(part, Subscripted):
                meaning = subscripted_meaning(scope, part)
                if meaning is not None and meaning[0] in ("size", "identity"):
                    return f"the size {meaning[1]}, which the checker chooses"
                symbols = [meaning[1]] if meaning is not None and meaning[1] is not None else []
            elif isinstance(part, Name):
                symbols = scope.any_arity(part.name)
            else:
                continue
            for symbol in symbols:
                if symbol.kind in DRAWN_KINDS:
                    return f"{tex_name(symbol.name)} (line {symbol.line}), which the checker draws"
                if symbol.key not in seen and isinstance(symbol.body, Node):
                    seen.add(symbol.key)
                    pending.append(symbol.body)
                for key in symbol.deps | ({symbol.alias_of} if symbol.alias_of else set()):
                    used = scope.symbols.get(key)
                    if used is not None and used.kind in DRAWN_KINDS:
                        return (f"{tex_name(used.name)} (line {used.line}), which the checker "
                                "draws")
    return None


def refuse_drawn_side(node, scope, tok, heading: str) -> None:
    """Raise unless the side `node`, compared with a decimal, is one number on every instance."""
    reads = drawn_or_chosen(node, scope)
    if reads is not None:
        raise fail_at(tok, f"{heading}: a decimal is one number, but the other side reads {reads}, "
                           "so the page does not fix its value; expected a side computed from "
                           "numbers (\\log 3 \\approx 1.0986), or mark a value of the text "
                           "<!-- unchecked: ... -->")


def compare_rounded(value: Tensor, written: WrittenDecimal, tok, scope, heading: str,
                    trial: int) -> float:
    """Raise a 'failed' FormulaError unless every entry of `value` lies within half a unit of the
    last digit of `written` (and the rounding of its computation); the largest difference."""
    check_finite(value, tok, "the side compared with the decimal")
    data = np.real(np.asarray(value.data, dtype=complex if np.iscomplexobj(value.data) else float))
    difference = np.abs(data - written.value)
    allowed = written.half_unit + tolerance(trace_of(value))
    worst = worst_entry(difference - allowed)
    if worst is None:
        return float(np.max(difference, initial=0.0))
    found = float(data[worst])
    at = (f"at entry {tuple(int(k) + 1 for k in worst)} (1-based): " if worst else "")
    rounded = f"{round(found, written.decimals):.{written.decimals}f}"
    raise fail_at(tok, f"{heading} does not hold", kind="failed", details=(
        f"{at}the value is {found:.10g}, which rounds to {rounded} at the {written.decimals} "
        f"decimals written, not {written.text} (a decimal written to {written.decimals} decimals "
        f"claims the value within {written.half_unit:g} of it)",
        f"value: {describe(value, scope)}", f"random instance: trial {trial}"))
