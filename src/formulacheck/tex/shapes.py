r"""Shapes written in TeX: `N \times K` after `\mathbb{R}^`, under an `\underbrace`, in a shape table.

A shape is read from tokens alone (`shape_from_tokens`), so the statement reader, the parser and
the shape tables share one reading; `parse_shape_label` takes the label's tokens from a stream.
"""

from __future__ import annotations

from ..errors import fail_at
from ..limits import MAX_DIGITS
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
    r"""The shape written by `tokens` (`N \times K`, `N K \times 1`, `K`): a tuple of dims, each a
    tuple of its factors (size names and whole numbers); None for words (`\text{...}`).

    >>> from .tokens import tokenize
    >>> shape_from_tokens(tokenize(r"N K \times 1")[:-1]), shape_from_tokens(tokenize(r"\text{a, b}")[:-1])
    ((('N', 'K'), (1,)), None)
    """
    if not tokens or any(t.text in TEXT_COMMANDS for t in tokens):
        return None
    dims, current = [], []
    for token in tokens:
        if token.is_("\\times"):
            if not current:
                raise fail_at(token, "expected a size before \\times")
            dims.append(tuple(current))
            current = []
        elif token.kind == "letter" and token.text.isupper():
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
