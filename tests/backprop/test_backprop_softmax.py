import numpy as np
import pytest
from backprop_testing import OVERFLOW, K, N, U, assert_gradient_matches, make_rng, warnings_as_errors
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop.softmax import softmax, softmax_loss


def naive_softmax(scores):
    """The textbook formula without the max shift (fine for the small scores used here)."""
    exps = np.exp(scores)
    return exps / exps.sum(axis=1, keepdims=True)


def test_softmax_equals_the_formula_for_moderate_scores():
    scores = make_rng().randn(N, K)
    np.testing.assert_allclose(softmax(scores), naive_softmax(scores), rtol=1e-14)


def test_loss_and_gradient_equal_the_formulas():
    rng = make_rng()
    scores, labels = rng.randn(N, K), rng.randint(0, K, N)
    loss, dscores = softmax_loss(scores, labels)
    probs = naive_softmax(scores)
    onehot = np.eye(K)[labels]
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(N), labels])), rel=1e-14)
    np.testing.assert_allclose(dscores, (probs - onehot) / N, rtol=1e-12, atol=1e-16)


def test_loss_gradient_matches_centered_differences():
    rng = make_rng()
    scores, labels = rng.randn(N, K), rng.randint(0, K, N)
    _, dscores = softmax_loss(scores, labels)
    assert_gradient_matches(lambda s: softmax_loss(s, labels)[0], scores.copy(), dscores)


def test_uniform_scores_give_log_k():
    loss, _ = softmax_loss(np.zeros((N, K)), np.arange(N) % K)
    assert loss == pytest.approx(np.log(K), rel=1e-15)


def test_scores_of_1e4_give_finite_probabilities_loss_and_gradient():
    scores = np.array([[1e4, 0.0, 0.0], [0.0, -1e4, 1e4], [1e4, 1e4, 1e4]])
    labels = np.array([1, 0, 2])
    probs = softmax(scores)
    loss, dscores = softmax_loss(scores, labels)
    assert np.isfinite(probs).all() and np.isfinite(dscores).all() and np.isfinite(loss)
    # By hand: row 0 gives -log P = 1e4 (P = e^-1e4 underflows to 0 but the loss does not),
    # row 1 gives 1e4, row 2 gives log 3.
    assert loss == pytest.approx((1e4 + 1e4 + np.log(3)) / 3, rel=1e-15)
    np.testing.assert_allclose(probs[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(probs[2], [1 / 3] * 3)


def test_inputs_are_not_edited_and_not_aliased():
    rng = make_rng()
    scores, labels = rng.randn(N, K), rng.randint(0, K, N)
    scores_before, labels_before = scores.copy(), labels.copy()
    probs = softmax(scores)
    _, dscores = softmax_loss(scores, labels)
    np.testing.assert_array_equal(scores, scores_before)
    np.testing.assert_array_equal(labels, labels_before)
    assert not np.shares_memory(dscores, scores) and not np.shares_memory(probs, scores)


def test_float32_stays_float32():
    scores = make_rng().randn(N, K).astype(np.float32)
    _, dscores = softmax_loss(scores, np.zeros(N, dtype=np.int64))
    assert softmax(scores).dtype == np.float32 and dscores.dtype == np.float32


@pytest.mark.parametrize(
    "scores, labels, expected",
    [
        (
            np.zeros((4, 3)),
            np.array([0, 1, 3, 2]),
            r"labels must hold labels in \[0, K\) = \[0, 3\).*got label 3",
        ),
        (
            np.zeros((4, 3)),
            np.array([0, -1, 2, 2]),
            r"labels must hold labels in \[0, K\) = \[0, 3\).*got label -1",
        ),
        (
            np.zeros((4, 3)),
            np.array([0.0, 1.0, 2.0, 0.0]),
            r"labels must hold integer class labels.*got dtype float64",
        ),
        (
            np.zeros((4, 3)),
            np.array([0, 1, 2]),
            r"labels must have shape \(N,\) = \(4,\) to match scores \(4, 3\); got \(3,\)",
        ),
        (np.zeros(3), np.array([0]), r"scores must have shape \(N, K\) = \(\?, \?\); got \(3,\)"),
        (
            np.array([[0.0, np.nan]]),
            np.array([0]),
            r"scores must contain only finite values; got nan at index \(0, 1\)",
        ),
        (np.array([[np.inf, 0.0]]), np.array([0]), r"scores must contain only finite values; got inf"),
        (np.zeros((0, 3)), np.zeros(0, dtype=int), r"scores must have N \(examples\) >= 1"),
        (np.zeros((2, 0)), np.array([0, 0]), r"scores must have K \(classes\) >= 1"),
        (
            np.array([["a", "b"]]),
            np.array([0]),
            r"scores must be a real array of float32 or float64 values; got dtype <U1",
        ),
    ],
)
def test_bad_inputs_raise_clear_errors(scores, labels, expected):
    with pytest.raises(ValueError, match=r"^softmax_loss: " + expected):
        softmax_loss(scores, labels)


def test_softmax_rejects_non_finite_scores():
    with pytest.raises(ValueError, match=r"^softmax: scores must contain only finite values"):
        softmax(np.array([[1.0, -np.inf]]))


score_matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.floats(-50, 50))
)


