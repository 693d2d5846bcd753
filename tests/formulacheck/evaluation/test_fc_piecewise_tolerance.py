r"""The tolerance of a `\begin{cases}` counts the magnitudes met computing the values of the cases
that hold (evaluation/piecewise.py), not those of a case no entry takes nor those of the
conditions, which only choose.

Every case's value is computed (each where its condition holds, for the complex step and for the
shapes), and each used to raise the magnitude M of the tolerance n u M: the Huber loss's slope
written `\delta` for `\delta \operatorname{sign}(r)` passed as checked at r = -2e6, where the case
not taken, r^2 / 2, is 2e12 and the sides differ by 2 \delta = 2e-6; the claims below were
"cannot be checked" (a tolerance above 1% of their values) instead of failed.
"""

import pytest

from formulacheck.testing import check_formula

DECLARE = "$$\nr \\in \\mathbb{R}, \\quad \\delta > 0\n$$\n"
HUBER = DECLARE + r"""
$$
H \coloneqq \begin{cases} \frac{1}{2} r^2 & |r| \le \delta \\ \delta \cdot (|r| - \frac{1}{2} \delta) & \text{otherwise} \end{cases}
$$
"""


@pytest.mark.parametrize("formula", [
    # a huge value in the case never taken
    r"\begin{cases} 10^{12} & r^2 + 1 < 0 \\ r & \text{otherwise} \end{cases} = r + 10^{-6}",
    # a huge number in a condition
    r"\begin{cases} 10^{12} r & r > 10^{15} \\ r & \text{otherwise} \end{cases} = r + 10^{-6}",
    r"\begin{cases} 10^{12} & r > \delta \\ r & \text{otherwise} \end{cases} = "
    r"\begin{cases} 10^{12} & r > \delta \\ r + 10^{-6} & \text{otherwise} \end{cases}",
])
@pytest.mark.parametrize("seed", range(3))
def test_a_small_error_beside_a_large_case_not_taken_fails(formula, seed):
    block = check_formula(formula, DECLARE, seed=seed)
    assert block.status == "failed", block.message


def test_the_case_taken_keeps_its_magnitude():
    # where r > delta the first case is taken: its 10^{12} is in M, and 10^{-6} is within rounding
    block = check_formula(r"\begin{cases} 10^{12} & r > \delta \\ 10^{12} & \text{otherwise} "
                          r"\end{cases} = 10^{12} + 10^{-6}", DECLARE)
    assert block.status == "checked", block.message


def test_the_huber_slope_without_the_sign_fails_at_the_seed_where_it_passed():
    # seed 9 reaches r < -delta only at r = -2e6, delta = 1e-6 (further instance 206)
    wrong = r"\begin{cases} r & |r| \le \delta \\ \delta & \text{otherwise} \end{cases}"
    block = check_formula(r"\frac{\partial H}{\partial r} = " + wrong, HUBER, seed=9)
    assert block.status == "failed", block.message
