import numpy as np
import pytest
from backprop_testing import D, N, assert_gradient_matches, assert_gradient_matches_scaled, make_rng
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.batchnorm import batchnorm_backward, batchnorm_backward_simplified, batchnorm_forward

BACKWARDS = [batchnorm_backward, batchnorm_backward_simplified]
#: The two backward passes compute the same numbers in a different order: they agree to rounding.
AGREEMENT_TOLERANCE = 1e-12


def random_layer(rng, n=N, d=D):
    # Columns with different offsets and spreads, so a statistic over the wrong axis shows.
    X = rng.randn(n, d) * rng.uniform(0.5, 3.0, d) + rng.uniform(-4.0, 4.0, d)
    return X, rng.randn(d), rng.randn(d), rng.randn(n, d)


def loss_through_layer(G, gamma, beta, eps=1e-5):
    """L(X) = sum(Y * G), whose gradient with respect to Y is G."""
    return lambda x: float(np.sum(batchnorm_forward(x, gamma, beta, eps)[0] * G))


def test_forward_equals_the_formula_column_by_column():
    X, gamma, beta, _ = random_layer(make_rng())
    eps = 0.3  # large, so that forgetting it, or adding it after the square root, shows
    Y, _ = batchnorm_forward(X, gamma, beta, eps)
    for d in range(D):
        column = [X[i, d] for i in range(N)]
        mean = sum(column) / N
        variance = sum((x - mean) ** 2 for x in column) / N
        for i in range(N):
            expected = gamma[d] * (X[i, d] - mean) / (variance + eps) ** 0.5 + beta[d]
            assert Y[i, d] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_cache_holds_the_graph_nodes_and_the_default_eps_is_1e_minus_5():
    X, gamma, beta, _ = random_layer(make_rng())
    _, (X_centred, inv_std, X_hat, cached_gamma) = batchnorm_forward(X, gamma, beta)
    np.testing.assert_allclose(X_centred, X - np.mean(X, axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(inv_std, 1.0 / np.sqrt(np.var(X, axis=0) + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(X_hat, X_centred * inv_std, rtol=1e-12, atol=1e-12)
    assert cached_gamma is gamma


def test_normalised_columns_have_mean_zero_and_variance_shrunk_by_eps():
    X, gamma, beta, _ = random_layer(make_rng())
    eps = 0.5
    _, (_, _, X_hat, _) = batchnorm_forward(X, gamma, beta, eps)
    variance = np.var(X, axis=0)
    np.testing.assert_allclose(X_hat.mean(axis=0), 0.0, atol=1e-14)
    np.testing.assert_allclose(np.var(X_hat, axis=0), variance / (variance + eps), rtol=1e-12)


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_backward_matches_centered_differences_for_every_input(backward):
    X, gamma, beta, G = random_layer(make_rng())
    dX, dgamma, dbeta = backward(G, batchnorm_forward(X, gamma, beta)[1])
    assert (dX.shape, dgamma.shape, dbeta.shape) == ((N, D), (D,), (D,))
    assert_gradient_matches(loss_through_layer(G, gamma, beta), X.copy(), dX)
    assert_gradient_matches(lambda g: float(np.sum(batchnorm_forward(X, g, beta)[0] * G)), gamma.copy(),
                            dgamma)
    assert_gradient_matches(lambda b: float(np.sum(batchnorm_forward(X, gamma, b)[0] * G)), beta.copy(),
                            dbeta)


def test_step_by_step_and_closed_form_agree():
    X, gamma, beta, G = random_layer(make_rng(7))
    cache = batchnorm_forward(X, gamma, beta)[1]
    for graph, closed_form in zip(batchnorm_backward(G, cache), batchnorm_backward_simplified(G, cache)):
        np.testing.assert_allclose(graph, closed_form, rtol=AGREEMENT_TOLERANCE, atol=1e-14)


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_input_gradient_sums_to_zero_in_every_column(backward):
    # Adding a constant to a whole column of X moves its mean and nothing else: Y does not change.
    X, gamma, beta, G = random_layer(make_rng(3))
    dX, _, _ = backward(G, batchnorm_forward(X, gamma, beta)[1])
    np.testing.assert_allclose(dX.sum(axis=0), 0.0, atol=1e-12)


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_constant_column_has_a_finite_gradient_thanks_to_eps(backward):
    X, gamma, beta, G = random_layer(make_rng(5))
    X[:, 1] = 2.5
    eps = 1e-3
    Y, cache = batchnorm_forward(X, gamma, beta, eps)
    np.testing.assert_allclose(Y[:, 1], beta[1], rtol=1e-15)
    dX, _, _ = backward(G, cache)
    # X_hat is 0 in that column, so only the centring remains: gamma / sqrt(eps) * (G - mean of G).
    expected = gamma[1] / np.sqrt(eps) * (G[:, 1] - G[:, 1].mean())
    np.testing.assert_allclose(dX[:, 1], expected, rtol=1e-10)
    assert_gradient_matches(loss_through_layer(G, gamma, beta, eps), X.copy(), dX)


def test_a_single_example_gives_zero_input_gradient():
    X, gamma, beta, G = random_layer(make_rng(), n=1)
    for backward in BACKWARDS:
        dX, dgamma, dbeta = backward(G, batchnorm_forward(X, gamma, beta)[1])
        np.testing.assert_array_equal(dX, 0.0)
        np.testing.assert_array_equal(dgamma, 0.0)
        np.testing.assert_array_equal(dbeta, G[0])


def test_two_examples_give_a_gradient_proportional_to_eps():
    # With N = 2 a column is mean +- a, a = (x_1 - x_2) / 2, and normalises to +-f(a) with
    # f(a) = a / sqrt(a^2 + eps) ~ +-1 whatever X is: f'(a) = eps / (a^2 + eps)^(3/2), so
    # dL/dx_1 = -dL/dx_2 = gamma (G_1 - G_2) f'(a) / 2 is of the order of eps.
    X, gamma, beta, G = random_layer(make_rng(), n=2)
    eps = 1e-5
    cache = batchnorm_forward(X, gamma, beta, eps)[1]
    a = (X[0] - X[1]) / 2
    slope = eps / (a**2 + eps) ** 1.5
    expected_first_row = gamma * (G[0] - G[1]) * slope / 2
    for backward in BACKWARDS:
        dX, _, _ = backward(G, cache)
        np.testing.assert_allclose(dX, [expected_first_row, -expected_first_row], rtol=1e-6)
    assert np.abs(dX).max() < 1e-3  # a centered difference with h = 1e-5 resolves this only roughly


# N >= 3: with N = 2 the gradient is of the order of eps (see above), far below the absolute
# rounding of a centered difference (about 1e-11), so a relative measure would test the rounding.
@settings(max_examples=30, deadline=None)
@given(n=st.integers(3, 6), d=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_both_backwards_match_centered_differences_for_random_shapes(n, d, seed):
    X, gamma, beta, G = random_layer(np.random.RandomState(seed), n, d)
    cache = batchnorm_forward(X, gamma, beta)[1]
    for backward in BACKWARDS:
        dX, dgamma, dbeta = backward(G, cache)
        assert_gradient_matches_scaled(loss_through_layer(G, gamma, beta), X.copy(), dX)
        assert_gradient_matches_scaled(
            lambda g: float(np.sum(batchnorm_forward(X, g, beta)[0] * G)), gamma.copy(), dgamma
        )


def test_inputs_are_not_edited_and_results_are_new_arrays():
    X, gamma, beta, G = random_layer(make_rng())
    copies = [a.copy() for a in (X, gamma, beta, G)]
    Y, cache = batchnorm_forward(X, gamma, beta)
    cache_copies = [a.copy() for a in cache]
    for backward in BACKWARDS:
        results = backward(G, cache)
        for result in results:
            assert not any(np.shares_memory(result, a) for a in (X, gamma, beta, G, *cache))
    for original, copy in zip((X, gamma, beta, G, *cache), copies + cache_copies):
        np.testing.assert_array_equal(original, copy)
    assert not np.shares_memory(Y, X)


def test_float32_stays_float32():
    X, gamma, beta, G = (a.astype(np.float32) for a in random_layer(make_rng()))
    Y, cache = batchnorm_forward(X, gamma, beta)
    assert Y.dtype == np.float32 and all(a.dtype == np.float32 for a in cache)
    for backward in BACKWARDS:
        assert all(g.dtype == np.float32 for g in backward(G, cache))


def test_bad_forward_inputs_raise_clear_errors():
    X = np.zeros((N, D))
    with pytest.raises(
        ValueError,
        match=rf"^batchnorm_forward: gamma must have shape \(D,\) = \({D},\) to match X \({N}, {D}\); "
        rf"got \({D}, 1\)$",
    ):
        batchnorm_forward(X, np.ones((D, 1)), np.zeros(D))
    with pytest.raises(ValueError, match=r"^batchnorm_forward: beta must have shape \(D,\)"):
        batchnorm_forward(X, np.ones(D), np.zeros(D + 1))
    with pytest.raises(ValueError, match=r"^batchnorm_forward: X must have shape \(N, D\)"):
        batchnorm_forward(np.zeros(D), np.ones(D), np.zeros(D))
    with pytest.raises(ValueError, match=r"^batchnorm_forward: X must have N \(examples\) >= 1 along axis 0"):
        batchnorm_forward(np.zeros((0, D)), np.ones(D), np.zeros(D))
    with pytest.raises(ValueError, match=r"^batchnorm_forward: eps must be a finite number > 0; got 0.0$"):
        batchnorm_forward(X, np.ones(D), np.zeros(D), eps=0.0)
    with pytest.raises(ValueError, match=r"^batchnorm_forward: eps must be a real number; got str"):
        batchnorm_forward(X, np.ones(D), np.zeros(D), eps="1e-5")
    X[3, 2] = np.inf
    with pytest.raises(
        ValueError, match=r"^batchnorm_forward: X must contain only finite values; got inf at index \(3, 2\)"
    ):
        batchnorm_forward(X, np.ones(D), np.zeros(D))
    with pytest.raises(
        ValueError, match=r"^batchnorm_forward: gamma must have the dtype of X, float64; got float32"
    ):
        batchnorm_forward(np.zeros((N, D)), np.ones(D, np.float32), np.zeros(D))


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_bad_backward_inputs_raise_clear_errors(backward):
    name = backward.__name__
    X, gamma, beta, G = random_layer(make_rng())
    cache = batchnorm_forward(X, gamma, beta)[1]
    with pytest.raises(
        ValueError,
        match=rf"^{name}: dY must have shape \(N, D\) = \({N}, {D}\) to match X_centred \({N}, {D}\); "
        rf"got \({D}, {N}\)$",
    ):
        backward(G.T, cache)
    with pytest.raises(
        ValueError,
        match=rf"^{name}: cache must be the tuple \(X_centred, inv_std, X_hat, gamma\) returned by "
        r"batchnorm_forward; got tuple of length 2$",
    ):
        backward(G, (X, gamma))
    with pytest.raises(ValueError, match=rf"^{name}: cache must be the tuple .*; got ndarray$"):
        backward(G, X)
    with pytest.raises(ValueError, match=rf"^{name}: cache inv_std must have shape \(D,\) = \({D},\)"):
        backward(G, (cache[0], cache[1][:-1], cache[2], cache[3]))
    with pytest.raises(ValueError, match=rf"^{name}: cache inv_std must be > 0 \(1/sqrt\(var \+ eps\)\); got -"):
        backward(G, (cache[0], -cache[1], cache[2], cache[3]))
    bad = G.copy()
    bad[0, 0] = np.nan
    with pytest.raises(
        ValueError, match=rf"^{name}: dY must contain only finite values; got nan at index \(0, 0\)"
    ):
        backward(bad, cache)
    with pytest.raises(
        ValueError, match=rf"^{name}: dY must have the dtype of cache X_centred, float64; got float32"
    ):
        backward(G.astype(np.float32), cache)
