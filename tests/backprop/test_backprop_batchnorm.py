import numpy as np
import pytest
from backprop_testing import (
    STEP,
    U,
    D,
    N,
    assert_gradient_matches,
    assert_within_centered_difference_bound,
    OVERFLOW,
    make_rng,
    warnings_as_errors,
)
from hypothesis import example, given, settings
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


def _sup_abs_phi_third_derivative():
    # phi(w) = (1 + w^2)^(-1/2) has phi'''(w) = w (9 - 6 w^2) / (1 + w^2)^(7/2), whose extremes lie
    # at the roots of 24 w^4 - 72 w^2 + 9 = 0 (the largest, about 1.30, at w^2 = 0.131).
    w = np.sqrt(np.roots([24.0, -72.0, 9.0]).real)
    return float(np.max(np.abs(w * (9 - 6 * w**2) / (1 + w**2) ** 3.5)))


PHI_THIRD = _sup_abs_phi_third_derivative()
PHI_SECOND = 1.0  # sup |phi''(w)| = |(2 w^2 - 1) / (1 + w^2)^(5/2)|, reached at w = 0


def forward_rounding(X, eps=1e-5, h=STEP):
    """Rounding bounds of batchnorm_forward at (or within h of) X, per column (first-order analysis).

    With M = max |x| + h and s = sqrt(var + eps) = 1/inv_std: the mean is off by at most n U M
    (a sum of n terms), so each centred entry by e_c = (n + 2) U M; the variance by
    2 s e_c + (n + 1) U s^2 (Cauchy-Schwarz on the cross term), var + eps by U s^2 more; inv_std
    relatively by half of that over s^2 plus 2 U (square root, division); x_hat by
    e_c inv_std + sqrt(n) (that + U), as |x_hat| <= sqrt(n) (a column's squares sum to at most n).
    A column whose spread is small next to its offset has a large M inv_std: there the values, and
    so the centered differences, are least exact.

    Returns ``(cache, inv_std_relative, x_hat_error)``, the last two of shape (D,).
    """
    n = X.shape[0]
    cache = batchnorm_forward(X, np.ones(X.shape[1]), np.zeros(X.shape[1]), eps)[1]
    inv_std = cache[1]
    s = 1.0 / inv_std
    e_c = (n + 2) * U * (np.abs(X).max(axis=0) + h)
    var_error = 2 * s * e_c + (n + 1) * U * s**2 + U * s**2
    inv_std_relative = var_error / (2 * s**2) + 2 * U
    x_hat_error = e_c * inv_std + np.sqrt(n) * (inv_std_relative + U)
    return cache, inv_std_relative, x_hat_error


def loss_evaluation_error(X, gamma_size, beta, G, eps=1e-5, h=STEP):
    """Bound on the rounding error of one evaluation of L = sum(Y * G) near X, for |gamma| <= gamma_size.

    Y = gamma x_hat + beta is off by |gamma| times x_hat's error plus U (2 |gamma| sqrt(n) + |beta|);
    the sum of the n D products Y G adds n D U times their sizes.
    """
    n, d = X.shape
    _, _, x_hat_error = forward_rounding(X, eps, h)
    y_error = gamma_size * x_hat_error + U * (2 * gamma_size * np.sqrt(n) + np.abs(beta))
    y_size = gamma_size * np.sqrt(n) + np.abs(beta)
    abs_G = np.abs(G)
    return float(np.sum(abs_G * y_error) + n * d * U * np.sum(abs_G * y_size))


