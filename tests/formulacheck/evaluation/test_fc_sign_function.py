r"""The sign function, `\operatorname{sign}(W)` (also `\operatorname{sgn}`, `\mathrm{sign}`,
`\text{sign}`): -1, 0 or 1 entry by entry, as the L1 penalty's gradient and the Huber loss's are
written in the sources, with a kink at 0 whose two sides are both sampled.

Expected values are computed here with numpy from the same random leaves the checker drew, never
by the checker's own code.
"""

import numpy as np
import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
r \in \mathbb{R}, \quad W \in \mathbb{R}^{3 \times 4}, \quad \lambda > 0, \quad \delta > 0
$$
"""
L1_PENALTY = r"\frac{\partial}{\partial W} (\lambda \sum_{i=1}^{3} \sum_{j=1}^{4} |W_{ij}|)"
HUBER = r"""
$$
H \coloneqq \begin{cases} \frac{1}{2} r^2 & |r| \le \delta \\ \delta \cdot (|r| - \frac{1}{2} \delta) & \text{otherwise} \end{cases}
$$
"""


def last_block(formula: str, preamble: str = DECLARE, **options):
    return check_formula(formula, preamble, page="sign.md", **options)


@pytest.mark.parametrize("formula", [
    L1_PENALTY + r" = \lambda \operatorname{sign}(W)",
    L1_PENALTY + r" = \lambda \operatorname{sgn}(W)",
    L1_PENALTY + r" = \lambda \mathrm{sign}(W)",
    L1_PENALTY + r" = \lambda \text{sign}(W)",
    L1_PENALTY + r" = \lambda \cdot (\mathbb{1}(W > 0) - \mathbb{1}(W < 0))",
    r"\operatorname{sign}(r) \cdot |r| = r",
    r"\operatorname{sign}(W) \odot \operatorname{sign}(W) \odot W = W",
    r"\operatorname{sign}(\lambda) = 1",
    r"\frac{\partial}{\partial r} (\operatorname{sign}(r) \cdot r) = \operatorname{sign}(r)",
])
def test_the_sign_is_read_as_written_and_checked(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("mutant", [
    L1_PENALTY + r" = \operatorname{sign}(W)",  # lambda dropped
    L1_PENALTY + r" = \lambda \operatorname{sign}(W^\top)",  # 4 x 3, not 3 x 4
    L1_PENALTY + r" = \lambda \mathbb{1}(W > 0)",  # the negative entries' slope is -lambda
    r"\operatorname{sign}(r) \cdot r = r",
    r"\frac{\partial}{\partial r} (\operatorname{sign}(r) \cdot r) = 1",
])
def test_mutants_of_the_sign_fail(mutant):
    assert last_block(mutant).status == "failed"


@pytest.mark.parametrize("seed", range(6))
def test_both_sides_of_the_kink_are_sampled_for_a_scalar(seed):
    # Three trials of a scalar r are all positive one time in eight: the kink asks for further
    # instances until r has been drawn on both sides, so the false claim fails for every seed.
    block = last_block(r"\operatorname{sign}(r) = 1", seed=seed)
    assert block.status == "failed", block.message
    assert "sign" in block.message


@pytest.mark.parametrize("seed", range(6))
def test_a_huber_gradient_without_the_sign_fails_on_the_negative_side(seed):
    # The slope outside [-delta, delta] is delta sign(r): written as delta, it is wrong only for
    # r < -delta, which the branches of the cases and of |r| must reach for every seed.
    right = r"\begin{cases} r & |r| \le \delta \\ \delta \operatorname{sign}(r) & \text{otherwise} \end{cases}"
    assert last_block(r"\frac{\partial H}{\partial r} = " + right, DECLARE + HUBER,
                      seed=seed).status == "checked"
    wrong = r"\begin{cases} r & |r| \le \delta \\ \delta & \text{otherwise} \end{cases}"
    assert last_block(r"\frac{\partial H}{\partial r} = " + wrong, DECLARE + HUBER,
                      seed=seed).status == "failed"


def test_the_value_is_numpys_sign_at_fixed_points():
    # -1, 0 and 1 at fixed arguments, against numpy's own values
    values = np.sign([-2.5, 0.0, 3.0])
    assert list(values) == [-1.0, 0.0, 1.0]
    for argument, expected in zip(("-2.5", "0", "3"), values):
        block = last_block(rf"\operatorname{{sign}}({argument}) = {expected:g}")
        assert block.status == "checked", block.message


@pytest.mark.parametrize("formula, message", [
    (r"\text{sign} r = 1", r"\text{sign} without '(' could be the word sign of the prose or the "
                           r"operator sign applied to what follows; expected \text{sign}(...)"),
    (r"\operatorname{sign} r = 1", r"expected '(' after sign: write \operatorname{sign}(...)"),
    (r"\operatorname{signum}(r) = 1", r"unknown operator \operatorname{signum}; expected tr, vec, "
                                      r"diag, softmax or sign"),
])
def test_the_sign_without_parentheses_or_misspelt_is_refused_with_the_fix(formula, message):
    block = last_block(formula)
    assert block.status == "error"
    assert message in block.message, block.message
