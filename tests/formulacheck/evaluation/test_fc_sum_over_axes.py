"""A sum written without its range, `\\sum_j e^{f_j}` (the CS231n notes), `\\sum_{d}`, `\\sum_{i,j}`:
each letter runs over the whole axis it indexes in its statement, as for `\\max_k`; a letter that
indexes nothing, or axes of two sizes, is an error naming the written range as the fix."""

import pytest

from formulacheck.testing import check_formula

DECLARED = ("$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}, "
            "\\quad f \\in \\mathbb{R}^{K}\n$$\n")


def checked(formula):
    return check_formula(formula, DECLARED, page="sums.md")


@pytest.mark.parametrize("formula", [
    r"\sum_j e^{f_j} = \sum_{j=1}^{K} e^{f_j}",
    # \limits and \nolimits only place the index (inline sums are set with \nolimits)
    r"\sum\limits_{j} e^{f_j} = \sum\nolimits_j e^{f_j}",
    r"(X W)_{ik} = \sum_d X_{id} W_{dk} = \sum_{d} X_{id} W_{dk}",
    # two letters at once: the first outermost, each over its own axis (N and D)
    r"\sum_{i,j} X_{ij} = \sum_{i=1}^{N} \sum_{j=1}^{D} X_{ij}",
    # nested sums over a product are contracted; written ranges or not, the same value
    r"\sum_{i,j} X_{ij} X_{ij} = \|X\|_F^2",
    r"\frac{\partial}{\partial f_k} \log \sum_j e^{f_j} = \frac{e^{f_k}}{\sum_j e^{f_j}}",
])
def test_a_sum_without_its_range_runs_over_the_axis_its_letter_indexes(formula):
    block = checked(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("formula", [
    r"\sum_j e^{f_j} = \sum_{j=2}^{K} e^{f_j}",  # a term left out: the whole axis is summed
    r"\sum_{i,j} X_{ij} = \sum_{i=1}^{N} X_{i1}",
])
def test_a_wrong_claim_with_such_a_sum_fails(formula):
    assert checked(formula).status == "failed"


def test_a_letter_on_axes_of_two_sizes_is_refused_as_with_a_written_range():
    block = checked(r"\sum_d X_{id} W_{kd} = 1")
    assert block.status == "error"
    assert "sums.md:6:19:" in block.message
    assert "index d ranges over 1..K here but over 1..D at 6:12" in block.message


def test_a_letter_that_indexes_nothing_names_the_written_range_as_the_fix():
    block = checked(r"\sum_j 1 = 5")
    assert block.status == "error"
    assert ("sums.md:6:6: error: \\sum_j runs over the axis j indexes, and j indexes nothing here; "
            "expected \\sum_{j=1}^{K} with its upper limit") in block.message


def test_an_upper_limit_without_a_lower_one_is_refused():
    block = checked(r"\sum_j^{K} f_j = 1")
    assert block.status == "error"
    assert "an upper limit needs a lower one; expected \\sum_{j=1}^{...}" in block.message
