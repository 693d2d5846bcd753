import numpy as np
import pytest
from backprop_testing import OVERFLOW, D, K, N, U, assert_gradient_matches, make_rng, warnings_as_errors
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop.affine import affine_backward, affine_forward
from backprop.gradient_check import PROBABLY_WRONG, numerical_gradient, relative_error
from backprop.svm import scores_near_kinks, svm_loss

#: The hinge is linear between kinks, so away from them a centered difference is exact up to
#: rounding (about 1e-10 here); the smooth-objective threshold of the cs231n notes applies.
AWAY_FROM_KINKS_TOLERANCE = 1e-7


def loop_svm_loss(scores, labels, margin):
    """The definition term by term, with Python loops: an independent reference."""
    num_examples, num_classes = scores.shape
    total, grad = 0.0, np.zeros_like(scores)
    for i in range(num_examples):
        for j in range(num_classes):
            if j == labels[i]:
                continue
            shortfall = scores[i, j] - scores[i, labels[i]] + margin
            if shortfall > 0:
                total += shortfall
                grad[i, j] += 1.0
                grad[i, labels[i]] -= 1.0
    return total / num_examples, grad / num_examples


def random_problem(seed=1234, spread=3.0):
    rng = make_rng(seed)
    return spread * rng.randn(N, K), rng.randint(0, K, N)


def test_loss_and_gradient_equal_the_definition_term_by_term():
    scores, labels = random_problem()
    loss, dscores = svm_loss(scores, labels, margin=1.0)
    expected_loss, expected_grad = loop_svm_loss(scores, labels, 1.0)
    assert loss == pytest.approx(expected_loss, rel=1e-14)
    np.testing.assert_allclose(dscores, expected_grad, rtol=0, atol=1e-15)


def test_the_cs231n_worked_example():
    # cs231n "linear classification" notes: scores [13, -7, 11], correct class first, Delta = 10
    # give 0 + 8 = 8; only the third class violates, so it gets +1 and the correct class -1.
    loss, dscores = svm_loss(np.array([[13.0, -7.0, 11.0]]), np.array([0]), margin=10.0)
    assert loss == 8.0
    np.testing.assert_array_equal(dscores, [[-1.0, 0.0, 1.0]])


def test_a_margin_of_exactly_zero_counts_as_not_violated():
    # Margins: class 1: -1 - 0 + 1 = 0 exactly; class 2: 2 - 0 + 1 = 3.
    loss, dscores = svm_loss(np.array([[0.0, -1.0, 2.0]]), np.array([0]))
    assert loss == 3.0
    np.testing.assert_array_equal(dscores, [[-1.0, 0.0, 1.0]])


def test_gradient_matches_centered_differences_away_from_kinks():
    scores, labels = random_problem()
    assert not scores_near_kinks(scores, labels).any()  # the premise of the comparison
    _, dscores = svm_loss(scores, labels)
    assert (dscores != 0).any()
    assert_gradient_matches(
        lambda s: svm_loss(s, labels)[0], scores.copy(), dscores, tolerance=AWAY_FROM_KINKS_TOLERANCE
    )


def test_weight_gradient_of_a_linear_svm_through_the_affine_layer():
    rng = make_rng(7)
    X, W, b, labels = rng.randn(N, D), rng.randn(D, K), rng.randn(K), rng.randint(0, K, N)

    def loss_of(W_now):
        return svm_loss(affine_forward(X, W_now, b)[0], labels)[0]

    scores, cache = affine_forward(X, W, b)
    _, dscores = svm_loss(scores, labels)
    _, dW, _ = affine_backward(dscores, cache)
    # A step h on W_dk moves score F_ik by h X_id: no margin may lie within h max|X| of 0.
    assert not scores_near_kinks(scores, labels, h=1e-5 * np.abs(X).max()).any()
    assert_gradient_matches(loss_of, W.copy(), dW, tolerance=AWAY_FROM_KINKS_TOLERANCE)


