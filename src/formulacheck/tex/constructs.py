r"""The primary constructs of the expression grammar, one function each (tex/parser.py has the
whole grammar): a fraction or a derivative, a sum, a max, a function or an operator, an indicator,
a bold or accented symbol, an underbrace, a matrix, a norm, and a bracketed expression.

Each function reads its construct with the `ExpressionParser` it is given (`p`), through that
parser's own methods (`p.take()`, `p.parse_expr()`, ...), and returns its syntax node; the parser
calls `parse_primary` wherever a factor starts. A new construct is a function here and one line in
`parse_primary` (its command in tex/vocabulary.py, its evaluation in evaluation/).
"""

from __future__ import annotations

from ..errors import fail_at
from ..limits import MAX_DIGITS
from .ellipsis_matrices import holds_ellipsis
from .letters import parse_bold_compound, parse_calligraphic
from .named_operators import EntryOf, is_operator_call, operator_word, parse_function_power
from .shapes import parse_shape_label
from .structures import parse_cases, parse_inner_product
from .syntax import (Annotated, Call, Derivative, Differential, Dots, Fraction, Indicator, Matrix,
                     MaxOver, Name, Norm, Number, Ones, Power, Product, Subscripted, Sum)
from .code_names import parse_code_name, parse_code_word, starts_code_name
from .definitions import FunctionArgument, Primed, parse_arguments
from .derivative_forms import parse_derivative_form, parse_operand
from .tokens import Token
from .vocabulary import (ACCENTS, BOLD, BRACES, CALLIGRAPHIC, CHAIN_RELATIONS, CODE_FONTS, DOTS,
                         FRACTIONS, FUNCTIONS, GREEK, MATRIX_ENVIRONMENTS, NORM_CLOSE, NORM_OPEN,
                         OPERATOR_COMMANDS, OPERATOR_NAMES, OPERATORS, RELATIONS, TEXT_COMMANDS,
                         UNKNOWN_WITH_A_FIX, is_code_word)


def parse_primary(p):
    """A number, a letter, a bracketed expression or a construct introduced by a command."""
    token = p.tok
    if token.kind == "number":
        p.take()
        return Number(token, float(token.text))
    if token.kind == "letter":
        if starts_code_name(token, p.peek()):  # `dW`: tex/code_names.py
            return parse_code_name(p)
        p.take()
        return Name(token, token.text)
    if token.kind == "sym":
        return parse_bracketed(p, token)
    name = token.text
    if name[1:] in GREEK:
        p.take()
        return Name(token, name[1:])
    if name in FRACTIONS:
        return parse_fraction(p)
    if name == "\\sum":
        return parse_sum(p)
    if name == "\\max":
        return parse_max(p)
    if name == "\\min":
        return parse_min(p)
    if name in FUNCTIONS:
        return parse_function(p, FUNCTIONS[name])
    if name in OPERATOR_NAMES:
        return parse_operatorname(p)
    if name == "\\vec" and p.peek().is_("{"):
        raise fail_at(token, "\\vec{...} is TeX's arrow accent, which could mark a vector or "
                             "stand for the operator vec; expected \\mathbf{1}_N for a vector of "
                             "ones, \\boldsymbol{x} for a vector x, or \\operatorname{vec}(X) to "
                             "stack the columns of X")
    if name in OPERATOR_COMMANDS:
        p.take()
        return parse_operator(p, token, name[1:])
    if name == "\\mathbb":
        return parse_blackboard(p)
    if name in BOLD:
        return parse_bold(p)
    if name in CALLIGRAPHIC:
        return parse_calligraphic(p)
    if name in CODE_FONTS:  # `\mathtt{dscores}`: tex/code_names.py
        return parse_code_word(p)
    if name in ACCENTS:
        return parse_accent(p)
    if name in BRACES:
        return parse_underbrace(p)
    if name == "\\begin" and (token.arg or "").strip() == "cases":
        return parse_cases(p, p.take())
    if name == "\\begin":
        return parse_matrix(p)
    if name == "\\langle":
        return parse_inner_product(p)
    if name in NORM_OPEN:
        return parse_norm(p)
    if name == "\\nabla":
        p.take()
        if not p.tok.is_("_"):
            raise fail_at(p.tok, "expected '_' after \\nabla, as in \\nabla_W L")
        p.take()
        denominator = p.parse_group_or_token("after \\nabla_")
        return Derivative(token, parse_operand(p, token), denominator)
    if name in DOTS:
        p.take()
        return Dots(token, name[1:])
    if name == "\\partial":
        raise fail_at(token, "\\partial is read only inside \\frac{\\partial A}{\\partial B}")
    if is_operator_call(token, p.peek()):
        p.take()
        return parse_operator(p, token, operator_word(token))
    if name in TEXT_COMMANDS:
        raise fail_at(token, "\\text inside a formula is read only as a qualifier after "
                             "\\quad or as an \\underbrace label; expected math here")
    if name == "\\pi":
        p.take()
        return Number(token, 3.141592653589793)
    if name in UNKNOWN_WITH_A_FIX:
        raise fail_at(token, f"unknown command {name}; expected {UNKNOWN_WITH_A_FIX[name]}")
    raise fail_at(token, f"unknown command {name}; expected one of the constructs in "
                         "GRAMMAR.md (\\frac, \\sum, \\log, \\operatorname{vec}, ...)")


