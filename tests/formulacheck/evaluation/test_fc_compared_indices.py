"""Index letters compared by an indicator or a Kronecker delta: a letter with no range of its own
takes the other's, and two letters with ranges of their own may have different ones (an entry of
a non-square matrix on its diagonal). `\\mathbb{1}(k = j)` reads as `\\mathbb{1}(k - j = 0)` does;
only a sum over all but one letter, `\\sum_{j \\neq k}`, ties j to k's range."""

import pytest

from formulacheck.testing import check_formula

# N and D are sizes of distinct values in every assignment, so the diagonal of A stops at the
# smaller one, and a claim that confuses the two ranges fails.
HEADER = r"""
$$
A \in \mathbb{R}^{N \times D}, \quad v \in \mathbb{R}^{N}
$$
"""

DIAGONAL = r"\sum_{j=1}^{D} \sum_{k=1}^{N} A_{k,j} \, \mathbb{1}(k = j)"


def last_block(formula: str):
    return check_formula(formula, HEADER, page="compared.md")


@pytest.mark.parametrize("formula", [
    DIAGONAL + r" = \sum_{j=1}^{D} \sum_{k=1}^{N} A_{k,j} \, \mathbb{1}(k - j = 0)",
    DIAGONAL + r" = \sum_{j=1}^{D} \sum_{k=1}^{N} A_{k,j} \, \mathbb{1}(j = k)",
    DIAGONAL + r" = \sum_{j=1}^{D} \sum_{k=1}^{N} \delta_{kj} A_{k,j}",
    # j ranges over D (A's columns), k over N: the entries of v that meet a column
    r"\sum_{k=1}^{N} \mathbb{1}(k = j) \, v_k A_{k,j} = \sum_{k=1}^{N} \delta_{jk} v_k A_{k,j}",
])
def test_letters_of_different_ranges_are_compared_by_value(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("kind, formula", [
    ("the diagonal shifted by one", DIAGONAL + r" = \sum_{j=1}^{D} \sum_{k=1}^{N} A_{k,j} \, \mathbb{1}(k - j = 1)"),
    ("every entry, not the diagonal", DIAGONAL + r" = \sum_{j=1}^{D} \sum_{k=1}^{N} A_{k,j}"),
    ("the comparison reversed", DIAGONAL + r" = \sum_{j=1}^{D} \sum_{k=1}^{N} A_{k,j} \, \mathbb{1}(k \neq j)"),
])
def test_wrong_claims_about_compared_letters_fail(kind, formula):
    block = last_block(formula)
    assert block.status == "failed", (kind, block.message)


def test_a_sum_over_all_but_one_letter_still_takes_that_letters_range():
    # j and k share one range by the sum's rule, but A gives k the range N and j the range D
    block = last_block(r"\sum_{k=1}^{N} \sum_{j \neq k} A_{k,j} = 0")
    assert block.status == "error"
    assert "ranges over 1..D here but over 1..N" in block.message, block.message
    assert "expected one range per index letter" in block.message