def test_next_to_a_kink_the_check_fails_and_the_mask_finds_the_entries():
    scores, labels = random_problem()
    # Put class j of example 0 at 1e-7 above its kink: M_0j = F_0j - F_0y + 1 = 1e-7.
    label = labels[0]
    other = (label + 1) % K
    scores[0, other] = scores[0, label] - 1.0 + 1e-7
    _, dscores = svm_loss(scores, labels)
    numeric = numerical_gradient(lambda s: svm_loss(s, labels)[0], scores.copy())
    assert relative_error(dscores, numeric) > PROBABLY_WRONG
    # The centered difference averages the slopes 0 and 1/N: (M + h) / (2h) / N = 0.505 / N.
    assert numeric[0, other] == pytest.approx(0.505 / N, rel=1e-6)
    near = scores_near_kinks(scores, labels)
    expected = np.zeros((N, K), dtype=bool)
    expected[0, [label, other]] = True
    np.testing.assert_array_equal(near, expected)
    assert relative_error(dscores[~near], numeric[~near]) < AWAY_FROM_KINKS_TOLERANCE


def test_a_margin_at_distance_h_is_not_near_a_kink():
    # M = h: the step reaches the kink but does not cross it, and the difference is exact.
    h = 0.25  # a power of 2, so M is exactly h
    scores = np.array([[0.0, -1.0 + h, -5.0]])
    np.testing.assert_array_equal(scores_near_kinks(scores, np.array([0]), h=h), [[False] * 3])
    numeric = numerical_gradient(lambda s: svm_loss(s, np.array([0]))[0], scores.copy(), h=h)
    np.testing.assert_array_equal(numeric, svm_loss(scores, np.array([0]))[1])


def test_scaling_scores_and_margin_together_scales_the_loss_only():
    scores, labels = random_problem()
    loss, dscores = svm_loss(scores, labels, margin=1.0)
    scaled_loss, scaled_dscores = svm_loss(4.0 * scores, labels, margin=4.0)
    assert scaled_loss == pytest.approx(4.0 * loss, rel=1e-14)
    np.testing.assert_array_equal(scaled_dscores, dscores)


def test_inputs_are_not_edited_and_not_aliased():
    scores, labels = random_problem()
    scores_before, labels_before = scores.copy(), labels.copy()
    _, dscores = svm_loss(scores, labels)
    near = scores_near_kinks(scores, labels)
    np.testing.assert_array_equal(scores, scores_before)
    np.testing.assert_array_equal(labels, labels_before)
    assert not np.shares_memory(dscores, scores) and not np.shares_memory(near, scores)


def test_float32_stays_float32():
    scores = make_rng().randn(N, K).astype(np.float32)
    _, dscores = svm_loss(scores, np.zeros(N, dtype=np.int64))
    assert dscores.dtype == np.float32