def input_gradient_bounds(X, gamma, beta, G, eps=1e-5, h=STEP):
    """``(evaluation_error, analytic_error, third_derivative)`` for checking dX by centered differences.

    Analytic error: dX_m = gamma inv_std (G_m - mean G - x_hat_m mean(G x_hat)) has terms of size
    T <= |gamma| inv_std (|G_m| + (n + 1) mean|G|), rounded within (n + 6) U T; the cache's errors
    carry over (inv_std relatively, x_hat absolutely through x_hat_m mean(G x_hat)).

    Third derivative: moving x_m of a column by t moves each centred entry c_i by t (delta_im - 1/n),
    so L(t) = gamma (P + Q t) q(t)^(-1/2) + const with P = sum_i G_i c_i, Q = G_m - mean G and
    q(t) = s^2 + 2 t c_m / n + C t^2, C = (n - 1)/n^2. Completing the square,
    q = R (1 + w^2) with R = s^2 - c_m^2 / (n (n - 1)) > 0 (c_m^2 <= (n - 1) var) and
    w = sqrt(C/R) (t + c_m / (n C)), so with phi(w) = (1 + w^2)^(-1/2):
    |L'''| <= |gamma| R^(-1/2) ((|P| + |Q| h) (C/R)^(3/2) sup|phi'''| + 3 |Q| (C/R) sup|phi''|).
    """
    n = X.shape[0]
    (X_centred, inv_std, _, _), inv_std_relative, x_hat_error = forward_rounding(X, eps, h)
    abs_gamma, abs_G = np.abs(gamma), np.abs(G)
    evaluation_error = loss_evaluation_error(X, abs_gamma, beta, G, eps, h)
    mean_abs_G = abs_G.mean(axis=0)
    terms = abs_gamma * inv_std * (abs_G + (n + 1) * mean_abs_G)
    analytic_error = ((n + 6) * U + inv_std_relative) * terms + (
        2 * np.sqrt(n) * abs_gamma * inv_std * mean_abs_G * x_hat_error
    )
    C = (n - 1) / n**2
    R = 1.0 / inv_std**2 - X_centred**2 / (n * (n - 1))  # (n, D)
    P = np.abs(np.sum(G * X_centred, axis=0))  # (D,)
    Q = np.abs(G - G.mean(axis=0))  # (n, D)
    third_derivative = (
        abs_gamma / np.sqrt(R) * ((P + Q * h) * (C / R) ** 1.5 * PHI_THIRD + 3 * Q * (C / R) * PHI_SECOND)
    )
    return evaluation_error, analytic_error, third_derivative


def gamma_gradient_bounds(X, gamma, beta, G, eps=1e-5, h=STEP):
    """``(evaluation_error, analytic_error)`` for dgamma: L is linear in gamma (no truncation error).

    dgamma = sum_i G_i x_hat_i rounds within (n + 1) U sum |G x_hat|, and x_hat's error carries over.
    """
    n = X.shape[0]
    (_, _, X_hat, _), _, x_hat_error = forward_rounding(X, eps, h)
    evaluation_error = loss_evaluation_error(X, np.abs(gamma) + h, beta, G, eps, h)
    abs_G = np.abs(G)
    analytic_error = (n + 1) * U * np.sum(abs_G * np.abs(X_hat), axis=0) + np.sum(abs_G, axis=0) * x_hat_error
    return evaluation_error, analytic_error


