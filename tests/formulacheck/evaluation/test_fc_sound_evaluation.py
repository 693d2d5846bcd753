"""Sound evaluation (issue 10, point 4): sums over the range written, a tolerance that follows from
how values are computed, branch-aware sampling, and two assignments of sizes.

Expected values are computed here independently of the checker: the sums by hand, the sides of a
kink from where the random instances fall, the sizes from the two assignments of GRAMMAR.md.
"""

import math
import re
from itertools import combinations
from pathlib import Path

import pytest

import formulacheck
from formulacheck.pages import further_instances as draws_module
from formulacheck.pages.cache import cached_check_page
from formulacheck.limits import BRANCH_TRIALS
from formulacheck.evaluation import compare as compare_module
from formulacheck.evaluation import evaluate as evaluate_module
from formulacheck.evaluation.evaluate import Evaluator
from formulacheck.evaluation import scope as scope_module
from formulacheck.evaluation.scope import SIZE_ASSIGNMENTS
from formulacheck.evaluation.trace import SAME_VALUES_TRIALS, EvalTrace
from formulacheck.testing import check_formula

DOCS = Path(__file__).resolve().parents[3] / "docs"
DECLARE = (r"$$" "\n" r"x \in \mathbb{R}, \quad v \in \mathbb{R}^{N}, \quad Z \in \mathbb{R}^{N \times K}, "
           r"\quad X \in \mathbb{R}^{N \times D}, \quad y \in \{1, \dots, K\}^{N}" "\n$$\n")


def last(formula: str, preamble: str = DECLARE, **options):
    return check_formula(formula, preamble, page="p.md", **options)


# Seeds a sampling test runs under: each formula's verdict must hold for every one of them.
SEEDS = range(6)


def statuses_over_seeds(formulas: list, preamble: str = DECLARE) -> list:
    """The status of each formula's block under each seed of SEEDS (the tests below show that the
    further instances matter: without them, these statuses are "checked")."""
    return [last(formula, preamble, seed=seed).status for formula in formulas for seed in SEEDS]