@pytest.mark.parametrize(
    "scores, labels, margin, expected",
    [
        (
            np.zeros((4, 3)), np.array([0, 1, 3, 2]), 1.0,
            r"labels must hold labels in \[0, K\) = \[0, 3\).*got label 3",
        ),
        (
            np.zeros((4, 3)), np.array([0, -1, 2, 2]), 1.0,
            r"labels must hold labels in \[0, K\) = \[0, 3\).*got label -1",
        ),
        (
            np.zeros((4, 3)), np.array([0.0, 1.0, 2.0, 0.0]), 1.0,
            r"labels must hold integer class labels.*got dtype float64",
        ),
        (
            np.zeros((4, 3)),
            np.array([0, 1, 2]),
            1.0,
            r"labels must have shape \(N,\) = \(4,\) to match scores \(4, 3\); got \(3,\)",
        ),
        (np.zeros(3), np.array([0]), 1.0, r"scores must have shape \(N, K\) = \(\?, \?\); got \(3,\)"),
        (
            np.array([[0.0, np.nan]]), np.array([0]), 1.0,
            r"scores must contain only finite values; got nan at index \(0, 1\)",
        ),
        (np.zeros((0, 3)), np.zeros(0, dtype=int), 1.0, r"scores must have N \(examples\) >= 1"),
        (np.zeros((2, 0)), np.array([0, 0]), 1.0, r"scores must have K \(classes\) >= 1"),
        (np.zeros((2, 3)), np.array([0, 0]), 0.0, r"margin must be a finite number > 0; got 0.0"),
        (np.zeros((2, 3)), np.array([0, 0]), -1.0, r"margin must be a finite number > 0; got -1.0"),
        (np.zeros((2, 3)), np.array([0, 0]), np.inf, r"margin must be a finite number > 0; got inf"),
        (np.zeros((2, 3)), np.array([0, 0]), True, r"margin must be a real number; got bool True"),
        (np.zeros((2, 3)), np.array([0, 0]), "1", r"margin must be a real number; got str '1'"),
    ],
)
def test_bad_inputs_raise_clear_errors(scores, labels, margin, expected):
    with pytest.raises(ValueError, match=r"^svm_loss: " + expected):
        svm_loss(scores, labels, margin)


def test_scores_near_kinks_rejects_a_bad_step_and_bad_scores():
    with pytest.raises(ValueError, match=r"^scores_near_kinks: h must be a finite number > 0; got 0"):
        scores_near_kinks(np.zeros((2, 3)), np.array([0, 1]), h=0)
    with pytest.raises(ValueError, match=r"^scores_near_kinks: labels must have shape \(N,\) = \(2,\)"):
        scores_near_kinks(np.zeros((2, 3)), np.array([0]))


score_matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.floats(-20, 20))
)


@settings(max_examples=60, deadline=None)
@given(scores=score_matrices, data=st.data(), margin=st.floats(0.01, 10))
def test_loss_is_nonnegative_rows_sum_to_zero_and_entries_are_counts(scores, data, margin):
    num_examples, num_classes = scores.shape
    labels = np.array(
        data.draw(st.lists(st.integers(0, num_classes - 1), min_size=num_examples, max_size=num_examples))
    )
    loss, dscores = svm_loss(scores, labels, margin)
    assert loss >= 0
    counts = dscores * num_examples  # whole numbers: +1 per violator, minus their count at the label
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-12)
    # Each entry is a whole number c / N rounded once (U |c| / N, |c| <= K - 1), and the row's sum of
    # K such entries, of total size <= 2 (K - 1) / N, rounds within (K - 1) U times that.
    atol = (num_classes - 1) * (3 * num_classes - 2) * U / num_examples
    np.testing.assert_allclose(dscores.sum(axis=1), 0.0, atol=atol)
    np.testing.assert_array_equal(np.round(counts).sum(axis=1), 0)  # exact: the counts cancel
    at_label = np.zeros_like(dscores, dtype=bool)
    at_label[np.arange(num_examples), labels] = True
    assert (dscores[at_label] <= 0).all() and (dscores[~at_label] >= 0).all()
    assert (loss == 0) == (not dscores.any())


def test_margins_that_overflow_from_finite_scores_are_named_errors():
    scores = np.array([[1e308, -1e308, 0.0]])
    expected = rf"^svm_loss: scores and margin {OVERFLOW} subtract"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        svm_loss(scores, np.array([1]))
    expected = rf"^svm_loss: scores and margin {OVERFLOW} add"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        svm_loss(np.array([[1e308, 0.0]]), np.array([1]), margin=1e308)
    expected = rf"^scores_near_kinks: scores, h and margin {OVERFLOW}"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        scores_near_kinks(scores, np.array([1]))


def test_a_step_beyond_float32_marks_every_float32_score_near_a_kink_without_a_warning():
    scores = np.array([[0.0, 3.0, -2.0]], np.float32)
    with warnings_as_errors():
        near = scores_near_kinks(scores, np.array([0]), h=1e303)
    assert near.all()
