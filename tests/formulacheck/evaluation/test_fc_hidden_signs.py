"""Signs the three trials may not show (evaluation/hidden_signs.py): the sign of a scalar, the
sign an even power forgets, and the domain of a logarithm, a square root or a fractional power.

Each wrong formula here is wrong only where some scalar is negative, and the three trials draw it
positive for about one seed in eight; the tests run many seeds, and the "without" tests show that
seeds passing such a formula exist once the rule is taken away. Whether an argument is negative is
decided here from the formula, by hand.
"""

import numpy as np
import pytest

from formulacheck.errors import FormulaError
from formulacheck.evaluation import evaluate as evaluate_module
from formulacheck.evaluation import functions as functions_module
from formulacheck.evaluation.evaluate import Evaluator
from formulacheck.evaluation.trace import EvalTrace
from formulacheck.limits import BRANCH_TRIALS
from formulacheck.pages import further_instances as draws_module
from formulacheck.testing import check_formula

DECLARE = (r"$$" "\n" r"x, y \in \mathbb{R}, \quad v \in \mathbb{R}^{N}, \quad "
           r"X \in \mathbb{R}^{N \times D}, \quad Q \in \mathbb{R}^{N \times d_k}, \quad "
           r"f \in \mathbb{R}^{K}, \quad c \in \{1, \dots, K\}" "\n$$\n\n"
           r"$$" "\n" r"p_k \coloneqq \frac{e^{f_k}}{\sum_{j=1}^{K} e^{f_j}}" "\n$$\n")
# The line of the formula under test in the page `check_formula` writes (after DECLARE).
LINE = 10


def last(formula: str, preamble: str = DECLARE, **options):
    return check_formula(formula, preamble, page="p.md", **options)


# -- the sign of a scalar, and the sign an even power forgets ---------------------------------
# Each is wrong for x < 0 (v_1 < 0, X_{2,1} < 0) only, through no kink the formula writes; the three trials draw x > 0
# every time for about one seed in eight (the test below shows such seeds among these 20).
HIDDEN_SIGN = [r"\sqrt{x^2} = x", r"(x^4)^{1/4} = x", r"s \coloneqq x^2, \quad \sqrt{s} = x",
               r"\sqrt{v_1^2} = v_1", r"\sqrt{X_{2,1}^2} = X_{2,1}",  # an entry read by digits too
               r"\sqrt{x \cdot x} = x", r"\sqrt{v_1 v_1} = v_1"]  # no power: only the leaf's sign
# Each is wrong only where a scalar computed from several random values is negative: the sign of
# each leaf is seen on both sides, that of their product or difference is read where an even power
# forgets it (evaluation/hidden_signs.py).
HIDDEN_PRODUCT_SIGN = [r"\sqrt{(x v_1)^2} = x v_1", r"\sqrt{(x - v_1)^2} = x - v_1",
                       r"s \coloneqq x + v_2, \quad (s^4)^{1/4} = s",
                       r"\sqrt{(x v_1)^{-2}} = \frac{1}{x v_1}"]


