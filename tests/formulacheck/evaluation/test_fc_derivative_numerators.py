"""A derivative's numerator must be computed from its denominator, and a differential's symbol from a
leaf with a declared direction (evaluation/derivatives.py).

A numerator that does not depend on the denominator at all has the derivative 0 everywhere, so a
chain rule written with it holds as 0 = 0 whatever its factors: with the loss declared (`L \\in
\\mathbb{R}`, what the usual advice for an undeclared symbol led to), the tanh chain rule passed
as checked with a wrong local derivative. Such a derivative is an error at its numerator, with
the page's way to write a loss; an undeclared numerator gets that advice instead of "declare it".
"""

import pytest

from formulacheck.evaluation import derivatives as derivatives_module
from formulacheck.testing import check_formula

DECLARED_LOSS = "$$\nx \\in \\mathbb{R}^{N \\times D}, \\quad L \\in \\mathbb{R}\n$$\n\n$$\ny \\coloneqq \\tanh(x)\n$$\n"
ONES = "\\mathbf{1}_N \\mathbf{1}_D^\\top"
# the right local derivative of tanh, and two wrong ones
CHAIN_RULES = [f"\\frac{{\\partial L}}{{\\partial x}} = \\frac{{\\partial L}}{{\\partial y}} \\odot ({ONES} - y \\odot y)",
               f"\\frac{{\\partial L}}{{\\partial x}} = \\frac{{\\partial L}}{{\\partial y}} \\odot ({ONES} + y)",
               "\\frac{\\partial L}{\\partial x} = \\frac{\\partial L}{\\partial y} \\odot y"]


@pytest.mark.parametrize("formula", CHAIN_RULES)
def test_a_chain_rule_of_a_declared_loss_is_an_error_at_its_numerator(formula):
    block = check_formula(formula, DECLARED_LOSS)
    assert block.status == "error", block.message
    assert (block.problem.line, block.problem.col) == (10, 16)
    assert ("L is declared at line 2: a random value of its own, which depends on nothing, so its "
            "derivative by x is 0 for every value, and a claim about it checks nothing; expected "
            "a numerator defined from x with \\coloneqq; for any loss with upstream gradient G by "
            "an output Y") in block.message


def test_without_the_rule_the_wrong_chain_rules_passed_as_checked(monkeypatch):
    monkeypatch.setattr(derivatives_module, "_refuse_independent", lambda *arguments: None)
    assert [check_formula(f, DECLARED_LOSS).status for f in CHAIN_RULES] == ["checked"] * 3


def test_with_the_loss_written_as_the_page_says_the_right_chain_rule_is_checked():
    """The advice of the message, followed: G, the upstream gradient, and L defined from y."""
    preamble = ("$$\nx, G \\in \\mathbb{R}^{N \\times D}\n$$\n\n$$\ny \\coloneqq \\tanh(x), \\quad "
                "L \\coloneqq \\sum_{i=1}^{N} \\sum_{j=1}^{D} G_{ij} y_{ij}\n$$\n")
    statuses = [check_formula(f, preamble).status for f in CHAIN_RULES]
    assert statuses == ["checked", "failed", "failed"]


def test_an_undeclared_numerator_is_told_how_a_loss_is_written():
    block = check_formula("\\frac{\\partial L}{\\partial W} = X^\\top X W",
                          "$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n")
    assert block.status == "error"
    assert block.message.split(": error: ")[1].startswith(
        "undeclared symbol L in the numerator of a derivative; expected L defined with \\coloneqq "
        "from what it is differentiated by, not declared")


@pytest.mark.parametrize("formula, message", [
    ("F \\coloneqq X W, \\quad \\frac{\\partial F_{1,1}}{\\partial b} = 0",
     "F (line 6) is not computed from b, so its derivative by b is 0 for every value, and a claim "
     "about it checks nothing; expected a definition of F that uses b (was it left out?)"),
    ("\\frac{\\partial (W^\\top W)}{\\partial X_{1,1}} = 0",
     "the numerator is not computed from X, so its derivative by X is 0"),
    ("\\frac{\\partial y_1}{\\partial W} = 0", "y is declared at line 2: a random value of its own"),
])
def test_a_numerator_that_does_not_read_the_denominator_is_named(formula, message):
    preamble = ("$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}, \\quad "
                "b \\in \\mathbb{R}^{K}, \\quad y \\in \\{1, \\dots, K\\}^{N}\n$$\n")
    block = check_formula(formula, preamble)
    assert block.status == "error" and message in block.message, block.message


@pytest.mark.parametrize("formula, message", [
    # the denominator's own problem comes first
    ("\\frac{\\partial x}{\\partial W_{dkk}} = 0", "an entry takes at most 2 subscripts, got 3"),
    # a letter in another font, not a new name
    ("\\frac{\\partial \\mathcal{L}}{\\partial W} = 0", "\\mathcal{L} could be L (line 2) written in another font"),
])
def test_other_problems_keep_their_own_message(formula, message):
    preamble = "$$\nx \\in \\mathbb{R}, \\quad W \\in \\mathbb{R}^{D \\times K}, \\quad L \\in \\mathbb{R}\n$$\n"
    block = check_formula(formula, preamble)
    assert block.status == "error" and message in block.message, block.message


def test_a_numerator_that_reads_the_denominator_only_where_it_is_flat_is_no_error():
    """An indicator of x reads x; its derivative is 0 almost everywhere, and that is a claim."""
    block = check_formula("\\frac{\\partial \\mathbb{1}(x > 0)}{\\partial x} = 0",
                          "$$\nx \\in \\mathbb{R}\n$$\n")
    assert block.status == "checked", block.message


@pytest.mark.parametrize("claim, message", [
    ("\\mathrm{d}L = 0", "L is declared at line 2: a random value of its own, which depends on "
                         "nothing, so \\mathrm{d}L is 0 along every direction"),
    ("R \\coloneqq \\sum_{k=1}^{K} b_k^2, \\quad \\mathrm{d}R = 0",
     "R (line 6) is computed from none of the leaves with a declared direction (\\mathrm{d}W), so "
     "\\mathrm{d}R is 0 along every direction, and a claim about it checks nothing"),
])
def test_a_differential_along_no_declared_direction_is_an_error(claim, message):
    preamble = ("$$\nW \\in \\mathbb{R}^{D \\times K}, \\quad b \\in \\mathbb{R}^{K}, \\quad L \\in "
                "\\mathbb{R}, \\quad \\mathrm{d}W \\in \\mathbb{R}^{D \\times K}\n$$\n")
    block = check_formula(claim, preamble)
    assert block.status == "error" and message in block.message, block.message


def test_without_the_rule_the_differential_of_a_declared_symbol_passed_as_0(monkeypatch):
    monkeypatch.setattr(derivatives_module, "_refuse_no_direction", lambda *arguments: None)
    preamble = ("$$\nW \\in \\mathbb{R}^{D \\times K}, \\quad L \\in \\mathbb{R}, \\quad "
                "\\mathrm{d}W \\in \\mathbb{R}^{D \\times K}\n$$\n")
    assert check_formula("\\mathrm{d}L = 0", preamble).status == "checked"
