r"""Recursive-descent parser for the math of one statement (the grammar is documented in GRAMMAR.md).

Grammar (`|` alternatives, `*` repetition, `?` optional; whitespace and spacing commands vanish):

    expr      := ("+" | "-")? term (("+" | "-") term)*
    term      := product (("\odot" | "\otimes") product)*     # a multi-factor side needs ( )
    product   := factor (("\cdot")? factor)*                  # juxtaposition; "/" divides
    factor    := primary "'"* ("_" subscript | "^" superscript | "^\prime")*   # a prime: tex/definitions.py
    primary   := number | letter | greek | "(" expr ")" | "{" expr "}" | "|" expr "|"
               | "\|" expr "\|" "_F" | "[" condition "]" | "\mathbb{1}(" condition ")"
               | "\mathbf{1}_" size | "\frac{" expr "}{" expr "}"
               | "\frac{\partial" product "}{\partial" product "}" | "\nabla_" group operand
               | "\frac{\partial}{\partial" product "}" operand               # tex/derivative_forms.py
               | "\frac{" d product "}{" d product "}" | "\frac{" d "}{" d product "}" operand
               | "d" letter                                  # `dW`, a code name: tex/code_names.py
               | "(" expr ("," expr)+ ")"                   # a function's arguments: tex/definitions.py
               | "\sum_{" index "=" number "}^" size product   # the body runs to the next + or -
               | "\max_" index product | "\max(" expr "," expr ")"
               | ("\exp" | "\log" | "\ln") (paren-group | factor)
               | "\operatorname{" ("tr" | "vec" | "diag" | "softmax" | "sign") "}(" expr ")"
               | "\mathrm{d}" symbol
               | "\underbrace{" expr "}_{" shape-or-words "}" | "\begin{bmatrix}" rows "\end{bmatrix}"
    superscript := "\top" | "T" | "\intercal" | number | group
    condition := expr ("=" | "\neq" | ">" | "<" | "\geq" | "\leq") expr
    operand   := factor ("(" arguments ")")?                  # `\nabla_x f(x)`
    d         := "\mathrm{d}" | "d"                          # the same d in both

`e^{x}` is the exponential; `X^\top` (or `X^T`, `X^\intercal`) the transpose; any other superscript a
power. A subscript after a symbol is kept as written (`Subscripted`): whether `W_1` is a name or
`W_{dk}` an entry is decided by the evaluator, which knows the declarations.
"""

from __future__ import annotations

from ..errors import fail_at
from .syntax import (Add, Call, Elementwise, Fraction, IndexArithmetic, Indicator, MaxOver, Name, Neg,
                     Number, Power, Product, Subscripted, Sum, Transpose)
from .tokens import Token
from .constructs import parse_primary
from .definitions import Primed, read_prime
from .ellipsis_matrices import digit_items
from .named_operators import EntryOf, is_entry_of_call
from .letters import layer_name, layer_superscript
from .token_stream import TokenStream
from .vocabulary import (ELEMENTWISE, ENDS_FACTOR, GREEK, NORM_CLOSE, NORM_OPEN, RELATIONS,
                         SUBSCRIPT_MARKS, TEXT_COMMANDS, TRANSPOSE, TRANSPOSE_FONTS)


def may_be_application(product: Product) -> bool:
    """`f(x)`, `f'(x)`, `f(a, b)`: a name and a group in parentheses, one factor when the page
    defines f as a function (else a product, refused beside \\odot when it is evaluated).

    >>> from .tokens import tokenize
    >>> [may_be_application(ExpressionParser(tokenize(tex)).parse_product())
    ...  for tex in (r"\\phi'(z)", r"\\sigma(Z W)", r"A (B)", r"A B", r"2 (z)", r"A (B) C")]
    [True, True, True, False, False, False]
    """
    if len(product.factors) != 2:
        return False
    function, group = product.factors
    return isinstance(function, (Name, Primed)) and group.open_paren is not None


def elementwise_beside_product(op_tok, op):
    """The error for `A B \\odot C`: (A B) \\odot C, or A (B \\odot C)?"""
    return fail_at(op_tok, f"\\{op} next to a product of several factors could be read two ways; "
                           "expected parentheses, e.g. (A B) \\odot C")


