import numpy as np
import pytest
from backprop_testing import (
    STEP,
    U,
    D,
    N,
    OVERFLOW,
    assert_gradient_matches,
    assert_within_centered_difference_bound,
    make_rng,
    warnings_as_errors,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

# The rounding and Taylor bounds of batch normalisation's tests, applied to X^T: row i of layer
# normalisation is column i of X^T normalised by batch normalisation (see below).
from test_backprop_batchnorm import forward_rounding, input_gradient_bounds

from backprop.batchnorm import batchnorm_backward, batchnorm_forward
from backprop.layernorm import layernorm_backward, layernorm_backward_simplified, layernorm_forward

BACKWARDS = [layernorm_backward, layernorm_backward_simplified]
#: The two backward passes compute the same numbers in a different order: they agree to rounding.
AGREEMENT_TOLERANCE = 1e-12


def random_layer(rng, n=N, d=D, spread=(0.5, 3.0)):
    # Rows with different offsets and spreads, so a statistic over the wrong axis shows.
    X = rng.randn(n, d) * rng.uniform(*spread, (n, 1)) + rng.uniform(-4.0, 4.0, (n, 1))
    return X, rng.randn(d), rng.randn(d), rng.randn(n, d)


def loss_through_layer(G, gamma, beta, eps=1e-5):
    """L(X) = sum(Y * G), whose gradient with respect to Y is G."""
    return lambda x: float(np.sum(layernorm_forward(x, gamma, beta, {"eps": eps})[0] * G))


def test_forward_equals_the_formula_row_by_row():
    X, gamma, beta, _ = random_layer(make_rng())
    eps = 0.3  # large, so that forgetting it, or adding it after the square root, shows
    Y, _ = layernorm_forward(X, gamma, beta, {"eps": eps})
    for i in range(N):
        row = [X[i, d] for d in range(D)]
        mean = sum(row) / D
        variance = sum((x - mean) ** 2 for x in row) / D
        for d in range(D):
            expected = gamma[d] * (X[i, d] - mean) / (variance + eps) ** 0.5 + beta[d]
            assert Y[i, d] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_cache_holds_the_graph_nodes_and_an_empty_ln_param_means_eps_1e_minus_5():
    X, gamma, beta, _ = random_layer(make_rng())
    Y, (X_centred, inv_std, X_hat, cached_gamma) = layernorm_forward(X, gamma, beta, {})
    np.testing.assert_allclose(X_centred, X - np.mean(X, axis=1, keepdims=True), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(inv_std, 1.0 / np.sqrt(np.var(X, axis=1) + 1e-5), rtol=1e-12)
    assert inv_std.shape == (N,)
    np.testing.assert_allclose(X_hat, X_centred * inv_std[:, None], rtol=1e-12, atol=1e-12)
    assert cached_gamma is gamma
    np.testing.assert_array_equal(Y, layernorm_forward(X, gamma, beta, {"eps": 1e-5})[0])


def test_normalised_rows_have_mean_zero_and_variance_shrunk_by_eps():
    X, gamma, beta, _ = random_layer(make_rng())
    eps = 0.5
    _, (_, _, X_hat, _) = layernorm_forward(X, gamma, beta, {"eps": eps})
    variance = np.var(X, axis=1)
    np.testing.assert_allclose(X_hat.mean(axis=1), 0.0, atol=1e-14)
    np.testing.assert_allclose(np.var(X_hat, axis=1), variance / (variance + eps), rtol=1e-12)
    assert np.abs(X_hat.mean(axis=0)).max() > 0.1  # the columns are not normalised


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_backward_matches_centered_differences_for_every_input(backward):
    X, gamma, beta, G = random_layer(make_rng())
    dX, dgamma, dbeta = backward(G, layernorm_forward(X, gamma, beta, {})[1])
    assert (dX.shape, dgamma.shape, dbeta.shape) == ((N, D), (D,), (D,))
    assert_gradient_matches(loss_through_layer(G, gamma, beta), X.copy(), dX)
    assert_gradient_matches(
        lambda g: float(np.sum(layernorm_forward(X, g, beta, {})[0] * G)), gamma.copy(), dgamma
    )
    assert_gradient_matches(
        lambda b: float(np.sum(layernorm_forward(X, gamma, b, {})[0] * G)), beta.copy(), dbeta
    )


def test_step_by_step_and_closed_form_agree():
    X, gamma, beta, G = random_layer(make_rng(7))
    cache = layernorm_forward(X, gamma, beta, {})[1]
    for graph, closed_form in zip(layernorm_backward(G, cache), layernorm_backward_simplified(G, cache)):
        np.testing.assert_allclose(graph, closed_form, rtol=AGREEMENT_TOLERANCE, atol=1e-14)


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_input_gradient_sums_to_zero_in_every_row(backward):
    # Adding a constant to a whole row of X moves its mean and nothing else: Y does not change.
    X, gamma, beta, G = random_layer(make_rng(3))
    dX, _, _ = backward(G, layernorm_forward(X, gamma, beta, {})[1])
    np.testing.assert_allclose(dX.sum(axis=1), 0.0, atol=1e-12)
    assert np.abs(dX.sum(axis=0)).max() > 1e-3  # but not in every column, as in batch normalisation


def test_each_example_is_normalised_alone_so_train_and_test_agree():
    # Row i of Y and of dX depends on row i of X and G only: the same in a batch of N as alone,
    # so nothing about the batch needs to be remembered for test time.
    X, gamma, beta, G = random_layer(make_rng(11))
    Y, cache = layernorm_forward(X, gamma, beta, {})
    dX, _, _ = layernorm_backward(G, cache)
    for i in range(N):
        Y_alone, cache_alone = layernorm_forward(X[i : i + 1], gamma, beta, {})
        np.testing.assert_allclose(Y_alone, Y[i : i + 1], rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(layernorm_backward(G[i : i + 1], cache_alone)[0], dX[i : i + 1],
                                   rtol=1e-13, atol=1e-14)  # fmt: skip
    # batch normalisation, by contrast, changes row 0's output when another row changes
    other = X.copy()
    other[1] += 3.0
    row_0_moved, row_0 = batchnorm_forward(other, gamma, beta)[0][0], batchnorm_forward(X, gamma, beta)[0][0]
    assert not np.allclose(row_0_moved, row_0)
    np.testing.assert_array_equal(layernorm_forward(other, gamma, beta, {})[0][0], Y[0])


def test_normalisation_is_batch_normalisation_of_the_transpose_but_gamma_beta_stay_per_feature():
    # layernorm(X) = BN(X^T; scale 1, shift 0)^T diag(gamma) + 1 beta^T: batch normalisation of X^T
    # would take one scale per column of X^T, that is per example, so only the normalisation carries
    # over. Backward: dX = (BN backward of X^T with upstream (G diag(gamma))^T and scale 1)^T.
    X, gamma, beta, G = random_layer(make_rng(5))
    eps = 0.2
    Y, (X_centred, inv_std, X_hat, _) = layernorm_forward(X, gamma, beta, {"eps": eps})
    bn_Y, bn_cache = batchnorm_forward(X.T, np.ones(N), np.zeros(N), eps)
    np.testing.assert_allclose(X_hat, bn_Y.T, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(X_centred, bn_cache[0].T, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(inv_std, bn_cache[1], rtol=1e-14)
    np.testing.assert_allclose(Y, bn_Y.T * gamma + beta, rtol=1e-13, atol=1e-14)
    bn_dX = batchnorm_backward((G * gamma).T, bn_cache)[0]
    for backward in BACKWARDS:
        np.testing.assert_allclose(backward(G, layernorm_forward(X, gamma, beta, {"eps": eps})[1])[0],
                                   bn_dX.T, rtol=1e-12, atol=1e-13)  # fmt: skip


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_constant_row_has_a_finite_gradient_thanks_to_eps(backward):
    X, gamma, beta, G = random_layer(make_rng(5))
    X[1, :] = 2.5
    eps = 1e-3
    Y, cache = layernorm_forward(X, gamma, beta, {"eps": eps})
    np.testing.assert_allclose(Y[1], beta, rtol=1e-15)
    dX, _, _ = backward(G, cache)
    # X_hat is 0 in that row, so only the centring remains: (G gamma - its row mean) / sqrt(eps).
    scaled = G[1] * gamma
    np.testing.assert_allclose(dX[1], (scaled - scaled.mean()) / np.sqrt(eps), rtol=1e-10)
    assert_gradient_matches(loss_through_layer(G, gamma, beta, eps), X.copy(), dX)


def test_a_single_feature_gives_zero_input_gradient():
    X, gamma, beta, G = random_layer(make_rng(), d=1)
    Y, cache = layernorm_forward(X, gamma, beta, {})
    np.testing.assert_array_equal(Y, np.broadcast_to(beta, (N, 1)))
    for backward in BACKWARDS:
        dX, dgamma, dbeta = backward(G, cache)
        np.testing.assert_array_equal(dX, 0.0)
        np.testing.assert_array_equal(dgamma, 0.0)
        np.testing.assert_allclose(dbeta, G.sum(axis=0), rtol=1e-15)


def layernorm_loss_evaluation_error(X, gamma_size, beta, G, eps=1e-5, h=STEP):
    """Bound on the rounding error of one evaluation of L = sum(Y * G) near X, for |gamma| <= gamma_size.

    Batch normalisation's bound with the axes exchanged: x_hat's error per row comes from
    ``forward_rounding`` of X^T (row i of X is column i of X^T), |x_hat| <= sqrt(D) in a row; then
    Y = gamma x_hat + beta and the sum of the N D products Y G, as in ``loss_evaluation_error``.
    """
    n, d = X.shape
    x_hat_error = forward_rounding(X.T, eps, h)[2][:, np.newaxis]  # (n, 1)
    y_error = gamma_size * x_hat_error + U * (2 * gamma_size * np.sqrt(d) + np.abs(beta))
    y_size = gamma_size * np.sqrt(d) + np.abs(beta)
    abs_G = np.abs(G)
    return float(np.sum(abs_G * y_error) + n * d * U * np.sum(abs_G * y_size))


def layernorm_input_gradient_bounds(X, gamma, beta, G, eps=1e-5, h=STEP):
    """``(evaluation_error, analytic_error, third_derivative)`` for checking dX by centered differences.

    Row i of L is sum_d (G gamma)_id x_hat_id plus terms without X: batch normalisation's loss for
    column i of X^T with upstream (G gamma)^T and a scale of 1. Its third-derivative and analytic
    bounds carry over (``input_gradient_bounds`` of X^T), the latter plus the rounding of G gamma
    (relative U: a term U inv_std (|G gamma| + (D + 1) mean|G gamma|) per entry, the row's).
    """
    n, d = X.shape
    scaled = G * gamma
    bounds_of_transpose = input_gradient_bounds(X.T, np.ones(n), np.zeros(n), scaled.T, eps, h)
    _, analytic_error, third_derivative = bounds_of_transpose
    inv_std = forward_rounding(X.T, eps, h)[0][1][:, np.newaxis]
    abs_scaled = np.abs(scaled)
    product_rounding = U * inv_std * (abs_scaled + (d + 1) * abs_scaled.mean(axis=1, keepdims=True))
    evaluation_error = layernorm_loss_evaluation_error(X, np.abs(gamma), beta, G, eps, h)
    return evaluation_error, analytic_error.T + product_rounding, third_derivative.T


def layernorm_gamma_gradient_bounds(X, gamma, beta, G, eps=1e-5, h=STEP):
    """``(evaluation_error, analytic_error)`` for dgamma: L is linear in gamma (no truncation error).

    dgamma_d = sum_i G_id x_hat_id rounds within (N + 1) U sum |G x_hat|, and each row's x_hat error
    carries over.
    """
    n = X.shape[0]
    (_, _, X_hat_T, _), _, x_hat_error = forward_rounding(X.T, eps, h)
    evaluation_error = layernorm_loss_evaluation_error(X, np.abs(gamma) + h, beta, G, eps, h)
    abs_G = np.abs(G)
    analytic_error = (n + 1) * U * np.sum(abs_G * np.abs(X_hat_T.T), axis=0) + (
        abs_G * x_hat_error[:, np.newaxis]
    ).sum(axis=0)
    return evaluation_error, analytic_error


# D >= 3: with D = 2 a row normalises to +-1 whatever X is and its gradient is of the order of eps
# (batch normalisation's N = 2). Spreads down to 1e-3 next to offsets up to 4 make rows whose
# variance is close to eps = 1e-5: there the third derivative is large and a fixed relative
# tolerance would be a bet; the bound follows from how each value is computed.
@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 5), d=st.integers(3, 6), seed=st.integers(0, 2**31 - 1),
       smallest_spread=st.sampled_from([1e-3, 1e-2, 0.5]))  # fmt: skip
@example(n=2, d=3, seed=55296, smallest_spread=1e-3)
def test_both_backwards_match_centered_differences_for_random_shapes(n, d, seed, smallest_spread):
    X, gamma, beta, G = random_layer(np.random.RandomState(seed), n, d, spread=(smallest_spread, 3.0))
    cache = layernorm_forward(X, gamma, beta, {})[1]
    input_bounds = layernorm_input_gradient_bounds(X, gamma, beta, G)
    gamma_bounds = layernorm_gamma_gradient_bounds(X, gamma, beta, G)
    for backward in BACKWARDS:
        dX, dgamma, _ = backward(G, cache)
        assert_within_centered_difference_bound(
            loss_through_layer(G, gamma, beta), X.copy(), dX, evaluation_error=input_bounds[0],
            analytic_error=input_bounds[1], third_derivative=input_bounds[2],
        )  # fmt: skip
        assert_within_centered_difference_bound(
            lambda g: float(np.sum(layernorm_forward(X, g, beta, {})[0] * G)), gamma.copy(), dgamma,
            evaluation_error=gamma_bounds[0], analytic_error=gamma_bounds[1],
        )  # fmt: skip


@pytest.mark.parametrize("smallest_spread", [1e-3, 1.0])
def test_the_error_bound_rejects_batch_normalisations_sums_in_the_closed_form(smallest_spread):
    # The mistake of carrying batch normalisation's closed form over: its two sums are dbeta and
    # dgamma (column sums of dY), but along a row gamma varies, so the sums must be of dY gamma.
    X, gamma, beta, G = random_layer(make_rng(8), 4, 5, spread=(smallest_spread, 3.0))
    _, (_, inv_std, X_hat, _) = layernorm_forward(X, gamma, beta, {})
    scale = inv_std[:, np.newaxis] / 5
    wrong_dX = scale * (5 * G * gamma - (G * gamma).sum(axis=0) - X_hat * (G * X_hat).sum(axis=0))
    bounds = layernorm_input_gradient_bounds(X, gamma, beta, G)
    with pytest.raises(AssertionError, match="exceeds the error bound"):
        assert_within_centered_difference_bound(
            loss_through_layer(G, gamma, beta), X.copy(), wrong_dX, evaluation_error=bounds[0],
            analytic_error=bounds[1], third_derivative=bounds[2],
        )  # fmt: skip
    unscaled_sums = scale * (5 * G * gamma - G.sum(axis=1, keepdims=True)
                             - X_hat * (G * X_hat).sum(axis=1, keepdims=True))  # fmt: skip
    with pytest.raises(AssertionError, match="exceeds the error bound"):
        assert_within_centered_difference_bound(
            loss_through_layer(G, gamma, beta), X.copy(), unscaled_sums, evaluation_error=bounds[0],
            analytic_error=bounds[1], third_derivative=bounds[2],
        )  # fmt: skip


def test_third_derivative_bound_holds_on_a_tiny_variance_row():
    # Where the truncation term matters (spread 1e-3 next to eps = 1e-5), the bound carried over
    # from X^T must exceed the third derivative estimated by finite differences of the gradient.
    rng = np.random.RandomState(3)
    X = 2.0 + 1e-3 * rng.randn(1, 4)
    gamma, beta, G = rng.randn(4), np.zeros(4), rng.randn(1, 4)
    bound = layernorm_input_gradient_bounds(X, gamma, beta, G)[2]
    step = 1e-6

    def input_gradient_at(shifted):
        return layernorm_backward(G, layernorm_forward(shifted, gamma, beta, {})[1])[0]

    for m in range(4):
        e = np.zeros_like(X)
        e[0, m] = step
        # second difference of dX_m approximates d^3 L / dx_m^3
        second = (input_gradient_at(X + e) - 2 * input_gradient_at(X) + input_gradient_at(X - e)) / step**2
        assert 0.01 * bound[0, m] < abs(second[0, m]) <= bound[0, m]


def test_inputs_are_not_edited_and_results_are_new_arrays():
    X, gamma, beta, G = random_layer(make_rng())
    ln_param = {"eps": 1e-5}
    copies = [a.copy() for a in (X, gamma, beta, G)]
    Y, cache = layernorm_forward(X, gamma, beta, ln_param)
    assert ln_param == {"eps": 1e-5}
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
    Y, cache = layernorm_forward(X, gamma, beta, {})
    assert Y.dtype == np.float32 and all(a.dtype == np.float32 for a in cache)
    for backward in BACKWARDS:
        assert all(g.dtype == np.float32 for g in backward(G, cache))


def test_bad_forward_inputs_raise_clear_errors():
    X = np.zeros((N, D))
    with pytest.raises(
        ValueError,
        match=rf"^layernorm_forward: gamma must have shape \(D,\) = \({D},\) to match X \({N}, {D}\); "
        rf"got \({N},\)$",
    ):
        layernorm_forward(X, np.ones(N), np.zeros(D), {})  # one scale per example: the wrong axis
    with pytest.raises(ValueError, match=r"^layernorm_forward: beta must have shape \(D,\)"):
        layernorm_forward(X, np.ones(D), np.zeros(D + 1), {})
    with pytest.raises(ValueError, match=r"^layernorm_forward: X must have shape \(N, D\)"):
        layernorm_forward(np.zeros(D), np.ones(D), np.zeros(D), {})
    with pytest.raises(ValueError, match=r"^layernorm_forward: X must have D \(features\) >= 1 along axis 1"):
        layernorm_forward(np.zeros((N, 0)), np.ones(0), np.zeros(0), {})
    with pytest.raises(
        ValueError, match=r'^layernorm_forward: ln_param\["eps"\] must be a finite number > 0; got 0.0$'
    ):
        layernorm_forward(X, np.ones(D), np.zeros(D), {"eps": 0.0})
    expected = r'^layernorm_forward: ln_param\["eps"\] must be a real number; got str'
    with pytest.raises(ValueError, match=expected):
        layernorm_forward(X, np.ones(D), np.zeros(D), {"eps": "1e-5"})
    with pytest.raises(ValueError, match=r"^layernorm_forward: ln_param must be a dict such as"):
        layernorm_forward(X, np.ones(D), np.zeros(D), 1e-5)  # batchnorm_forward's eps, not a dict
    with pytest.raises(
        ValueError,
        match=r"^layernorm_forward: ln_param may hold only the key \"eps\"; got 'mode' \(layer normalisation "
        r"computes the same in training and at test time: it has no mode",
    ):
        layernorm_forward(X, np.ones(D), np.zeros(D), {"mode": "train", "eps": 1e-5})
    X[3, 2] = np.inf
    with pytest.raises(
        ValueError, match=r"^layernorm_forward: X must contain only finite values; got inf at index \(3, 2\)"
    ):
        layernorm_forward(X, np.ones(D), np.zeros(D), {})
    with pytest.raises(
        ValueError, match=r"^layernorm_forward: gamma must have the dtype of X, float64; got float32"
    ):
        layernorm_forward(np.zeros((N, D)), np.ones(D, np.float32), np.zeros(D), {})


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_bad_backward_inputs_raise_clear_errors(backward):
    name = backward.__name__
    X, gamma, beta, G = random_layer(make_rng())
    cache = layernorm_forward(X, gamma, beta, {})[1]
    with pytest.raises(
        ValueError,
        match=rf"^{name}: dY must have shape \(N, D\) = \({N}, {D}\) to match X_centred \({N}, {D}\); "
        rf"got \({D}, {N}\)$",
    ):
        backward(G.T, cache)
    with pytest.raises(
        ValueError,
        match=rf"^{name}: cache must be the tuple \(X_centred, inv_std, X_hat, gamma\) returned by "
        r"layernorm_forward; got tuple of length 2$",
    ):
        backward(G, (X, gamma))
    with pytest.raises(ValueError, match=rf"^{name}: cache must be the tuple .*; got ndarray$"):
        backward(G, X)
    batchnorm_cache = batchnorm_forward(X, gamma, beta)[1]  # inv_std per column: (D,), not (N,)
    with pytest.raises(
        ValueError, match=rf"^{name}: cache inv_std must have shape \(N,\) = \({N},\) to match X_centred"
    ):
        backward(G, batchnorm_cache)
    expected = rf"^{name}: cache inv_std must be > 0 \(1/sqrt\(var \+ eps\)\); got -"
    with pytest.raises(ValueError, match=expected):
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


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_both_backwards_reject_a_row_of_no_features_alike(backward):
    cache = (np.zeros((N, 0)), np.ones(N), np.zeros((N, 0)), np.ones(0))
    with warnings_as_errors(), pytest.raises(
        ValueError,
        match=rf"^{backward.__name__}: cache X_centred must have D \(features\) >= 1 along axis 1; "
        rf"got shape \({N}, 0\)$",
    ):
        backward(np.zeros((N, 0)), cache)


def test_an_empty_batch_is_rejected_as_in_batch_normalisation():
    with pytest.raises(ValueError, match=r"^layernorm_forward: X must have N \(examples\) >= 1 along axis 0"):
        layernorm_forward(np.zeros((0, D)), np.ones(D), np.zeros(D), {})
    cache = (np.zeros((0, D)), np.ones(0), np.zeros((0, D)), np.ones(D))
    for backward in BACKWARDS:
        with warnings_as_errors(), pytest.raises(
            ValueError, match=rf"^{backward.__name__}: cache X_centred must have N \(examples\) >= 1"
        ):
            backward(np.zeros((0, D)), cache)


def test_statistics_that_overflow_from_finite_inputs_are_named_errors():
    X, gamma, beta, G = random_layer(make_rng())
    X[0, 0] = 1e200  # finite, but its square is not
    with warnings_as_errors(), pytest.raises(
        ValueError,
        match=rf'^layernorm_forward: X, gamma, beta and ln_param\["eps"\] {OVERFLOW} square\): largest '
        r"magnitudes X 1e\+200",
    ):
        layernorm_forward(X, gamma, beta, {})
    X = random_layer(make_rng())[0]
    X[0] = [0.0, 0.0, 0.0, 0.0, 10.0]  # normalises to -1/2, ..., -1/2, 2 (to rounding and eps)
    expected = rf"^layernorm_forward: X, gamma, beta and ln_param\[\"eps\"\] {OVERFLOW} multiply"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        layernorm_forward(X, np.full(D, 1e308), np.zeros(D), {})  # gamma X_hat = 2e308


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_gradients_that_overflow_from_finite_inputs_are_named_errors(backward):
    X, gamma, beta, _ = random_layer(make_rng())
    cache = layernorm_forward(X, gamma, beta, {})[1]
    expected = rf"^{backward.__name__}: dY, cache X_centred, .*{OVERFLOW}"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        backward(np.full((N, D), 1e308), cache)
