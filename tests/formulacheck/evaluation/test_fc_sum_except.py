"""The hinge-loss constructs: `\\sum_{j \\neq y_i}`, `\\max` at an exact tie, and a shape claim
`M \\in ...` on a family `M_{ij}` (not a new random leaf)."""

import pytest

import formulacheck
from formulacheck.testing import check_formula

HEADER = r"""
$$
F \in \mathbb{R}^{N \times K}, \quad X \in \mathbb{R}^{N \times D}, \quad y \in \{1, \dots, K\}^{N}, \quad \Delta > 0, \quad x \in \mathbb{R}
$$

$$
M_{ij} \coloneqq F_{ij} - F_{i y_i} + \Delta
$$

$$
L_i \coloneqq \sum_{j=1}^{K} \mathbb{1}(j \neq y_i) \max(0, M_{ij})
$$
"""


def last_block(formula: str):
    return check_formula(formula, HEADER, page="hinge.md")


@pytest.mark.parametrize("formula", [
    r"L_i = \sum_{j \neq y_i} \max(0, M_{ij})",
    r"L_i = \sum_{j \ne y_i} \max(0, F_{ij} - F_{i y_i} + \Delta)",
    r"\sum_{j \neq y_i} 1 = K - 1",
    r"\sum_{j=1}^{K} \max(0, M_{ij}) = \sum_{j \neq y_i} \max(0, M_{ij}) + \Delta",
    r"\frac{\partial L_i}{\partial F_{i y_i}} = -\sum_{j \neq y_i} \mathbb{1}(M_{ij} > 0)",
    r"\frac{\partial L_i}{\partial F_{ik}} = \sum_{j \neq y_i} \mathbb{1}(M_{ij} > 0) \left( \mathbb{1}(k = j) - \mathbb{1}(k = y_i) \right)",
    # j excludes another index letter: k takes its range from F, j from k
    r"\sum_{j \neq k} F_{ij} = \sum_{j=1}^{K} F_{ij} - F_{ik}",
])
def test_sums_that_skip_one_term_are_checked(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("kind, formula", [
    ("the skipped term put back", r"L_i = \sum_{j=1}^{K} \max(0, M_{ij})"),
    ("a term skipped that should not be", r"\sum_{j=1}^{K} \max(0, M_{ij}) = \sum_{j \neq y_i} \max(0, M_{ij})"),
    ("count off by one", r"\sum_{j \neq y_i} 1 = K"),
    ("sign of the correct class flipped", r"\frac{\partial L_i}{\partial F_{i y_i}} = \sum_{j \neq y_i} \mathbb{1}(M_{ij} > 0)"),
    ("indicator inequality flipped", r"\frac{\partial L_i}{\partial F_{i y_i}} = -\sum_{j \neq y_i} \mathbb{1}(M_{ij} < 0)"),
    ("index inside the sum changed", r"\frac{\partial L_i}{\partial F_{ik}} = \sum_{j \neq y_i} \mathbb{1}(M_{ik} > 0) \left( \mathbb{1}(k = j) - \mathbb{1}(k = y_i) \right)"),
    ("excluded the wrong index", r"\sum_{j \neq k} F_{ij} = \sum_{j=1}^{K} F_{ij} - F_{ij}"),
])
def test_mutants_of_a_sum_that_skips_one_term_fail(kind, formula):
    block = last_block(formula)
    assert block.status in ("failed", "error"), (kind, block.message)
    assert "internal" not in block.message


@pytest.mark.parametrize("formula, expected", [
    (r"\sum_{j \neq 2} F_{ij} = 0", "expected a label such as y_i or an index letter"),
    (r"\sum_{j \neq y_i}^{K} F_{ij} = 0", "takes its range from the label y_i; expected no upper limit"),
    (r"\sum_{j \neq x} F_{ij} = 0", "takes its range from what it excludes"),
    (r"\sum_{j \neq y_i} X_{ij} = 0", "ranges over 1..D here but over 1..K"),
    (r"\sum_{j < y_i} F_{ij} = 0", "expected '=' after the summation index"),
    (r"\sum_{j \neq j} F_{ij} = 0", "expected a label such as y_i or an index letter"),
])
def test_a_sum_with_an_unreadable_condition_is_a_clean_error(formula, expected):
    block = last_block(formula)
    assert block.status == "error", block.message
    assert expected in block.message
    assert "Traceback" not in block.message


TIE = r"""
$$
z \coloneqq 0, \qquad q \coloneqq \max(0, z), \qquad r \coloneqq \max(z, 0)
$$
"""


@pytest.mark.parametrize("claim, status", [
    (r"\frac{\partial q}{\partial z} = 0", "checked"),
    (r"\frac{\partial r}{\partial z} = 0", "checked"),  # the order of the arguments does not matter
    (r"\frac{\partial q}{\partial z} = \mathbb{1}(z > 0)", "checked"),  # the code's convention
    (r"\frac{\partial q}{\partial z} = 1", "failed"),
    (r"\frac{\partial r}{\partial z} = 1", "failed"),
    (r"\frac{\partial r}{\partial z} = \mathbb{1}(z \geq 0)", "failed"),
])
def test_at_an_exact_tie_max_keeps_the_smaller_slope(claim, status):
    block = formulacheck.check_markdown(TIE + f"\n$$\n{claim}\n$$\n", "tie.md").blocks[-1]
    assert block.status == status, block.message


@pytest.mark.parametrize("claim, status", [
    (r"M \in \mathbb{R}^{N \times K}", "checked"),
    (r"M \in \mathbb{R}^{K \times N}", "failed"),
    # the whole matrix M is the family's matrix: a fresh random leaf M would fail this
    (r"\operatorname{tr}(M^\top M) = \sum_{i=1}^{N} \sum_{j=1}^{K} M_{ij}^2", "checked"),
    (r"\operatorname{tr}(M^\top M) = \sum_{i=1}^{N} \sum_{j=1}^{K} F_{ij}^2", "failed"),
])
def test_in_after_a_family_claims_the_shape_of_its_matrix(claim, status):
    block = last_block(claim)
    assert block.status == status, block.message
