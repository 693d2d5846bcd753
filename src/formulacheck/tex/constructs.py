"""The primary constructs of the expression grammar (see tex/parser.py for the whole grammar)."""

from __future__ import annotations

from ..errors import fail_at
from ..limits import MAX_DIGITS
from .syntax import (Annotated, Call, Derivative, Differential, Dots, Fraction, Indicator, Matrix,
                     MaxOver, Name, Norm, Number, Ones, Subscripted, Sum)
from .tokens import Token
from .vocabulary import (ACCENTS, BOLD, FUNCTIONS, GREEK, MATRIX_ENVIRONMENTS, OPERATORS, TEXT_COMMANDS,
                         tex_name)





class PrimaryParser:
    """Mixin of `ExpressionParser`: one method per primary construct."""

    def parse_primary(self):
        token = self.tok
        if token.kind == "number":
            self.take()
            return Number(token, float(token.text))
        if token.kind == "letter":
            self.take()
            return Name(token, token.text)
        if token.kind == "sym":
            return self.parse_bracketed(token)
        name = token.text
        if name[1:] in GREEK:
            self.take()
            return Name(token, name[1:])
        if name in ("\\frac", "\\dfrac", "\\tfrac"):
            return self.parse_fraction()
        if name == "\\sum":
            return self.parse_sum()
        if name == "\\max":
            return self.parse_max()
        if name in FUNCTIONS:
            return self.parse_function(FUNCTIONS[name])
        if name in ("\\operatorname", "\\mathrm", "\\mathit", "\\mathsf"):
            return self.parse_operatorname()
        if name in ("\\tr", "\\vec", "\\diag"):
            self.take()
            return self.parse_operator(token, name[1:])
        if name == "\\mathbb":
            return self.parse_blackboard()
        if name in BOLD:
            return self.parse_bold()
        if name in ACCENTS:
            return self.parse_accent()
        if name in ("\\underbrace", "\\overbrace"):
            return self.parse_underbrace()
        if name == "\\begin":
            return self.parse_matrix()
        if name in ("\\|", "\\lVert", "\\Vert"):
            return self.parse_norm()
        if name == "\\nabla":
            self.take()
            if not self.tok.is_("_"):
                raise fail_at(self.tok, "expected '_' after \\nabla, as in \\nabla_W L")
            self.take()
            denominator = self.parse_group_or_token("after \\nabla_")
            return Derivative(token, self.parse_factor(), denominator)
        if name in ("\\cdots", "\\vdots", "\\ddots", "\\dots", "\\ldots"):
            self.take()
            return Dots(token, name[1:])
        if name == "\\partial":
            raise fail_at(token, "\\partial is read only inside \\frac{\\partial A}{\\partial B}")
        if name in TEXT_COMMANDS:
            raise fail_at(token, "\\text inside a formula is read only as a qualifier after "
                                 "\\quad or as an \\underbrace label; expected math here")
        if name == "\\pi":
            self.take()
            return Number(token, 3.141592653589793)
        raise fail_at(token, f"unknown command {name}; expected one of the constructs in "
                             "GRAMMAR.md (\\frac, \\sum, \\log, \\operatorname{vec}, ...)")

    def parse_bracketed(self, token: Token):
        text = token.text
        if text in "({":
            self.take()
            inner = self.parse_expr()
            self.expect(")" if text == "(" else "}", f"to close the {text!r} opened at "
                                                     f"{token.line}:{token.col}")
            if text == "(" and self.tok.is_("_") and isinstance(inner, (Name, Subscripted)):
                self.take()
                base = inner.name if isinstance(inner, Name) else f"{inner.base}_{inner.text}"
                items, sub_text = self.parse_subscript()
                return Subscripted(inner.tok, base, items, sub_text)
            inner.parenthesized = True
            if text == "(" and token.arg is None:
                inner.open_paren = token  # `\\sigma(z)` after a scalar \\sigma: see pages/blocks.py
            return inner
        if text == "[":
            self.take()
            condition = self.parse_condition()
            self.expect("]", "to close the Iverson bracket [a = b]")
            return condition
        if text == "|":
            self.take()
            self.in_abs += 1
            inner = self.parse_expr()
            self.in_abs -= 1
            self.expect("|", "to close the absolute value |...|")
            return Call(token, "abs", [inner])
        raise fail_at(token, f"unexpected {token}; expected a symbol, a number or '('")

    def parse_fraction(self):
        token = self.take()
        if self.tok.is_("{") and self.peek().is_("\\partial"):
            self.take(), self.take()
            if self.tok.is_("^"):
                raise fail_at(self.tok, "higher derivatives \\partial^2 are not supported; "
                                        "expected \\frac{\\partial A}{\\partial B}")
            numerator = self.parse_product()
            self.expect("}", "to close the numerator \\partial ...")
            self.expect("{", "to open the denominator \\partial ...")
            self.expect("\\partial", "at the start of the denominator of a derivative")
            denominator = self.parse_product()
            self.expect("}", "to close the denominator \\partial ...")
            return Derivative(token, numerator, denominator)
        numerator = self.parse_group_or_token("as the numerator of \\frac")
        denominator = self.parse_group_or_token("as the denominator of \\frac")
        return Fraction(token, numerator, denominator)

    def parse_sum(self):
        token = self.take()
        if not self.tok.is_("_"):
            raise fail_at(self.tok, "expected the range of the sum, as in \\sum_{i=1}^{N}")
        self.take()
        self.expect("{", "after \\sum_ (write \\sum_{i=1}^{N})")
        index_tok = self.take()
        if index_tok.kind != "letter":
            raise fail_at(index_tok, f"expected a summation index letter, found {index_tok}")
        if self.tok.text in ("\\neq", "\\ne"):
            return self.parse_sum_except(token, index_tok)
        self.expect("=", "after the summation index (write \\sum_{i=1}^{N} or \\sum_{j \\neq y_i})")
        lower_tok = self.take()
        if lower_tok.kind != "number" or "." in lower_tok.text:
            raise fail_at(lower_tok, f"expected an integer lower bound, found {lower_tok}")
        if len(lower_tok.text) > MAX_DIGITS:
            raise fail_at(lower_tok, f"a number of {len(lower_tok.text)} digits is more than the "
                                     f"checker reads here (at most {MAX_DIGITS} digits)")
        self.expect("}", "to close the lower limit of the sum")
        self.expect("^", "and an upper limit (write \\sum_{i=1}^{N})")
        upper = self.parse_group_or_token("as the upper limit of the sum")
        body = self.parse_product()
        return Sum(token, index_tok.text, index_tok, int(lower_tok.text), upper, body)

    def parse_sum_except(self, token: Token, index_tok: Token):
        """`\\sum_{j \\neq y_i} body`: the sum over every j in the range of the label but one.

        The range is not written, so it must come from what j is compared with: a label (`y_i`,
        whose labels run over 1..K) or another index letter (`\\sum_{k \\neq j}`); a number or
        an expression there would leave the range to a guess, so it is an error.
        """
        relation = self.take()
        excluded = self.parse_factor()
        # `\\sum_{j \\neq j}` would have no terms: it is refused like a number or an expression
        if not isinstance(excluded, (Name, Subscripted)) or isinstance(excluded, Name) and (
                excluded.name in GREEK or excluded.name == index_tok.text):
            raise fail_at(excluded.tok, "expected a label such as y_i or an index letter after "
                                        "\\neq in the sum (write \\sum_{j \\neq y_i})")
        self.expect("}", "to close the condition of the sum (write \\sum_{j \\neq y_i})")
        if self.tok.is_("^"):
            raise fail_at(self.tok, "\\sum_{j \\neq y_i} takes its range from the label y_i; "
                                    "expected no upper limit")
        condition = Indicator(relation, "!=", Name(index_tok, index_tok.text), excluded)
        body = self.parse_product()
        return Sum(token, index_tok.text, index_tok, 1, None, body, condition)

    def parse_max(self):
        token = self.take()
        if self.tok.is_("_"):
            self.take()
            braced = self.tok.is_("{")
            if braced:
                self.take()
            index_tok = self.take()
            if index_tok.kind != "letter":
                raise fail_at(index_tok, f"expected the index of \\max_k, found {index_tok}")
            if braced:
                self.expect("}", "to close the index of \\max_{k}")
            return MaxOver(token, index_tok.text, self.parse_product())
        self.expect("(", "after \\max (write \\max(a, b) or \\max_{k} ...)")
        first = self.parse_expr()
        self.expect(",", "between the two arguments of \\max(a, b)")
        second = self.parse_expr()
        self.expect(")", "to close \\max(a, b)")
        return Call(token, "max", [first, second])

    def parse_function(self, func: str):
        token = self.take()
        if self.tok.is_("("):
            self.take()
            inner = self.parse_expr()
            self.expect(")", f"to close {token.text}(...)")
            return Call(token, func, [inner])
        if self.tok.is_("{"):
            return Call(token, func, [self.parse_braced(f"after {token.text}")])
        argument = self.parse_factor()
        call = Call(token, func, [argument])
        call.bare = True
        call.open_ended = isinstance(argument, (Sum, MaxOver))
        return call

    def parse_operatorname(self):
        token = self.take()
        arg = (token.arg or "").strip()
        if token.text == "\\mathrm" and arg == "d":
            symbol = self.parse_primary()
            if not isinstance(symbol, Name):
                raise fail_at(symbol.tok, "expected a symbol after \\mathrm{d}, as in \\mathrm{d}W")
            return Differential(token, symbol.name)
        if arg in OPERATORS:
            return self.parse_operator(token, OPERATORS[arg])
        if token.text != "\\operatorname" and len(arg) == 1 and arg.isalpha():
            return Name(token, arg)
        raise fail_at(token, f"unknown operator {token.text}{{{arg}}}; expected tr, vec or diag")

    def parse_operator(self, token: Token, func: str):
        if not self.tok.is_("("):
            raise fail_at(self.tok, f"expected '(' after {func}: write \\operatorname{{{func}}}(...)")
        self.take()
        inner = self.parse_expr()
        self.expect(")", f"to close {func}(...)")
        return Call(token, func, [inner])

    def parse_blackboard(self):
        token = self.take()
        if token.arg is None:
            raise fail_at(token, "\\mathbb needs a braced argument, as in \\mathbb{x}")
        if token.arg == "1":
            if self.tok.is_("("):
                self.take()
                condition = self.parse_condition()
                self.expect(")", "to close the indicator \\mathbb{1}(...)")
                return condition
            if self.tok.is_("_") and self.peek().is_("{"):
                self.take(), self.take()
                condition = self.parse_condition()
                self.expect("}", "to close the indicator \\mathbb{1}_{...}")
                return condition
            raise fail_at(self.tok, "expected the condition of the indicator, as in "
                                    "\\mathbb{1}(y_i = j)")
        raise fail_at(token, f"\\mathbb{{{token.arg}}} is read only after \\in (as a set); "
                             "expected an expression here")

    def parse_bold(self):
        token = self.take()
        arg = (token.arg or "").strip()
        if arg == "1":
            if not self.tok.is_("_"):
                raise fail_at(token, "\\mathbf{1} must carry its length, as in \\mathbf{1}_N")
            self.take()
            size = self.parse_group_or_token("as the length of \\mathbf{1}")
            if not isinstance(size, Name):
                raise fail_at(token, "the length of \\mathbf{1} must be a size name such as N")
            return Ones(token, size.name)
        if len(arg) == 1 and arg.isalpha():
            return Name(token, arg)
        if arg.startswith("\\") and arg[1:] in GREEK:
            return Name(token, arg[1:])
        raise fail_at(token, f"expected one letter in {token.text}{{...}}, found {arg!r}")

    def parse_accent(self):
        """`\\hat{X}`, `\\bar{x}`, `\\tilde{\\mu}`: one symbol named `hat_X`, `bar_x`, `tilde_mu`."""
        token = self.take()
        arg = (token.arg or "").strip()
        if len(arg) == 1 and arg.isascii() and arg.isalpha():
            return Name(token, f"{token.text[1:]}_{arg}")
        if arg.startswith("\\") and arg[1:] in GREEK:
            return Name(token, f"{token.text[1:]}_{arg[1:]}")
        raise fail_at(token, f"expected one letter in {token.text}{{...}}, as in {token.text}{{x}}; "
                             f"found {'nothing' if token.arg is None else repr(arg)}")

    def parse_underbrace(self):
        token = self.take()
        self.expect("{", f"after {token.text}")
        inner = self.parse_expr()
        self.expect("}", f"to close {token.text}{{...}}")
        mark = "_" if token.text == "\\underbrace" else "^"
        if not self.tok.is_(mark):
            return Annotated(token, inner, None)
        self.take()
        return Annotated(token, inner, self.parse_shape_label())

    def parse_shape_label(self):
        """`_{N \\times K}` gives a shape; `_{\\text{words}}` gives None (presentation)."""
        if not self.tok.is_("{"):
            token = self.take()
            return self.shape_from_tokens([token])
        self.take()
        tokens, depth = [], 0
        while depth or not self.tok.is_("}"):
            token = self.take()
            if token.kind == "end":
                raise fail_at(token, "unbalanced braces in the \\underbrace label; expected '}'")
            depth += token.is_("{") - token.is_("}")
            tokens.append(token)
        self.take()
        return self.shape_from_tokens(tokens)

    def shape_from_tokens(self, tokens):
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

    def parse_matrix(self):
        token = self.take()
        env = (token.arg or "").strip()
        if env not in MATRIX_ENVIRONMENTS:
            raise fail_at(token, f"\\begin{{{env}}} is not supported inside a formula; expected "
                                 "bmatrix (aligned goes around the whole block)")
        rows, row = [], []
        while True:
            if self.tok.is_("\\end"):
                closing = self.take()
                if (closing.arg or "").strip() != env:
                    raise fail_at(closing, f"\\end{{{closing.arg}}} closes \\begin{{{env}}}")
                break
            if self.at_end():
                raise fail_at(token, f"\\begin{{{env}}} is never closed; expected \\end{{{env}}}")
            row.append(self.parse_expr())
            if self.tok.is_("&"):
                self.take()
            elif self.tok.is_("\\\\"):
                self.take()
                rows.append(row)
                row = []
        if row:
            rows.append(row)
        if not rows:
            raise fail_at(token, "empty matrix")
        return Matrix(token, rows)

    def parse_norm(self):
        token = self.take()
        self.in_norm += 1
        inner = self.parse_expr()
        self.in_norm -= 1
        if not (self.tok.is_("\\|") or self.tok.is_("\\rVert") or self.tok.is_("\\Vert")):
            raise fail_at(self.tok, f"expected '\\|' to close the norm opened at "
                                    f"{token.line}:{token.col}, found {self.tok}")
        self.take()
        if not (self.tok.is_("_") and (self.peek().is_("F") or (
                self.peek().is_("{") and self.peek(2).is_("F") and self.peek(3).is_("}")))):
            raise fail_at(self.tok, "only the Frobenius norm is supported; expected \\|W\\|_F")
        self.take()
        if self.take().is_("{"):
            self.take(), self.take()
        return Norm(token, inner)
