import numpy as np
import pytest
from backprop_testing import OVERFLOW, D, K, assert_gradient_matches, make_rng, warnings_as_errors

from backprop.regularization import l2_penalty


def test_penalty_is_half_reg_times_the_sum_of_squares():
    W = make_rng().randn(D, K)
    loss, dW = l2_penalty(W, 0.3)
    assert loss == pytest.approx(0.5 * 0.3 * sum(W[d, k] ** 2 for d in range(D) for k in range(K)), rel=1e-14)
    np.testing.assert_allclose(dW, 0.3 * W, rtol=1e-15)
    assert isinstance(loss, float)


def test_gradient_matches_centered_differences():
    W = make_rng().randn(D, K)
    _, dW = l2_penalty(W, 0.7)
    assert_gradient_matches(lambda w: l2_penalty(w, 0.7)[0], W.copy(), dW)


def test_zero_strength_gives_zero():
    loss, dW = l2_penalty(make_rng().randn(D, K), 0.0)
    assert loss == 0.0 and not dW.any()


def test_input_is_not_edited():
    W = make_rng().randn(D, K)
    before = W.copy()
    _, dW = l2_penalty(W, 0.5)
    np.testing.assert_array_equal(W, before)
    assert not np.shares_memory(W, dW)


@pytest.mark.parametrize(
    "W, reg, expected",
    [
        (np.ones((2, 3)), -1e-3, r"reg must be a finite number >= 0; got -0.001"),
        (np.ones((2, 3)), float("nan"), r"reg must be a finite number >= 0; got nan"),
        (np.ones((2, 3)), "0.1", r"reg must be a real number; got str '0.1'"),
        (np.ones((2, 3)), True, r"reg must be a real number; got bool True"),
        (np.ones(3), 0.1, r"W must have shape \(D, K\) = \(\?, \?\); got \(3,\)"),
        (np.array([[1.0, np.inf]]), 0.1, r"W must contain only finite values; got inf"),
    ],
)
def test_bad_inputs_raise_clear_errors(W, reg, expected):
    with pytest.raises(ValueError, match=r"^l2_penalty: " + expected):
        l2_penalty(W, reg)


@pytest.mark.parametrize(
    "W, reg, where",
    [
        (np.full((2, 3), 2.0), 1e308, "multiply"),  # dW = reg W overflows
        (np.full((2, 3), 1e200), 1.0, "multiply"),  # W * W overflows
        (np.full((2, 3), 1e154), 1e-300, "reduce"),  # each W_dk^2 is finite, their sum is not
    ],
)
def test_a_penalty_that_overflows_from_finite_inputs_is_a_named_error(W, reg, where):
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^l2_penalty: W and reg {OVERFLOW}"):
        l2_penalty(W, reg)


def test_a_penalty_whose_float_product_overflows_is_a_named_error():
    # sum(W * W) = 6e300 is finite; 0.5 * reg * it overflows in Python floats, without any warning.
    expected = r"^l2_penalty: W and reg are finite, but the result is not \(got inf\)"
    with pytest.raises(ValueError, match=expected):
        l2_penalty(np.full((2, 3), 1e150), 1e10)
