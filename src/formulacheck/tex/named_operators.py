r"""Operators written as words: `\text{vec}(A X B)`, `\text{Tr}(A)`, `\textrm{softmax}(F)`.

The Matrix Cookbook writes `\text{Tr}` and `\text{vec}` where this grammar has
`\operatorname{tr}`; elsewhere `\text{...}` is prose that separates statements (`\text{ and }`).
A word is read as an operator only when it is the name of one (tex/vocabulary.py, OPERATORS) and
`(` follows directly: `\text{vec}(X)` is then the operator, and never the word "vec" followed by a
claim about `(X)`. The same word without `(` could be either, so it is refused
(`operator_word_without_argument`), naming both readings and what to write. Any other single word
directly before `(`, or a word that names a function elsewhere (`\text{relu} z`), would be a
function the grammar does not have, and is refused rather than read as prose before a claim
about what follows (`refuse_function_word`): `\text{sum}(\mathbf{x}) = \mathbf{x}` is not the
claim `(\mathbf{x}) = \mathbf{x}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import fail_at
from .syntax import Call, Node, Number
from .tokens import Token
from .vocabulary import OPERATORS, TEXT_COMMANDS


def operator_word(token: Token) -> str | None:
    r"""The operator a `\text{NAME}` token names (`tr`, `vec`, `diag`, `softmax`), else None.

    >>> from .tokens import tokenize
    >>> [operator_word(t) for t in tokenize(r"\text{Tr} \text{ and } \mathrm{vec} \text{vec }")[:-1]]
    ['tr', None, None, 'vec']
    """
    if token.text not in TEXT_COMMANDS or token.arg is None:
        return None
    return OPERATORS.get(token.arg.strip())


def is_operator_call(token: Token, following: Token) -> bool:
    r"""Whether `token` is an operator word applied to what follows: `\text{vec}(`."""
    return operator_word(token) is not None and following.is_("(")


#: Words that name functions in the sources, refused before any factor, with the construct the
#: grammar has for each (None: a function defined on the page).
FUNCTION_WORDS = {"sum": "\\sum_{i=1}^{N}", "max": "\\max", "min": "\\min(a, b)",
                  "exp": "\\exp", "log": "\\log", "tanh": "\\tanh", "abs": "|...|",
                  "mean": "\\frac{1}{N} \\sum_{i=1}^{N}", "relu": "\\max(0, z)",
                  "ReLU": "\\max(0, z)", "sigmoid": None, "prod": None}


def refuse_function_word(token: Token, following: Token) -> None:
    r"""`\text{sum}(\mathbf{x})`, `\text{relu} z`: a word that would apply a function the grammar
    does not have to what follows, refused (skipped as prose, it would leave a claim about what
    follows alone). Words of the prose (`\text{ and }`, `\text{for all } i`) pass.

    >>> from .tokens import tokenize
    >>> refuse_function_word(*tokenize(r"\text{sum}(x)")[:2])
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: \text{sum} before what follows reads as a function sum applied to it, which the grammar does not have; expected \sum_{i=1}^{N}, a function defined on the page, or the word outside the formula
    >>> refuse_function_word(*tokenize(r"\text{ and } x")[:2])
    """
    word = token.arg or ""
    if token.text not in TEXT_COMMANDS or not word.isalpha() or operator_word(token) is not None:
        return
    if not (following.is_("(") or word in FUNCTION_WORDS and starts_a_value(following)):
        return
    construct = FUNCTION_WORDS.get(word)
    instead = f"{construct}, " if construct else ""
    raise fail_at(token, f"{token.text}{{{word}}} before what follows reads as a function {word} "
                         f"applied to it, which the grammar does not have; expected {instead}a "
                         "function defined on the page, or the word outside the formula")


def starts_a_value(token: Token) -> bool:
    """A letter, a number, an opening bracket or a command (a symbol, \\frac, \\mathbf, ...)."""
    return token.kind in ("letter", "number", "cmd") or token.text in ("(", "[")


def refuse_operator_word_without_argument(token: Token, following: Token) -> None:
    r"""`\text{vec} X`: the word of the prose, or the operator vec applied to X? Refused.

    >>> from .tokens import tokenize
    >>> tokens = tokenize(r"\text{vec} X")
    >>> refuse_operator_word_without_argument(*tokens[:2])
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: \text{vec} without '(' could be the word vec of the prose or the operator vec applied to what follows; expected \text{vec}(...) for the operator, or the word outside the formula
    """
    name = operator_word(token)
    if name is not None and not following.is_("("):
        raise fail_at(token, f"{token.text}{{{token.arg}}} without '(' could be the word "
                             f"{token.arg} of the prose or the operator {name} applied to what "
                             f"follows; expected {token.text}{{{token.arg}}}(...) for the operator, "
                             "or the word outside the formula")


def parse_function_power(p, token: Token, mark: Token):
    r"""The exponent of `\tanh^2(x)`, `\log^{3}(x)`: a whole number of at least 2, read as the power
    of the value. `\tanh^{-1}` could be the inverse function (artanh) or 1 / tanh, so any other
    exponent is refused.

    >>> from .parser import ExpressionParser
    >>> from .tokens import tokenize
    >>> p = ExpressionParser(tokenize(r"\tanh^{-1}(x)"))
    >>> parse_function_power(p, p.take(), p.take())
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: \tanh^{-1} could be the inverse function of \tanh or the power 1 / \tanh(...); expected a whole power of at least 2, as in \tanh^2(x), or \frac{1}{\tanh(x)}
    """
    start = p.pos
    exponent = p.parse_group_or_token("as the power of a function")
    if isinstance(exponent, Number) and exponent.value >= 2 and float(exponent.value).is_integer():
        return exponent
    shown = "".join(t.text for t in p.tokens[start:p.pos])
    raise fail_at(mark, f"{token.text}^{shown} could be the inverse function of {token.text} or "
                        f"the power 1 / {token.text}(...); expected a whole power of at least 2, "
                        f"as in {token.text}^2(x), or \\frac{{1}}{{{token.text}(x)}}")



@dataclass
class EntryOf(Node):
    r"""An entry of a value: of an operator's, `\operatorname{softmax}(\mathbf{o})_j` as d2l.ai
    writes it, or of a parenthesised expression, `(X^\top)_{di}`, `(X W)_{ik}` (tex/constructs.py);
    the ranges of its index letters come from the shape of the value (pages/blocks.py)."""

    operand: Node  # a Call, or a parenthesised expression
    items: list
    text: str

    @property
    def base(self) -> str:
        """The value, as messages name it."""
        if isinstance(self.operand, Call):
            return f"{self.operand.func}(...)"
        return "the value in parentheses"


def is_entry_of_call(node) -> bool:
    r"""Whether a subscript after `node` takes an entry of an operator's value (`\text{vec}(X)_3`,
    `\operatorname{softmax}(\mathbf{o})_j`); a bare function (`\log x`) or |x| has none."""
    return isinstance(node, Call) and not node.parenthesized and not node.bare and node.func != "abs"
