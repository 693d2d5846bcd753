import numpy as np
import pytest

from backprop.affine import affine_backward, affine_forward
from backprop.gradient_check import (
    GOOD,
    PROBABLY_WRONG,
    UNCOMFORTABLE,
    numerical_gradient,
    relative_error,
    verdict,
)
from backprop.softmax import softmax_loss


def test_centered_difference_error_is_h_squared_p3_over_6_for_a_cubic():
    # For p(x) = x**3 the centered difference is exact up to (h**2 / 6) * p''' = h**2.
    x = np.array([0.7, -1.3])
    h = 1e-3
    grad = numerical_gradient(lambda x: float(np.sum(x**3)), x, h=h)
    np.testing.assert_allclose(grad - 3 * x**2, h**2, rtol=1e-4)


def test_numerical_gradient_restores_x_even_when_f_raises():
    x = np.array([1.0, 2.0])
    calls = []

    def f(x):
        calls.append(x.copy())
        if len(calls) == 3:
            raise RuntimeError("stop")
        return float(x.sum())

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_array_equal(calls[0], [1.0 + 1e-5, 2.0])  # f saw the perturbed array itself


@pytest.mark.parametrize(
    "f, x, h, expected",
    [
        (np.sum, [1.0, 2.0], 1e-5, r"x must be a float64 \(or float32\) numpy array.*got list"),
        (np.sum, np.array([1, 2]), 1e-5, r"x must be a float64 \(or float32\) numpy array.*got int64"),
        (np.sum, np.array([1.0, np.nan]), 1e-5, r"x must contain only finite values"),
        (np.sum, np.array([1.0]), 0.0, r"h must be a finite number > 0; got 0.0"),
        (lambda x: x * 2, np.array([1.0, 2.0]), 1e-5, r"f must return a real scalar \(a float\); got nd"),
        ("sum", np.array([1.0]), 1e-5, r"f must be callable"),
    ],
)
def test_numerical_gradient_bad_inputs(f, x, h, expected):
    with pytest.raises(ValueError, match=r"^numerical_gradient: " + expected):
        numerical_gradient(f, x, h=h)


def test_relative_error_values():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1, rel=1e-12)
    assert relative_error(
        np.array([1.0, 0.0, -2.0]), np.array([1.0, 0.0, -2.0 * (1 + 1e-6)])
    ) == pytest.approx(1e-6 / (1 + 1e-6), rel=1e-6)
    assert relative_error(-1.0, 1.0) == 2.0


def test_relative_error_bad_inputs():
    with pytest.raises(
        ValueError, match=r"^relative_error: numeric must have the shape of analytic, \(2,\); got \(3,\)"
    ):
        relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"^relative_error: analytic must contain only finite values"):
        relative_error(np.array([np.nan]), np.array([1.0]))


def test_thresholds_are_the_cs231n_ones_and_verdicts_follow_them():
    assert (PROBABLY_WRONG, UNCOMFORTABLE, GOOD) == (1e-2, 1e-4, 1e-7)
    assert verdict(2e-2) == "probably wrong"
    assert verdict(1e-3) == "uncomfortable"
    assert verdict(1e-5) == "too high for a smooth objective"
    assert verdict(1e-5, has_kinks=True) == "acceptable with kinks"
    assert verdict(1e-9) == "good"


def test_a_wrong_gradient_is_flagged():
    # A square W lets the classic slip (the transpose of dW) through every shape check; the
    # gradient check still catches it.
    rng = np.random.RandomState(3)
    X, W, b, G = rng.randn(7, 3), rng.randn(3, 3), rng.randn(3), rng.randn(7, 3)
    _, dW, _ = affine_backward(G, (X, W))
    numeric = numerical_gradient(lambda w: float(np.sum(affine_forward(X, w, b)[0] * G)), W.copy())
    assert relative_error(dW, numeric) < GOOD
    assert relative_error(dW.T, numeric) > PROBABLY_WRONG


def test_float32_makes_a_correct_gradient_look_wrong():
    # The documented reason checks run in float64: eps32 / h is about 1e-2.
    rng = np.random.RandomState(0)
    scores, labels = rng.randn(7, 3), rng.randint(0, 3, 7)
    _, analytic = softmax_loss(scores, labels)
    numeric64 = numerical_gradient(lambda s: softmax_loss(s, labels)[0], scores.copy())
    numeric32 = numerical_gradient(lambda s: softmax_loss(s, labels)[0], scores.astype(np.float32))
    assert relative_error(analytic, numeric64) < GOOD
    assert relative_error(analytic, numeric32) > UNCOMFORTABLE
