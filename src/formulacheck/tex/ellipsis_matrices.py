r"""Reading an explicit matrix with ellipses: subscripts of its entries, digit by digit.

Derivations show a product entry by entry, `\begin{bmatrix} x_{11} & \cdots & x_{N1} \\ \vdots &
\ddots & \vdots \\ x_{1D} & \cdots & x_{ND} \end{bmatrix}`, and in such a matrix `x_{11}` is the
entry (1, 1): its corners are compared position by position (evaluation/corners.py), and a
subscript `11` that is one number would not line up with `N1` anyway. So inside a matrix that holds
`\cdots`, `\vdots` or `\ddots`, a subscript number of several digits is read as one index per digit;
everywhere else it stays refused (`the subscript 11 could be one number or several indices`).
"""

from __future__ import annotations

from .syntax import Number
from .tokens import Token
from .vocabulary import DOTS


def holds_ellipsis(p) -> bool:
    r"""Whether the matrix whose `\begin` was just read holds dots before its `\end`."""
    depth = 0
    for token in p.tokens[p.pos:]:
        if token.text == "\\begin":
            depth += 1
        elif token.text == "\\end":
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and token.text in DOTS:
            return True
    return False


def digit_items(token: Token) -> list:
    """`11` as the two indices 1 and 1 (each a `Number` at its own column)."""
    return [Number(Token("number", digit, token.line, token.col + k), float(digit))
            for k, digit in enumerate(token.text)]
