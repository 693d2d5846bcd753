r"""Shapes written in TeX: `N \times K` after `\mathbb{R}^`, under an `\underbrace`, in a shape table.

A shape is read from tokens alone (`shape_from_tokens`), so the statement reader, the parser and
the shape tables share one reading; `parse_shape_label` takes the label's tokens from a stream.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import fail_at
from ..limits import MAX_DIGITS
from .syntax import Add, Name, Number, Product
from .tokens import Token
from .vocabulary import TEXT_COMMANDS


def parse_shape_label(stream):
    """`_{N \\times K}` gives a shape; `_{\\text{words}}` gives None (presentation)."""
    if not stream.tok.is_("{"):
        token = stream.take()
        return shape_from_tokens([token])
    stream.take()
    tokens, depth = [], 0
    while depth or not stream.tok.is_("}"):
        token = stream.take()
        if token.kind == "end":
            raise fail_at(token, "unbalanced braces in the \\underbrace label; expected '}'")
        depth += token.is_("{") - token.is_("}")
        tokens.append(token)
    stream.take()
    return shape_from_tokens(tokens)


def shape_from_tokens(tokens):
    r"""The shape written by `tokens` (`N \times K`, `N K \times 1`, `K`, `N \times (H + 2P)`): a
    tuple of dims, each a tuple of its factors (size names, whole numbers, a `SizeSum`); None for
    words (`\text{...}`).

    >>> from .tokens import tokenize
    >>> shape_from_tokens(tokenize(r"N K \times 1")[:-1]), shape_from_tokens(tokenize(r"\text{a, b}")[:-1])
    ((('N', 'K'), (1,)), None)
    """
    if not tokens or any(t.text in TEXT_COMMANDS for t in tokens):
        return None
    dims, current = [], []
    tokens = join_subscripted_sizes(tokens)
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.is_("("):  # `(H + 2P)`: a sum of sizes (read by SizeSum)
            group, position = _parenthesised(tokens, position, token)
            reader = _SizeSumReader(group, token)
            shown = "".join(f" {t.text} " if t.text in "+-" else t.text for t in group)
            current.append(SizeSum(shown.strip(), reader.sum()))
            continue
        if token.is_("\\times"):
            if not current:
                raise fail_at(token, "expected a size before \\times")
            dims.append(tuple(current))
            current = []
        elif token.kind == "letter" or token.kind == "size":  # `N`, `d`, `d_k` (see below)
            current.append(token.text)
        elif token.kind == "number" and "." not in token.text:
            if len(token.text) > MAX_DIGITS:
                raise fail_at(token, f"a number of {len(token.text)} digits is more than the "
                                     f"checker reads here (at most {MAX_DIGITS} digits)")
            current.append(int(token.text))
        elif token.is_("{") or token.is_("}"):
            continue
        else:
            raise fail_at(token, f"unexpected {token} in a shape; expected sizes such as "
                                 "N \\times K (or \\text{...} for words)")
    if not current:
        raise fail_at(tokens[-1], "expected a size after \\times")
    dims.append(tuple(current))
    return tuple(dims)


@dataclass(frozen=True, eq=False)
class SizeSum:
    """A dim of a shape written as a sum of sizes, `(H + 2P)`: `text` as written, `node` its
    expression (Add, Product, Name and Number nodes), evaluated by evaluation/size_expressions.py."""

    text: str
    node: object

    def __str__(self) -> str:
        return f"({self.text})"


def _parenthesised(tokens, position: int, opening):
    """The tokens up to the `)` that closes `opening`, and the position after it."""
    depth, group = 1, []
    while position < len(tokens):
        token = tokens[position]
        position += 1
        depth += token.is_("(") - token.is_(")")
        if depth == 0:
            if not group:
                raise fail_at(opening, "expected a sum of sizes inside the parentheses, as in (H + 2P)")
            return group, position
        group.append(token)
    raise fail_at(opening, "this '(' in a shape is never closed; expected ')'")


class _SizeSumReader:
    """`H + 2P`, `W - k_w + 1`: sums and differences of products of sizes and whole numbers."""

    def __init__(self, tokens, opening):
        self.tokens, self.position, self.opening = tokens, 0, opening

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def sum(self):
        terms = [(1, self.product())]
        while self.peek() is not None and self.peek().text in ("+", "-"):
            sign = -1 if self.tokens[self.position].is_("-") else 1
            self.position += 1
            terms.append((sign, self.product()))
        if self.peek() is not None and self.peek().is_(")"):
            return Add(self.opening, terms) if len(terms) > 1 else terms[0][1]
        if self.peek() is not None:
            token = self.peek()
            raise fail_at(token, f"unexpected {token} in a sum of sizes; expected sizes, whole "
                                 "numbers, + and -, as in (H + 2P)")
        return Add(self.opening, terms) if len(terms) > 1 else terms[0][1]

    def product(self):
        factors = []
        while self.peek() is not None and self.peek().text not in ("+", "-", ")"):
            token = self.peek()
            self.position += 1
            if token.is_("("):
                group, self.position = _parenthesised(self.tokens, self.position, token)
                factors.append(_SizeSumReader(group, token).sum())
            elif token.kind in ("letter", "size"):
                factors.append(Name(token, token.text))
            elif token.kind == "number" and "." not in token.text and len(token.text) <= MAX_DIGITS:
                factors.append(Number(token, float(token.text)))
            else:
                raise fail_at(token, f"unexpected {token} in a sum of sizes; expected sizes, whole "
                                     "numbers, + and -, as in (H + 2P)")
        if not factors:
            where = self.peek() or self.opening
            raise fail_at(where, "expected a size or a whole number in the sum of sizes")
        return factors[0] if len(factors) == 1 else Product(factors[0].tok, factors)


def join_subscripted_sizes(tokens):
    r"""`d_k`, `n_{h}` in a shape are one size each (attention writes `\sqrt{d_k}`): the letter,
    `_` and the subscript become one token of kind `size`, `d_k`; so does a primed uppercase
    letter, `H'` (the output height of a convolution). A lowercase letter alone is a
    size too (`\mathbb{R}^{n \times d}`); it can then not be an index letter on the page.

    >>> from .tokens import tokenize
    >>> [t.text for t in join_subscripted_sizes(tokenize(r"n_{h} \times d_k \times d")[:-1])]
    ['n_h', '\\times', 'd_k', '\\times', 'd']
    """
    joined, position = [], 0
    while position < len(tokens):
        token = tokens[position]
        if (token.kind == "letter" and token.text.isupper() and position + 1 < len(tokens)
                and tokens[position + 1].is_("'")):  # `H'`: a size of its own
            joined.append(Token("size", token.text + "'", token.line, token.col))
            position += 2
            continue
        if token.kind == "letter" and position + 1 < len(tokens) and tokens[position + 1].is_("_"):
            rest = tokens[position + 2:]
            braced = bool(rest) and rest[0].is_("{")
            inner = rest[1:3] if braced else rest[:1]
            if not inner or inner[0].kind not in ("letter", "number") or (
                    braced and (len(inner) < 2 or not inner[1].is_("}"))):
                raise fail_at(token, f"expected a size such as {token.text}_k: one letter or digit "
                                     "as the subscript of a size")
            joined.append(Token("size", f"{token.text}_{inner[0].text}", token.line, token.col))
            position += 2 + (3 if braced else 1)
            continue
        joined.append(token)
        position += 1
    return joined
