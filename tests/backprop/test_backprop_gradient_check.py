import numpy as np
import pytest
from backprop_testing import warnings_as_errors

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


def test_a_read_only_x_is_a_named_error_before_any_evaluation():
    x = np.ones(3)
    x.flags.writeable = False
    expected = r"^numerical_gradient: x must be writeable .*got a read-only array: pass x.copy\(\)"
    with pytest.raises(ValueError, match=expected):
        numerical_gradient(lambda x: float(np.sum(x)), x)


@pytest.mark.parametrize(
    "returned, expected",
    [
        (None, r"f must return a real scalar \(a float\); got NoneType None"),
        ("1.0", r"f must return a real scalar \(a float\); got str '1.0'"),
        (True, r"f must return a real scalar \(a float\); got bool True"),
        (np.array([1.0]), r"f must return a real scalar \(a float\); got ndarray"),
        (float("nan"), r"f must return a finite scalar; got nan"),
    ],
)
def test_f_must_return_a_real_finite_scalar(returned, expected):
    x = np.ones(2)
    with pytest.raises(ValueError, match=r"^numerical_gradient: " + expected):
        numerical_gradient(lambda _: returned, x)
    np.testing.assert_array_equal(x, 1.0)  # restored even so


def test_a_0_d_array_and_a_numpy_float_are_scalars():
    grad = numerical_gradient(lambda x: np.sum(x**2), np.array([1.0, 2.0]))  # np.float64
    np.testing.assert_allclose(grad, [2.0, 4.0], rtol=1e-9)
    grad = numerical_gradient(lambda x: np.asarray(np.sum(x)), np.array([1.0]))  # 0-d array
    np.testing.assert_allclose(grad, [1.0], rtol=1e-9)


def test_overflows_from_finite_values_are_named_errors():
    expected = r"^numerical_gradient: h must be small enough that x \+- h is finite in float64"
    with pytest.raises(ValueError, match=expected):
        numerical_gradient(lambda x: 0.0, np.array([1e308]), h=1e308)
    expected = (
        r"^numerical_gradient: f must return values whose difference is finite; "
        r"got f = 1e\+308 and -1e\+308 at x\[0\] \+- h"
    )
    with pytest.raises(ValueError, match=expected):
        numerical_gradient(lambda x: 1e308 if x[0] > 1 else -1e308, np.array([1.0]))
    expected = r"^relative_error: analytic and numeric are finite, but"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        relative_error(np.array([1e308]), np.array([-1e308]))


@pytest.mark.parametrize(
    "error, has_kinks, expected",
    [
        (float("nan"), False, r"error must be a finite number >= 0; got nan"),  # was 'good'
        (-1.0, False, r"error must be a finite number >= 0; got -1.0"),  # was 'good'
        (float("inf"), False, r"error must be a finite number >= 0; got inf"),
        ("1e-3", False, r"error must be a real number; got str '1e-3'"),
        (5e-6, "no", r"has_kinks must be True or False; got str 'no'"),  # was 'acceptable with kinks'
        (5e-6, 1, r"has_kinks must be True or False; got int 1"),
    ],
)
def test_verdict_rejects_what_it_would_misread(error, has_kinks, expected):
    with pytest.raises(ValueError, match=r"^verdict: " + expected):
        verdict(error, has_kinks=has_kinks)


def test_verdict_reads_zero_and_numpy_values():
    assert verdict(0.0) == "good"
    assert verdict(np.float64(5e-6), has_kinks=np.bool_(True)) == "acceptable with kinks"
