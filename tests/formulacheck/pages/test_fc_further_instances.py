"""Which instances a claim is checked on, and what the further ones say (pages/further_instances.py).

The evaluation is played by the test: each instance reports the sides its branches reached, as
the checker's evaluation would (evaluation/trace.py keys: line, column, label).
"""

import pytest

from formulacheck.errors import FormulaError
from formulacheck.evaluation.trace import IN_STEP_TRIALS, SAME_VALUES_TRIALS, DrawnFor
from formulacheck.limits import BRANCH_TRIAL_BASE, BRANCH_TRIALS
from formulacheck.pages.further_instances import InstanceDraws

KINK = (6, 1, "\\max")
SIGN_X, SIGN_Y = (6, 3, "sign of x"), (6, 9, "sign of y")


def play(draws: InstanceDraws, sides_of) -> list:
    """Run the draws, instance k reaching `sides_of(k)` (branch -> sides); the trial numbers."""
    trials = []
    for trial in draws:
        sides = sides_of(len(trials))
        draws.used(sides, {key: {(len(trials), key)} for key in sides})  # new values each time
        trials.append(trial)
    return trials


def test_a_claim_without_branches_is_checked_on_its_trials_only():
    draws = InstanceDraws(trials=3, inequality=False)
    assert play(draws, lambda k: {}) == [0, 1, 2]
    assert (draws.further, draws.reasons, draws.one_sided()) == (0, set(), [])


def test_a_kink_seen_on_both_sides_in_the_trials_draws_nothing_further():
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {KINK: {1 if k % 2 else -1}})
    assert draws.further == 0


def test_a_kink_on_one_side_draws_further_instances_until_its_other_side():
    draws = InstanceDraws(trials=3, inequality=False)
    trials = play(draws, lambda k: {KINK: {-1 if k == 5 else 1}})
    assert trials == [0, 1, 2, BRANCH_TRIAL_BASE, BRANCH_TRIAL_BASE + 1, BRANCH_TRIAL_BASE + 2]
    assert (draws.further, draws.reasons, draws.one_sided()) == (3, {DrawnFor.KINK}, [])


def test_a_kink_that_stays_on_one_side_is_listed_after_the_last_instance():
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {KINK: {1}})
    assert (draws.drawn, draws.one_sided()) == (BRANCH_TRIALS, ["6:1 \\max"])


def test_a_kink_that_compares_the_same_values_each_time_stops_after_a_few_instances():
    """It does not depend on the random leaves (`z := 0`, then `1(z > 0)`)."""
    draws = InstanceDraws(trials=3, inequality=False)
    for _ in draws:
        draws.used({KINK: {1}}, {KINK: {"the same values"}})
    assert draws.drawn == SAME_VALUES_TRIALS


def test_an_inequality_is_tried_on_every_instance():
    draws = InstanceDraws(trials=3, inequality=True)
    play(draws, lambda k: {})
    assert (draws.drawn, draws.reasons) == (BRANCH_TRIALS, {DrawnFor.INEQUALITY})


def test_two_scalars_are_drawn_until_every_pair_of_signs_came():
    patterns = [(1, 1), (-1, -1), (1, -1), (1, 1), (-1, 1)]
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {SIGN_X: {patterns[k][0]}, SIGN_Y: {patterns[k][1]}})
    assert (draws.drawn, draws.reasons) == (5, {DrawnFor.PAIR})


def test_a_problem_on_a_further_instance_says_why_it_was_drawn():
    draws = InstanceDraws(trials=3, inequality=False)
    for trial in draws:
        if trial == BRANCH_TRIAL_BASE + 1:
            assert draws.why_drawn(trial) == (
                "an instance drawn beyond the 3 trials, with random values at scale 10, because "
                "a branch had been seen on one side only: 6:1 \\max")
            break
        draws.used({KINK: {1}}, {KINK: {trial}})


def test_a_side_reached_only_by_instances_not_used_is_an_error():
    """`\\max(0, x - 30) e^{x^2} = 0`: where x > 30, e^{x^2} is infinite."""
    draws = InstanceDraws(trials=3, inequality=False)
    for trial in draws:
        if trial >= BRANCH_TRIAL_BASE + 5:
            overflow = FormulaError("the claim evaluates to NaN or infinity; expected ...",
                                    line=6, col=9)
            draws.not_usable(overflow, {KINK: {1}}, trial)
        else:
            draws.used({KINK: {-1}}, {KINK: {trial}})
    assert draws.unusable == BRANCH_TRIALS - 3 - 5
    with pytest.raises(FormulaError, match=r"the other side of the kink \\max at line 6, column 1 "
                       r"was reached only by instances that could not be evaluated at their scale "
                       r"\(the first at scale 10000: the claim evaluates to NaN or infinity "
                       r"\(line 6, column 9\)\)"):
        draws.one_sided()


