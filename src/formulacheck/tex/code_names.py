r"""The code's gradient names written in math: `dW`, `db`, `dF`, `dW_1` (CS231n writes `dW` for
the gradient of the loss by W, as its code does).

TeX reads `dW` as the letter d times W; a reader of the notes reads one name. The parser writes a
bare `d` directly before a symbol as one `CodeName` (`dW`, named "dW", like the symbol
`\mathrm{d}W` declares); what it means is decided where the page is known
(evaluation/code_names.py): the page must have stated the convention in math, as
`dW \coloneqq \frac{\partial L}{\partial W}`, and `d` must be nothing else there.

A name of more than one letter after d (`dscores`, the CS231n code's gradient of its `scores`) is
written as code, `\mathtt{dscores}`: a typewriter word is one symbol named by the word, defined
like any other (`\mathtt{dscores} \coloneqq \frac{\partial L}{\partial F}`). In italic letters
`dscores` reads as the product d s c o r e s, so letters run on after a code name are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import fail_at
from .syntax import Name, Subscripted
from .vocabulary import BOLD, GREEK, is_code_word


@dataclass
class CodeName(Name):
    """`dW`: the name "dW" written with a bare d (`symbol` is the name after it, "W")."""

    symbol: str


def starts_code_name(d_token, following) -> bool:
    r"""A bare letter d directly before a letter, a greek letter or a bold letter.

    >>> from formulacheck.tex.tokens import tokenize
    >>> [starts_code_name(*tokenize(text)[:2]) for text in ("dW", r"d\lambda", "d_1", "x W")]
    [True, True, False, False]
    """
    return (d_token.kind == "letter" and d_token.text == "d"
            and (following.kind == "letter" or following.text[1:] in GREEK or following.text in BOLD))


#: Operator names that start with d: written in italic letters they are not a code name.
D_WORDS = ("diag", "det")


def parse_code_name(p) -> CodeName:
    """`d` and the symbol after it (the `d` is the next token)."""
    for word in D_WORDS:
        if all(p.peek(k).kind == "letter" and p.peek(k).text == letter for k, letter in enumerate(word)):
            raise fail_at(p.tok, f"{word} in italic letters reads as the product "
                                 f"{' '.join(word)}; expected \\operatorname{{{word}}}(x) for the "
                                 f"operator")
    d_token = p.take()
    following = p.take()
    refuse_run_on_letters(p, d_token, following)
    if following.text in BOLD:
        symbol = (following.arg or "").strip()
        if not (len(symbol) == 1 and symbol.isalpha()):
            raise fail_at(following, f"expected one letter in {following.text}{{...}} after d, "
                                     f"found {symbol!r}")
    else:
        symbol = following.text.lstrip("\\")
    return CodeName(d_token, "d" + symbol, symbol)


def is_code_name(node) -> bool:
    """A `CodeName`, or one with a subscript (`dW_1`: its token is the bare d)."""
    return isinstance(node, CodeName) or (isinstance(node, Subscripted) and node.tok.kind == "letter"
                                          and node.tok.text == "d" and len(node.base) > 1)


def refuse_run_on_letters(p, d_token, following) -> None:
    r"""`dscores`: letters typed on after `dW` make one word, which italic math reads as a product.

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> ExpressionParser(tokenize("dscores + 1")).parse_expr()
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: dscores in italic letters reads as the product d s c o r e s; for the code's name write \mathtt{dscores}, for a product put spaces between the factors
    >>> type(ExpressionParser(tokenize("dW X")).parse_expr()).__name__
    'Product'
    """
    word, previous, offset = d_token.text + following.text, following, 0
    while True:
        after = p.peek(offset)
        if not (after.kind == "letter" and after.line == previous.line
                and after.col == previous.col + len(previous.text)):
            break
        word, previous, offset = word + after.text, after, offset + 1
    if offset:
        raise fail_at(d_token, f"{word} in italic letters reads as the product {' '.join(word)}; "
                               f"for the code's name write \\mathtt{{{word}}}, for a product put "
                               f"spaces between the factors")


def parse_code_word(p) -> Name:
    r"""`\mathtt{dscores}`: the symbol named by the word (letters and digits).

    >>> from formulacheck.tex.parser import ExpressionParser
    >>> from formulacheck.tex.tokens import tokenize
    >>> ExpressionParser(tokenize(r"\mathtt{dscores}")).parse_expr().name
    'dscores'
    >>> ExpressionParser(tokenize(r"\texttt{d scores}")).parse_expr()
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: expected a name from the code in \texttt{...} (a letter, then letters or digits, as in \mathtt{dscores}); found 'd scores'
    """
    token = p.take()
    word = (token.arg or "").strip()
    if not is_code_word(word) and not (len(word) == 1 and word.isalpha()):
        raise fail_at(token, f"expected a name from the code in {token.text}{{...}} (a letter, then "
                             f"letters or digits, as in \\mathtt{{dscores}}); found {word!r}")
    return Name(token, word)
