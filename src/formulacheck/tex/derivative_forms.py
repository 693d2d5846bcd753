r"""Derivatives written the ways the sources write them, besides `\frac{\partial A}{\partial B}`.

- the operator form, `\frac{\partial}{\partial X} \operatorname{tr}(X A)`,
  `\frac{\partial}{\partial \mathbf{x}} (\mathbf{x}^\top B \mathbf{x})`: the derivative of the one
  factor that follows (a parenthesised group, a function with its arguments, a symbol);
- Leibniz with an upright d, `\frac{\mathrm{d} s}{\mathrm{d} z}`, and its operator form
  `\frac{\mathrm{d}}{\mathrm{d} z} \sigma(z)`;
- Leibniz with an italic d, `\frac{d s}{d z}` and `\frac{d}{d z}`: read as a derivative only when
  both the numerator and the denominator start with a bare d before a symbol (in the numerator
  also before a parenthesis, an absolute value, a norm or a named function: `\frac{d |r|}{d r}`). Whether `d` is also a
  symbol or a size of the page is known only to the evaluator, which then refuses it
  (evaluation/derivatives.py): `(d s) / (d z)` would be the other reading.

The derivative is the checker's one derivative (evaluation/derivatives.py): the total derivative on
the graph of definitions, so `\partial` and `\mathrm{d}` mean the same here. Everything is a
`Derivative` node; `plain_d` keeps the italic d's token for the evaluator's check.
"""

from __future__ import annotations

from ..errors import fail_at
from .definitions import Primed
from .syntax import Derivative, Name, Product
from .tokens import Token
from .vocabulary import ACCENTS, BOLD, FUNCTIONS, GREEK, NORM_OPEN

#: Tokens that open a value after the numerator's d (besides a symbol and a named function).
VALUE_OPENERS = frozenset({"(", "|", "\\lvert", "\\left", "\\operatorname"}) | NORM_OPEN


def parse_derivative_form(p, token):
    r"""After `\frac` (already taken): a derivative in one of the forms above, or None (nothing
    taken) when the fraction is none of them.

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> node = ExpressionParser(tokenize(r"\frac{\mathrm{d} s}{\mathrm{d} z}")).parse_expr()
    >>> type(node).__name__, node.numerator.name, node.denominator.name
    ('Derivative', 's', 'z')
    """
    if not p.tok.is_("{"):
        return None
    opener = p.peek()
    if opener.is_("\\partial") and p.peek(2).is_("}"):
        p.take(), p.take(), p.take()
        return _operator(p, token, "\\partial", None)
    upright = opener.text == "\\mathrm" and (opener.arg or "").strip() == "d"
    italic = opener.kind == "letter" and opener.text == "d"
    if not (upright or italic):
        return None
    after = p.peek(2)
    if after.is_("}"):  # `\frac{d}{d x}`: an operator, if the denominator is a Leibniz one
        if not _starts_leibniz(p.peek(3), p.peek(4), p.peek(5), upright):
            return None
        p.take(), p.take(), p.take()
        return _operator(p, token, opener.text, opener if italic else None)
    if not _value_start(after) or not _numerator_is_leibniz(p, upright):
        return None
    p.take(), p.take()
    numerator = p.parse_product()
    p.expect("}", "to close the numerator of the derivative")
    denominator = _denominator(p, opener)
    return Derivative(token, numerator, denominator, plain_d=opener if italic else None)


def _symbol_start(token) -> bool:
    r"""A token that starts a symbol: a letter, a greek letter, a bold or accented letter."""
    return (token.kind == "letter" or token.text[1:] in GREEK or token.text in BOLD
            or token.text in ACCENTS)


def _value_start(token) -> bool:
    r"""A token that starts what a Leibniz numerator differentiates: a symbol, or a parenthesis,
    an absolute value, a norm or a named function (`\frac{d |r|}{d r}`, `\frac{d (r^2)}{d r}`,
    `\frac{\mathrm{d} \tanh(z)}{\mathrm{d} z}`)."""
    return _symbol_start(token) or token.text in VALUE_OPENERS or token.text in FUNCTIONS


def _starts_leibniz(brace, d, after, upright: bool) -> bool:
    """`{d x` or `{\\mathrm{d} x`: a Leibniz denominator (a d of the other kind than the
    numerator's is refused when it is read, `_denominator`)."""
    if not brace.is_("{"):
        return False
    d_like = (d.text == "\\mathrm" and (d.arg or "").strip() == "d") or (
        d.kind == "letter" and d.text == "d")
    return d_like and _symbol_start(after)


def _numerator_is_leibniz(p, upright: bool) -> bool:
    """Whether the group after the numerator `{d ...}` is a denominator `{d ...}` (looked at,
    nothing taken): only then is the fraction a derivative."""
    depth, ahead = 1, 1  # the numerator's `{` is the next token
    while True:
        token = p.peek(ahead)
        if token.kind == "end":
            return False
        depth += token.is_("{") - token.is_("}")
        if depth == 0:
            return _starts_leibniz(p.peek(ahead + 1), p.peek(ahead + 2), p.peek(ahead + 3), upright)
        ahead += 1


def _denominator(p, opener):
    p.expect("{", "to open the denominator of the derivative")
    d = p.take()
    if d.text != opener.text:
        shown = "\\mathrm{d}" if opener.text == "\\mathrm" else "d"
        raise fail_at(d, f"the numerator starts with {shown} and the denominator with {d}; "
                         "expected the same d in both")
    denominator = p.parse_product()
    p.expect("}", "to close the denominator of the derivative")
    return denominator


def _operator(p, token, written: str, plain_d):
    r"""`\frac{\partial}{\partial X}` (the `{\partial}` taken): the derivative of what follows."""
    if written == "\\partial":
        p.expect("{", "to open the denominator \\partial ...")
        p.expect("\\partial", "at the start of the denominator of a derivative")
        denominator = p.parse_product()
        p.expect("}", "to close the denominator \\partial ...")
    else:
        denominator = _denominator(p, _opener_like(written))
    operand = parse_operand(p, token)
    shown = "\\frac{\\partial}{\\partial ...}" if written == "\\partial" else "\\frac{d}{d ...}"
    following = p.tok
    if p.starts_factor(following) or following.is_("\\cdot"):
        raise fail_at(following, f"the factor after {shown} could be part of what is "
                                 "differentiated or multiply the derivative; expected parentheses: "
                                 f"{shown} (A B) to differentiate the product, or "
                                 f"({shown} A) B for the product of the derivative")
    if (following.is_("+") or following.is_("-")) and not operand.parenthesized:
        raise fail_at(following, f"the term after {shown} could be part of what is differentiated "
                                 "or a term of its own; expected parentheses: "
                                 f"{shown} (A + B), or ({shown} A) + B")
    return Derivative(token, operand, denominator, plain_d=plain_d)


def _opener_like(written: str):
    """A stand-in for the numerator's d, to compare with the denominator's."""
    return Token("cmd" if written.startswith("\\") else "letter", written, 0, 0)


def parse_operand(p, token):
    r"""What an operator (`\frac{\partial}{\partial X}`, `\nabla_X`) applies to: one factor, and a
    symbol's parenthesised arguments with it (`f(\mathbf{x})`, a function's application)."""
    if not p.starts_factor(p.tok):
        raise fail_at(p.tok, f"expected what the derivative applies to after {token.text}, found "
                             f"{p.tok}")
    operand = p.parse_factor()
    if isinstance(operand, (Name, Primed)) and p.tok.is_("("):
        arguments = p.parse_factor()
        operand = Product(operand.tok, [operand, arguments])
    return operand