def test_the_sides_an_unusable_instance_reached_before_it_stopped_count():
    """A logarithm of a negative value stops the evaluation; the sides it had read come with the
    error (`FormulaError.reached`)."""
    draws = InstanceDraws(trials=3, inequality=False)
    domain = (6, 4, "domain of \\log")
    for trial in draws:
        if trial == BRANCH_TRIAL_BASE:
            negative = FormulaError("the logarithm of a value that is not positive", line=6, col=4)
            negative.reached = {domain: {-1}}
            draws.not_usable(negative, {}, trial)
        else:
            draws.used({domain: {1}}, {domain: {trial}})
    with pytest.raises(FormulaError, match=r"the argument of \\log at line 6, column 4 is negative "
                                           r"on some instances drawn beyond the trials \(the first "
                                           r"at scale 3: the logarithm"):
        draws.one_sided()


CASES, SIGN_R = (8, 20, "indicator"), (4, 1, "sign of r")


def test_two_branches_of_scalars_are_drawn_until_every_pair_of_sides_came():
    """The Huber loss's slope written `\\delta` where it is `\\delta \\operatorname{sign}(r)`:
    wrong only where r < 0 and the cases' first condition fails, though each side of each is
    reached sooner."""
    patterns = [(1, 1), (-1, -1), (1, -1), (1, 1), (-1, 1)]
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {SIGN_R: {patterns[k][0]}, CASES: {patterns[k][1]}})
    assert (draws.drawn, draws.reasons) == (5, {DrawnFor.BRANCHES})


def test_a_further_instance_drawn_for_two_branches_says_which_sides_it_looks_for():
    draws = InstanceDraws(trials=3, inequality=False)
    patterns = [(1, 1), (-1, -1), (1, -1)]
    for trial in draws:
        if trial == BRANCH_TRIAL_BASE:
            assert draws.why_drawn(trial).endswith(
                "because two branches had not been reached with these sides together: "
                "4:1 sign of r < 0 with 8:20 indicator > 0")
            break
        sides = {SIGN_R: {patterns[trial][0]}, CASES: {patterns[trial][1]}}
        draws.used(sides, {key: {(trial, key)} for key in sides})


def test_a_combination_never_reached_stops_at_the_limit_of_instances():
    """r > 1 with r < 0 cannot happen: the draws go on to the limit, and the claim stands checked
    on what they reached (nothing is one-sided)."""
    patterns = [(1, 1), (1, -1), (-1, -1)]
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {SIGN_R: {patterns[k % 3][0]}, CASES: {patterns[k % 3][1]}})
    assert (draws.drawn, draws.one_sided()) == (BRANCH_TRIALS, [])


def test_two_branches_always_in_step_are_one_condition_after_a_few_instances():
    """`|r| \\le \\delta` beside `r^2 \\le \\delta^2` (other values compared, the same condition):
    each side of one always comes with the same side of the other."""
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {SIGN_R: {1 if k % 2 else -1}, CASES: {-1 if k % 2 else 1}})
    assert draws.drawn == IN_STEP_TRIALS


def test_branches_that_compared_the_same_values_are_one_condition():
    """r read at two places, or `|r|` in a definition and again in the claim: no pair."""
    draws = InstanceDraws(trials=3, inequality=False)
    twin = (9, 5, "sign of r")
    for trial in draws:
        side = {1} if trial in (0, 2) else {-1}
        draws.used({SIGN_R: side, twin: side}, {SIGN_R: {trial}, twin: {trial}})
    assert draws.further == 0


def test_branches_over_the_entries_of_a_matrix_make_no_pair():
    """A kink seen on both sides in one instance (its entries) says nothing of one entry's pair."""
    draws = InstanceDraws(trials=3, inequality=False)
    play(draws, lambda k: {KINK: {1, -1}, SIGN_R: {1 if k % 2 else -1}})
    assert draws.further == 0