@settings(max_examples=60, deadline=None)
@given(scores=score_matrices, shift=st.floats(-1e3, 1e3))
def test_rows_sum_to_one_and_adding_a_constant_to_a_row_changes_nothing(scores, shift):
    probs = softmax(scores)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)
    assert (probs >= 0).all()
    # scores + shift rounds each entry by up to U (50 + 1e3) = 1.2e-13, so a difference of two
    # entries moves by 2.3e-13 and a probability by at most a quarter of twice that (dp = p (1 - p)
    # d(difference)), plus softmax's own rounding of a few U: well within 1e-12.
    np.testing.assert_allclose(softmax(scores + shift), probs, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(scores=score_matrices, data=st.data())
def test_dscores_rows_sum_to_zero_and_only_the_label_entry_is_negative(scores, data):
    num_examples, num_classes = scores.shape
    labels = np.array(
        data.draw(st.lists(st.integers(0, num_classes - 1), min_size=num_examples, max_size=num_examples))
    )
    loss, dscores = softmax_loss(scores, labels)
    assert loss >= 0
    # The computed P of a row sums to 1 within K U (the ratios share one rounded denominator);
    # P - Y and / N round each entry (2 U over a row of size <= 2), and the test's own sum adds
    # (K - 1) U times 2/N: (3K + 1) U / N in all (1e-15 would be too tight for K = 6, N = 1).
    np.testing.assert_allclose(dscores.sum(axis=1), 0.0, atol=(3 * num_classes + 1) * U / num_examples)
    off_label = np.ones_like(dscores, dtype=bool)
    off_label[np.arange(num_examples), labels] = False
    assert (dscores[off_label] >= 0).all() and (dscores[~off_label] <= 0).all()


def test_a_row_whose_spread_overflows_is_a_named_error():
    # Each score is finite, but F - max F = -1e308 - 1e308 is not.
    scores = np.array([[-1e308, 1e308], [0.0, 1.0]])
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^softmax: scores {OVERFLOW} subtract"):
        softmax(scores)
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^softmax_loss: scores {OVERFLOW} subtract"):
        softmax_loss(scores, np.array([0, 1]))


def test_huge_scores_with_a_small_spread_are_fine_and_underflow_is_silent():
    with warnings_as_errors():
        probs = softmax(np.array([[1e308, 1e308 - 1e293, 0.0]]))
    np.testing.assert_allclose(probs, [[1.0, 0.0, 0.0]])


def test_ragged_labels_are_a_named_error():
    expected = r"^softmax_loss: labels must be an integer array of class labels; got list"
    with pytest.raises(ValueError, match=expected):
        softmax_loss(np.zeros((2, 3)), [[0, 1], [2]])