def _closed_before_a_subscript(p) -> bool:
    """Whether the `[` at the reader's position is closed by a `]` followed directly by `_`: then
    the brackets hold a value and the subscript takes its entry (`[X W]_{ik}`); an Iverson bracket
    `[y_i = j]` takes no subscript.

    >>> from .parser import ExpressionParser
    >>> from .tokens import tokenize
    >>> [_closed_before_a_subscript(ExpressionParser(tokenize(tex)))
    ...  for tex in (r"[X W]_{ik}", r"[y_i = j] X", r"[[a = b] X]_1")]
    [True, False, True]
    """
    depth = 0
    for index in range(p.pos, len(p.tokens)):
        text = p.tokens[index].text
        depth += (text == "[") - (text == "]")
        if depth == 0:
            return index + 1 < len(p.tokens) and p.tokens[index + 1].text == "_"
    return False


# The start of the message for a comparison in plain parentheses (`(Z > 0)`, `X (F = 2 X W)`):
# inline math reads a span with one as a statement, so that it is refused as in display math.
COMPARISON_IN_PARENTHESES = "a comparison inside parentheses is not a value"


def parse_bracketed(p, token: Token):
    text = token.text
    if text in "({":
        p.take()
        inner = p.parse_expr()
        if text == "(" and p.tok.is_(","):  # `f(a, b)`: the arguments of a function (tex/definitions.py)
            return parse_arguments(p, inner, token)
        if text == "(" and p.tok.text in RELATIONS:  # `(Z > 0)`, a numpy mask written as math
            relation = p.tok.text
            raise fail_at(p.tok, f"{COMPARISON_IN_PARENTHESES}; expected the "
                                 f"indicator \\mathbb{{1}}(a {relation} b), 1 where it holds and 0 "
                                 f"elsewhere, or the Iverson bracket [a {relation} b]; a claim is "
                                 "written without parentheses")
        if text == "{" and p.tok.text in CHAIN_RELATIONS:  # `{F = 2 X W}`: typeset as F = 2XW
            raise fail_at(p.tok, "a relation inside a brace group; expected the braces removed (a "
                                 "group shows the relation as the formula's own, and the checker "
                                 "reads a relation at the top of a formula only)")
        p.expect(")" if text == "(" else "}", f"to close the {text!r} opened at "
                                                 f"{token.line}:{token.col}")
        if text == "(" and p.tok.is_("_") and isinstance(inner, (Name, Subscripted)):
            p.take()
            base = inner.name if isinstance(inner, Name) else f"{inner.base}_{inner.text}"
            items, sub_text = p.parse_subscript()
            return Subscripted(inner.tok, base, items, sub_text, entry_paren=token)
        inner.parenthesized = True
        if text == "(" and p.tok.is_("_"):
            # `(X^\top)_{di}`, `(X W)_{ik}`: an entry of the value. Not an argument list: in
            # `\sigma(Z W)_{ij}` the entry could be taken before or after \sigma is applied.
            p.take()
            items, sub_text = p.parse_subscript()
            return EntryOf(token, inner, items, sub_text)
        if text == "(":  # `\\sigma(z)`: a function's argument, or refused after a scalar (pages/blocks.py)
            inner.open_paren = token
        return inner
    if text == "[" and _closed_before_a_subscript(p):  # `[X W]_{ik}`: an entry, as with ( )
        p.take()
        inner = p.parse_expr()
        p.expect("]", f"to close the '[' opened at {token.line}:{token.col}")
        p.take()  # the `_`
        items, sub_text = p.parse_subscript()
        inner.parenthesized = True
        return EntryOf(token, inner, items, sub_text)
    if text == "[":
        p.take()
        condition = p.parse_condition(bracket=True)
        p.expect("]", "to close the Iverson bracket [a = b]")
        return condition
    if text == "|":
        if p.peek().is_("_") or p.peek().is_("^"):  # `\right|_{a=1}`, `\Big|_{x=0}`
            raise fail_at(token, "an evaluation bar |_{...} is not read; expected the point as a "
                                 "definition of its own, a constant (a \\coloneqq 1, in a scope of "
                                 "its own), and the derivative taken there")
        p.take()
        p.in_abs += 1
        inner = p.parse_expr()
        p.in_abs -= 1
        p.expect("|", "to close the absolute value |...|")
        return Call(token, "abs", [inner])
    raise fail_at(token, f"unexpected {token}; expected a symbol, a number or '('")


