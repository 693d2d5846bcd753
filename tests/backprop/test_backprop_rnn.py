import numpy as np
import pytest
from backprop_testing import D, H, N, OVERFLOW, make_rng, warnings_as_errors

from backprop.gradient_check import numerical_gradient
from backprop.rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward

# A length distinct from N, D and H, so that a time axis mixed up with another cannot fit.
T = 4
# Weights of this scale keep tanh away from saturation, so that early steps get gradients of a
# size the centered differences measure well (a saturated unit passes almost nothing back).
SCALE = 0.3


def assert_gradient_matches(f, x, analytic, tolerance=1e-8):
    """Compare ``analytic`` with the centered differences of ``f`` at ``x``, relative to the
    gradient's largest entry.

    The error of a centered difference is absolute: the rounding of the two evaluations of the loss
    over 2h (here about U |L| / h, some 1e-9) plus h^2 / 6 times a third derivative (tanh's are at
    most 2; with these weights some 1e-10). An entry much smaller than the largest has the same
    absolute error, so its own relative error says nothing; measured against the largest entry the
    error stays below 1e-8, while a wrong formula (a transposed weight, a missing path through a
    later step, a slope 1 - h for 1 - h^2) is off by more than 1e-2.
    """
    assert x.dtype == np.float64
    numeric = numerical_gradient(f, x)
    error = np.max(np.abs(analytic - numeric)) / np.max(np.abs(analytic))
    assert error < tolerance, f"error {error:.2e} of the largest entry >= {tolerance:.0e}"


def random_sequence(rng, n=N, t=T, d=D, h=H):
    x, h0 = rng.randn(n, t, d), rng.randn(n, h)
    Wx, Wh, b = SCALE * rng.randn(d, h), SCALE * rng.randn(h, h), SCALE * rng.randn(h)
    return x, h0, Wx, Wh, b, rng.randn(n, t, h)


def test_step_forward_equals_the_entrywise_formula():
    x, h0, Wx, Wh, b, _ = random_sequence(make_rng())
    x1 = x[:, 0, :]
    next_h, cache = rnn_step_forward(x1, h0, Wx, Wh, b)
    expected = [[np.tanh(sum(x1[n, d] * Wx[d, k] for d in range(D))
                         + sum(h0[n, j] * Wh[j, k] for j in range(H)) + b[k])
                 for k in range(H)] for n in range(N)]  # fmt: skip
    np.testing.assert_allclose(next_h, expected, rtol=1e-13, atol=1e-15)
    assert cache[0] is x1 and cache[1] is h0 and cache[4] is next_h


def test_step_backward_matches_centered_differences_for_every_input():
    # L = sum(next_h * G) has dL/dnext_h = G, so the step's backward pass must give L's gradients.
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng())
    x1, G = x[:, 0, :].copy(), dh[:, 0, :]
    _, cache = rnn_step_forward(x1, h0, Wx, Wh, b)
    grads = rnn_step_backward(G, cache)
    assert [g.shape for g in grads] == [(N, D), (N, H), (D, H), (H, H), (H,)]
    args = [x1, h0, Wx, Wh, b]
    for position, analytic in enumerate(grads):
        def loss(value, position=position):
            moved = list(args)
            moved[position] = value
            return float(np.sum(rnn_step_forward(*moved)[0] * G))

        assert_gradient_matches(loss, args[position].copy(), analytic)


def test_forward_equals_a_direct_loop_over_time():
    x, h0, Wx, Wh, b, _ = random_sequence(make_rng())
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    state, expected = h0, []
    for t in range(T):
        state = np.tanh(x[:, t, :] @ Wx + state @ Wh + b)
        expected.append(state)
    np.testing.assert_allclose(h, np.stack(expected, axis=1), rtol=1e-14, atol=1e-15)
    assert len(cache) == T


@pytest.mark.parametrize("length", [1, 2, 5])
def test_backward_matches_centered_differences_for_every_input(length):
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng(length), t=length)
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    grads = rnn_backward(dh, cache)
    assert [g.shape for g in grads] == [(N, length, D), (N, H), (D, H), (H, H), (H,)]
    args = [x, h0, Wx, Wh, b]
    for position, analytic in enumerate(grads):
        def loss(value, position=position):
            moved = list(args)
            moved[position] = value
            return float(np.sum(rnn_forward(*moved)[0] * dh))

        assert_gradient_matches(loss, args[position].copy(), analytic)


def test_the_shared_weights_get_the_sum_of_the_gradients_of_per_step_copies():
    # Copy forward, sum backward: an unrolled network with its own copy of Wh, Wx and b at every
    # step computes the same states; the gradient by each copy, measured numerically, sums over
    # the steps to the gradient rnn_backward gives the shared parameters.
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng(7))
    copies = {"Wx": [Wx.copy() for _ in range(T)], "Wh": [Wh.copy() for _ in range(T)],
              "b": [b.copy() for _ in range(T)]}  # fmt: skip

    def unrolled_loss():
        state, total = h0, 0.0
        for t in range(T):
            state = np.tanh(x[:, t, :] @ copies["Wx"][t] + state @ copies["Wh"][t] + copies["b"][t])
            total += float(np.sum(state * dh[:, t, :]))
        return total

    _, _, dWx, dWh, db = rnn_backward(dh, rnn_forward(x, h0, Wx, Wh, b)[1])
    for name, shared in (("Wx", dWx), ("Wh", dWh), ("b", db)):
        per_step = [numerical_gradient(lambda _: unrolled_loss(), copy) for copy in copies[name]]
        np.testing.assert_allclose(sum(per_step), shared, rtol=1e-7, atol=1e-9)
        # and no single step's gradient is the whole: every step contributes
        assert all(np.max(np.abs(g)) > 1e-3 for g in per_step)


