import numpy as np
import pytest
from backprop_testing import (
    OVERFLOW,
    STEP,
    U,
    assert_gradient_matches,
    assert_within_centered_difference_bound,
    make_rng,
    warnings_as_errors,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from test_backprop_validation import assert_clean_outcome, spoiled

from backprop.embedding import temporal_softmax_loss, word_embedding_backward, word_embedding_forward

# Distinct sizes (N sequences, T steps, V words, D features), so a swapped axis cannot pass; V is
# small next to N T so that words repeat, the case the scatter-add exists for.
N, T, V, D = 3, 5, 4, 2


def random_words(rng, n=N, t=T, v=V):
    words = rng.randint(0, v, size=(n, t))
    assert len(np.unique(words)) < words.size  # at least one word repeats
    return words


def embedding_evaluation_error(W, G, h=STEP):
    """Rounding bound of one evaluation of L = sum(W[x] * G) near W: the gather is exact, the n t d
    products are rounded and summed, so L is off by at most (n t d) U sum |G| (|W| + h)."""
    largest = np.abs(W).max() + h
    return float(G.size * U * np.sum(np.abs(G)) * largest)


def test_forward_copies_the_row_of_each_word():
    rng = make_rng()
    x, W = random_words(rng), rng.randn(V, D)
    out, cache = word_embedding_forward(x, W)
    assert out.shape == (N, T, D)
    for n in range(N):
        for t in range(T):
            np.testing.assert_array_equal(out[n, t], W[x[n, t]])
    assert cache[0] is x and cache[1] is W
    out[0, 0, 0] = 123.0  # a copy, not a view of the table
    assert W[x[0, 0], 0] != 123.0


def test_backward_equals_a_loop_over_every_place_a_word_was_read():
    rng = make_rng()
    x, W = random_words(rng), rng.randn(V, D)
    G = rng.randn(N, T, D)
    expected = np.zeros((V, D))
    for n in range(N):
        for t in range(T):
            expected[x[n, t]] += G[n, t]
    dW = word_embedding_backward(G, (x, W))
    np.testing.assert_allclose(dW, expected, rtol=1e-14, atol=1e-15)


def test_backward_matches_centered_differences():
    # L = sum(W[x] * G) is linear in W: no truncation error, only rounding.
    rng = make_rng(7)
    x, W = random_words(rng), rng.randn(V, D)
    G = rng.randn(N, T, D)
    dW = word_embedding_backward(G, (x, W))
    assert_within_centered_difference_bound(
        lambda w: float(np.sum(word_embedding_forward(x, w)[0] * G)), W.copy(), dW,
        evaluation_error=embedding_evaluation_error(W, G), analytic_error=N * T * U * np.abs(G).sum(),
    )  # fmt: skip


def test_repeated_words_add_up_where_buffered_assignment_keeps_one_term():
    x = np.array([[1, 2, 1], [1, 0, 0]])
    G = np.arange(1.0, 7.0).reshape(2, 3, 1)  # 1..6, one feature
    dW = word_embedding_backward(G, (x, np.zeros((4, 1))))
    np.testing.assert_array_equal(dW[:, 0], [5.0 + 6.0, 1.0 + 3.0 + 4.0, 2.0, 0.0])
    buffered = np.zeros((4, 1))
    buffered[x] += G  # the look-alike the page warns about: each row is written once
    assert not np.array_equal(buffered, dW)


def test_every_upstream_gradient_lands_in_exactly_one_row():
    rng = make_rng(3)
    x, W, G = random_words(rng), rng.randn(V, D), rng.randn(N, T, D)
    dW = word_embedding_backward(G, (x, W))
    np.testing.assert_allclose(dW.sum(axis=0), G.sum(axis=(0, 1)), rtol=1e-13)
    unread = np.setdiff1d(np.arange(V + 2), x)
    dW_wide = word_embedding_backward(G, (x, np.zeros((V + 2, D))))
    np.testing.assert_array_equal(dW_wide[unread], 0.0)


def test_embedding_float32_stays_float32():
    rng = make_rng()
    x, W = random_words(rng), rng.randn(V, D).astype(np.float32)
    out, cache = word_embedding_forward(x, W)
    assert out.dtype == np.float32
    assert word_embedding_backward(rng.randn(N, T, D).astype(np.float32), cache).dtype == np.float32


@pytest.mark.parametrize(
    ("x", "W", "expected"),
    [
        (np.array([[0, 4]]), np.zeros((4, 2)), r"^word_embedding_forward: x must hold word indices in \[0, V\) = \[0, 4\) \(0-based\); got 4"),
        (np.array([[-1, 0]]), np.zeros((4, 2)), r"^word_embedding_forward: x .* got -1"),
        (np.array([[0.0, 1.0]]), np.zeros((4, 2)), r"^word_embedding_forward: x must hold integer word indices .* float64"),
        (np.array([0, 1]), np.zeros((4, 2)), r"^word_embedding_forward: x must have shape \(N, T\); got \(2,\)"),
        (np.array([[0, 1]]), np.zeros((0, 2)), r"^word_embedding_forward: W must have V \(words\) >= 1"),
        (np.array([[0, 1]]), np.array([[np.nan, 0.0], [0.0, 0.0]]), r"^word_embedding_forward: W must contain only finite"),
        (np.array([[0, 1]]), [[0.0, 1.0], [2.0]], r"^word_embedding_forward: W must be a numeric array"),
    ],
)  # fmt: skip
def test_embedding_forward_bad_inputs_raise_named_errors(x, W, expected):
    with pytest.raises(ValueError, match=expected):
        word_embedding_forward(x, W)


def test_embedding_backward_bad_inputs_raise_named_errors():
    x, W = np.array([[0, 1, 1]]), np.zeros((3, 2))
    func = "word_embedding_backward"
    with pytest.raises(ValueError, match=rf"^{func}: dout must have shape \(N, T, D\) = \(1, 3, 2\)"):
        word_embedding_backward(np.zeros((1, 3, 3)), (x, W))
    with pytest.raises(ValueError, match=rf"^{func}: cache must be the tuple \(x, W\)"):
        word_embedding_backward(np.zeros((1, 3, 2)), (x,))
    with pytest.raises(ValueError, match=rf"^{func}: dout must have the dtype of cache W"):
        word_embedding_backward(np.zeros((1, 3, 2), dtype=np.float32), (x, W))
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^{func}: dout {OVERFLOW}"):
        word_embedding_backward(np.full((1, 3, 2), 1e308), (x, W))


def random_scores(rng, n=N, t=T, v=V):
    mask = rng.randint(0, 2, size=(n, t))
    mask[0, 0], mask[0, 1] = 1, 0  # both kinds of step, whatever the draw
    return rng.randn(n, t, v) * 2, rng.randint(0, v, size=(n, t)), mask


def test_temporal_loss_and_gradient_equal_a_loop_over_the_steps():
    scores, targets, mask = random_scores(make_rng())
    loss, dscores = temporal_softmax_loss(scores, targets, mask)
    expected_loss, expected_grad = 0.0, np.zeros_like(scores)
    for n in range(N):
        for t in range(T):
            probs = np.exp(scores[n, t]) / np.exp(scores[n, t]).sum()
            if mask[n, t]:
                expected_loss -= np.log(probs[targets[n, t]]) / N
                expected_grad[n, t] = (probs - np.eye(V)[targets[n, t]]) / N
    assert loss == pytest.approx(expected_loss, rel=1e-13)
    np.testing.assert_allclose(dscores, expected_grad, rtol=1e-12, atol=1e-16)


def test_temporal_gradient_matches_centered_differences():
    scores, targets, mask = random_scores(make_rng(5))
    _, dscores = temporal_softmax_loss(scores, targets, mask)
    assert_gradient_matches(lambda s: temporal_softmax_loss(s, targets, mask)[0], scores.copy(), dscores)


def test_the_loss_is_divided_by_the_number_of_sequences_not_of_kept_steps():
    # All scores 0: every kept step costs log V, and L = (kept steps) log V / N.
    mask = np.array([[1, 1, 1, 0], [1, 0, 0, 0]])
    loss, _ = temporal_softmax_loss(np.zeros((2, 4, 3)), np.zeros((2, 4), dtype=int), mask)
    assert loss == pytest.approx(4 * np.log(3) / 2, rel=1e-14)


def test_masked_steps_send_no_gradient_whatever_their_scores():
    scores, targets, mask = random_scores(make_rng(9))
    scores[0, 1] = [1e4, -1e4, 0.0, 3.0]  # masked (random_scores sets mask[0, 1] = 0)
    loss, dscores = temporal_softmax_loss(scores, targets, mask)
    np.testing.assert_array_equal(dscores[mask == 0], 0.0)
    other = scores.copy()
    other[0, 1] = 0.0
    assert temporal_softmax_loss(other, targets, mask)[0] == loss


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 4), t=st.integers(1, 4), v=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_each_step_of_the_gradient_sums_to_zero_over_the_words(n, t, v, seed):
    rng = np.random.RandomState(seed)
    scores = rng.randn(n, t, v) * 5
    targets, mask = rng.randint(0, v, size=(n, t)), rng.randint(0, 2, size=(n, t)).astype(bool)
    loss, dscores = temporal_softmax_loss(scores, targets, mask)
    assert loss >= 0.0
    # each kept step: P - Y over N, whose V entries sum to 0 up to the rounding of P's V entries
    np.testing.assert_allclose(dscores.sum(axis=2), 0.0, atol=4 * v * U / n)