def parse_fraction(p):
    token = p.take()
    derivative = parse_derivative_form(p, token)
    if derivative is not None:
        return derivative
    if p.tok.is_("{") and p.peek().is_("\\partial"):
        p.take(), p.take()
        if p.tok.is_("^"):
            raise fail_at(p.tok, "higher derivatives \\partial^2 are not supported; "
                                    "expected \\frac{\\partial A}{\\partial B}")
        numerator = p.parse_product()
        p.expect("}", "to close the numerator \\partial ...")
        p.expect("{", "to open the denominator \\partial ...")
        p.expect("\\partial", "at the start of the denominator of a derivative")
        denominator = p.parse_product()
        p.expect("}", "to close the denominator \\partial ...")
        return Derivative(token, numerator, denominator)
    numerator = p.parse_group_or_token("as the numerator of \\frac")
    denominator = p.parse_group_or_token("as the denominator of \\frac")
    return Fraction(token, numerator, denominator)


def parse_sum(p):
    token = p.take()
    if not p.tok.is_("_"):
        raise fail_at(p.tok, "expected the range of the sum, as in \\sum_{i=1}^{N} or \\sum_i")
    p.take()
    if p.tok.kind == "letter":  # `\sum_j e^{f_j}`
        return _sum_over_axes(p, token, [p.take()])
    p.expect("{", "after \\sum_ (write \\sum_{i=1}^{N} or \\sum_i)")
    index_tok = p.take()
    if index_tok.kind != "letter":
        raise fail_at(index_tok, f"expected a summation index letter, found {index_tok}")
    if RELATIONS.get(p.tok.text) == "!=":
        return parse_sum_except(p, token, index_tok)
    if p.tok.is_("}") or p.tok.is_(","):  # `\sum_{j}`, `\sum_{i,j}`
        letters = [index_tok]
        while p.tok.is_(","):
            p.take()
            letter = p.take()
            if letter.kind != "letter":
                raise fail_at(letter, f"expected a summation index letter, found {letter}")
            letters.append(letter)
        p.expect("}", "to close the indices of the sum")
        return _sum_over_axes(p, token, letters)
    p.expect("=", "after the summation index (write \\sum_{i=1}^{N} or \\sum_{j \\neq y_i})")
    lower_tok = p.take()
    if lower_tok.kind == "letter" and lower_tok.text.islower():  # `\sum_{j=i}^{N}`
        index = index_tok.text
        raise fail_at(lower_tok, f"a sum from an index letter ({index} = {lower_tok.text}..., a "
                                 f"triangular sum) is not read; expected the sum over the whole "
                                 f"axis with an indicator, as in \\sum_{{{index}=1}}^{{N}} "
                                 f"\\mathbb{{1}}({index} \\geq {lower_tok.text}) x_{{{index}}}")
    if lower_tok.kind != "number" or "." in lower_tok.text:
        raise fail_at(lower_tok, f"expected an integer lower bound, found {lower_tok}")
    if len(lower_tok.text) > MAX_DIGITS:
        raise fail_at(lower_tok, f"a number of {len(lower_tok.text)} digits is more than the "
                                 f"checker reads here (at most {MAX_DIGITS} digits)")
    p.expect("}", "to close the lower limit of the sum")
    p.expect("^", "and an upper limit (write \\sum_{i=1}^{N})")
    upper = p.parse_group_or_token("as the upper limit of the sum")
    body = p.parse_product()
    return Sum(token, index_tok.text, index_tok, int(lower_tok.text), upper, body)


