from decimal import Decimal, localcontext

import numpy as np
import pytest
from backprop_testing import N, K, U, assert_gradient_matches, make_rng, warnings_as_errors
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.sigmoid import binary_cross_entropy_loss, sigmoid, sigmoid_backward, sigmoid_forward

LARGE_LOGITS = np.array([[-800.0, -40.0, -37.0, 0.0, 37.0, 40.0, 800.0]])


def exact_sigmoid(z):
    """The sigmoid in 600-digit decimal arithmetic (e^{-1000} is 1e-435): an oracle that shares no code or form with numpy."""
    with localcontext() as context:
        context.prec = 600
        return 1 / (1 + (-Decimal(float(z))).exp())


def exact_bce(z, t):
    """The textbook form -t log s - (1 - t) log(1 - s), in 600-digit decimals (no rounding to 0 or 1)."""
    with localcontext() as context:
        context.prec = 600
        s, t = exact_sigmoid(z), Decimal(float(t))
        total = Decimal(0)
        if t != 0:
            total -= t * s.ln()
        if t != 1:
            total -= (1 - t) * (1 - s).ln()
        return float(total)


def test_sigmoid_equals_the_exact_value_on_small_and_large_logits():
    Z = np.concatenate([LARGE_LOGITS, make_rng().randn(1, 7) * 5], axis=0)
    with warnings_as_errors():  # no overflow warning, not even at -800
        S = sigmoid(Z)
    expected = np.vectorize(lambda z: float(exact_sigmoid(z)))(Z)
    np.testing.assert_allclose(S, expected, rtol=4e-16, atol=0)


def test_forward_caches_its_output_and_backward_uses_the_slope_s_times_one_minus_s():
    rng = make_rng()
    Z, G = rng.randn(N, K) * 3, rng.randn(N, K)
    S, cache = sigmoid_forward(Z)
    assert cache is S
    dZ = sigmoid_backward(G, cache)
    assert dZ.shape == (N, K)
    assert_gradient_matches(lambda z: float(np.sum(sigmoid_forward(z)[0] * G)), Z.copy(), dZ)
    # the slope at 0 is 1/4 and the sigmoid is symmetric: s(-z) = 1 - s(z)
    np.testing.assert_allclose(sigmoid_forward(-Z)[0], 1 - S, rtol=1e-14, atol=1e-16)
    assert sigmoid_backward(np.ones((1, 1)), sigmoid_forward(np.zeros((1, 1)))[0])[0, 0] == 0.25


def test_loss_gradient_matches_centered_differences_with_soft_and_hard_targets():
    rng = make_rng(5)
    Z = rng.randn(N, K) * 2
    for T in (rng.uniform(0, 1, (N, K)), (rng.uniform(0, 1, (N, K)) > 0.5).astype(float)):
        loss, dZ = binary_cross_entropy_loss(Z, T)
        assert dZ.shape == (N, K)
        assert_gradient_matches(lambda z: binary_cross_entropy_loss(z, T)[0], Z.copy(), dZ)
        np.testing.assert_allclose(dZ, (1 / (1 + np.exp(-Z)) - T) / N, rtol=1e-13, atol=1e-17)


def test_loss_is_the_mean_over_examples_of_the_sum_over_outputs():
    rng = make_rng(2)
    Z, T = rng.randn(N, K), rng.uniform(0, 1, (N, K))
    expected = sum(exact_bce(Z[i, k], T[i, k]) for i in range(N) for k in range(K)) / N
    assert binary_cross_entropy_loss(Z, T)[0] == pytest.approx(expected, rel=1e-14)


def test_large_logits_give_the_exact_loss_where_the_textbook_form_gives_inf():
    Z = LARGE_LOGITS
    for target in (0.0, 1.0):
        T = np.full_like(Z, target)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            S = 1 / (1 + np.exp(-Z))
            textbook = -T * np.log(S) - (1 - T) * np.log(1 - S)
        assert not np.isfinite(textbook).all()  # the failure this form avoids
        with warnings_as_errors():
            losses = [binary_cross_entropy_loss(Z[:, [k]], T[:, [k]])[0] for k in range(Z.shape[1])]
        expected = [exact_bce(z, target) for z in Z[0]]
        np.testing.assert_allclose(losses, expected, rtol=1e-15, atol=1e-300)
    # a confident wrong answer costs its logit, to the last digit
    assert binary_cross_entropy_loss(np.array([[-800.0]]), np.array([[1.0]]))[0] == 800.0


@settings(max_examples=80, deadline=None)
@given(
    z=st.floats(-1000, 1000, allow_nan=False),
    t=st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1)),
)
def test_stable_loss_equals_the_exact_textbook_value_for_any_logit(z, t):
    loss, dZ = binary_cross_entropy_loss(np.array([[z]]), np.array([[t]]))
    expected = exact_bce(z, t)
    # four rounded operations (max, product, log1p of exp, two additions) on values of magnitude
    # at most |z| + log 2; the terms may cancel to a small loss, so the bound follows the terms
    assert abs(loss - expected) <= 8 * U * (abs(z) + 1)
    assert -1 <= dZ[0, 0] <= 1
    assert dZ[0, 0] == pytest.approx(float(exact_sigmoid(z)) - t, rel=1e-14, abs=1e-16)


def test_inputs_are_not_edited_and_float32_stays_float32():
    rng = make_rng()
    Z, T = rng.randn(N, K), rng.uniform(0, 1, (N, K))
    Z_before, T_before = Z.copy(), T.copy()
    binary_cross_entropy_loss(Z, T)
    sigmoid_backward(T, sigmoid_forward(Z)[0])
    np.testing.assert_array_equal(Z, Z_before)
    np.testing.assert_array_equal(T, T_before)
    Z32, T32 = Z.astype(np.float32), T.astype(np.float32)
    assert sigmoid_forward(Z32)[0].dtype == np.float32
    assert binary_cross_entropy_loss(Z32, T32)[1].dtype == np.float32


def test_bad_inputs_raise_clear_errors():
    Z = np.zeros((N, K))
    with pytest.raises(ValueError, match=r"^binary_cross_entropy_loss: targets must hold values in \[0, 1\]"):
        binary_cross_entropy_loss(Z, np.full((N, K), 1.5))
    with pytest.raises(ValueError, match=r"^binary_cross_entropy_loss: targets must have shape \(N, K\) = \(7, 3\)"):
        binary_cross_entropy_loss(Z, np.zeros((K, N)))
    with pytest.raises(ValueError, match=r"^binary_cross_entropy_loss: logits must have N \(examples\) >= 1"):
        binary_cross_entropy_loss(np.zeros((0, K)), np.zeros((0, K)))
    with pytest.raises(ValueError, match=r"^binary_cross_entropy_loss: logits must contain only finite"):
        binary_cross_entropy_loss(np.full((1, 1), np.nan), np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"^binary_cross_entropy_loss: targets must have the dtype of logits"):
        binary_cross_entropy_loss(Z, np.zeros((N, K), np.float32))
    with pytest.raises(ValueError, match=r"^sigmoid_backward: cache must hold values in \[0, 1\]"):
        sigmoid_backward(np.ones((1, 2)), np.array([[0.5, -3.0]]))  # a Z passed instead of S
    with pytest.raises(ValueError, match=r"^sigmoid_backward: cache must have shape \(N, K\) = \(7, 3\) to match dS"):
        sigmoid_backward(Z, np.zeros((K, N)))
    with pytest.raises(ValueError, match=r"^sigmoid_forward: Z must have shape \(N, K\)"):
        sigmoid_forward(np.zeros(3))