def test_temporal_float32_masks_of_numbers_and_huge_scores():
    scores = np.zeros((1, 2, 3), dtype=np.float32)
    scores[0, 0] = [1e4, 0.0, -1e4]
    loss, dscores = temporal_softmax_loss(scores, np.array([[0, 1]]), np.array([[1.0, 1.0]]))
    assert dscores.dtype == np.float32 and np.isfinite(loss)
    assert loss == pytest.approx(np.log(3) / 1, rel=1e-6)  # step 1 costs ~0, step 2 log 3


@pytest.mark.parametrize(
    ("targets", "mask", "expected"),
    [
        (np.array([[0, 3]]), np.array([[1, 1]]), r"targets must hold word indices in \[0, V\) = \[0, 3\)"),
        (np.array([[0, 1, 2]]), np.array([[1, 1]]), r"targets must have shape \(N, T\) = \(1, 2\)"),
        (np.array([[0, 1]]), np.array([[1, 2]]), r"mask must hold only 0 and 1 \(or booleans\); got 2 at index \(0, 1\)"),
        (np.array([[0, 1]]), np.array([[1.0, np.nan]]), r"mask must hold only 0 and 1"),
        (np.array([[0, 1]]), np.array([1, 1]), r"mask must have shape \(N, T\) = \(1, 2\)"),
        (np.array([[0, 1]]), np.array([["a", "b"]]), r"mask must hold booleans or the numbers 0 and 1"),
    ],
)  # fmt: skip
def test_temporal_bad_inputs_raise_named_errors(targets, mask, expected):
    with pytest.raises(ValueError, match=r"^temporal_softmax_loss: " + expected):
        temporal_softmax_loss(np.zeros((1, 2, 3)), targets, mask)


