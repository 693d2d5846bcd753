"""The tolerance of a quotient of values computed with relative errors (evaluate.py,
`relative_quotient`; hidden_signs.py, `relative_as_written`).

A softmax written out, e^{S_{ij}} over the sum of its row's exponentials, is a probability computed
to a few rounding steps times the scores' own magnitude, however large the exponentials: with
scores up to 34 (the two-layer page at some seeds), the magnitude of the values on the way was
u e^{34} and every claim after it "cannot be checked". The quotient's magnitude is now its own size
times the magnitude met in its exponents.
"""

import pytest

from formulacheck.evaluation import evaluate as evaluate_module
from formulacheck.testing import check_formula

# Scores 30 times standard normal: up to about 75, exponentials near e^{75} = 4e32 (no overflow).
SOFTMAX = (r"$$" "\n" r"Z \in \mathbb{R}^{N \times K}, \quad x \in \mathbb{R}" "\n$$\n\n"
           r"$$" "\n" r"S \coloneqq 30 Z, \quad P_{ij} \coloneqq \frac{e^{S_{ij}}}{\sum_{k=1}^{K} e^{S_{ik}}}, "
           r"\quad s \coloneqq \frac{1}{1 + e^{-40 x}}" "\n$$\n")
TRUE = [r"\sum_{j=1}^{K} P_{ij} = 1",
        r"\frac{\partial P_{ij}}{\partial S_{ik}} = P_{ij} (\mathbb{1}(j = k) - P_{ik})",
        r"\frac{\partial s}{\partial x} = 40 s \cdot (1 - s)"]
WRONG = [r"\sum_{j=1}^{K} P_{ij} = 1 + 10^{-9}",
         r"\frac{\partial P_{ij}}{\partial S_{ik}} = P_{ij} (\mathbb{1}(j = k) - P_{ij})",
         r"\frac{\partial s}{\partial x} = 40 s \cdot (1 + s)"]


@pytest.mark.parametrize("formula", TRUE)
@pytest.mark.parametrize("seed", range(5))
def test_a_softmax_and_a_sigmoid_of_large_scores_are_checked(formula, seed):
    block = check_formula(formula, SOFTMAX, seed=seed)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("formula", WRONG)
def test_a_wrong_claim_about_them_fails(formula):
    block = check_formula(formula, SOFTMAX)
    assert block.status == "failed", block.message


def test_with_the_magnitudes_of_the_exponentials_they_could_not_be_checked(monkeypatch):
    monkeypatch.setattr(evaluate_module, "relative_as_written", lambda node, scope: False)
    blocks = [check_formula(formula, SOFTMAX) for formula in TRUE]
    assert all(b.status == "error" and "cannot be checked in float64" in b.message for b in blocks)


def test_a_quotient_of_a_difference_keeps_the_magnitude_of_its_terms(monkeypatch):
    """A difference that cancels has an absolute error (u 10^6 here), which a small denominator
    makes larger: the magnitude of the values on the way, divided by the denominator, as before.
    Read as a quotient of relative errors, this claim, true to rounding, would fail."""
    formula = r"\frac{(x + 10^{6}) - 10^{6}}{10^{-3}} = 10^{3} x"
    assert check_formula(formula, SOFTMAX).status == "checked"
    monkeypatch.setattr(evaluate_module, "relative_as_written", lambda node, scope: True)
    assert check_formula(formula, SOFTMAX).status == "failed"