# N >= 3: with N = 2 the gradient is of the order of eps (see above), far below the absolute
# rounding of a centered difference (about 1e-11). Random shapes and seeds need the error bound of
# the difference, not a fixed relative tolerance: seed 55296 gives an entry of dX of 5e-5 against a
# loss of 4, a relative error of 7.2e-7 that is rounding of the difference (0.15 of its bound).
@settings(max_examples=30, deadline=None)
@given(n=st.integers(3, 6), d=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
@example(n=3, d=1, seed=55296)
def test_both_backwards_match_centered_differences_for_random_shapes(n, d, seed):
    X, gamma, beta, G = random_layer(np.random.RandomState(seed), n, d)
    cache = batchnorm_forward(X, gamma, beta)[1]
    input_bounds = input_gradient_bounds(X, gamma, beta, G)
    gamma_bounds = gamma_gradient_bounds(X, gamma, beta, G)
    for backward in BACKWARDS:
        dX, dgamma, _ = backward(G, cache)
        assert_within_centered_difference_bound(
            loss_through_layer(G, gamma, beta), X.copy(), dX, evaluation_error=input_bounds[0],
            analytic_error=input_bounds[1], third_derivative=input_bounds[2],
        )  # fmt: skip
        assert_within_centered_difference_bound(
            lambda g: float(np.sum(batchnorm_forward(X, g, beta)[0] * G)), gamma.copy(), dgamma,
            evaluation_error=gamma_bounds[0], analytic_error=gamma_bounds[1],
        )  # fmt: skip


def test_the_error_bound_rejects_a_backward_without_the_variance_path():
    # The bound must still catch a wrong formula: drop the path through the variance.
    X, gamma, beta, G = random_layer(np.random.RandomState(55296), 3, 1)
    _, (X_centred, inv_std, X_hat, _) = batchnorm_forward(X, gamma, beta)
    wrong_dX = gamma * inv_std * (G - G.mean(axis=0))
    bounds = input_gradient_bounds(X, gamma, beta, G)
    with pytest.raises(AssertionError, match="exceeds the error bound"):
        assert_within_centered_difference_bound(
            loss_through_layer(G, gamma, beta), X.copy(), wrong_dX, evaluation_error=bounds[0],
            analytic_error=bounds[1], third_derivative=bounds[2],
        )  # fmt: skip


def test_third_derivative_bound_holds_on_a_tiny_variance_column():
    # Where the truncation term matters (spread 1e-3 next to eps = 1e-5), the closed-form bound
    # must exceed the third derivative estimated by finite differences of the analytic gradient.
    rng = np.random.RandomState(3)
    X = 2.0 + 1e-3 * rng.randn(4, 1)
    gamma, beta, G = np.ones(1), np.zeros(1), rng.randn(4, 1)
    bound = input_gradient_bounds(X, gamma, beta, G)[2]
    step = 1e-6

    def input_gradient_at(shifted):
        return batchnorm_backward(G, batchnorm_forward(shifted, gamma, beta)[1])[0]

    for m in range(4):
        e = np.zeros_like(X)
        e[m] = step
        # second difference of dX_m approximates d^3 L / dx_m^3
        second = (input_gradient_at(X + e) - 2 * input_gradient_at(X) + input_gradient_at(X - e)) / step**2
        assert abs(second[m, 0]) <= bound[m, 0]


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
def test_both_backwards_reject_an_empty_batch_alike(backward):
    # Was: ZeroDivisionError from one, empty arrays and a RuntimeWarning from the other.
    cache = (np.zeros((0, D)), np.ones(D), np.zeros((0, D)), np.ones(D))
    with warnings_as_errors(), pytest.raises(
        ValueError,
        match=rf"^{backward.__name__}: cache X_centred must have N \(examples\) >= 1 along axis 0; "
        rf"got shape \(0, {D}\)$",
    ):
        backward(np.zeros((0, D)), cache)


def test_statistics_that_overflow_from_finite_inputs_are_named_errors():
    X, gamma, beta, G = random_layer(make_rng())
    X[0, 0] = 1e200  # finite, but its square is not
    with warnings_as_errors(), pytest.raises(
        ValueError,
        match=rf"^batchnorm_forward: X, gamma, beta and eps {OVERFLOW} square\): largest magnitudes "
        r"X 1e\+200",
    ):
        batchnorm_forward(X, gamma, beta)
    X = random_layer(make_rng())[0]
    expected = rf"^batchnorm_forward: X, gamma, beta and eps {OVERFLOW} multiply"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        batchnorm_forward(X, np.full(D, 1e308), np.zeros(D))  # gamma X_hat, with |X_hat| up to 2
    expected = rf"^batchnorm_forward: X, gamma, beta and eps {OVERFLOW} add"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        batchnorm_forward(X, np.full(D, 5e307), np.full(D, 1.5e308))  # |gamma X_hat| < 1.3e308; + beta


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda f: f.__name__)
def test_gradients_that_overflow_from_finite_inputs_are_named_errors(backward):
    X, gamma, beta, _ = random_layer(make_rng())
    cache = batchnorm_forward(X, gamma, beta)[1]
    expected = rf"^{backward.__name__}: dY, cache X_centred, .*{OVERFLOW}"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        backward(np.full((N, D), 1e308), cache)
