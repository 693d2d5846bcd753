import numpy as np
import pytest
from backprop_testing import OVERFLOW, STEP, make_rng, warnings_as_errors
from hypothesis import given, settings
from hypothesis import strategies as st
from test_backprop_validation import assert_clean_outcome, spoiled

from backprop.attention import (
    attention_backward,
    attention_forward,
    merge_heads,
    multihead_attention_backward,
    multihead_attention_forward,
    split_heads,
)
from backprop.gradient_check import numerical_gradient

# Distinct sizes (queries, keys, key size, value size, heads): a transposed product cannot pass.
N, M, DK, DV, H = 3, 5, 4, 2, 6


def random_head(rng, heads=()):
    return (rng.randn(*heads, N, DK), rng.randn(*heads, M, DK), rng.randn(*heads, M, DV),
            rng.randn(*heads, N, DV))  # fmt: skip


#: Allowed error of a centered difference, relative to the largest entry of the gradient. Its
#: truncation error, h^2/6 times a third derivative, is about h^2 = 1e-10 times the size of the
#: gradient for these inputs of size 1, whatever the size of one entry: an entry that nearly
#: cancels (1e-3 of the largest) would fail an entrywise relative test without anything wrong. A
#: wrong formula (a dropped scale, a transposed product) is off by the size of the gradient.
NORMWISE_TOLERANCE = 1e-7


def assert_gradient_matches(f, x, analytic, tolerance=NORMWISE_TOLERANCE):
    numeric = numerical_gradient(f, x, STEP)
    error = np.abs(analytic - numeric).max() / np.abs(numeric).max()
    assert error < tolerance, f"relative error {error:.2e} (to the largest entry) >= {tolerance:.0e}"


def loop_attention(Q, K, V):
    """One query at a time, with Python sums: the page's index formulas, independently."""
    n, d_k = Q.shape
    m = K.shape[0]
    O, A = np.zeros((n, V.shape[1])), np.zeros((n, m))
    for i in range(n):
        scores = [sum(Q[i, l] * K[j, l] for l in range(d_k)) / np.sqrt(d_k) for j in range(m)]
        weights = np.exp(np.array(scores) - max(scores))
        A[i] = weights / weights.sum()
        O[i] = sum(A[i, j] * V[j] for j in range(m))
    return O, A