def _sum_over_axes(p, token: Token, letters: list):
    """`\\sum_j body`, `\\sum_{i,j} body`: each letter over the whole axis it indexes in the body
    (evaluation/indices.py finds it there, as for `\\max_k`); the first letter outermost."""
    if p.tok.is_("^"):
        raise fail_at(p.tok, f"an upper limit needs a lower one; expected "
                             f"\\sum_{{{letters[0].text}=1}}^{{...}}, or \\sum_{letters[0].text} over "
                             "the whole axis")
    node = p.parse_product()
    for letter in reversed(letters):
        node = Sum(token, letter.text, letter, 1, None, node)
    return node


def parse_sum_except(p, token: Token, index_tok: Token):
    """`\\sum_{j \\neq y_i} body`: the sum over every j in the range of the label but one.

    The range is not written, so it must come from what j is compared with: a label (`y_i`,
    whose labels run over 1..K) or another index letter (`\\sum_{k \\neq j}`); a number or
    an expression there would leave the range to a guess, so it is an error.
    """
    relation = p.take()
    excluded = p.parse_factor()
    # `\\sum_{j \\neq j}` would have no terms: it is refused like a number or an expression
    if not isinstance(excluded, (Name, Subscripted)) or isinstance(excluded, Name) and (
            excluded.name in GREEK or excluded.name == index_tok.text):
        raise fail_at(excluded.tok, "expected a label such as y_i or an index letter after "
                                    "\\neq in the sum (write \\sum_{j \\neq y_i})")
    p.expect("}", "to close the condition of the sum (write \\sum_{j \\neq y_i})")
    if p.tok.is_("^"):
        raise fail_at(p.tok, "\\sum_{j \\neq y_i} takes its range from the label y_i; "
                                "expected no upper limit")
    condition = Indicator(relation, "!=", Name(index_tok, index_tok.text), excluded)
    body = p.parse_product()
    return Sum(token, index_tok.text, index_tok, 1, None, body, condition)


def parse_max(p):
    token = p.take()
    if p.tok.is_("_"):
        p.take()
        braced = p.tok.is_("{")
        if braced:
            p.take()
        ranges = []  # (letter token, upper bound or None), in order
        while True:
            ranges.append(_max_range(p, braced))
            if not (braced and p.tok.is_(",")):
                break
            p.take()
        if braced:
            p.expect("}", "to close the index of \\max_{k}")
        node = p.parse_product()
        for index_tok, upper in reversed(ranges):
            node = MaxOver(token, index_tok.text, node, upper, index_tok)
        return node
    return _two_values(p, token, "max", " or \\max_{k} ...")