@pytest.mark.parametrize("formula", HIDDEN_SIGN + HIDDEN_PRODUCT_SIGN)
@pytest.mark.parametrize("seed", range(20))
def test_a_scalar_is_seen_with_both_signs(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "failed", block.message


@pytest.mark.parametrize("formulas, leaf_sign_too", [(HIDDEN_SIGN, True),
                                                     (HIDDEN_PRODUCT_SIGN, False)])
def test_without_the_sign_of_a_scalar_those_formulas_pass_for_some_seeds(formulas, leaf_sign_too,
                                                                         monkeypatch):
    """Without the sign under an even power (and, for the first list, that of a leaf; pairs of
    signs, drawn for x and v_1 together, would catch some of the second list on their own)."""
    monkeypatch.setattr(evaluate_module, "even_exponent", lambda power: 0)
    monkeypatch.setattr(draws_module, "sign_pairs_missing", lambda signs: [])
    if leaf_sign_too:
        monkeypatch.setattr(Evaluator, "sign_seen", lambda self, *arguments: None)
    statuses = {last(formula, seed=seed).status for formula in formulas for seed in range(20)}
    assert statuses == {"failed", "checked"}


# A derivative by a scalar steps it (evaluation/derivatives.py); its sign at the point is still seen.
AT_A_POINT = [r"\frac{\partial \sqrt{x^2}}{\partial x} = 1", r"\frac{\partial (x^4)^{1/4}}{\partial x} = 1"]


@pytest.mark.parametrize("formula", AT_A_POINT)
@pytest.mark.parametrize("seed", range(30))
def test_the_sign_of_the_point_of_a_derivative_is_seen(formula, seed):
    """Wrong for x < 0 only. A seed whose first negative x comes at scale 10^9 (the 8th further
    instance) still passes: the tolerance there follows x^2 = 10^18 (GRAMMAR.md, "Branch-aware
    sampling"), so -1 and 1 are within it; every other seed fails."""
    block = last(formula, seed=seed)
    assert block.status == "failed" or block.extra_trials == 8, block.message


def test_without_the_sign_at_the_point_those_formulas_pass_for_more_seeds(monkeypatch):
    def seeds_checked():
        return sum(last(formula, seed=seed).status == "checked"
                   for formula in AT_A_POINT for seed in range(30))
    with_rule = seeds_checked()
    monkeypatch.setattr(evaluate_module, "one_number", lambda value: not value.names
                        and value.data.size == 1)  # a stepped scalar read as many numbers
    assert seeds_checked() > with_rule


@pytest.mark.parametrize("formula", [
    r"\sqrt{(1 + x^2)^2} = 1 + x^2", r"\sqrt{(e^{x})^2} = e^{x}", r"\sqrt{\|v\|^4} = \|v\|^2",
    r"q \coloneqq 1 + e^{-x}, \quad \sqrt{q^2} = q", r"\sqrt{(\lambda + |x|)^2} = \lambda + |x|",
    r"\frac{1}{N^2} = \frac{1}{N} \cdot \frac{1}{N}", r"\sqrt{c^2} = c",  # a size, a label
])
def test_a_base_that_cannot_be_negative_as_written_draws_no_further_instance(formula):
    block = last(formula, DECLARE + "\n$$\n\\lambda > 0\n$$\n")
    assert (block.status, block.extra_trials, block.one_sided) == ("checked", 0, [])


# -- two signs together -----------------------------------------------------------------------
# Each is wrong only where x and y have opposite signs (the first three, and |x||y| = xy) or are
# both negative (the product of ReLUs); the trials can draw each sign of each without those.
SIGN_PAIRS = [r"|x + y| = |x| + |y|", r"\max(x, 0) + \max(y, 0) = \max(x + y, 0)",
              r"\sqrt{x^2 y^2} = x y", r"|x| |y| = x y", r"\max(x, 0) \max(y, 0) = \max(x y, 0)",
              r"s \coloneqq x + 1, \quad |s + y| = |s| + |y|"]  # through a definition


@pytest.mark.parametrize("formula", SIGN_PAIRS)
@pytest.mark.parametrize("seed", range(20))
def test_two_scalars_are_drawn_with_every_pair_of_signs(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "failed", block.message


def test_without_the_pairs_of_signs_those_formulas_pass_for_some_seeds(monkeypatch):
    monkeypatch.setattr(draws_module, "sign_pairs_missing", lambda signs: [])
    statuses = [last(formula, seed=seed).status for formula in SIGN_PAIRS for seed in range(20)]
    assert set(statuses) == {"failed", "checked"}


@pytest.mark.parametrize("formula", [r"|x + y| \leq |x| + |y|", r"|x y| = |x| |y|",
                                     r"\max(x, y) + \min(x, y) = x + y"])
def test_a_true_claim_of_two_scalars_stays_checked_after_a_few_more_instances(formula):
    """Every combination comes within a few instances (each pair of signs is drawn with
    probability 1/4, each side of the max with each sign of x with at least 1/8:
    pages/test_fc_branch_pairs.py), long before the limit; the inequality is tried on every
    instance anyway."""
    block = last(formula)
    assert block.status == "checked", block.message
    assert block.extra_trials < BRANCH_TRIALS - 3 or "\\leq" in formula


def test_the_failure_says_which_signs_the_instance_was_drawn_for():
    failures = [last(SIGN_PAIRS[1], seed=seed).message for seed in range(20)]
    drawn_for = [message for message in failures if "two signs had not been drawn together" in message]
    assert drawn_for, "no seed needed a further instance"
    assert all("x > 0 with y < 0" in message or "x < 0 with y > 0" in message
               for message in drawn_for)


# -- the domain of a function -----------------------------------------------------------------
# Each is wrong (undefined) where x + y < 0, x < 0 or 5 + x < 0, which the three trials can all
# miss: for x + y, one seed in eight; for 5 + x, every seed (standard normal x is below -5 once in
# 3.5 million), so only the further instances, at scale 3 and more, reach it (before they looked
# for the domain, `e^{\log(5 + x)} = 5 + x` passed for all 20 seeds).
OUTSIDE_THE_DOMAIN = [r"e^{\log(x + y)} = x + y", r"(\sqrt{x + y})^2 = x + y",
                      r"((x + y)^{1/2})^2 = x + y", r"e^{\log x} = x", r"e^{\log(5 + x)} = 5 + x",
                      r"s \coloneqq x - y, \quad \sqrt{s} \sqrt{s} = s"]


@pytest.mark.parametrize("formula", OUTSIDE_THE_DOMAIN)
@pytest.mark.parametrize("seed", range(20))
def test_an_argument_that_can_leave_the_domain_is_an_error(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "error", block.message
    on_the_trials = ("the logarithm of a value that is not positive" in block.message
                     or "the square root of a negative value" in block.message
                     or "evaluates to NaN or infinity" in block.message)  # (-1)^{1/2}
    beyond = "is negative on some instances drawn beyond the trials" in block.message
    assert on_the_trials or beyond, block.message


def test_the_error_beyond_the_trials_names_the_function_the_scale_and_the_fix():
    block = last(r"e^{\log(5 + x)} = 5 + x")
    assert block.message.startswith(
        f"p.md:{LINE}:4: error: the argument of \\log at line {LINE}, column 4 is negative on some "
        "instances drawn beyond the trials (the first at scale "), block.message
    assert ("the logarithm of a value that is not positive (line 10, column 4)), but on none of "
            "the trials; expected an argument inside the domain of \\log for every value of its "
            "symbols: declare positive what must be (\\lambda > 0)") in block.message


def test_without_the_domain_those_formulas_pass_for_some_seeds(monkeypatch):
    """The sign of x + y, 5 + x or x - y is seen by no other branch. The sign of x is (a leaf's own
    branch): `e^{\\log x} = x` stays an error for every seed, because a further instance on which
    the logarithm fails still tells that x < 0 was reached (the test below), and so x < 0 was
    reached only where nothing could be checked (for seeds 8, 9 and 16 it passed before that)."""
    for module in (evaluate_module, functions_module):
        monkeypatch.setattr(module, "outside_domain_seen", lambda *arguments: None)
    statuses = {last(formula, seed=seed).status
                for formula in OUTSIDE_THE_DOMAIN if formula != r"e^{\log x} = x"
                for seed in range(20)}
    assert statuses == {"error", "checked"}
    assert {last(r"e^{\log x} = x", seed=seed).status for seed in range(20)} == {"error"}


def test_an_evaluation_that_stops_keeps_the_sides_it_reached():
    """What an evaluator had recorded when a node raised travels with the error
    (pages/further_instances.py counts those sides as reached by an instance that was not used)."""
    evaluator = Evaluator.__new__(Evaluator)
    trace = EvalTrace()
    trace.branch(type("Token", (), {"line": 1, "col": 5})(), "sign of x", np.array(-0.5))
    evaluator.trace = trace

    def failing_method(node):
        raise FormulaError("the logarithm of a value that is not positive", line=1, col=1)
    evaluator.eval_Failing = failing_method
    with pytest.raises(FormulaError) as raised:
        evaluator.eval(type("Failing", (), {"tok": None})())
    assert raised.value.reached == {(1, 5, "sign of x"): {-1}}


@pytest.mark.parametrize("formula", [
    r"e^{\log(x^2 + 1)} = x^2 + 1", r"(\sqrt{e^{x}})^2 = e^{x}", r"e^{\log p_2} = p_2",
    r"e^{\log p_c} = p_c", r"(\sqrt{d_k})^2 = d_k", r"(\sqrt{\|v\|^2})^2 = \|v\|^2",
    r"((1 + |x|)^{1/2})^2 = 1 + |x|", r"e^{\log p_k} = p_k", r"(\sqrt{e^{v_i}})^2 = e^{v_i}",
])
def test_an_argument_that_cannot_be_negative_as_written_draws_no_further_instance(formula):
    """A softmax entry (p_2, p_c of the family p_k), a size (d_k), and values with index letters."""
    block = last(formula)
    assert (block.status, block.extra_trials) == ("checked", 0), block.message


# 1 - sigmoid(x) is positive, but not as written: further instances look for its other side up
# to the bound, and the logarithm's error follows d log(a) = da / a where 1 - sigmoid(x) is tiny.
KEPT_INSIDE = r"\log\left(1 - \frac{1}{1 + e^{-x}}\right) = -x - \log(1 + e^{-x})"


def test_a_domain_the_page_keeps_is_sampled_to_the_bound_and_not_listed():
    block = last(KEPT_INSIDE)
    assert block.status == "checked", block.message
    assert block.extra_trials == 61 and block.unusable_trials > 0 and block.one_sided == []


def test_without_the_logarithms_own_error_that_true_claim_fails(monkeypatch):
    monkeypatch.setattr(EvalTrace, "divided_by", lambda self, denominator: None)
    block = last(KEPT_INSIDE)
    assert block.status == "failed" and "at scale" in block.message
