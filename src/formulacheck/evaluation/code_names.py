r"""What the code's gradient names (`dW`, tex/code_names.py) mean on a page.

A page states the convention in math, once per name, as
`dW \coloneqq \frac{\partial L}{\partial W}` (also with `=`, or `\nabla_W L`): a bare d before the
name of the symbol that the right side differentiates by, and a scalar loss. That defines `dW`,
and it states the page's convention: afterwards a bare `dV` of any other symbol V of the page is
`\frac{\partial L}{\partial V}`, the same loss. Before any such statement, `dW` is refused as it
always was: it could be a differential or the index d times W. It is refused after one too where
d is also a symbol or a size of the page, or an index letter of the statement: then `d W` has two
readings on that page.
"""

from __future__ import annotations

from ..errors import fail_at
from ..tex.code_names import CodeName
from ..tex.syntax import Derivative, Name, Subscripted
from ..tex.vocabulary import tex_name


def refuse_bare_d(tok, written: str, hint: bool = True):
    """The error for `dW` that the page gave no meaning: it reads two ways."""
    return fail_at(tok, f"{written} could be a differential or the index d times a symbol; expected "
                        "\\mathrm{d} for a differential (\\mathrm{d}W), or d \\cdot W for a product"
                        + ("; or, for the code's gradient name, state it first: dW \\coloneqq "
                           "\\frac{\\partial L}{\\partial W}" if hint else ""))


def refuse_if_d_means_more(scope, ranges, node) -> None:
    """`dW` is refused where d is a symbol, a size, or an index letter of the statement."""
    what = ("a size" if scope.is_size("d") else "a symbol" if scope.any_arity("d")
            else "an index letter here" if "d" in ranges else None)
    if what is not None:
        written = _written(node)
        raise fail_at(node.tok, f"d is {what}, so {written} could be the code's gradient name "
                                f"{written} or d times {written[1:]}; expected "
                                f"\\frac{{\\partial L}}{{\\partial {written[1:]}}} for the gradient, "
                                f"or d \\cdot {written[1:]} for the product")


def code_name_value(evaluator, node: CodeName):
    """The value of a bare `dW`: the symbol dW, or by the page's convention dL/dW."""
    scope = evaluator.scope
    refuse_if_d_means_more(scope, evaluator.ranges, node)
    if scope.any_arity(node.name):
        return evaluator.eval_Name(node)
    loss = scope.code_gradient_loss
    if loss is None:
        raise refuse_bare_d(node.tok, _written(node))
    if not scope.any_arity(node.symbol):
        raise fail_at(node.tok, f"{node.name}: the page's convention (line {loss[1]}) makes it the "
                                f"gradient of {tex_name(loss[0])} by {tex_name(node.symbol)}, but "
                                f"{tex_name(node.symbol)} is not declared")
    return evaluator.eval(Derivative(node.tok, Name(node.tok, loss[0]), Name(node.tok, node.symbol)))


def convention_statement(scope, subject, body):
    """The loss name when `subject = body` states the code-name convention (`dW` and
    `\\frac{\\partial L}{\\partial W}`, or `\\nabla_W L`); otherwise `dW` on a left side is refused."""
    written = _written(subject)
    if isinstance(body, Derivative) and isinstance(body.numerator, Name) and (
            "d" + str(_key(body.denominator)) == _key(subject)) and not isinstance(body.numerator, CodeName):
        known = scope.code_gradient_loss
        if known is not None and known[0] != body.numerator.name:
            raise fail_at(body.numerator.tok, f"the page's code names are gradients of "
                                              f"{tex_name(known[0])} (line {known[1]}); expected "
                                              f"\\frac{{\\partial {tex_name(known[0])}}}{{...}}")
        return body.numerator.name
    raise refuse_bare_d(subject.tok, written)


def _written(node) -> str:
    """The name as the page writes it: `dW`, `d\\lambda`, `dW_1`."""
    if isinstance(node, CodeName):
        return "d" + tex_name(node.symbol)
    if isinstance(node, Subscripted):
        return f"{node.base}_{node.text}" if len(node.text) == 1 else f"{node.base}_{{{node.text}}}"
    return node.name


def _key(node):
    """The name a symbol is kept under: `dW`, `dlambda`, `W_1`."""
    if isinstance(node, Subscripted):
        return f"{node.base}_{node.text}"
    return node.name if isinstance(node, Name) else None