def test_a_sequence_of_one_step_is_the_step():
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng(), t=1)
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    next_h, step_cache = rnn_step_forward(x[:, 0, :], h0, Wx, Wh, b)
    np.testing.assert_array_equal(h[:, 0, :], next_h)
    dx, dh0, dWx, dWh, db = rnn_backward(dh, cache)
    step = rnn_step_backward(dh[:, 0, :], step_cache)
    for got, want in zip((dx[:, 0, :], dh0, dWx, dWh, db), step):
        np.testing.assert_array_equal(got, want)


def test_inputs_are_not_edited():
    arrays = random_sequence(make_rng())
    copies = [a.copy() for a in arrays]
    x, h0, Wx, Wh, b, dh = arrays
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    rnn_backward(dh, cache)
    for original, copy in zip(arrays, copies):
        np.testing.assert_array_equal(original, copy)


def test_float32_stays_float32():
    x, h0, Wx, Wh, b, dh = (a.astype(np.float32) for a in random_sequence(make_rng()))
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in rnn_backward(dh, cache))


def test_wrong_shapes_name_the_argument_and_both_shapes():
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng())
    with pytest.raises(ValueError, match=r"^rnn_forward: Wh must have shape \(H, H\) = \(11, 11\) "
                                         r"to match h0 \(7, 11\); got \(11, 5\)$"):
        rnn_forward(x, h0, Wx, Wh[:, :5], b)
    with pytest.raises(ValueError, match=r"^rnn_forward: x must have shape \(N, T, D\)"):
        rnn_forward(x[:, 0, :], h0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"^rnn_step_forward: prev_h must have shape \(N, H\) = "
                                         r"\(7, \?\) to match x \(7, 5\); got \(6, 11\)$"):
        rnn_step_forward(x[:, 0, :], h0[:6], Wx, Wh, b)
    with pytest.raises(ValueError, match=r"^rnn_forward: x must have T >= 1 along axis 1"):
        rnn_forward(x[:, :0, :], h0, Wx, Wh, b)
    _, cache = rnn_forward(x, h0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"^rnn_backward: dh must have shape \(N, T, H\) = "
                                         r"\(7, 4, 11\) to match the cache of 4 steps"):
        rnn_backward(dh[:, :3, :], cache)
    with pytest.raises(ValueError, match=r"^rnn_step_backward: dnext_h must have shape \(N, H\)"):
        rnn_step_backward(dh[:, 0, :5], cache[0])


def test_bad_caches_are_named():
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng())
    _, cache = rnn_forward(x, h0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"^rnn_backward: cache must be the non-empty tuple of step "
                                         r"caches returned by rnn_forward; got tuple of length 0$"):
        rnn_backward(dh[:, :0], ())
    with pytest.raises(ValueError, match=r"^rnn_backward: cache\[2\] must be the tuple \(x, prev_h, "
                                         r"Wx, Wh, next_h\)"):
        rnn_backward(dh, cache[:2] + (cache[2][:4],) + cache[3:])
    other = cache[1][:3] + (cache[1][3] + 1.0,) + cache[1][4:]
    with pytest.raises(ValueError, match=r"^rnn_backward: cache\[1\] has another Wh than cache\[0\]"):
        rnn_backward(dh, (cache[0], other) + cache[2:])
    with pytest.raises(ValueError, match=r"^rnn_step_backward: cache must be the tuple"):
        rnn_step_backward(dh[:, 0], [*cache[0]])


def test_non_finite_values_and_mixed_dtypes_are_rejected():
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng())
    x[3, 2, 1] = np.nan
    with pytest.raises(ValueError, match=r"^rnn_forward: x must contain only finite values; got nan "
                                         r"at index \(3, 2, 1\)"):
        rnn_forward(x, h0, Wx, Wh, b)
    x[3, 2, 1] = 0.0
    with pytest.raises(ValueError, match=r"^rnn_forward: Wh must have the dtype of x, float64; got float32"):
        rnn_forward(x, h0, Wx, Wh.astype(np.float32), b)
    _, cache = rnn_forward(x, h0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"^rnn_backward: cache must have the dtype of dh, float32; "
                                         r"got float64"):
        rnn_backward(dh.astype(np.float32), cache)


def test_integer_inputs_are_converted_to_float64_exactly():
    next_h, _ = rnn_step_forward([[1, 0]], [[0]], [[1], [1]], [[2]], [0])
    assert next_h.dtype == np.float64 and next_h[0, 0] == np.tanh(1.0)


def test_results_that_overflow_from_finite_inputs_are_named_errors():
    x, h0, Wx, Wh, b, dh = random_sequence(make_rng())
    x[0, 0, 0], Wx[0, :] = 1e308, 10.0
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^rnn_forward: x, h0, Wx, Wh and b {OVERFLOW}"):
        rnn_forward(x, h0, Wx, Wh, b)
    x[0, 0, 0], Wx[0, :] = 0.0, 0.0
    _, cache = rnn_forward(x, h0, Wx, Wh, b)
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^rnn_backward: dh {OVERFLOW}"):
        rnn_backward(np.full((N, T, H), 1e308), cache)