def parse_min(p):
    """`\\min(a, b)`, the smaller of two values (a kink, like `\\max(a, b)`); a minimum over an
    index has no reading of its own."""
    token = p.take()
    if p.tok.is_("_"):
        raise fail_at(token, "\\min over an index is not read; expected -\\max_{k} (-...), or "
                             "\\min(a, b) of two values")
    return _two_values(p, token, "min")


def _two_values(p, token: Token, name: str, other_form: str = ""):
    """`\\max(a, b)` or `\\min(a, b)` after the command `token`: a call of `name` on two values."""
    p.expect("(", f"after \\{name} (write \\{name}(a, b){other_form})")
    first = p.parse_expr()
    p.expect(",", f"between the two arguments of \\{name}(a, b)")
    second = p.parse_expr()
    p.expect(")", f"to close \\{name}(a, b)")
    return Call(token, name, [first, second])


def _max_range(p, braced: bool):
    """One letter of `\\max_{...}`: `k`, or a range `1 \\le p \\le k_h` (from 1, as a sum)."""
    if braced and p.tok.kind == "number":
        lower = p.take()
        if not lower.is_("1"):
            raise fail_at(lower, "a maximum over a range starts at 1 (indices on pages are 1-based); "
                                 "expected \\max_{1 \\le p \\le k_h}")
        if p.tok.text not in ("\\le", "\\leq"):
            raise fail_at(p.tok, f"expected \\le in the range of the maximum, as in "
                                 f"\\max_{{1 \\le p \\le k_h}}, found {p.tok}")
        p.take()
        index_tok = p.take()
        if index_tok.kind != "letter":
            raise fail_at(index_tok, f"expected the index of \\max_k, found {index_tok}")
        if p.tok.text not in ("\\le", "\\leq"):
            raise fail_at(p.tok, f"expected \\le and the end of the range of {index_tok.text}, as "
                                 f"in \\max_{{1 \\le p \\le k_h}}, found {p.tok}")
        p.take()
        return index_tok, p.parse_expr()
    index_tok = p.take()
    if index_tok.kind != "letter":
        raise fail_at(index_tok, f"expected the index of \\max_k, found {index_tok}")
    return index_tok, None


def parse_function(p, func: str):
    token = p.take()
    if p.tok.is_("'") or (p.tok.is_("^") and (p.peek().is_("\\prime") or (
            p.peek().is_("{") and p.peek(2).is_("\\prime")))):
        name = token.text
        raise fail_at(p.tok, f"{name}' is the derivative of a built-in function, which is not read "
                             f"with a prime; expected \\frac{{\\mathrm{{d}}}}{{\\mathrm{{d}} z}} "
                             f"{name}(z), or a page function with its body, as in f(x) \\coloneqq "
                             f"{name}(x), and then f'(z)")
    if func == "sqrt" and p.tok.is_("["):  # not an Iverson bracket after it
        raise fail_at(p.tok, "\\sqrt[n]{...}, a root other than the square root, is not read; "
                             "expected a power with a fractional exponent, as in x^{1/3}, of a "
                             "value that cannot be negative")
    # `\\log_2 x`, `\\log_{10}(x)`: the logarithm to that base, a second argument of the call
    base = []
    if token.text == "\\log" and p.tok.is_("_"):
        p.take()
        base = [p.parse_group_or_token("as the base of \\log")]
        if not (isinstance(base[0], Number) and base[0].value > 0 and base[0].value != 1):
            raise fail_at(base[0].tok, "the base of \\log is a number greater than 0 other than 1, "
                                       "as in \\log_2 x or \\log_{10} x; expected such a number, "
                                       "or the quotient written out, \\frac{\\log x}{\\log b}")
    power = None
    if p.tok.is_("^"):  # `\\tanh^2(x)`: the square of tanh(x), as trigonometry writes it
        mark = p.take()
        power = parse_function_power(p, token, mark)
        if not p.tok.is_("("):
            raise fail_at(p.tok, f"expected '(' after {token.text}^{{...}}: a power of a function "
                                 f"needs its argument in parentheses, as in {token.text}^2(x)")
    if p.tok.is_("("):
        p.take()
        inner = p.parse_expr()
        p.expect(")", f"to close {token.text}(...)")
        call = Call(token, func, [inner] + base)
        return call if power is None else Power(mark, call, power)
    if p.tok.is_("{"):
        return Call(token, func, [p.parse_braced(f"after {token.text}")] + base)
    argument = p.parse_factor()
    if isinstance(argument, (Name, Primed)) and p.tok.is_("("):  # `\\log \\sigma(z)`: tex/definitions.py
        argument = FunctionArgument(argument.tok, argument, p.parse_factor(), token)
    return Call(token, func, [argument] + base, bare=True,
                open_ended=isinstance(argument, (Sum, MaxOver)))


