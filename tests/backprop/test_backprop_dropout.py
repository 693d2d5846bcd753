import numpy as np
import pytest
from backprop_testing import D, N, assert_gradient_matches, make_rng, warnings_as_errors
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop.dropout import dropout_backward, dropout_forward


def random_mask(rng, keep_prob=0.6, n=N, d=D):
    return rng.uniform(size=(n, d)) < keep_prob


def test_forward_with_a_given_mask_equals_the_formula_entry_by_entry():
    rng = make_rng()
    X, mask = rng.randn(N, D), random_mask(rng)
    keep_prob = 0.6
    Y, (cached_mask, cached_keep_prob) = dropout_forward(X, keep_prob, mask=mask.astype(int))
    for i in range(N):
        for d in range(D):
            expected = X[i, d] / keep_prob if mask[i, d] else 0.0
            assert Y[i, d] == pytest.approx(expected, rel=1e-15, abs=0)
    np.testing.assert_array_equal(cached_mask, mask)
    assert cached_mask.dtype == bool and cached_keep_prob == keep_prob


def test_mask_is_drawn_from_the_given_generator_as_uniforms_below_keep_prob():
    X = make_rng().randn(N, D)
    Y, (mask, _) = dropout_forward(X, 0.3, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(mask, np.random.default_rng(42).random((N, D)) < 0.3)
    generator = np.random.default_rng(42)
    first = dropout_forward(X, 0.3, rng=generator)[1][0]
    second = dropout_forward(X, 0.3, rng=generator)[1][0]
    assert not np.array_equal(first, second)  # the generator moves on: a fresh mask per call


def test_kept_fraction_and_mean_output_follow_keep_prob():
    # 200,000 entries from a fixed seed: the bounds are 6 standard deviations (so this is no bet
    # on luck; with the seed fixed it is one deterministic computation)
    keep_prob, n, d = 0.7, 1000, 200
    X = np.full((n, d), 2.5)
    Y, (mask, _) = dropout_forward(X, keep_prob, rng=np.random.default_rng(0))
    sd_fraction = np.sqrt(keep_prob * (1 - keep_prob) / mask.size)
    assert abs(mask.mean() - keep_prob) < 6 * sd_fraction
    # E[Y] = X: the inverted scaling; the mean of Y is 2.5 / keep_prob times the kept fraction
    assert abs(Y.mean() - 2.5) < 6 * sd_fraction * 2.5 / keep_prob


def test_backward_matches_centered_differences_and_reuses_the_forward_mask():
    rng = make_rng(3)
    X, G = rng.randn(N, D), rng.randn(N, D)
    Y, cache = dropout_forward(X, 0.4, rng=np.random.default_rng(7))
    mask = cache[0]
    dX = dropout_backward(G, cache)
    loss = lambda x: float(np.sum(dropout_forward(x, 0.4, mask=mask)[0] * G))  # noqa: E731
    assert_gradient_matches(loss, X.copy(), dX)
    np.testing.assert_array_equal(dX == 0, ~mask | (G == 0))


def test_test_mode_is_the_identity_forward_and_backward():
    rng = make_rng()
    X, G = rng.randn(N, D), rng.randn(N, D)
    Y, cache = dropout_forward(X, 0.25, mode="test")
    np.testing.assert_array_equal(Y, X)
    assert not np.shares_memory(Y, X)
    np.testing.assert_array_equal(dropout_backward(G, cache), G)


def test_keep_prob_one_keeps_everything_unscaled():
    X = make_rng().randn(N, D)
    Y, _ = dropout_forward(X, 1.0, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(Y, X)


def test_inputs_are_not_edited_and_float32_stays_float32():
    rng = make_rng()
    X, G, mask = rng.randn(N, D), rng.randn(N, D), random_mask(rng)
    X_before, G_before, mask_before = X.copy(), G.copy(), mask.copy()
    Y, cache = dropout_forward(X, 0.5, mask=mask)
    dropout_backward(G, cache)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(G, G_before)
    np.testing.assert_array_equal(mask, mask_before)
    X32 = X.astype(np.float32)
    Y32, cache32 = dropout_forward(X32, 0.5, mask=mask)
    assert Y32.dtype == np.float32
    assert dropout_backward(G.astype(np.float32), cache32).dtype == np.float32


@settings(max_examples=60, deadline=None)
@given(
    X=arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.floats(-1e6, 1e6)),
    keep_prob=st.floats(0.05, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_forward_and_backward_scale_by_the_same_mask(X, keep_prob, seed):
    Y, cache = dropout_forward(X, keep_prob, rng=np.random.default_rng(seed))
    mask, _ = cache
    assert (Y[~mask] == 0).all()
    np.testing.assert_allclose(Y[mask], X[mask] / keep_prob, rtol=1e-15)
    np.testing.assert_array_equal(dropout_backward(np.ones_like(X), cache), mask / keep_prob)


def test_bad_inputs_raise_clear_errors():
    X = np.zeros((N, D))
    generator = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"^dropout_forward: mode must be 'train' or 'test'; got 'eval'"):
        dropout_forward(X, 0.5, "eval", rng=generator)
    with pytest.raises(ValueError, match=r"^dropout_forward: mode 'train' needs exactly one of mask and rng; got neither"):
        dropout_forward(X, 0.5)
    with pytest.raises(ValueError, match=r"^dropout_forward: mode 'train' needs exactly one of mask and rng; got both"):
        dropout_forward(X, 0.5, mask=np.ones((N, D)), rng=generator)
    with pytest.raises(ValueError, match=r"^dropout_forward: mode 'test' draws no mask"):
        dropout_forward(X, 0.5, "test", rng=generator)
    with pytest.raises(ValueError, match=r"^dropout_forward: keep_prob must be in \(0, 1\]"):
        dropout_forward(X, 1.5, rng=generator)
    with pytest.raises(ValueError, match=r"^dropout_forward: keep_prob must be a finite number > 0; got 0"):
        dropout_forward(X, 0, rng=generator)
    with pytest.raises(ValueError, match=r"^dropout_forward: rng must be a numpy.random.Generator"):
        dropout_forward(X, 0.5, rng=np.random.RandomState(0))
    with pytest.raises(ValueError, match=r"^dropout_forward: mask must hold only 0 and 1"):
        dropout_forward(X, 0.5, mask=np.full((N, D), 0.5))
    with pytest.raises(ValueError, match=r"^dropout_forward: mask must have shape \(N, D\) = \(7, 5\) to match X"):
        dropout_forward(X, 0.5, mask=np.ones((D, N), dtype=bool))
    with pytest.raises(ValueError, match=r"^dropout_backward: cache must be the pair \(mask, keep_prob\)"):
        dropout_backward(X, np.ones((N, D)))
    with pytest.raises(ValueError, match=r"^dropout_backward: cache mask must have shape \(N, D\) = \(7, 5\) to match dY"):
        dropout_backward(X, (np.ones((D, N), dtype=bool), 0.5))
    with warnings_as_errors(), pytest.raises(ValueError, match=r"^dropout_forward: X and keep_prob are finite, but"):
        dropout_forward(np.full((1, 1), 1e308), 1e-10, mask=np.ones((1, 1)))
