import numpy as np
import pytest
from backprop_testing import (
    STEP,
    U,
    D,
    K,
    N,
    assert_gradient_matches,
    assert_within_centered_difference_bound,
    OVERFLOW,
    make_rng,
    warnings_as_errors,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop.affine import affine_backward, affine_forward


def random_layer(rng, n=N, d=D, k=K):
    return rng.randn(n, d), rng.randn(d, k), rng.randn(k), rng.randn(n, k)


def test_forward_equals_the_entrywise_sum():
    X, W, b, _ = random_layer(make_rng())
    F, cache = affine_forward(X, W, b)
    expected = np.array(
        [[sum(X[i, d] * W[d, k] for d in range(D)) + b[k] for k in range(K)] for i in range(N)]
    )
    np.testing.assert_allclose(F, expected, rtol=1e-13)
    assert cache[0] is X and cache[1] is W


def test_backward_matches_centered_differences_for_every_input():
    # L = sum(F * G) has dL/dF = G, so the layer's backward pass must give L's gradients.
    X, W, b, G = random_layer(make_rng())
    dX, dW, db = affine_backward(G, (X, W))
    assert (dX.shape, dW.shape, db.shape) == ((N, D), (D, K), (K,))
    assert_gradient_matches(lambda x: float(np.sum(affine_forward(x, W, b)[0] * G)), X.copy(), dX)
    assert_gradient_matches(lambda w: float(np.sum(affine_forward(X, w, b)[0] * G)), W.copy(), dW)
    assert_gradient_matches(lambda c: float(np.sum(affine_forward(X, W, c)[0] * G)), b.copy(), db)


def test_backward_equals_the_entrywise_sums():
    X, W, _, G = random_layer(make_rng())
    dX, dW, db = affine_backward(G, (X, W))
    np.testing.assert_allclose(
        dW, [[sum(X[i, d] * G[i, k] for i in range(N)) for k in range(K)] for d in range(D)]
    )
    np.testing.assert_allclose(db, [sum(G[i, k] for i in range(N)) for k in range(K)])
    np.testing.assert_allclose(
        dX, [[sum(G[i, k] * W[d, k] for k in range(K)) for d in range(D)] for i in range(N)]
    )


def test_skipping_dx_leaves_dw_and_db_unchanged():
    X, W, _, G = random_layer(make_rng())
    dX, dW, db = affine_backward(G, (X, W), compute_dX=False)
    _, dW_full, db_full = affine_backward(G, (X, W))
    assert dX is None
    np.testing.assert_array_equal(dW, dW_full)
    np.testing.assert_array_equal(db, db_full)


def test_inputs_are_not_edited():
    X, W, b, G = random_layer(make_rng())
    copies = [a.copy() for a in (X, W, b, G)]
    F, cache = affine_forward(X, W, b)
    affine_backward(G, cache)
    for original, copy in zip((X, W, b, G), copies):
        np.testing.assert_array_equal(original, copy)


def test_float32_stays_float32():
    X, W, b, G = (a.astype(np.float32) for a in random_layer(make_rng()))
    F, cache = affine_forward(X, W, b)
    assert F.dtype == np.float32
    assert all(g.dtype == np.float32 for g in affine_backward(G, cache))


def test_wrong_shapes_name_the_argument_and_both_shapes():
    X = np.zeros((300, 2))
    with pytest.raises(
        ValueError,
        match=r"^affine_forward: W must have shape \(D, K\) = \(2, \?\) to match X \(300, 2\); got \(3, 3\)$",
    ):
        affine_forward(X, np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(
        ValueError,
        match=r"^affine_forward: b must have shape \(K,\) = \(3,\) to match W \(2, 3\); got \(1, 3\)$",
    ):
        affine_forward(X, np.zeros((2, 3)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"^affine_forward: X must have shape \(N, D\)"):
        affine_forward(np.zeros(2), np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(
        ValueError,
        match=r"^affine_backward: dF must have shape \(N, K\) = \(300, 3\) to match X \(300, 2\) "
        r"and W \(2, 3\); got \(3, 300\)$",
    ):
        affine_backward(np.zeros((3, 300)), (X, np.zeros((2, 3))))
    with pytest.raises(ValueError, match=r"^affine_backward: cache must be the pair \(X, W\)"):
        affine_backward(np.zeros((300, 3)), X)


def test_non_finite_values_are_rejected():
    X = np.zeros((4, 2))
    X[2, 1] = np.nan
    with pytest.raises(
        ValueError, match=r"^affine_forward: X must contain only finite values; got nan at index \(2, 1\)"
    ):
        affine_forward(X, np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"^affine_forward: b must contain only finite values; got -inf"):
        affine_forward(np.zeros((4, 2)), np.zeros((2, 3)), np.array([0.0, -np.inf, 0.0]))


def test_huge_finite_values_are_not_mistaken_for_infinity():
    # Their sum overflows to inf; the check must still accept them.
    X = np.full((2, 2), 1e308)
    F, _ = affine_forward(X, np.zeros((2, 3)), np.zeros(3))
    np.testing.assert_array_equal(F, 0.0)


def loss_evaluation_error(X, W, b, G, h=STEP):
    """Bound on the rounding error of one evaluation of L = sum((X W + b) * G) within h of X, W, b.

    Each score sums d products and adds b: off by at most (d + 1) U (|X| |W| + |b|); the products
    with G and their sum over n k terms add n k U times the same sizes (first order in U).
    """
    n, d = X.shape
    k = W.shape[1]
    sizes = (np.abs(X) + h) @ (np.abs(W) + h) + np.abs(b) + h
    return float((d + 1 + n * k) * U * np.sum(np.abs(G) * sizes))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), d=st.integers(1, 6), k=st.integers(1, 6), seed=st.integers(0, 2**31 - 1))
@example(n=6, d=5, k=6, seed=18750981)  # an entry of dX near 4e-4: entrywise relative error 1.7e-7
def test_backward_matches_centered_differences_for_random_shapes(n, d, k, seed):
    # L is linear in each argument, so the centered difference has no truncation error, only the
    # rounding of L (over 2h) and of the step; the gradients' own rounding is that of their sums:
    # dX = G W^T sums k products, dW = X^T G and db sum n.
    X, W, b, G = random_layer(np.random.RandomState(seed), n, d, k)
    dX, dW, db = affine_backward(G, (X, W))
    assert (dX.shape, dW.shape, db.shape) == ((n, d), (d, k), (k,))
    error = loss_evaluation_error(X, W, b, G)
    abs_G = np.abs(G)
    for f, x, analytic, analytic_error in [
        (lambda x: float(np.sum(affine_forward(x, W, b)[0] * G)), X, dX, k * U * abs_G @ np.abs(W).T),
        (lambda w: float(np.sum(affine_forward(X, w, b)[0] * G)), W, dW, n * U * np.abs(X).T @ abs_G),
        (lambda c: float(np.sum(affine_forward(X, W, c)[0] * G)), b, db, n * U * abs_G.sum(axis=0)),
    ]:
        assert_within_centered_difference_bound(
            f, x.copy(), analytic, evaluation_error=error, analytic_error=analytic_error
        )


def test_the_error_bound_rejects_a_transposed_product():
    # The bound must still catch a wrong formula: dW = G^T X has the right shape when D = K.
    X, W, b, G = random_layer(make_rng(), N, 4, 4)
    with pytest.raises(AssertionError, match="exceeds the error bound"):
        assert_within_centered_difference_bound(
            lambda w: float(np.sum(affine_forward(X, w, b)[0] * G)), W.copy(), G.T @ X,
            evaluation_error=loss_evaluation_error(X, W, b, G),
        )  # fmt: skip


def test_mixed_float_dtypes_are_an_error_not_a_silent_promotion():
    X, W, b, G = random_layer(make_rng())
    with pytest.raises(
        ValueError, match=r"^affine_forward: W must have the dtype of X, float32; got float64"
    ):
        affine_forward(X.astype(np.float32), W, b.astype(np.float32))
    with pytest.raises(
        ValueError, match=r"^affine_backward: dF must have the dtype of cache X, float64; got float32"
    ):
        affine_backward(G.astype(np.float32), (X, W))


def test_integer_inputs_are_converted_to_float64_exactly():
    F, _ = affine_forward([[1, 2]], [[3], [4]], [5])
    assert F.dtype == np.float64 and F.tolist() == [[16.0]]


def test_results_that_overflow_from_finite_inputs_are_named_errors():
    X, W, b, G = random_layer(make_rng())
    X[0, 0] = 1e308
    W[0, :] = 10.0
    with warnings_as_errors(), pytest.raises(
        ValueError,
        match=rf"^affine_forward: X, W and b {OVERFLOW} matmul\): largest magnitudes X 1e\+308, W 10",
    ):
        affine_forward(X, W, b)
    expected = rf"^affine_backward: dF, cache X and cache W {OVERFLOW}"
    with warnings_as_errors(), pytest.raises(ValueError, match=expected):
        affine_backward(np.full((N, K), 1e308), (np.full((N, D), 10.0), W))


def test_compute_dX_must_be_a_bool():
    X, W, _, G = random_layer(make_rng())
    expected = r"^affine_backward: compute_dX must be True or False; got str 'no'$"
    with pytest.raises(ValueError, match=expected):
        affine_backward(G, (X, W), compute_dX="no")
