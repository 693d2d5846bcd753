r"""A sum over part of its letter's range (evaluation/indices.py): `\sum_{t=1}^{T-1}` leaves out
the last entries of an axis, as a derivation does to peel off the last term, and its body is read
for the values of its part only, so `\sum_{t=2}^{T} h_{t-1}` reads no entry before the first. A
size as a subscript (`x_N`, `h_T`) is the last entry of its axis. Every other upper limit is a
second range for the letter and stays an error, as does a size that is not its axis's."""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
x \in \mathbb{R}^{N}, \quad A \in \mathbb{R}^{N \times D}
$$
"""


def checked(formula):
    return check_formula(formula, DECLARE, page="partial.md")


@pytest.mark.parametrize("formula", [
    r"\sum_{i=1}^{N} x_i = \sum_{i=1}^{N-1} x_i + x_N",
    r"\sum_{i=1}^{N-2} x_i = \sum_{i=1}^{N} x_i - x_N - x_{N-1}",
    r"\sum_{i=1}^{N} A_{i 1} = \sum_{k=1}^{N-1} A_{k 1} + A_{N 1}",
    r"\sum_{i=2}^{N} x_{i-1} = \sum_{i=1}^{N-1} x_i",
    r"\sum_{i=1}^{N-1} A_{i+1, 2} = \sum_{i=2}^{N} A_{i 2}",
    r"\sum_{t=1}^{N} t = \sum_{t=1}^{N-1} t + N",
    r"\sum_{t=1}^{N-1} t = \frac{N (N - 1)}{2}",
    r"L \coloneqq \sum_{i=2}^{N} x_{i-1} x_i, \quad \frac{\partial L}{\partial x_N} = x_{N-1}",
    r"L \coloneqq \sum_{i=1}^{N-1} x_i^2, \quad \frac{\partial L}{\partial x_j} = 2 x_j \mathbb{1}(j < N)",
    r"\max_{1 \le i \le N} x_i = \max(\max_{1 \le i \le N-1} x_i, x_N)",
], ids=["peel-last", "peel-two", "peel-other-letter", "shift-down", "shift-up", "values",
        "values-alone", "derivative-by-the-last", "derivative-by-each", "maximum"])
def test_a_sum_over_part_of_an_axis_is_checked(formula):
    block = checked(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("formula", [
    r"\sum_{i=1}^{N} x_i = \sum_{i=1}^{N-1} x_i + x_1",
    r"\sum_{i=1}^{N} x_i = \sum_{i=1}^{N-1} x_i + x_{N-1}",
    r"\sum_{i=1}^{N-1} x_{i+1} = \sum_{i=1}^{N-1} x_i",
    r"\sum_{t=1}^{N} t = \sum_{t=1}^{N-1} t + N - 1",
    r"L \coloneqq \sum_{i=2}^{N} x_{i-1} x_i, \quad \frac{\partial L}{\partial x_N} = x_N",
    r"L \coloneqq \sum_{i=1}^{N-1} x_i^2, \quad \frac{\partial L}{\partial x} = 2 x",
    r"\max_{1 \le i \le N} x_i \le \max_{1 \le i \le N-1} x_i",
], ids=["first-entry", "wrong-last", "shifted", "values", "derivative-by-the-last",
        "derivative-of-the-whole", "maximum"])
def test_a_wrong_part_fails(formula):
    block = checked(formula)
    assert block.status == "failed", block.message


@pytest.mark.parametrize("formula, message", [
    (r"\sum_{i=1}^{D} A_{i 1} = 0", "index i ranges over 1..D here but over 1..N at 7:19"),
    (r"\sum_{i=1}^{D-1} A_{i 1} = 0", "index i ranges over 1..D-1 here but over 1..N at 7:21"),
    (r"\sum_{i=1}^{N+1} x_i = 0", "index i ranges over 1.."),
    (r"\sum_{t=1}^{N} t = \sum_{t=1}^{D} t", "index t ranges over 1..D here but over 1..N"),
    (r"\max_{1 \le i \le D} A_{i 1} = 0", "or a maximum over the first entries of that range"),
])
def test_any_other_upper_limit_is_a_second_range(formula, message):
    block = checked(formula)
    assert block.status == "error" and message in block.message, block.message
    assert r"^{N-1}" in block.message or r"\le i \le N-1}" in block.message  # the form read


def test_a_sum_from_two_reads_no_entry_before_the_first():
    block = checked(r"\sum_{i=2}^{N} x_{i-2} = 0")
    assert block.status == "error", block.message
    assert "x_{i-2} takes the values 0.." in block.message and "at i=2" in block.message, block.message


def test_a_size_as_a_subscript_is_the_last_entry_of_its_axis_only():
    assert checked(r"A_{N D} = A_{N, D}").status == "checked"
    assert checked(r"x_N = x_{N}").status == "checked"
    for formula, named in ((r"x_D = 0", "x_{D}"), (r"A_{D 1} = 0", "A_{D1}")):
        block = checked(formula)
        assert block.status == "error", block.message
        assert (f"{named}: a size as a subscript names the last entry of its axis, and this axis "
                "has N entries, not D") in block.message


@pytest.mark.parametrize("formula, status", [
    (r"\sum_{i=0}^{2} \frac{\partial (i x_1)}{\partial x_1} = 3", "checked"),
    (r"\sum_{i=0}^{2} \frac{\partial (i x_1)}{\partial x_1} = 6", "failed"),  # i read from 1
    (r"L \coloneqq \sum_{k=1}^{N} x_k^2, \quad \sum_{i=2}^{N} \frac{\partial (x_i L)}{\partial x_1} "
     r"= 2 x_1 \sum_{i=2}^{N} x_i", "checked"),
])
def test_a_derivative_inside_a_sum_reads_the_values_of_the_sums_letter(formula, status):
    """The numerator of a derivative is evaluated again with its node stepped: the letters of
    the sums around it keep the values they start from (0 and 2 here, not 1)."""
    block = checked(formula)
    assert block.status == status, block.message
