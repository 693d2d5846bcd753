r"""Two branches of scalars are reached with every pair of sides they can take (trace.py,
`branch_pairs_missing`; pages/further_instances.py), not only each side of each.

A claim can be wrong only where two conditions hold together: the Huber loss's slope written
`\delta` where it is `\delta \operatorname{sign}(r)` (r < 0 outside the first case), a product of
two labels' indicators. Three trials reach each side of each condition often enough, and the
combination far less: without the rule, the wrong claims below passed as checked for some seeds.
"""

import pytest

from formulacheck.pages import further_instances as draws_module
from formulacheck.testing import check_formula

DECLARE = r"""
$$
r \in \mathbb{R}, \quad \delta > 0, \quad c \in \{1, \dots, K\}, \quad g \in \{1, \dots, K\}
$$

$$
H \coloneqq \begin{cases} \frac{1}{2} r^2 & |r| \le \delta \\ \delta \cdot (|r| - \frac{1}{2} \delta) & \text{otherwise} \end{cases}
$$
"""
WRONG = [
    r"\frac{\partial H}{\partial r} = \begin{cases} r & |r| \le \delta \\ \delta & \text{otherwise} \end{cases}",
    r"\mathbb{1}(c = 1) \mathbb{1}(g = 1) = 0",
]
TRUE = [
    r"\frac{\partial H}{\partial r} = \begin{cases} r & |r| \le \delta \\ \delta \operatorname{sign}(r) & \text{otherwise} \end{cases}",
    r"\frac{\partial H}{\partial r} = \max(-\delta, \min(\delta, r))",
    r"\mathbb{1}(c = 1) \mathbb{1}(g = 1) = \mathbb{1}(c = 1) \mathbb{1}(g = c)",
]
SEEDS = range(20)


@pytest.mark.parametrize("formula", WRONG)
def test_a_claim_wrong_only_where_two_conditions_hold_fails_for_every_seed(formula):
    passed = [seed for seed in SEEDS if check_formula(formula, DECLARE, seed=seed).status != "failed"]
    assert passed == []


@pytest.mark.parametrize("formula", TRUE)
def test_the_true_claims_beside_them_are_checked_for_every_seed(formula):
    for seed in SEEDS:
        block = check_formula(formula, DECLARE, seed=seed)
        assert block.status == "checked", (seed, block.message)


@pytest.mark.parametrize("formula", WRONG)
def test_without_the_rule_they_passed_for_some_seeds(monkeypatch, formula):
    monkeypatch.setattr(draws_module, "branch_pairs_missing", lambda patterns: [])
    passed = [seed for seed in SEEDS if check_formula(formula, DECLARE, seed=seed).status == "checked"]
    assert passed, "the rule is not what makes these fail"


def test_a_failure_on_an_instance_drawn_for_a_pair_says_so():
    messages = [check_formula(WRONG[0], DECLARE, seed=seed).message for seed in SEEDS]
    drawn = [message for message in messages
             if "two branches had not been reached with these sides together" in message]
    assert drawn, "no seed needed a further instance"
    assert all("sign of r < 0 with" in message for message in drawn)


@pytest.mark.parametrize("formula", [r"\max(0, r) - \max(0, -r) = r",
                                     r"\max(0, r) + \min(0, r) = r",
                                     r"|r| = \operatorname{sign}(r) \cdot r"])
@pytest.mark.parametrize("seed", range(3))
def test_conditions_on_one_value_or_its_negation_make_no_pair(formula, seed):
    """The two maxima compare -r and r: one condition, whose sides are the sign of r (drawing
    them as a pair took 5 further instances, each claim, each seed)."""
    block = check_formula(formula, DECLARE, seed=seed)
    assert block.status == "checked", block.message
    assert "branches" not in block.drawn_for
