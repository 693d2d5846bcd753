"""Derivatives as the sources write them (tex/derivative_forms.py): the operator form, Leibniz with
an upright or an italic d, and the gradient of a function's application. Each form is checked
against a wrong value (so the form is evaluated, not just parsed), and its ambiguous neighbour is
refused with both readings named."""

import pytest

from formulacheck.tex.parser import ExpressionParser
from formulacheck.tex.syntax import Derivative, Fraction
from formulacheck.tex.tokens import tokenize
from formulacheck.testing import check_formula

PREAMBLE = ("$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad A \\in \\mathbb{R}^{D \\times N}, \\quad "
            "B \\in \\mathbb{R}^{D \\times D}, \\quad \\mathbf{x} \\in \\mathbb{R}^{D}, \\quad "
            "z \\in \\mathbb{R}\n$$\n\n$$\ns \\coloneqq \\frac{1}{1 + e^{-z}}\n$$\n")


def parse(tex: str):
    return ExpressionParser(tokenize(tex)).parse_expr()


@pytest.mark.parametrize("tex, numerator, denominator, italic", [
    (r"\frac{\mathrm{d} s}{\mathrm{d} z}", "s", "z", False),
    (r"\frac{d s}{d z}", "s", "z", True),
    (r"\frac{d}{dx} y", "y", "x", True),
    (r"\frac{\partial}{\partial W} (L)", "L", "W", False),
])
def test_each_form_is_one_derivative_node(tex, numerator, denominator, italic):
    node = parse(tex)
    assert isinstance(node, Derivative)
    assert (node.numerator.name, node.denominator.name) == (numerator, denominator)
    assert (node.plain_d is not None) == italic


def test_a_fraction_whose_denominator_has_no_d_stays_a_fraction():
    assert isinstance(parse(r"\frac{\mathrm{d} s}{h}"), Fraction)
    assert isinstance(parse(r"\frac{d}{D}"), Fraction)


@pytest.mark.parametrize("claim, wrong", [
    (r"\frac{\partial}{\partial X} \operatorname{tr}(X A) = A^\top", r"= A"),
    (r"\frac{\partial}{\partial \mathbf{x}} (\mathbf{x}^\top B \mathbf{x}) = (B + B^\top) \mathbf{x}",
     r"= 2 B \mathbf{x}"),
    (r"\frac{\mathrm{d} s}{\mathrm{d} z} = s \cdot (1 - s)", r"= s \cdot (1 + s)"),
    (r"\frac{d s}{d z} = s \cdot (1 - s)", r"= s"),
    (r"\frac{\mathrm{d}}{\mathrm{d} z} (z^3) = 3 z^2", r"= 3 z"),
    (r"\nabla_{\mathbf{x}} (\mathbf{x}^\top B \mathbf{x}) = (B + B^\top) \mathbf{x}", r"= B \mathbf{x}"),
    # Leibniz with a value that is no symbol after the numerator's d
    (r"\frac{d |z|}{d z} = \operatorname{sign}(z)", r"= 1"),
    (r"\frac{d (z^2)}{d z} = 2 z", r"= z"),
    (r"\frac{d \lvert z \rvert}{d z} = \operatorname{sign}(z)", r"= z"),
    (r"\frac{\mathrm{d} \tanh(z)}{\mathrm{d} z} = 1 - \tanh(z)^2", r"= 1 + \tanh(z)^2"),
    (r"\frac{d \|\mathbf{x}\|^2}{d \mathbf{x}} = 2 \mathbf{x}", r"= \mathbf{x}"),
])
def test_each_form_is_evaluated_and_a_wrong_value_fails(claim, wrong):
    assert check_formula(claim, PREAMBLE).status == "checked"
    false = claim[:claim.rindex("=")] + wrong
    assert check_formula(false, PREAMBLE).status == "failed"


@pytest.mark.parametrize("formula, fragment", [
    # the ambiguous neighbour of the operator form: what follows could be differentiated too
    (r"\frac{\partial}{\partial \mathbf{x}} \mathbf{x}^\top B \mathbf{x} = 0",
     r"expected parentheses: \frac{\partial}{\partial ...} (A B) to differentiate the product, or "
     r"(\frac{\partial}{\partial ...} A) B"),
    (r"\frac{\partial}{\partial z} z \cdot z = 0", "could be part of what is differentiated"),
    (r"\frac{\partial}{\partial z} z + z = 1", r"(\frac{\partial}{\partial ...} A) + B"),
    (r"\frac{d}{dz} z + z = 1", r"\frac{d}{d ...} (A + B)"),
    (r"\frac{\mathrm{d} s}{d z} = 0", "expected the same d in both"),
])
def test_the_ambiguous_neighbours_are_refused_naming_both_readings(formula, fragment):
    block = check_formula(formula, PREAMBLE)
    assert block.status == "error" and fragment in block.message, block.message


def test_an_italic_d_that_is_a_symbol_of_the_page_is_refused_naming_both_readings():
    preamble = PREAMBLE.replace("z \\in \\mathbb{R}", "z, d \\in \\mathbb{R}")
    message = check_formula(r"\frac{d s}{d z} = s \cdot (1 - s)", preamble).message
    assert ("d is a symbol on this page, so \\frac{d s}{d z} could be the derivative of s by z or "
            "the fraction (d s) / (d z)") in message
    assert r"expected \frac{\mathrm{d} s}{\mathrm{d} z} for the derivative" in message
    # the upright d has one reading whatever d is
    assert check_formula(r"\frac{\mathrm{d} s}{\mathrm{d} z} = s \cdot (1 - s)", preamble).status == "checked"


def test_an_operator_inside_a_derivative_is_refused_like_any_nested_derivative():
    block = check_formula(r"\frac{\partial}{\partial z} \frac{\partial s}{\partial z} = 0", PREAMBLE)
    assert "a derivative inside the numerator of another derivative is not supported" in block.message