def test_forward_equals_the_loop_and_rows_of_weights_sum_to_one():
    Q, K, V, _ = random_head(make_rng())
    O, (cQ, cK, cV, A) = attention_forward(Q, K, V)
    expected_O, expected_A = loop_attention(Q, K, V)
    np.testing.assert_allclose(O, expected_O, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(A, expected_A, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(A.sum(axis=1), 1.0, rtol=1e-15)
    assert cQ is Q and cK is K and cV is V


def loss_of(G, which, Q, K, V):
    """L = sum(O * G) as a function of one input, the others fixed; dL/dO = G."""
    def loss(x):
        args = {"Q": Q, "K": K, "V": V, which: x}
        return float(np.sum(attention_forward(args["Q"], args["K"], args["V"])[0] * G))
    return loss


@pytest.mark.parametrize("heads", [(), (H,)], ids=["one head", "a stack of heads"])
def test_backward_matches_centered_differences(heads):
    Q, K, V, G = random_head(make_rng(11), heads)
    dQ, dK, dV = attention_backward(G, attention_forward(Q, K, V)[1])
    assert (dQ.shape, dK.shape, dV.shape) == (Q.shape, K.shape, V.shape)
    for name, x, analytic in [("Q", Q, dQ), ("K", K, dK), ("V", V, dV)]:
        assert_gradient_matches(loss_of(G, name, Q, K, V), x.copy(), analytic)


def test_backward_equals_the_explicit_jacobian_of_each_row():
    # An independent route: build each row's M x M Jacobian diag(a) - a a^T and multiply.
    Q, K, V, G = random_head(make_rng(2))
    _, (_, _, _, A) = attention_forward(Q, K, V)
    dQ, dK, dV = attention_backward(G, (Q, K, V, A))
    dA = G @ V.T
    dS = np.stack([(np.diag(A[i]) - np.outer(A[i], A[i])).T @ dA[i] for i in range(N)])
    np.testing.assert_allclose(dV, A.T @ G, rtol=1e-13)
    np.testing.assert_allclose(dQ, dS @ K / np.sqrt(DK), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dK, dS.T @ Q / np.sqrt(DK), rtol=1e-12, atol=1e-15)


def test_a_forgotten_scale_is_caught_by_the_gradient_check():
    # d_k = 4: without the 1/sqrt(d_k) of the backward pass dQ and dK are twice too large
    Q, K, V, G = random_head(make_rng(4))
    dQ, dK, _ = attention_backward(G, attention_forward(Q, K, V)[1])
    for name, x, wrong in [("Q", Q, dQ * np.sqrt(DK)), ("K", K, dK * np.sqrt(DK))]:
        with pytest.raises(AssertionError, match="relative error"):
            assert_gradient_matches(loss_of(G, name, Q, K, V), x.copy(), wrong)


def test_a_saturated_softmax_sends_almost_no_gradient_to_the_scores():
    Q, K, V, G = random_head(make_rng(5))
    K[0] = 1e3 * Q[0] / np.linalg.norm(Q[0])  # query 1 matches key 1 by a margin of hundreds
    dQ, _, _ = attention_backward(G, attention_forward(Q, K, V)[1])
    assert np.abs(dQ[0]).max() < 1e-50


def test_the_same_vector_added_to_every_key_changes_nothing():
    # K + 1_M u^T adds Q u / sqrt(d_k) to every score of a row: each row's softmax is unchanged,
    # so O is too, and the key gradients sum to zero over the keys (the rows of dS sum to zero).
    Q, K, V, G = random_head(make_rng(6))
    O, cache = attention_forward(Q, K, V)
    u = make_rng(60).randn(DK)
    np.testing.assert_allclose(attention_forward(Q, K + u, V)[0], O, rtol=1e-12, atol=1e-14)
    _, dK, _ = attention_backward(G, cache)
    np.testing.assert_allclose(dK.sum(axis=0), 0.0, atol=1e-13)


def test_split_and_merge_heads_are_inverse_reshapes_in_blocks_of_columns():
    X = make_rng().randn(N, H * DK)
    heads = split_heads(X, H)
    assert heads.shape == (H, N, DK)
    for h in range(H):
        np.testing.assert_array_equal(heads[h], X[:, h * DK:(h + 1) * DK])
    np.testing.assert_array_equal(merge_heads(heads), X)


def test_multihead_equals_each_head_on_its_block_of_columns():
    rng = make_rng(8)
    Q, K, V, dO = rng.randn(N, H * DK), rng.randn(M, H * DK), rng.randn(M, H * DV), rng.randn(N, H * DV)
    O, cache = multihead_attention_forward(Q, K, V, H)
    dQ, dK, dV = multihead_attention_backward(dO, cache)
    assert (O.shape, dQ.shape, dK.shape, dV.shape) == ((N, H * DV), Q.shape, K.shape, V.shape)
    for h in range(H):
        k, v = slice(h * DK, (h + 1) * DK), slice(h * DV, (h + 1) * DV)
        O_h, cache_h = attention_forward(Q[:, k], K[:, k], V[:, v])
        np.testing.assert_allclose(O[:, v], O_h, rtol=1e-13)
        for got, want in zip((dQ[:, k], dK[:, k], dV[:, v]), attention_backward(dO[:, v], cache_h)):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_multihead_backward_matches_centered_differences():
    rng = make_rng(9)
    heads = 2
    Q, K, V, G = rng.randn(N, heads * DK), rng.randn(M, heads * DK), rng.randn(M, heads * DV), rng.randn(N, heads * DV)
    grads = multihead_attention_backward(G, multihead_attention_forward(Q, K, V, heads)[1])
    inputs = {"Q": Q, "K": K, "V": V}
    for name, analytic in zip("QKV", grads):
        def loss(x, name=name):
            args = {**inputs, name: x}
            return float(np.sum(multihead_attention_forward(args["Q"], args["K"], args["V"], heads)[0] * G))
        assert_gradient_matches(loss, inputs[name].copy(), analytic)


def test_float32_stays_float32():
    Q, K, V, G = (a.astype(np.float32) for a in random_head(make_rng()))
    O, cache = attention_forward(Q, K, V)
    assert O.dtype == np.float32 and all(g.dtype == np.float32 for g in attention_backward(G, cache))


@pytest.mark.parametrize(
    ("shapes", "expected"),
    [
        (((N, DK), (M, DK + 1), (M, DV)), r"K must have shape \(M, d_k\) = \(\?, 4\) to match Q \(3, 4\); got \(5, 5\)"),
        (((N, DK), (M, DK), (M + 1, DV)), r"V must have shape \(M, d_v\) = \(5, \?\) to match K \(5, 4\); got \(6, 2\)"),
        (((DK,), (M, DK), (M, DV)), r"Q must have shape \(N, d_k\) for one head or \(H, N, d_k\) for H heads; got \(4,\)"),
        (((2, N, DK), (3, M, DK), (3, M, DV)), r"K must have shape \(H, M, d_k\) = \(2, \?, 4\)"),
        (((N, DK), (0, DK), (0, DV)), r"K must have M \(keys\) >= 1"),
        (((N, 0), (M, 0), (M, DV)), r"Q must have d_k \(key size\) >= 1"),
    ],
)  # fmt: skip
def test_bad_shapes_name_the_argument(shapes, expected):
    with pytest.raises(ValueError, match=r"^attention_forward: " + expected):
        attention_forward(*(np.zeros(shape) for shape in shapes))


def test_bad_backward_arguments_and_overflow_are_named_errors():
    Q, K, V, G = random_head(make_rng())
    cache = attention_forward(Q, K, V)[1]
    with pytest.raises(ValueError, match=r"^attention_backward: dO must have shape \(N, d_v\) = \(3, 2\)"):
        attention_backward(G.T, cache)
    with pytest.raises(ValueError, match=r"^attention_backward: cache must be the tuple \(Q, K, V, A\)"):
        attention_backward(G, cache[:3])
    with pytest.raises(ValueError, match=r"^attention_backward: cache A must have shape \(N, M\) = \(3, 5\)"):
        attention_backward(G, (*cache[:3], cache[3].T))
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^attention_forward: Q, K and V {OVERFLOW}"):
        attention_forward(np.full((N, DK), 1e200), np.full((M, DK), 1e200), V)
    with pytest.raises(ValueError, match=r"^multihead_attention_forward: num_heads must be an integer >= 1"):
        multihead_attention_forward(Q, K, V, 0)
    with pytest.raises(ValueError, match=r"^multihead_attention_forward: V must have a number of columns that num_heads = 4"):
        multihead_attention_forward(np.zeros((N, 8)), np.zeros((M, 8)), np.zeros((M, 6)), 4)
    with pytest.raises(ValueError, match=r"^split_heads: num_heads must divide the 5 columns of X"):
        split_heads(np.zeros((2, 5)), 2)


def valid_call(name):
    rng = np.random.RandomState(0)
    Q, K, V, G = random_head(rng)
    flat = (rng.randn(N, 2 * DK), rng.randn(M, 2 * DK), rng.randn(M, 2 * DV))
    calls = {
        "attention_forward": (attention_forward, {"Q": Q, "K": K, "V": V}),
        "attention_backward": (attention_backward, {"dO": G, "cache": attention_forward(Q, K, V)[1]}),
        "split_heads": (split_heads, {"X": flat[0], "num_heads": 2}),
        "merge_heads": (merge_heads, {"Y": rng.randn(2, N, DK)}),
        "multihead_attention_forward": (
            multihead_attention_forward, {"Q": flat[0], "K": flat[1], "V": flat[2], "num_heads": 2}
        ),
        "multihead_attention_backward": (
            multihead_attention_backward,
            {"dO": rng.randn(N, 2 * DV), "cache": multihead_attention_forward(*flat, 2)[1]},
        ),
    }
    return calls[name]


@pytest.mark.parametrize("name", ["attention_forward", "attention_backward", "split_heads", "merge_heads",
                                  "multihead_attention_forward", "multihead_attention_backward"])  # fmt: skip
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_bad_arguments_give_named_errors_or_finite_results_and_no_warnings(name, data):
    # the fuzz of test_backprop_validation (its spoiled values and its verdict), for this module
    function, arguments = valid_call(name)
    assert assert_clean_outcome(name, function, arguments) == "result"
    key = data.draw(st.sampled_from(sorted(arguments)))
    assert_clean_outcome(name, function, {**arguments, key: spoiled(arguments[key], data)})