def parse_operatorname(p):
    token = p.take()
    arg = (token.arg or "").strip()
    if token.text == "\\mathrm" and arg == "d":
        symbol = parse_primary(p)
        if not isinstance(symbol, Name):
            raise fail_at(symbol.tok, "expected a symbol after \\mathrm{d}, as in \\mathrm{d}W")
        return Differential(token, symbol.name)
    if arg in OPERATORS:
        return parse_operator(p, token, OPERATORS[arg])
    if token.text != "\\operatorname" and len(arg) == 1 and arg.isalpha():
        return Name(token, arg)
    code_word = (f"; a name from the code is written \\mathtt{{{arg}}}" if is_code_word(arg)
                 else "")
    raise fail_at(token, f"unknown operator {token.text}{{{arg}}}; expected tr, vec, diag, "
                         "softmax or sign" + code_word)


def parse_operator(p, token: Token, func: str):
    if not p.tok.is_("("):
        raise fail_at(p.tok, f"expected '(' after {func}: write \\operatorname{{{func}}}(...)")
    p.take()
    inner = p.parse_expr()
    p.expect(")", f"to close {func}(...)")
    return Call(token, func, [inner])


def parse_blackboard(p):
    token = p.take()
    if token.arg is None:
        raise fail_at(token, "\\mathbb needs a braced argument, as in \\mathbb{x}")
    if token.arg == "1":
        if p.tok.is_("("):
            p.take()
            condition = p.parse_condition()
            p.expect(")", "to close the indicator \\mathbb{1}(...)")
            return condition
        if p.tok.is_("_") and p.peek().is_("{"):
            p.take(), p.take()
            condition = p.parse_condition()
            p.expect("}", "to close the indicator \\mathbb{1}_{...}")
            return condition
        raise fail_at(p.tok, "expected the condition of the indicator, as in "
                                "\\mathbb{1}(y_i = j)")
    raise fail_at(token, f"\\mathbb{{{token.arg}}} is read only after \\in (as a set); "
                         "expected an expression here")


def parse_bold(p):
    token = p.take()
    arg = (token.arg or "").strip()
    if arg == "1":
        if not p.tok.is_("_"):
            raise fail_at(token, "\\mathbf{1} must carry its length, as in \\mathbf{1}_N")
        p.take()
        size = p.parse_group_or_token("as the length of \\mathbf{1}")
        if isinstance(size, Subscripted):  # `\\mathbf{1}_{d_k}`: a subscripted size
            return Ones(token, f"{size.base}_{size.text}")
        if isinstance(size, Product) and all(isinstance(f, (Name, Subscripted)) for f in size.factors):
            # `\\mathbf{1}_{H' W'}`: as long as the product of the sizes (evaluation checks them)
            return Ones(token, " ".join(f.name if isinstance(f, Name) else f"{f.base}_{f.text}"
                                        for f in size.factors))
        if not isinstance(size, Name):
            raise fail_at(token, "the length of \\mathbf{1} must be a size name such as N")
        return Ones(token, size.name)
    if len(arg) == 1 and arg.isalpha():
        return Name(token, arg)
    if arg.startswith("\\") and arg[1:] in GREEK:
        return Name(token, arg[1:])
    if len(arg) > 1:  # `\\boldsymbol{w_j}`: a letter and its subscript (tex/letters.py)
        return parse_bold_compound(p, token, arg)
    raise fail_at(token, f"expected one letter in {token.text}{{...}}, found {arg!r}")


