"""Accents (`\\hat{X}` is its own symbol) and a parenthesised sum followed by more factors.

Both were needed by the batch normalisation page; each construct has mutants that must fail.
"""

import pytest

import formulacheck
from formulacheck.testing import check_formula

DECLARE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad z \in \mathbb{R}^{N}
$$

$$
\mu_d \coloneqq \frac{1}{N} \sum_{i=1}^{N} X_{id}, \qquad \hat{X}_{id} \coloneqq X_{id} - \mu_d, \qquad \bar{x} \coloneqq \frac{1}{N} \sum_{i=1}^{N} z_i
$$
"""


def last_block(formula: str, marker: str = ""):
    return check_formula(formula, DECLARE, marker=marker, page="accents.md")


@pytest.mark.parametrize("formula", [
    r"\hat{X} = X - \mathbf{1}_N \mu^\top",
    r"\sum_{i=1}^{N} \hat{X}_{id} = 0",
    r"\underbrace{\hat{X}}_{N \times D} = \hat{X}",
    r"\bar{x} = \frac{1}{N} \mathbf{1}_N^\top z",
    r"\frac{\partial \bar{x}}{\partial z_i} = \frac{1}{N}",
    r"\tilde{\mu} \coloneqq 2 \mu, \qquad \tilde{\mu}_d = 2 \mu_d",
])
def test_an_accented_symbol_is_read_as_its_own_name(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("mutant", [
    r"\hat{X} = X",  # the accent dropped: X is another symbol
    r"X = X - \mathbf{1}_N \mu^\top",
    r"\sum_{i=1}^{N} X_{id} = 0",
    r"\hat{X} = X + \mathbf{1}_N \mu^\top",
    r"\bar{x} = \frac{1}{N} \mathbf{1}_N^\top \hat{X}",
])
def test_mutants_of_accented_formulas_fail(mutant):
    assert last_block(mutant).status == "failed"


@pytest.mark.parametrize("formula, message", [
    (r"\hat X = X", r"\hat needs a braced argument"),
    (r"\hat{XY} = X", r"expected one letter in \hat{...}, as in \hat{x}; found 'XY'"),
    (r"\hat{} = X", r"expected one letter in \hat{...}"),
    (r"X = \hat{W}", r"undeclared symbol \hat{W}; expected a declaration such as \hat{W} \in"),
    (r"\check{X} = X", r"unknown command \check"),
])
def test_bad_accents_are_clear_errors(formula, message):
    block = last_block(formula)
    assert block.status == "error"
    assert message in block.message


def test_a_code_tie_names_an_accented_symbol_with_an_underscore():
    right = last_block(r"2 \hat{X} = 2 \hat{X}", "<!-- code: numpy.multiply(2, hat_X) -->\n")
    assert right.status == "checked", right.message
    wrong = last_block(r"2 \hat{X} = 2 \hat{X}", "<!-- code: numpy.multiply(2, X) -->\n")
    assert wrong.status == "failed" and "disagrees with the formula" in wrong.message


@pytest.mark.parametrize("formula", [
    r"\left( \sum_{i=1}^{N} z_i \right) \sum_{m=1}^{N} z_m = \left( \sum_{i=1}^{N} z_i \right)^2",
    r"\left( \sum_{i=1}^{N} z_i \right) 2 = 2 N \bar{x}",
    r"(\sum_{i=1}^{N} \hat{X}_{id}) \mu_d = 0",
    r"\frac{1}{N} \left( \sum_{i=1}^{N} z_i \right) \left( \sum_{m=1}^{N} z_m \right) - N \bar{x}^2 = 0",
])
def test_a_parenthesised_sum_can_be_followed_by_factors(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("mutant", [
    r"\left( \sum_{i=1}^{N} z_i \right) \sum_{m=1}^{N} z_i = \left( \sum_{i=1}^{N} z_i \right)^2",
    r"\left( \sum_{i=1}^{N} z_i \right) 3 = 2 N \bar{x}",
    r"\left( \sum_{i=2}^{N} z_i \right) 2 = 2 N \bar{x}",
    r"(\sum_{i=1}^{N} \hat{X}_{id}) \mu_d = \mu_d",
])
def test_mutants_of_parenthesised_sums_fail(mutant):
    assert last_block(mutant).status == "failed"


def test_an_unparenthesised_sum_still_takes_the_rest_of_the_product():
    # \sum_{i} z_i \sum_{m} z_m is one sum whose body holds the second: the same number, read as
    # written; what follows an open sum is never silently moved outside it.
    block = last_block(r"\sum_{i=1}^{N} z_i \sum_{m=1}^{N} z_m = N^2 \bar{x}^2")
    assert block.status == "checked", block.message
    block = last_block(r"\sum_{i=1}^{N} z_i \cdot 2 = 2 N \bar{x}")
    assert block.status == "checked", block.message
