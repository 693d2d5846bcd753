r"""A decimal as written, for `\approx`: `\log 3 \approx 1.0986` claims that the other side rounds
to 1.0986 at the four decimals written, that is, lies within half a unit of the last digit
(0.00005) of it. Only a decimal with a point says how many digits it means: `\approx 2` and
`\approx 2 \times 10^{-5}` do not (an order of magnitude), and stay refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from .syntax import Neg, Number


@dataclass(frozen=True)
class WrittenDecimal:
    """`text` as written (sign included), its `value`, and `decimals`, the digits after the point."""

    text: str
    value: float
    decimals: int

    @property
    def half_unit(self) -> float:
        """Half a unit of the last digit written: how far a value may lie from a decimal it rounds
        to.

        >>> WrittenDecimal("1.0986", 1.0986, 4).half_unit
        5e-05
        """
        return 0.5 * 10.0 ** -self.decimals


def written_decimal(node) -> WrittenDecimal | None:
    r"""The decimal `node` is, written with a point (`1.0986`, `-0.5`, `.25`), or None.

    >>> from .parser import ExpressionParser
    >>> from .tokens import tokenize
    >>> [written_decimal(ExpressionParser(tokenize(t)).parse_expr())
    ...  for t in ("-1.0986", "2", "\\log 3")]
    [WrittenDecimal(text='-1.0986', value=-1.0986, decimals=4), None, None]
    """
    negative = isinstance(node, Neg) and not node.parenthesized
    number = node.operand if negative else node
    if not isinstance(number, Number) or number.parenthesized or "." not in number.tok.text:
        return None
    decimals = len(number.tok.text.split(".", 1)[1])
    sign = "-" if negative else ""
    return WrittenDecimal(sign + number.tok.text, -number.value if negative else number.value,
                          decimals)
