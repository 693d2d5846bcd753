r"""What the code's gradient names (`dW`, tex/code_names.py) mean on a page.

A page states the convention in math, as
`dW \coloneqq \frac{\partial L}{\partial W}` (also with `=`, or `\nabla_W L`): a bare d before the
name of the symbol that the right side differentiates by, and a scalar loss. That defines `dW`,
and it states the page's convention: afterwards a bare `dV` of any other symbol V of the page is
`\frac{\partial L}{\partial V}`, the same loss: the first use of `dV` (or `dV_{ij}`, `dW_1`)
adds it to the scope as that definition (its line is the statement's). Before any such statement, `dW` is refused as it
always was: it could be a differential or the index d times W. It is refused after one too where
d is also a symbol or a size of the page, or an index letter of the statement: then `d W` has two
readings on that page.
"""

from __future__ import annotations

from ..errors import fail_at
from ..tex.code_names import CodeName
from ..tex.syntax import Derivative, Name, Subscripted
from ..tex.vocabulary import tex_name
from .scope import Symbol, SymbolKind


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
    _by_convention(scope, node.name, Name(node.tok, node.symbol), node)
    return evaluator.eval_Name(node)


def code_name_entry(scope, node: Subscripted) -> None:
    """`dW_1` (the gradient by the symbol W_1) or `dZ_{ih}` (an entry of the gradient by Z), made
    a symbol of the scope by the page's convention when the page has not defined it."""
    if scope.any_arity(node.base) or scope.lookup(f"{node.base}_{node.text}", 0) is not None:
        return
    refuse_if_d_means_more(scope, {}, node)
    compound = f"{node.base[1:]}_{node.text}"
    if scope.lookup(compound, 0) is not None:
        target = Subscripted(node.tok, node.base[1:], node.items, node.text)
        _by_convention(scope, f"{node.base}_{node.text}", target, node)
    else:
        _by_convention(scope, node.base, Name(node.tok, node.base[1:]), node)


def _by_convention(scope, name: str, target, node) -> None:
    """Add `name` to the scope as the gradient of the page's loss by `target` (its convention);
    nothing when the page has defined or declared `name` itself."""
    if scope.any_arity(name):
        return
    loss = scope.code_gradient_loss
    if loss is None:
        raise refuse_bare_d(node.tok, _written(node))
    shown = tex_name(target.name) if isinstance(target, Name) else _written(target)
    if isinstance(target, Name) and not scope.any_arity(target.name):
        raise fail_at(node.tok, f"{_written(node)}: the page's convention (line {loss[1]}) makes it "
                                f"the gradient of {tex_name(loss[0])} by {shown}, but {shown} is "
                                "not declared")
    body = Derivative(node.tok, Name(node.tok, loss[0]), target)
    scope.add(Symbol(name, 0, SymbolKind.DEFINED, loss[1], body=body), node.tok)


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