class ExpressionParser(TokenStream):
    """Parses tokens (ending with an `end` token) into syntax nodes; strict, never guesses."""

    def __init__(self, tokens: list[Token]):
        super().__init__(tokens)
        self.in_abs = 0  # inside |...|: a `|` closes, it does not start a factor
        self.in_norm = 0  # inside \|...\|: likewise for `\|`
        self.digit_subscripts = 0  # inside a matrix with ellipses: `x_{11}` is x_{1,1}

    # -- expressions ---------------------------------------------------------------------------
    def parse_expr(self):
        start = self.tok
        terms = []
        sign = 1
        if self.tok.is_("+") or self.tok.is_("-"):
            sign = -1 if self.take().is_("-") else 1
        terms.append((sign, self.parse_term()))
        while self.tok.is_("+") or self.tok.is_("-"):
            sign = -1 if self.take().is_("-") else 1
            terms.append((sign, self.parse_term()))
        if len(terms) == 1:
            return terms[0][1] if terms[0][0] == 1 else Neg(start, terms[0][1])
        return Add(start, terms)

    def parse_term(self):
        left = self.parse_product()
        seen_op = None
        while self.tok.text in ELEMENTWISE:
            op_tok = self.take()
            op = op_tok.text[1:]
            if seen_op is not None and seen_op != op:
                raise fail_at(op_tok, f"\\{seen_op} and \\{op} mixed without parentheses; "
                                      "expected ( ) around one of them")
            right = self.parse_product()
            for side in (left, right):
                # `\\phi'(\\mathbf{z})`, `\\sigma(Z)`: one factor if the page defines the function,
                # which only the evaluation knows (it refuses the product: evaluate.py)
                if (isinstance(side, Product) and not side.parenthesized
                        and not may_be_application(side)):
                    raise elementwise_beside_product(op_tok, op)
            left = Elementwise(op_tok, op, left, right)
            seen_op = op
        return left

    def starts_factor(self, token: Token) -> bool:
        if token.kind in ("letter", "number"):
            return True
        if token.kind == "sym":
            return token.text in "([{" or (token.text == "|" and not self.in_abs)
        if token.text in NORM_OPEN & NORM_CLOSE:  # `\|` both opens and closes a norm
            return not self.in_norm
        if token.text in TEXT_COMMANDS and (token.arg or "").strip() == "and":
            return False  # `P < h \\le P + H \\text{ and } ...` in a case (tex/structures.py)
        return token.kind == "cmd" and token.text not in ENDS_FACTOR

    def parse_product(self):
        start = self.tok
        if not self.starts_factor(self.tok):
            raise fail_at(self.tok, f"expected a symbol, a number or '(', found {self.tok}")
        factors = []
        bare_call, slash = None, None
        while True:
            dotted = False
            if self.tok.is_("\\cdot"):
                if not factors:
                    raise fail_at(self.tok, "\\cdot needs a factor on its left")
                self.take()
                dotted, slash = True, None  # `a / b \\cdot c d`: the \\cdot says where b ends
                if not self.starts_factor(self.tok):
                    raise fail_at(self.tok, f"expected a factor after \\cdot, found {self.tok}")
            elif self.tok.is_("/"):
                slash = self.take()
                left = factors[0] if len(factors) == 1 else Product(start, factors)
                factors = [Fraction(slash, left, self.parse_factor())]
                continue
            elif not self.starts_factor(self.tok):
                break
            elif slash is not None:  # `a / b c`: a / (b c) to some readers, (a / b) c to others
                raise fail_at(self.tok, "a factor after a / b could belong to the denominator; "
                                        "expected \\frac{a}{b c} or \\frac{a}{b} c (or a / b "
                                        "\\cdot c)")
            if bare_call is not None:
                raise fail_at(self.tok, f"a factor after an unparenthesised {bare_call.text} could "
                                        f"belong to its argument; expected {bare_call.text}(...)")
            if (self.tok.kind == "number" and not dotted and factors
                    and isinstance(factors[-1], (Name, Subscripted))
                    and not factors[-1].parenthesized):
                # `x2` is typeset as x2: a subscript to some readers, a product to others
                raise fail_at(self.tok, f"a number after a symbol could be its subscript or a "
                                        f"factor; expected a subscript, as in x_{self.tok.text}, "
                                        f"or the number first, {self.tok.text} x")
            factor = self.parse_factor()
            factor.after_cdot = dotted
            factors.append(factor)
            # A sum's body runs to the next + or -, so nothing can follow it in the product;
            # a parenthesised sum, (\sum_i x_i) z, is closed and can be followed by factors.
            if not factor.parenthesized and (
                    isinstance(factor, (Sum, MaxOver)) or isinstance(factor, Call) and factor.open_ended):
                break
            if isinstance(factor, Call) and factor.bare:
                bare_call = factor.tok
        return factors[0] if len(factors) == 1 else Product(start, factors)

    def parse_factor(self):
        node = parse_primary(self)
        node = read_prime(self, node)  # `\\sigma'(z)`, `\\sigma^{\\prime}(z)`: tex/definitions.py
        scripts = set()
        while self.tok.is_("^") or self.tok.is_("_"):
            mark = self.take()
            if mark.text in scripts:  # TeX itself refuses `a^2^2` and `a_1_2`
                twice = "exponent" if mark.is_("^") else "subscript"
                raise fail_at(mark, f"a second {twice} on one base, which TeX refuses (double "
                                    f"{twice}); expected braces that say which is meant, as in "
                                    f"{{a{mark.text}2}}{mark.text}3 or a{mark.text}{{2{mark.text}3}}")
            scripts.add(mark.text)
            if mark.is_("_"):
                if isinstance(node, Name):
                    sub = self.tok
                    items, text = self.parse_subscript()
                    node = Subscripted(node.tok, node.name, items, text, glued=_glued(sub, self.tok))
                    continue
                if is_entry_of_call(node):  # `\operatorname{softmax}(o)_j` (tex/named_operators.py)
                    items, text = self.parse_subscript()
                    node = EntryOf(node.tok, node, items, text)
                    continue
                raise fail_at(mark, "a subscript here could be read two ways; expected it on a "
                                    "symbol (X_{id}) or on the value in parentheses, as in "
                                    "(X^\\top)_{di}")
            node = self.parse_superscript(mark, node)
        return node

    @staticmethod
    def is_transpose(token: Token) -> bool:
        """`\\top`, `T`, `\\intercal` or `\\mathsf{T}` as a superscript."""
        return token.text in TRANSPOSE or (token.text in TRANSPOSE_FONTS and token.arg == "T")

    def parse_superscript(self, mark: Token, node):
        layer = layer_superscript(self)
        if layer is not None:  # `W^{(1)}`, `W^{(1)\top}`: a layer index (tex/letters.py)
            named = layer_name(self, mark, node, layer[0])
            return Transpose(mark, named) if layer[1] else named
        token = self.tok
        braced = token.is_("{")
        if braced:
            inner = self.peek()
            if self.peek(2).is_("}") and self.is_transpose(inner):
                self.take(), self.take(), self.take()
                return Transpose(mark, node)
        elif self.is_transpose(token):
            self.take()
            return Transpose(mark, node)
        exponent = self.parse_group_or_token("as an exponent")
        if isinstance(node, Name) and node.name == "e":
            return Call(node.tok, "exp", [exponent])
        return Power(mark, node, exponent)

    def parse_group_or_token(self, what: str):
        if self.tok.is_("{"):
            self.take()
            inner = self.parse_expr()
            self.expect("}", f"to close the group {what}")
            return inner
        token = self.take()
        if token.kind == "number":
            if len(token.text) > 1 and "." not in token.text:
                raise fail_at(token, f"'{token.text}' without braces is ambiguous in TeX (only its "
                                     f"first digit is taken); expected braces {what}")
            return Number(token, float(token.text))
        if token.kind == "letter":
            return Name(token, token.text)
        if token.kind == "cmd" and token.text[1:] in GREEK:
            return Name(token, token.text[1:])
        raise fail_at(token, f"expected a braced group, a digit or a letter {what}, found {token}")

    def parse_subscript(self):
        """Items of `_x` or `_{...}`: index letters, labels such as `y_i`, digits, or `+`/`-`."""
        if not self.tok.is_("{"):
            token = self.take()
            return [self.subscript_item(token)], token.text.lstrip("\\")
        if self.arithmetic_follows():
            return self.parse_arithmetic_subscript()
        open_brace = self.take()
        items, parts = [], []
        while not self.tok.is_("}"):
            token = self.take()
            if token.kind == "end":
                raise fail_at(open_brace, "unbalanced braces: this subscript is never closed; "
                                          "expected '}'")
            if token.is_(","):
                continue
            if token.kind == "number" and len(token.text) > 1 and self.digit_subscripts:
                items += digit_items(token)  # `x_{11}` in a matrix with ellipses
                parts.append(token.text)
                continue
            item = self.subscript_item(token)
            parts.append(token.text.lstrip("\\"))
            if self.tok.is_("_") and isinstance(item, Name):
                self.take()
                inner, inner_text = self.parse_subscript()
                item = Subscripted(token, item.name, inner, inner_text)
                parts.append("_" + inner_text)
            items.append(item)
        self.take()
        if not items:
            raise fail_at(open_brace, "empty subscript; expected index letters or digits")
        return items, "".join(parts)

    def subscript_groups(self) -> list:
        """The tokens of the braced subscript that starts at the current `{`, split at its
        top-level commas (nothing is read)."""
        groups, current, depth, offset = [], [], 0, 1
        while True:
            token = self.peek(offset)
            if token.kind == "end" or depth == 0 and token.is_("}"):
                return groups + [current]
            if token.text in ("(", "{", "["):
                depth += 1
            elif token.text in (")", "}", "]"):
                depth -= 1
            if depth == 0 and token.is_(","):
                groups.append(current)
                current = []
            else:
                current.append(token)
            offset += 1

    @staticmethod
    def is_arithmetic(group: list) -> bool:
        """A subscript item with `+`, `-` (beside something: `p_+` is a name) or parentheses."""
        return len(group) > 1 and any(t.is_("+") or t.is_("-") or t.is_("(") for t in group)

    def arithmetic_follows(self) -> bool:
        return any(self.is_arithmetic(group) for group in self.subscript_groups())

    def parse_arithmetic_subscript(self):
        """`{n, c, S(i-1)+p, S(j-1)+q}`: items separated by commas, each an index letter, a label
        or a digit as before, or index arithmetic (an `IndexArithmetic`, evaluated by
        evaluation/index_arithmetic.py). Without commas (`{ij+1}`) the items would run together."""
        groups = self.subscript_groups()
        open_brace = self.take()
        items, texts = [], []
        for group in groups:
            if not group:
                raise fail_at(self.tok, "an empty item in a subscript; expected an index between "
                                        "the commas")
            text = "".join(t.text for t in group)
            if self.is_arithmetic(group):
                first = self.tok
                expr = self.parse_expr()
                if any(isinstance(node, Product) and sum(
                        isinstance(f, Name) and f.name.islower() and len(f.name) == 1
                        for f in node.factors) > 1 for node in _products(expr)):
                    raise fail_at(first, f"the subscript item {text} runs letters together: several "
                                         "indices, or a product in index arithmetic? expected commas "
                                         "between indices, as in X_{i, j+1}")
                items.append(IndexArithmetic(first, expr, text))
            else:
                for _ in group:
                    if self.tok.is_(",") or self.tok.is_("}"):
                        break
                    token = self.take()
                    item = self.subscript_item(token)
                    if self.tok.is_("_") and isinstance(item, Name):
                        self.take()
                        inner, inner_text = self.parse_subscript()
                        item = Subscripted(token, item.name, inner, inner_text)
                    items.append(item)
            texts.append(text)
            if not (self.tok.is_(",") or self.tok.is_("}")):
                raise fail_at(self.tok, f"unexpected {self.tok} in the subscript item {text}; "
                                        "expected sums and differences of index letters, sizes and "
                                        "whole numbers")
            self.take()
        if not texts:
            raise fail_at(open_brace, "empty subscript; expected index letters or digits")
        return items, ",".join(texts)

    def subscript_item(self, token: Token):
        if token.kind == "letter":
            return Name(token, token.text)
        if token.kind == "number":
            if len(token.text) > 1:
                raise fail_at(token, f"the subscript {token.text} could be one number or several "
                                     f"indices; expected single digits separated by commas, as in "
                                     f"X_{{1,2}}")
            return Number(token, float(token.text))
        if token.kind == "cmd" and token.text[1:] in GREEK:
            return Name(token, token.text[1:])
        if token.text in SUBSCRIPT_MARKS:
            return Name(token, token.text)
        if token.text == ":":  # `F_{i,:}`: the code's slice
            raise fail_at(token, "a slice ':' in a subscript (F_{i,:}, a row as the code takes it) "
                                 "is not read; expected entries with index letters, as in F_{ij} "
                                 "(\\sum_{i=1}^{N} F_{ij} for the sum of the rows), or named rows "
                                 "or columns such as \\boldsymbol{w}_j")
        raise fail_at(token, f"unexpected {token} in a subscript; expected index letters, labels "
                             "such as y_i, or digits")

    def parse_braced(self, what: str):
        self.expect("{", what)
        inner = self.parse_expr()
        self.expect("}", f"to close {what[3:] if what.startswith('to ') else what}")
        return inner

    def parse_condition(self, bracket: bool = False):
        """`a = b` of an indicator, or of an Iverson bracket `[a = b]` (`bracket`)."""
        left = self.parse_expr()
        op_tok = self.tok
        if op_tok.text not in RELATIONS:
            where = ("Iverson bracket [a = b] (an expectation E[x] or a value in brackets is not "
                     "read)" if bracket else "indicator")
            raise fail_at(op_tok, f"expected a comparison (=, \\neq, >, <, \\geq, \\leq) in the "
                                  f"{where}, found {op_tok}")
        self.take()
        right = self.parse_expr()
        return Indicator(op_tok, RELATIONS[op_tok.text], left, right)



def _products(node):
    """The products in an index expression (its `Add`, `Neg` and `Product` nodes, walked)."""
    if isinstance(node, Product):
        yield node
        for factor in node.factors:
            yield from _products(factor)
    elif isinstance(node, Add):
        for _, term in node.terms:
            yield from _products(term)
    elif isinstance(node, Neg):
        yield from _products(node.operand)


def _glued(subscript: Token, following: Token) -> Token | None:
    """`following` when it is a letter written directly after `subscript`, a one-letter subscript
    without braces (`X_ij`: TeX takes only i as the subscript)."""
    if (subscript.kind == "letter" and following.kind == "letter"
            and following.line == subscript.line and following.col == subscript.col + 1):
        return following
    return None