def test_temporal_scores_must_be_three_axes_finite_and_non_empty():
    func = "temporal_softmax_loss"
    ones = np.ones((1, 2), dtype=int)
    with pytest.raises(ValueError, match=rf"^{func}: scores must have shape \(N, T, V\)"):
        temporal_softmax_loss(np.zeros((2, 3)), ones, ones)
    with pytest.raises(ValueError, match=rf"^{func}: scores must have V \(words\) >= 1"):
        temporal_softmax_loss(np.zeros((1, 2, 0)), np.zeros((1, 2), dtype=int), ones)
    with pytest.raises(ValueError, match=rf"^{func}: scores must contain only finite"):
        temporal_softmax_loss(np.full((1, 2, 3), np.inf), np.zeros((1, 2), dtype=int), ones)
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^{func}: scores {OVERFLOW}"):
        temporal_softmax_loss(np.array([[[1e308, -1e308]]]), np.zeros((1, 1), dtype=int), np.ones((1, 1)))


def valid_call(name):
    """A valid call of each public function of the module, as in test_backprop_validation."""
    rng = np.random.RandomState(0)
    x, W = np.array([[0, 2, 0], [1, 1, 3]]), rng.randn(4, 3)
    calls = {
        "word_embedding_forward": (word_embedding_forward, {"x": x, "W": W}),
        "word_embedding_backward": (word_embedding_backward, {"dout": rng.randn(2, 3, 3), "cache": (x, W)}),
        "temporal_softmax_loss": (
            temporal_softmax_loss,
            {"scores": rng.randn(2, 3, 4), "targets": x, "mask": np.array([[1, 1, 0], [1, 0, 0]])},
        ),
    }
    return calls[name]


@pytest.mark.parametrize("name", ["word_embedding_forward", "word_embedding_backward", "temporal_softmax_loss"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_bad_arguments_give_named_errors_or_finite_results_and_no_warnings(name, data):
    # the fuzz of test_backprop_validation (its spoiled values and its verdict), for this module
    function, arguments = valid_call(name)
    assert assert_clean_outcome(name, function, arguments) == "result"
    key = data.draw(st.sampled_from(sorted(arguments)))
    assert_clean_outcome(name, function, {**arguments, key: spoiled(arguments[key], data)})