def parse_accent(p):
    """`\\hat{X}`, `\\bar{x}`, `\\tilde{\\mu}`: one symbol named `hat_X`, `bar_x`, `tilde_mu`."""
    token = p.take()
    arg = (token.arg or "").strip()
    if len(arg) == 1 and arg.isascii() and arg.isalpha():
        return Name(token, f"{token.text[1:]}_{arg}")
    if arg.startswith("\\") and arg[1:] in GREEK:
        return Name(token, f"{token.text[1:]}_{arg[1:]}")
    raise fail_at(token, f"expected one letter in {token.text}{{...}}, as in {token.text}{{x}}; "
                         f"found {'nothing' if token.arg is None else repr(arg)}")


def parse_underbrace(p):
    token = p.take()
    p.expect("{", f"after {token.text}")
    inner = p.parse_expr()
    p.expect("}", f"to close {token.text}{{...}}")
    mark = "_" if token.text == "\\underbrace" else "^"
    if not p.tok.is_(mark):
        return Annotated(token, inner, None)
    p.take()
    return Annotated(token, inner, parse_shape_label(p))


def parse_matrix(p):
    token = p.take()
    env = (token.arg or "").strip()
    if env not in MATRIX_ENVIRONMENTS:
        raise fail_at(token, f"\\begin{{{env}}} is not supported inside a formula; expected "
                             "bmatrix (aligned goes around the whole block)")
    ellipsis = holds_ellipsis(p)  # x_{11} & \\cdots: digits are indices (tex/ellipsis_matrices.py)
    p.digit_subscripts += ellipsis
    rows, row = [], []
    while True:
        if p.tok.is_("\\end"):
            p.digit_subscripts -= ellipsis
            closing = p.take()
            if (closing.arg or "").strip() != env:
                raise fail_at(closing, f"\\end{{{closing.arg}}} closes \\begin{{{env}}}")
            break
        if p.at_end():
            raise fail_at(token, f"\\begin{{{env}}} is never closed; expected \\end{{{env}}}")
        row.append(p.parse_expr())
        if p.tok.is_("&"):
            p.take()
        elif p.tok.is_("\\\\"):
            p.take()
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    if not rows:
        raise fail_at(token, "empty matrix")
    return Matrix(token, rows)


def parse_norm(p):
    token = p.take()
    p.in_norm += 1
    inner = p.parse_expr()
    p.in_norm -= 1
    if p.tok.text not in NORM_CLOSE:
        raise fail_at(p.tok, f"expected '\\|' to close the norm opened at "
                                f"{token.line}:{token.col}, found {p.tok}")
    p.take()
    if not p.tok.is_("_"):  # `\\|v\\|`: Euclidean, read for a vector only (evaluate.py)
        return Norm(token, inner, "2")
    subscript = p.peek(2) if p.peek().is_("{") else p.peek()
    if subscript.text not in ("F", "2", "1") or p.peek().is_("{") and not p.peek(3).is_("}"):
        raise fail_at(subscript, "only the Frobenius norm \\|W\\|_F and the Euclidean and L1 "
                                 "norms of a vector, \\|v\\| or \\|v\\|_2 and \\|v\\|_1, are read; "
                                 "expected one of them")
    p.take()
    if p.take().is_("{"):
        p.take(), p.take()
    return Norm(token, inner, subscript.text)