# -- sums over the range written --------------------------------------------------------------
@pytest.mark.parametrize("formula", [
    r"\sum_{i=0}^{3} \mathbb{1}(i = 0) = 1",                      # the term i = 0 is there
    r"\sum_{i=0}^{N} \mathbb{1}(i = 0) = 1",
    r"\sum_{i=0}^{N} i = \frac{N (N + 1)}{2}",                    # 0 + 1 + ... + N
    r"\sum_{k=0}^{4} 2 = 10",                                     # five terms, letter unused
    r"\sum_{i=2}^{N} v_i = \sum_{i=1}^{N} v_i - v_1",             # a part of 1..N
    r"\sum_{i=5}^{3} x = 0",                                      # an empty sum
    r"\sum_{i=0}^{N} \sum_{j=1}^{K} \mathbb{1}(i = 0) Z_{1j} = \sum_{j=1}^{K} Z_{1j}",
])
def test_a_sum_takes_exactly_the_values_written(formula):
    block = last(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("formula, col", [
    (r"\sum_{i=0}^{N} v_i = \sum_{i=1}^{N} v_i + v_{7}", 18),     # once read v_7 for i = 0
    (r"\sum_{i=0}^{N} v_i = 0", 18),
    (r"\sum_{k=0}^{K} Z_{1k} = 0", 20),
])
def test_an_entry_outside_its_axis_is_refused_never_wrapped(formula, col):
    block = last(formula)
    assert block.status == "error"
    assert block.message.startswith(f"p.md:6:{col}: error: the sum runs over "), block.message
    assert "entries 1.." in block.message and "expected a sum from 1" in block.message


# -- the tolerance ----------------------------------------------------------------------------
def test_a_difference_of_one_in_e_to_the_20_is_seen():
    assert last(r"e^{20} = e^{20} + 1").status == "failed"
    assert last(r"e^{20} + 1 - e^{20} = 1").status == "checked"  # a cancellation is accounted for


@pytest.mark.parametrize("power", range(0, 13))
def test_a_plus_one_is_never_within_the_tolerance(power):
    """A = A + 1 fails for every A the instances produce, up to 10^12 times a standard normal."""
    block = last(rf"A \coloneqq x \cdot 10^{{{power}}}, \quad A = A + 1")
    assert block.status == "failed", block.message
    assert "difference 1;" in block.message
    cancelled = last(rf"A \coloneqq x \cdot 10^{{{power}}}, \quad (A + 1) - A = 1")
    # From 10^12 on, the tolerance (8 x n x 2^-53 x |A|) is 1.5% of the 1 compared: too weak to
    # check (the next test), though float64 computes exactly 1.
    assert cancelled.status == ("checked" if power < 12 else "error"), cancelled.message


# Each is false, and would pass within a tolerance set by a value that plays no part in the result
# or that rounding loses: (x + 10^{20}) - 10^{20} is 0 for every standard normal x.
TOO_WEAK_TO_CHECK = [
    r"x + 0 \cdot 10^{300} = x + 1",
    r"(x + 10^{20}) - 10^{20} = x + 1",
    r"\frac{x}{10^{-300}} \cdot 10^{-300} = x + 1",
    r"x + 0 \cdot 10^{300} \leq x - 1",
    r"\sum_{i=1}^{N} v_i + 0 \cdot e^{600} = \sum_{i=1}^{N} v_i + 5",
    r"A \coloneqq x \cdot 10^{12}, \quad (A + 1) - A = 1",
]


@pytest.mark.parametrize("formula", TOO_WEAK_TO_CHECK)
def test_a_comparison_whose_tolerance_swamps_its_values_is_refused(formula):
    block = last(formula)
    assert block.status == "error", block.message
    assert "cannot be checked in float64: a value computed on the way has magnitude" in block.message
    found = re.search(r"move the sides by up to (\S+) \(the tolerance\), more than 0.01 of the "
                      r"values compared and the random inputs \(at most (\S+)\)", block.message)
    assert found, block.message
    allowed, scale = (float(g) for g in found.groups())
    assert allowed > 0.01 * scale and scale >= 1


def test_without_the_refusal_those_comparisons_would_pass(monkeypatch):
    monkeypatch.setattr(compare_module, "WEAKEST_CHECK", math.inf)
    assert [last(formula).status for formula in TOO_WEAK_TO_CHECK] == ["checked"] * len(
        TOO_WEAK_TO_CHECK)


def test_claims_equal_to_rounding_at_the_scale_of_their_inputs_stay_checked():
    """The refusal compares the tolerance with the random inputs too: a difference that is
    rounding noise (10^-16) is compared to 0 as the pages need."""
    for formula in (r"\sum_{j=1}^{K} (Z_{1j} - Z_{1j} \cdot 1) = 0",
                    r"\sum_{i=1}^{N} (v_i - \frac{1}{N} \sum_{m=1}^{N} v_m) = 0",
                    r"e^{20} + 1 - e^{20} = 1"):
        block = last(formula)
        assert block.status == "checked", block.message


def test_a_code_tie_whose_tolerance_swamps_its_values_is_refused():
    page = ("$$\n" r"x \in \mathbb{R}" "\n$$\n\n<!-- code: numpy.add(x, 1.0) -->\n$$\n"
            r"u \coloneqq x + 0 \cdot 10^{300}" "\n$$\n")
    block = formulacheck.check_markdown(page, "p.md").blocks[-1]
    assert block.status == "error", block.message
    assert "the code numpy.add(x, 1.0) cannot be checked in float64" in block.message
    computable = page.replace(r" + 0 \cdot 10^{300}", "")
    assert formulacheck.check_markdown(computable, "p.md").blocks[-1].status == "failed"  # x + 1 is not x


def test_the_reported_tolerance_is_the_documented_rule():
    block = last(r"e^{20} = e^{20} + 1")
    found = re.search(r"tolerance (\S+) = (\d+) x (\d+) rounding steps x 2\^-53 x magnitude (\S+)\)",
                      block.message)
    assert found, block.message
    tolerance, safety, steps, magnitude = (float(g) for g in found.groups())
    assert magnitude == pytest.approx(math.exp(20) + 1, rel=1e-2)  # printed with 3 digits
    assert tolerance == pytest.approx(safety * steps * 2.0 ** -53 * magnitude, rel=1e-2)
    assert tolerance < 1e-3


def test_every_page_of_the_site_passes_under_the_tolerance():
    # Through the results cache the build and the site's tests share (pages/cache.py): each page
    # is checked from scratch once per gate, by whichever process asks first.
    for page in sorted(DOCS.glob("*.md")) + [DOCS / "train.ipynb"]:
        result = cached_check_page(page)
        assert result.ok, [b.message for b in result.blocks if not b.ok][:1]


# -- branch-aware sampling --------------------------------------------------------------------
ONE_BRANCH = [  # each is right on one side of its kink only; x > 1.5 has probability 0.067
    r"\max(0, x - 1.5) = 0",
    r"\mathbb{1}(x > 1.5) = 0",
    r"|x + 1.5| = x + 1.5",
    r"\mathbb{1}(Z_{ij} > 2.5) = 0",
]


@pytest.mark.parametrize("formula", ONE_BRANCH)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_formula_right_on_one_branch_only_fails_at_the_default_trials(formula, seed):
    assert last(formula, seed=seed).status == "failed"


def test_without_the_extra_instances_those_formulas_would_pass(monkeypatch):
    """The test above is not vacuous: three instances alone often miss the other side."""
    monkeypatch.setattr(draws_module, "BRANCH_TRIALS", 0)
    assert statuses_over_seeds(ONE_BRANCH).count("checked") >= 12


AWAY_FROM_ZERO = [  # right on one side of a kink that standard normal values almost never cross
    r"\max(0, x - 3) = 0",
    r"\mathbb{1}(x > 5) = 0",
    r"|x - 1000| = 1000 - x",
    r"\max(0, x^2 - 10^{6}) = 0",
    r"\sum_{i=1}^{N} \max(0, v_i - 50) = 0",
    r"e^{\max(0, x - 3)} = 1",
]


@pytest.mark.parametrize("formula", AWAY_FROM_ZERO)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_kink_away_from_zero_is_reached_by_instances_at_larger_scales(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "failed", block.message
    assert "with random values at scale" in block.message


def test_without_the_larger_scales_those_formulas_would_pass(monkeypatch):
    """The test above is not vacuous: standard normal instances never reach those kinks."""
    monkeypatch.setattr(scope_module, "BRANCH_SCALES", (1.0,))
    assert all(status == "checked" for status in statuses_over_seeds(AWAY_FROM_ZERO))


FALSE_INEQUALITIES = [r"x < 3", r"x^2 < 10", r"e^{x} < 100", r"|x| < 4", r"v_i > -3.5"]
TRUE_INEQUALITIES = [r"x^2 \geq 0", r"x \leq |x|", r"0 < e^{-|x|} \leq 1",
                     r"\frac{1}{1 + e^{-x}} < 1", r"\log(1 + e^{x}) \geq \max(0, x)"]


@pytest.mark.parametrize("formula", FALSE_INEQUALITIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_false_inequality_right_near_zero_fails(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "failed", block.message
    assert "an inequality is tried at every scale" in block.message


@pytest.mark.parametrize("formula", TRUE_INEQUALITIES)
def test_a_true_inequality_is_checked_on_every_instance(formula):
    block = last(formula)
    assert block.status == "checked", block.message
    assert block.extra_trials == BRANCH_TRIALS - block.trials
    # 0 < e^{-|x|} and \sigma(x) < 1 round to equality at the larger scales: those are not used
    assert block.unusable_trials < block.extra_trials


@pytest.mark.parametrize(("written", "status"), [
    (r"\min(x, 0) = -\max(-x, 0)", "checked"), (r"\min(x, 1) \leq 1", "checked"),
    (r"q \coloneqq \min(1, x), \quad \frac{\partial q}{\partial x} = \mathbb{1}(x < 1)", "checked"),
    (r"q \coloneqq \min(1, x), \quad \frac{\partial q}{\partial x} = \mathbb{1}(x > 1)", "failed"),
    (r"\min(0, x - 3) = 0", "failed"),  # its kink, like a max's, reached at larger scales
])
def test_min_of_two_values_is_minus_the_max_of_their_negatives(written, status):
    assert last(written).status == status


def test_a_min_over_an_index_is_refused_with_the_max_it_is():
    block = last(r"\min_{k} Z_{1k} = 0")
    assert block.status == "error"
    assert r"\min over an index is not read; expected -\max_{k} (-...)" in block.message


@pytest.mark.parametrize(("written", "status"), [
    (r"x \lt 3", "failed"), (r"x \gt x - 1", "checked"), (r"x \leqslant |x|", "checked"),
    (r"x \geqslant x + 1", "failed"), (r"\mathbb{1}(x \gt 0) x = \max(0, x)", "checked"),
])
def test_the_signs_other_sources_write_are_the_same_relations(written, status):
    assert last(written).status == status


def test_ne_like_neq_is_no_claim():
    block = last(r"x \ne 2 x")
    assert block.status == "error" and r"\ne is not a checkable claim" in block.message


BOUNDED = "$$\np \\in (0, 1), \\quad M \\in \\{0, 1\\}^{N \\times D}\n$$\n\n"
NEAR_AN_END = [  # wrong only near an end of a bounded leaf's range, or for a column of zeros
    r"\max(0, p - 0.99) = 0", r"p > 0.01", r"\frac{1}{p} < 100", r"\sum_{i=1}^{N} M_{i1} > 0",
]


@pytest.mark.parametrize("formula", NEAR_AN_END)
@pytest.mark.parametrize("seed", SEEDS)
def test_further_instances_crowd_bounded_leaves_toward_their_ends(formula, seed):
    # an exact tie of bounded values (a sum of zeros, 0 > 0) is the claim failing, not rounding
    assert last(formula, BOUNDED, seed=seed).status == "failed"


def test_without_crowding_those_formulas_pass_for_some_seeds(monkeypatch):
    monkeypatch.setattr(scope_module, "BRANCH_SCALES", (1.0,))
    assert statuses_over_seeds(NEAR_AN_END, BOUNDED).count("checked") >= 6


def test_a_true_claim_on_a_bounded_leaf_stays_checked():
    block = last(r"0 < p < 1", BOUNDED)
    assert block.status == "checked" and block.unusable_trials == 0


def test_without_the_further_instances_those_inequalities_would_pass(monkeypatch):
    monkeypatch.setattr(draws_module, "BRANCH_TRIALS", 0)
    assert all(status == "checked" for status in statuses_over_seeds(FALSE_INEQUALITIES))


def test_an_instance_not_finite_at_its_scale_is_counted_and_not_used():
    # \max(0, -|x|) is 0 on every instance (kept on one side by the page), so every instance is
    # drawn; e^{x^2} overflows to infinity at the larger scales, and infinity x 0 is NaN there
    block = last(r"e^{x^2} \max(0, -x^2) = 0")
    assert block.status == "checked" and block.extra_trials == BRANCH_TRIALS - block.trials
    assert 0 < block.unusable_trials < block.extra_trials
    assert f"{block.unusable_trials} of them unusable at their scale" in block.summary()
    # a claim that fails where its values are finite still fails: the scales change nothing else
    assert last(r"e^{x} \max(0, x - 3) = 0").status == "failed"


# Each is false on the far side of its kink (x > 30, |x| > 30), which only instances at larger
# scales reach, and there e^{x^2} is infinite: those instances are not used.
FAR_SIDE_NOT_USABLE = [
    r"\max(0, x - 30) e^{x^2} = 0",
    r"\mathbb{1}(|x| > 30) e^{x^2} = 0",
]


@pytest.mark.parametrize("formula", FAR_SIDE_NOT_USABLE)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_kink_reached_only_by_unusable_instances_is_an_error(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "error", block.message
    assert "was reached only by instances that could not be evaluated at their scale" in \
        block.message
    kink = re.search(r"the kink \S+ at line (\d+), column (\d+)", block.message)
    assert kink[1] == "6" and block.message.startswith(f"p.md:6:{kink[2]}:")  # at the kink


def test_without_that_rule_those_claims_would_pass_with_the_kink_listed(monkeypatch):
    monkeypatch.setattr(draws_module, "refuse_sides_never_used", lambda seen, not_used: None)
    blocks = [last(formula) for formula in FAR_SIDE_NOT_USABLE]
    assert [(block.status, len(block.one_sided)) for block in blocks] == [("checked", 1)] * 2


def test_the_wrong_svm_definition_fails_for_every_seed():
    page = (DOCS / "svm.md").read_text(encoding="utf-8")
    right = r"p \coloneqq \frac{h |u|}{1 + |u|}"
    assert right in page
    wrong = page.replace(right, r"p \coloneqq \frac{h h |u|}{1 + |u|}")
    for seed in range(6):
        failed = [b for b in formulacheck.check_markdown(wrong, "svm.md", seed=seed).blocks if not b.ok]
        assert failed and "does not hold" in failed[0].message, seed


def test_a_branch_the_page_keeps_on_one_side_is_sampled_to_the_bound_and_listed():
    result = formulacheck.check_page(DOCS / "svm.md")
    assert result.ok
    kept = [b for b in result.blocks if b.one_sided]
    assert kept and all(b.extra_trials == BRANCH_TRIALS - b.trials for b in kept)
    assert any(r"\max" in side for b in kept for side in b.one_sided)
    assert all(f"{BRANCH_TRIALS - 3} more at larger scales" in b.summary() for b in kept)


def test_a_tie_placed_by_the_page_is_not_resampled():
    block = last(r"z \coloneqq 0, \quad q \coloneqq \max(0, z), \quad \frac{\partial q}{\partial z} = 0")
    assert block.status == "checked" and block.extra_trials == 0
    # the same values on every instance: no instance can reach the other side, and after
    # SAME_VALUES_TRIALS instances (a random label may repeat a few times) none is drawn
    block = last(r"z \coloneqq 0, \quad \mathbb{1}(z > 0) + 0 x = 0, \quad \mathbb{1}(z + 2 > 1) = 1")
    assert block.status == "checked" and block.extra_trials == SAME_VALUES_TRIALS - 3
    # a claim that reads nothing drawn: every instance would repeat the trials, so none is drawn
    block = last(r"z \coloneqq 0, \quad \mathbb{1}(z > 0) = 0, \quad \mathbb{1}(z + 2 > 1) = 1")
    assert block.status == "checked" and block.extra_trials == 0


@pytest.mark.parametrize("formula", [r"2 < 3", r"\log 3 > 1", r"|{-3}| = 3", r"\max(0, -1) = 0",
                                     r"\mathbb{1}(2 > 1) = 1", r"e^{-800} < 10^{-300}"])
def test_a_claim_that_reads_nothing_drawn_gets_no_further_instance(formula):
    block = last(formula)
    assert block.status == "checked" and block.extra_trials == 0, block.summary()
    assert "more at larger scales" not in block.summary()


def test_a_false_claim_that_reads_nothing_drawn_fails_on_the_trials():
    assert last(r"3 < 2").status == "failed"
    assert last(r"\max(0, -1) = -1").status == "failed"


LABEL_PAGE = "$$\nc \\in \\{1, \\dots, K\\}\n$$\n\n$$\n\\mathbb{1}(c = 1) = 0\n$$\n"
# Seeds whose first three instances (under both size assignments) all have c != 1.
LABEL_MISSED = (7, 8, 14, 15, 16)


def test_a_comparison_of_a_random_label_is_a_branch_too(monkeypatch):
    for seed in LABEL_MISSED:
        assert formulacheck.check_markdown(LABEL_PAGE, "p.md", seed=seed).blocks[-1].status == "failed"
    monkeypatch.setattr(draws_module, "BRANCH_TRIALS", 0)  # the seeds do miss c = 1 in 3 trials
    for seed in LABEL_MISSED:
        assert formulacheck.check_markdown(LABEL_PAGE, "p.md", seed=seed).blocks[-1].status == "checked"


# Two branches reached with every pair of sides (c = 1 with g = 1, which the trials often miss
# though each side of each comes): pages/test_fc_branch_pairs.py.


# -- two assignments of sizes ------------------------------------------------------------------
def test_the_size_assignments_are_distinct_and_differ_size_by_size():
    assert len(SIZE_ASSIGNMENTS) >= 2
    for preferred, spares in SIZE_ASSIGNMENTS:
        values = list(preferred.values()) + list(spares)
        assert len(set(preferred.values())) == len(preferred)
        assert len(set(spares)) == len(spares) and min(values) >= 3
    (first, first_spares), (second, second_spares) = SIZE_ASSIGNMENTS[:2]
    assert first.keys() == second.keys()
    assert all(first[name] != second[name] for name in first)
    assert all(a != b for a, b in zip(first_spares, second_spares))


def test_no_group_of_sizes_has_the_same_values_under_both_assignments():
    """Else every symmetric expression of the group (a product, a sum) is alike under both, and a
    number written for it passes (the next test)."""
    (first, first_spares), (second, second_spares) = SIZE_ASSIGNMENTS[:2]
    names = list(first) + [f"spare {k}" for k in range(len(first_spares))]
    one = {**first, **{f"spare {k}": v for k, v in enumerate(first_spares)}}
    two = {**second, **{f"spare {k}": v for k, v in enumerate(second_spares)}}
    alike = [group for size in range(2, len(names) + 1) for group in combinations(names, size)
             if sorted(one[n] for n in group) == sorted(two[n] for n in group)]
    assert not alike


def test_no_two_sizes_differ_by_the_same_amount_or_ratio_under_both_assignments():
    """Else a size written for another one off by a constant (`D + 1` for K) or by a factor passes
    (the next test)."""
    (first, first_spares), (second, second_spares) = SIZE_ASSIGNMENTS[:2]
    one = list(first.values()) + list(first_spares)
    two = list(second.values()) + list(second_spares)
    pairs = list(combinations(range(len(one)), 2))
    assert not [(a, b) for a, b in pairs if one[b] - one[a] == two[b] - two[a]]
    assert not [(a, b) for a, b in pairs if one[a] * two[b] == one[b] * two[a]]


def test_a_sum_to_a_size_off_by_one_for_another_is_refused():
    # with the second assignment N=3, D=4, K=5, H=6 (K = D + 1 under both) this was checked
    block = last(r"\sum_{i=1}^{N} \sum_{k=1}^{K} Z_{ik} = \sum_{i=1}^{N} \sum_{k=1}^{D + 1} Z_{ik}")
    assert block.status == "error" and "index k ranges over 1..5 here but over 1..K" in block.message


@pytest.mark.parametrize("formula", [
    r"\frac{1}{D K} \sum_{d=1}^{D} \sum_{k=1}^{K} W_{dk} = \frac{1}{12} \sum_{d=1}^{D} \sum_{k=1}^{K} W_{dk}",
    r"\sum_{d=1}^{D} \sum_{k=1}^{K} 1 = 12",
    r"\mathbf{1}_D^\top \mathbf{1}_D + \mathbf{1}_K^\top \mathbf{1}_K = 7",
    r"\sum_{k=1}^{K} 1 = D + 1",  # these two: K = D + 1 under both, when the second was K=5, D=4
    r"\frac{1}{D K} = \frac{1}{D (D + 1)}",
])
def test_a_number_written_for_a_product_or_sum_of_sizes_fails(formula):
    # with the second assignment trading D = 3 and K = 4, the first three passed
    block = last(formula, DECLARE + "$$\nW \\in \\mathbb{R}^{D \\times K}\n$$\n")
    assert block.status == "failed", block.message


@pytest.mark.parametrize("formula", [
    r"\frac{1}{N} \sum_{i=1}^{N} v_i = \frac{1}{7} \sum_{i=1}^{N} v_i",
    r"\mathbf{1}_N^\top \mathbf{1}_N = 7",
    r"\sum_{k=1}^{K} \mathbb{1}(y_1 = k) = \frac{K}{4}",
])
def test_a_number_that_equals_a_size_in_one_assignment_fails(formula):
    block = last(formula)
    assert block.status == "failed"
    assert "sizes: N=3" in block.message and "(size assignment 2; the formula passes with N=7" in block.message


# Each is wrong only for a positive value below 0.5, which the trials never draw (positive leaves
# are drawn in [0.5, 2]); further instances take them toward 0 on every other one.
NEAR_ZERO = [r"\lambda > 0.4", r"\frac{1}{\lambda} \leq 2", r"\log \lambda > -1",
             r"\max(0, 0.3 - \lambda) = 0"]


@pytest.mark.parametrize("formula", NEAR_ZERO)
@pytest.mark.parametrize("seed", SEEDS)
def test_a_positive_value_is_tried_near_zero(formula, seed):
    block = last(formula, "$$\n\\lambda > 0\n$$\n", seed=seed)
    assert block.status == "failed", block.message


def test_without_the_low_end_those_claims_would_pass(monkeypatch):
    monkeypatch.setattr(scope_module, "at_low_end", lambda trial: False)
    assert {last(formula, "$$\n\\lambda > 0\n$$\n").status for formula in NEAR_ZERO} == {"checked"}


def test_a_division_by_a_small_value_amplifies_the_tolerance(monkeypatch):
    """A finite difference with h near 0 loses digits: (1 + h) - 1 is rounded to the spacing of
    numbers near 1, and dividing by h amplifies that error by 1/h. The tolerance follows: true
    claims stay checked on the instances with a small h."""
    claims = [r"\frac{(1 + h) - 1}{h} \leq 1 + 10^{-6}", r"\frac{(1 + h) - 1}{h} \geq 1 - 10^{-6}"]
    assert [last(claim, "$$\nh > 0\n$$\n").status for claim in claims] == ["checked"] * 2
    monkeypatch.setattr(EvalTrace, "divided_by", lambda self, denominator: None)
    assert [last(claim, "$$\nh > 0\n$$\n").status for claim in claims] == ["failed"] * 2


# True to rounding, and tried on every instance (an inequality) up to scale 10^12: where x^2 is 100,
# e^{x^2} is off by about 100 u e^{100}, its argument's error times the exponential.
EXPONENT_ROUNDING = [r"e^{x^2} e^{v_1^2} \leq e^{x^2 + v_1^2}", r"e^{x^2 + v_1^2} \leq e^{x^2} e^{v_1^2}"]


@pytest.mark.parametrize("formula", EXPONENT_ROUNDING)
@pytest.mark.parametrize("seed", range(10))
def test_an_exponential_counts_the_error_of_its_argument(formula, seed):
    block = last(formula, seed=seed)
    assert block.status == "checked", block.message


def test_without_that_those_true_claims_fail_for_some_seeds(monkeypatch):
    monkeypatch.setattr(EvalTrace, "relative_error", lambda self, value, argument: None)
    statuses = {last(formula, seed=seed).status for formula in EXPONENT_ROUNDING for seed in range(10)}
    assert statuses == {"checked", "failed"}


# Near 0 and computed to a few rounding steps of its own size: the error of the argument, n u M_a,
# is relative to e^{a}, so M counts e^{a} M_a, not M_a (1000 x^2 here).
TINY_EXPONENTIAL = r"e^{-1000 x^2}"


@pytest.mark.parametrize("seed", range(20))
def test_a_tiny_exponential_is_compared_at_its_own_size(seed):
    assert last(TINY_EXPONENTIAL + " = 0", seed=seed).status == "failed"
    block = last(TINY_EXPONENTIAL + r" = e^{-500 x^2} e^{-500 x^2}", seed=seed)
    assert block.status == "checked", block.message


def test_with_the_magnitude_of_its_argument_in_m_the_false_claim_passed_for_some_seeds(monkeypatch):
    def argument_magnitude_in_m(self, value, argument_magnitude):
        self.magnitude = max(self.magnitude, argument_magnitude)

    monkeypatch.setattr(EvalTrace, "relative_error", argument_magnitude_in_m)
    statuses = {last(TINY_EXPONENTIAL + " = 0", seed=seed).status for seed in range(20)}
    assert statuses == {"checked", "failed"}
