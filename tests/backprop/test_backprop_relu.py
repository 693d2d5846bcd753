import numpy as np
import pytest
from backprop_testing import H, N, assert_gradient_matches, make_rng
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop.relu import relu_backward, relu_forward


def test_forward_keeps_positive_entries_and_zeroes_the_rest():
    Z = np.array([[-2.0, -0.0, 0.0, 1e-300, 3.5]])
    A, cache = relu_forward(Z)
    np.testing.assert_array_equal(A, [[0.0, 0.0, 0.0, 1e-300, 3.5]])
    assert cache is Z


def test_derivative_at_exactly_zero_is_zero():
    Z = np.array([[0.0, -0.0, 1e-300, -1e-300]])
    dZ = relu_backward(np.full((1, 4), 7.0), Z)
    np.testing.assert_array_equal(dZ, [[0.0, 0.0, 7.0, 0.0]])


def test_backward_matches_centered_differences_away_from_the_kink():
    rng = make_rng()
    Z = rng.randn(N, H)
    Z[np.abs(Z) < 0.1] = 0.5  # keep every entry far from 0 compared with h = 1e-5
    G = rng.randn(N, H)
    assert_gradient_matches(lambda z: float(np.sum(relu_forward(z)[0] * G)), Z.copy(), relu_backward(G, Z))


def test_inputs_are_not_edited():
    rng = make_rng()
    Z, G = rng.randn(N, H), rng.randn(N, H)
    Z_before, G_before = Z.copy(), G.copy()
    relu_forward(Z)
    dZ = relu_backward(G, Z)
    np.testing.assert_array_equal(Z, Z_before)
    np.testing.assert_array_equal(G, G_before)
    assert not np.shares_memory(dZ, G)


def test_float32_stays_float32():
    Z = make_rng().randn(N, H).astype(np.float32)
    assert relu_forward(Z)[0].dtype == np.float32
    assert relu_backward(Z, Z).dtype == np.float32


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(
        ValueError,
        match=r"^relu_backward: cache must have shape \(N, H\) = \(3, 2\) to match dA \(3, 2\) "
        r"\(cache is the Z from relu_forward\); got \(2, 3\)$",
    ):
        relu_backward(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^relu_forward: Z must contain only finite values; got nan"):
        relu_forward(np.array([[np.nan]]))
    with pytest.raises(ValueError, match=r"^relu_forward: Z must have shape \(N, H\)"):
        relu_forward(np.zeros(3))


@settings(max_examples=60, deadline=None)
@given(Z=arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.floats(-1e6, 1e6)))
def test_forward_and_backward_use_the_same_mask(Z):
    A, cache = relu_forward(Z)
    mask = relu_backward(np.ones_like(Z), cache)
    np.testing.assert_array_equal(A, Z * mask)
    assert set(np.unique(mask)) <= {0.0, 1.0}
    assert (A >= 0).all()


def test_a_bad_cache_is_blamed_on_the_cache_not_on_dA():
    dA = np.ones((N, H))
    expected = rf"^relu_backward: cache must have shape \(N, H\) = \({N}, {H}\) to match dA"
    with pytest.raises(ValueError, match=expected):
        relu_backward(dA, np.ones((H, N)))  # the Z of another layer
    with pytest.raises(ValueError, match=r"^relu_backward: cache must have shape .*; got \(2, 7, 11\)$"):
        relu_backward(dA, (np.ones((N, H)), np.ones((N, H))))  # an affine-style tuple cache
    expected = r"^relu_backward: cache must have the dtype of dA, float64; got float32"
    with pytest.raises(ValueError, match=expected):
        relu_backward(dA, np.ones((N, H), np.float32))
