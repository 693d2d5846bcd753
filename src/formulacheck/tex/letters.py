r"""Letters and decorations of other sources: `\mathcal{L}`, bold around a subscripted name
(`\boldsymbol{w_j}`), layer superscripts (`\mathbf{W}^{(1)}`).

Each makes a name the evaluator looks up like any other:

- `\mathcal{L}` is its own symbol, named `mathcal_L` (shown `\mathcal{L}`), not `L`, as an accent
  makes `\hat{X}` a symbol of its own; `\mathcal{L}_i` is then an entry or a family.
- `\boldsymbol{w_j}` is `\boldsymbol{w}_j`, the way many posts write it: bold is presentation, and
  the subscript inside the braces is read as if it were outside. Two letters inside bold
  (`\mathbf{Wx}`) could be a product or one name: refused.
- `W^{(1)}` is the symbol named `W^(1)` (shown `W^{(1)}`), a layer index in parentheses, as
  d2l.ai writes its layers; `W^{(1)}_{dh}` is its entry. On anything but a letter (`x_i^{(2)}`,
  `(A B)^{(2)}`) the parentheses could be a layer index or a power: refused.
"""

from __future__ import annotations

from ..errors import fail_at
from .syntax import Name
from .tokens import Token, tokenize
from .vocabulary import GREEK

#: The prefix of a calligraphic letter's name: `\mathcal{L}` is the symbol `mathcal_L`.
CALLIGRAPHIC_PREFIX = "mathcal_"


def parse_calligraphic(p):
    r"""`\mathcal{L}`: one capital letter, a symbol of its own named `mathcal_L`."""
    token = p.take()
    arg = (token.arg or "").strip()
    if len(arg) == 1 and arg.isascii() and arg.isupper():
        return Name(token, CALLIGRAPHIC_PREFIX + arg)
    raise fail_at(token, f"expected one capital letter in \\mathcal{{...}}, as in \\mathcal{{L}}; "
                         f"found {'nothing' if token.arg is None else repr(arg)}")


def parse_bold_compound(p, token: Token, arg: str):
    r"""`\boldsymbol{w_j}`, `\mathbf{x_{i}}`: the letter and its subscript (and superscripts), read
    from the braces as if written `\boldsymbol{w}_j`. Anything else inside is refused."""
    inner_tokens = tokenize(arg, token.line, token.col + len(token.text) + 1)
    first = inner_tokens[0]
    is_letter = first.kind == "letter" or first.text[1:] in GREEK
    if is_letter and len(inner_tokens) > 2 and inner_tokens[1].text in ("_", "^"):
        inner = type(p)(inner_tokens)
        node = inner.parse_factor()
        if inner.at_end():
            return node
    if is_letter and len(inner_tokens) > 2 and all(t.kind == "letter" for t in inner_tokens[:-1]):
        letters = "".join(t.text for t in inner_tokens[:-1])
        raise fail_at(token, f"{token.text}{{{letters}}} could be the product "
                             f"{' '.join(letters)} or one name of {len(letters)} letters; expected "
                             f"{' '.join(token.text + '{' + c + '}' for c in letters)} for the "
                             "product (names are one letter, with a subscript: \\boldsymbol{w}_j)")
    raise fail_at(token, f"expected one letter in {token.text}{{...}}, or a letter with its "
                         f"subscript as in {token.text}{{w_j}}; found {arg!r}")


def layer_superscript(p):
    r"""The layer of `^{(1)}`, `^{(L)}` as text (`1`, `L`) and whether a transpose follows it
    inside the braces (`^{(1)\top}`, as d2l.ai writes a transposed layer), when the tokens at `p`
    spell that (the `^` already read), else None; the tokens are then read."""
    toks = [p.peek(k) for k in range(6)]
    if not (toks[0].is_("{") and toks[1].is_("(") and toks[2].kind in ("number", "letter")
            and toks[3].is_(")")):
        return None
    transposed = p.is_transpose(toks[4]) and toks[5].is_("}")
    if not transposed and not toks[4].is_("}"):
        return None
    for _ in range(6 if transposed else 5):
        p.take()
    return toks[2].text, transposed


def layer_name(p, mark: Token, node, layer: str):
    r"""`W^{(1)}`: the symbol `W^(1)`. On anything but a letter the parentheses could be a layer
    index or a power, so it is refused."""
    if isinstance(node, Name):
        return Name(node.tok, f"{node.name}^({layer})")
    raise fail_at(mark, f"^{{({layer})}} here could be a layer index or the power {layer}; "
                        f"expected the layer on the letter, before any subscript "
                        f"(W^{{({layer})}}_{{ij}}), or ^{{{layer}}} for a power")
