import numpy as np
import pytest
from backprop_testing import D, H, N, OVERFLOW, make_rng, warnings_as_errors

from backprop.gradient_check import numerical_gradient
from backprop.lstm import lstm_step_backward, lstm_step_forward

# Weights of this scale keep the gates away from saturation, so every gradient is of a size the
# centered differences measure well.
SCALE = 0.3


def assert_gradient_matches(f, x, analytic, tolerance=1e-8):
    """Compare ``analytic`` with the centered differences of ``f`` at ``x``, relative to the
    gradient's largest entry: the error of a centered difference is absolute (the rounding of two
    evaluations of the loss over 2h, about 1e-10 here, plus h^2 / 6 times a third derivative, which
    the sigmoid and tanh keep of order 1), so an entry much smaller than the largest has the same
    absolute error. A wrong formula (a gate's slope, a missing path into the cell) is off by more
    than 1e-2 of the largest entry."""
    assert x.dtype == np.float64
    numeric = numerical_gradient(f, x)
    error = np.max(np.abs(analytic - numeric)) / np.max(np.abs(analytic))
    assert error < tolerance, f"error {error:.2e} of the largest entry >= {tolerance:.0e}"


def random_step(rng, n=N, d=D, h=H):
    x, h0, c0 = rng.randn(n, d), rng.randn(n, h), rng.randn(n, h)
    Wx, Wh, b = SCALE * rng.randn(d, 4 * h), SCALE * rng.randn(h, 4 * h), SCALE * rng.randn(4 * h)
    return x, h0, c0, Wx, Wh, b, rng.randn(n, h), rng.randn(n, h)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_forward_equals_the_gate_equations_entry_by_entry():
    x, h0, c0, Wx, Wh, b, _, _ = random_step(make_rng())
    next_h, next_c, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    for n in range(N):
        for j in range(H):
            a = [sum(x[n, d] * Wx[d, q * H + j] for d in range(D))
                 + sum(h0[n, m] * Wh[m, q * H + j] for m in range(H)) + b[q * H + j]
                 for q in range(4)]  # fmt: skip
            i, f, o, g = sigmoid(a[0]), sigmoid(a[1]), sigmoid(a[2]), np.tanh(a[3])
            c = f * c0[n, j] + i * g
            assert next_c[n, j] == pytest.approx(c, rel=1e-13, abs=1e-15)
            assert next_h[n, j] == pytest.approx(o * np.tanh(c), rel=1e-13, abs=1e-15)


def test_backward_matches_centered_differences_for_every_input():
    # L = sum(next_h * Gh) + sum(next_c * Gc) has the upstream gradients Gh and Gc.
    x, h0, c0, Wx, Wh, b, Gh, Gc = random_step(make_rng())
    _, _, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    grads = lstm_step_backward(Gh, Gc, cache)
    assert [g.shape for g in grads] == [(N, D), (N, H), (N, H), (D, 4 * H), (H, 4 * H), (4 * H,)]
    args = [x, h0, c0, Wx, Wh, b]
    for position, analytic in enumerate(grads):
        def loss(value, position=position):
            moved = list(args)
            moved[position] = value
            next_h, next_c, _ = lstm_step_forward(*moved)
            return float(np.sum(next_h * Gh) + np.sum(next_c * Gc))

        assert_gradient_matches(loss, args[position].copy(), analytic)


def test_the_cell_path_multiplies_by_the_forget_gate_only():
    x, h0, c0, Wx, Wh, b, _, Gc = random_step(make_rng(3))
    _, _, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    dprev_c = lstm_step_backward(np.zeros((N, H)), Gc, cache)[2]
    np.testing.assert_allclose(dprev_c, Gc * sigmoid(x @ Wx[:, H:2 * H] + h0 @ Wh[:, H:2 * H] + b[H:2 * H]),
                               rtol=1e-13)


def test_the_sigmoid_does_not_overflow_on_large_pre_activations():
    x, h0, c0, Wx, Wh, b, Gh, Gc = random_step(make_rng())
    b[:] = np.tile([-800.0, 800.0], 2 * H)
    with warnings_as_errors():
        next_h, next_c, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
        grads = lstm_step_backward(Gh, Gc, cache)
    assert np.isfinite(next_h).all() and all(np.isfinite(g).all() for g in grads)


def test_inputs_are_not_edited_and_float32_stays_float32():
    arrays = random_step(make_rng())
    copies = [a.copy() for a in arrays]
    x, h0, c0, Wx, Wh, b, Gh, Gc = arrays
    lstm_step_backward(Gh, Gc, lstm_step_forward(x, h0, c0, Wx, Wh, b)[2])
    for original, copy in zip(arrays, copies):
        np.testing.assert_array_equal(original, copy)
    x, h0, c0, Wx, Wh, b, Gh, Gc = (a.astype(np.float32) for a in arrays)
    next_h, next_c, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    assert next_h.dtype == next_c.dtype == np.float32
    assert all(g.dtype == np.float32 for g in lstm_step_backward(Gh, Gc, cache))


def test_bad_input_is_named():
    x, h0, c0, Wx, Wh, b, Gh, Gc = random_step(make_rng())
    with pytest.raises(ValueError, match=r"^lstm_step_forward: Wx must have shape \(D, 4H\) = "
                                         r"\(5, 44\) to match x \(7, 5\) and to match prev_h \(7, 11\); "
                                         r"got \(5, 11\)$"):
        lstm_step_forward(x, h0, c0, Wx[:, :H], Wh, b)
    with pytest.raises(ValueError, match=r"^lstm_step_forward: b must have shape \(4H,\)"):
        lstm_step_forward(x, h0, c0, Wx, Wh, b[:H])
    c0[1, 2] = np.inf
    with pytest.raises(ValueError, match=r"^lstm_step_forward: prev_c must contain only finite values"):
        lstm_step_forward(x, h0, c0, Wx, Wh, b)
    c0[1, 2] = 0.0
    with pytest.raises(ValueError, match=r"^lstm_step_forward: Wh must have the dtype of x, float64"):
        lstm_step_forward(x, h0, c0, Wx, Wh.astype(np.float32), b)
    _, _, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"^lstm_step_backward: cache must be the tuple \(x, prev_h, "
                                         r"prev_c, Wx, Wh, i, f, o, g, next_c\)"):
        lstm_step_backward(Gh, Gc, cache[:9])
    with pytest.raises(ValueError, match=r"^lstm_step_backward: dnext_c must have shape \(N, H\)"):
        lstm_step_backward(Gh, Gc.T, cache)


def test_results_that_overflow_from_finite_inputs_are_named_errors():
    x, h0, c0, Wx, Wh, b, Gh, Gc = random_step(make_rng())
    _, _, cache = lstm_step_forward(x, h0, c0, Wx, Wh, b)
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^lstm_step_backward: dnext_h and dnext_c {OVERFLOW}"):
        lstm_step_backward(np.full((N, H), 1e308), np.full((N, H), 1e308), cache)
