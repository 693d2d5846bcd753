r"""`e` is Euler's number on every page: `e^{x}` is the exponential, `e` alone is 2.71828...,
and no page declares or defines `e` (evaluation/scope.py, `EULER`). The expected values are
Python's `math.e`, not the checker's.
"""

import math

import pytest

from formulacheck import check_markdown
from formulacheck.testing import check_formula

DECLARE = "$$\nx \\in \\mathbb{R}, \\quad X \\in \\mathbb{R}^{N \\times D}\n$$\n"


@pytest.mark.parametrize("formula", [
    r"\log e = 1",
    r"e^{1} = e",
    r"e^{-1} = \frac{1}{e}",
    r"e^{x} e = e^{x + 1}",
    f"e \\approx {math.e:.4f}",
    r"e > 2.7",
])
def test_e_alone_is_eulers_number(formula):
    assert check_formula(formula, DECLARE).status == "checked"


@pytest.mark.parametrize("formula", [r"e = 3", r"e \approx 2.7182", r"e^{x} = e x"])
def test_claims_false_of_eulers_number_fail(formula):
    # 2.7182 is e cut off, not rounded (2.71828 rounds to 2.7183)
    assert check_formula(formula, DECLARE).status == "failed"


@pytest.mark.parametrize("formula", [r"e \in \mathbb{R}", r"e \in \mathbb{R}^{N}", r"e \coloneqq 3",
                                     r"e \coloneqq X"])
def test_e_is_never_declared_or_defined(formula):
    block = check_formula(formula, DECLARE)
    assert block.status == "error"
    assert "e is Euler's number on every page" in block.message


def test_inline_e_is_a_number_so_its_value_is_a_claim():
    spans = check_markdown("Euler's number is $e \\approx 2.7183$, not $e \\approx 2.7182$.",
                           "p.md").spans
    assert [span.status for span in spans] == ["checked", "failed"]
