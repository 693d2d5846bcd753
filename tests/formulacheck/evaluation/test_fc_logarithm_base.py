r"""The logarithm to a base written as a number, `\log_2 x`, `\log_{10}(x)` (tex/constructs.py,
evaluation/functions.py): log x / log b, as information theory writes entropy in bits. A base that
is not such a number is refused with its place. Expected values come from Python's `math`.
"""

import math

import pytest

from formulacheck import check_markdown
from formulacheck.testing import check_formula

DECLARE = "$$\nx \\in \\mathbb{R}, \\quad p \\in (0, 1)\n$$\n"


@pytest.mark.parametrize("formula", [
    r"\log_{10} 100 = 2",
    r"\log_2 8 = 3",
    r"\log_2(x^2 + 1) = \frac{\ln(x^2 + 1)}{\ln 2}",
    r"\log_{10}(x^2 + 1) \cdot \ln 10 = \ln(x^2 + 1)",
    r"\frac{\mathrm{d}}{\mathrm{d} p} \log_2 p = \frac{1}{p \ln 2}",
    r"-p \log_2 p - (1 - p) \log_2(1 - p) \le 1",
    f"\\log_2 3 \\approx {math.log2(3):.5f}",
    r"\log_{0.5} 4 = -2",
])
def test_a_logarithm_to_a_written_base_is_read(formula):
    block = check_formula(formula, DECLARE)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("formula", [r"\log_2 8 = 2", r"\log_{10} 100 = \ln 100",
                                     r"\frac{\mathrm{d}}{\mathrm{d} p} \log_2 p = \frac{1}{p}"])
def test_a_wrong_value_of_a_logarithm_to_a_base_fails(formula):
    assert check_formula(formula, DECLARE).status == "failed"


@pytest.mark.parametrize("formula, column", [(r"\log_1 8 = 0", 6), (r"\log_x 8 = 2", 6),
                                             (r"\log_{-2} 8 = 2", 7)])
def test_a_base_that_is_not_a_number_above_0_other_than_1_is_refused(formula, column):
    page = DECLARE + f"\n$$\n{formula}\n$$\n"
    block = check_markdown(page, "b.md").blocks[-1]
    assert block.status == "error"
    assert block.message.startswith(f"b.md:6:{column}: error: the base of \\log is a number"), block.message
