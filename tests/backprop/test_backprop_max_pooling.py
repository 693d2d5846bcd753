import itertools

import numpy as np
import pytest
from backprop_testing import STEP, U, assert_within_centered_difference_bound, make_rng, warnings_as_errors
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.gradient_check import numerical_gradient
from backprop.max_pooling import (
    first_max_mask,
    max_pool_backward_naive,
    max_pool_backward_reshape,
    max_pool_forward_naive,
    max_pool_forward_reshape,
    tiled_windows,
)

# (H, W, pool_height, pool_width, stride): overlapping windows (stride < window), windows that tile
# the input, windows with gaps between them (stride > window: some inputs are in no window), and
# non-square windows. Sizes distinct from N = 3, C = 2 and from each other where possible.
CONFIGURATIONS = [
    (7, 9, 3, 3, 2),  # overlapping: H' = 3, W' = 4
    (5, 6, 2, 3, 1),  # overlapping, non-square: H' = 4, W' = 4
    (8, 6, 2, 2, 2),  # tiling: H' = 4, W' = 3
    (7, 8, 1, 2, 3),  # gaps: H' = 3, W' = 3
]
N, C = 3, 2


def pool_param(pool_height, pool_width, stride):
    return {"pool_height": pool_height, "pool_width": pool_width, "stride": stride}


def pooled_by_loops(x, pool_height, pool_width, stride):
    """The oracle of the forward pass: Python's max over each window's entries, one by one."""
    num_examples, num_channels, height, width = x.shape
    out_height, out_width = (height - pool_height) // stride + 1, (width - pool_width) // stride + 1
    out = np.zeros((num_examples, num_channels, out_height, out_width))
    for n, c, i, j in itertools.product(range(num_examples), range(num_channels), range(out_height),
                                        range(out_width)):  # fmt: skip
        out[n, c, i, j] = max(x[n, c, i * stride + p, j * stride + q]
                              for p in range(pool_height) for q in range(pool_width))  # fmt: skip
    return out


def distinct_entries(rng, shape, gap=0.1):
    """Entries at least ``gap`` apart (a shuffled arithmetic sequence): no window has a tie, and a
    step of 1e-5 never changes which entry is a window's maximum."""
    size = int(np.prod(shape))
    return (rng.permutation(size) * gap - size * gap / 2).reshape(shape)


@pytest.mark.parametrize("height, width, pool_height, pool_width, stride", CONFIGURATIONS)
def test_forward_equals_the_max_over_each_window(height, width, pool_height, pool_width, stride):
    x = make_rng().randn(N, C, height, width)
    pool = pool_param(pool_height, pool_width, stride)
    out, cache = max_pool_forward_naive(x, pool)
    expected = pooled_by_loops(x, pool_height, pool_width, stride)
    assert out.shape == expected.shape == (N, C, 1 + (height - pool_height) // stride,
                                           1 + (width - pool_width) // stride)  # fmt: skip
    np.testing.assert_array_equal(out, expected)  # a max copies an entry: exact
    assert cache[0] is x and cache[1] is pool


@pytest.mark.parametrize("height, width, pool_height, pool_width, stride", CONFIGURATIONS)
def test_backward_matches_centered_differences_away_from_ties(height, width, pool_height, pool_width, stride):
    rng = make_rng(5)
    x = distinct_entries(rng, (N, C, height, width))
    pool = pool_param(pool_height, pool_width, stride)
    out, cache = max_pool_forward_naive(x, pool)
    G = rng.randn(*out.shape)
    dx = max_pool_backward_naive(G, cache)

    def loss(values):
        return float(np.sum(max_pool_forward_naive(values, pool)[0] * G))

    # The loss is linear near x (no window's maximum changes within a step), so the Taylor term is 0;
    # a sum of m products rounds by at most m U times the sum of their magnitudes.
    largest = np.sum(np.abs(G) * (np.abs(out) + STEP))
    assert_within_centered_difference_bound(loss, x, dx, evaluation_error=(G.size + 1) * U * largest,
                                            analytic_error=4 * U * np.abs(dx))  # fmt: skip


@pytest.mark.parametrize("height, width, pool_height, pool_width, stride", CONFIGURATIONS)
def test_backward_sends_each_window_its_gradient_once(height, width, pool_height, pool_width, stride):
    # Every window routes its whole gradient to one input, so dx adds up to what dout adds up to;
    # an input receives the sum over the windows whose maximum it is (several when they overlap).
    rng = make_rng(7)
    x = distinct_entries(rng, (N, C, height, width))
    out, cache = max_pool_forward_naive(x, pool_param(pool_height, pool_width, stride))
    G = rng.randint(-5, 6, size=out.shape).astype(float)  # integers: every sum is exact
    dx = max_pool_backward_naive(G, cache)
    np.testing.assert_array_equal(dx.sum(axis=(2, 3)), G.sum(axis=(2, 3)))
    expected = np.zeros_like(x)
    for n, c, i, j in itertools.product(range(N), range(C), range(out.shape[2]), range(out.shape[3])):
        window = [(i * stride + p, j * stride + q) for p in range(pool_height) for q in range(pool_width)]
        h, w = max(window, key=lambda position: x[n, c, position[0], position[1]])
        expected[n, c, h, w] += G[n, c, i, j]
    np.testing.assert_array_equal(dx, expected)


def test_overlapping_windows_add_their_gradients_at_a_shared_maximum():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # the centre is in all four 2 x 2 windows of stride 1, and the maximum of each
    out, cache = max_pool_forward_naive(x, pool_param(2, 2, 1))
    G = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    dx = max_pool_backward_naive(G, cache)
    assert dx[0, 0, 1, 1] == 10.0
    assert np.count_nonzero(dx) == 1


def test_a_tie_sends_the_whole_gradient_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[0.0, 7.0], [7.0, 7.0]],    # three-way tie: (0, 1) comes first
                   [[2.0, 1.0], [2.0, 2.0]]]])  # three-way tie: (0, 0) comes first
    out, cache = max_pool_forward_naive(x, pool_param(2, 2, 2))
    dx = max_pool_backward_naive(np.array([[[[3.0]], [[-1.0]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 3.0], [0.0, 0.0]], [[-1.0, 0.0], [0.0, 0.0]]]])
    np.testing.assert_array_equal(max_pool_backward_reshape(np.array([[[[3.0]], [[-1.0]]]]), cache), dx)
    # row-major order reads row 0 before row 1: (0, 1) wins over (1, 0) (column-major would pick (1, 0))
    column_tie = np.array([[[[1.0, 5.0], [5.0, 0.0]]]])
    dx = max_pool_backward_naive(np.ones((1, 1, 1, 1)), max_pool_forward_naive(column_tie, pool_param(2, 2, 2))[1])
    np.testing.assert_array_equal(dx, [[[[0.0, 1.0], [0.0, 0.0]]]])


def test_at_a_tie_the_centered_difference_gives_one_half_to_each_tied_entry():
    # The max of a window is not differentiable at a tie: raising one tied entry by h raises the
    # max by h (slope 1), lowering it leaves the max to the other (slope 0). The centered
    # difference averages the two one-sided slopes, 1/2, whatever the number of tied entries, so a
    # gradient check at a tie disagrees with any single choice; the code's choice is a subgradient.
    for ties in (2, 3, 4):
        window = np.zeros(4)
        window[:ties] = 1.5
        x = window.reshape(1, 1, 2, 2)
        pool = pool_param(2, 2, 2)
        numeric = numerical_gradient(lambda values: float(max_pool_forward_naive(values, pool)[0].sum()),
                                     x)  # fmt: skip
        expected = np.where(x == 1.5, 0.5, 0.0)
        np.testing.assert_allclose(numeric, expected, rtol=1e-9, atol=0)
        analytic = max_pool_backward_naive(np.ones((1, 1, 1, 1)), max_pool_forward_naive(x, pool)[1])
        np.testing.assert_array_equal(analytic.reshape(-1), [1.0, 0.0, 0.0, 0.0])


@settings(max_examples=80, deadline=None)
@given(
    entries=st.lists(st.integers(-2, 2), min_size=6, max_size=6),
    other=st.lists(st.floats(-3, 3), min_size=6, max_size=6),
)
def test_the_routed_gradient_is_a_subgradient_of_the_window_max_ties_included(entries, other):
    # max is convex, and g is a subgradient at x when max(y) >= max(x) + g . (y - x) for every y.
    # Small integers make ties common; the one-hot of the first maximum must pass for any y.
    x = np.array(entries, dtype=float).reshape(1, 1, 2, 3)
    y = np.array(other).reshape(1, 1, 2, 3)
    pool = pool_param(2, 3, 1)
    out, cache = max_pool_forward_naive(x, pool)
    g = max_pool_backward_naive(np.ones((1, 1, 1, 1)), cache)
    assert g.sum() == 1.0 and x.reshape(-1)[np.argmax(g)] == x.max()
    assert max_pool_forward_naive(y, pool)[0].item() >= out.item() + np.sum(g * (y - x)) - 1e-12


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 3),
    tiles=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    seed=st.integers(0, 2**32 - 1),
)
def test_reshape_version_agrees_with_the_naive_loop_ties_included(size, tiles, seed):
    rng = np.random.RandomState(seed)
    x = rng.randint(-2, 3, size=(2, 3, tiles[0] * size, tiles[1] * size)).astype(float)  # many ties
    pool = pool_param(size, size, size)
    out, cache = max_pool_forward_reshape(x, pool)
    out_naive, cache_naive = max_pool_forward_naive(x, pool)
    np.testing.assert_array_equal(out, out_naive)
    G = rng.randn(*out.shape)
    np.testing.assert_array_equal(max_pool_backward_reshape(G, cache), max_pool_backward_naive(G, cache_naive))


def test_first_max_mask_marks_exactly_one_entry_per_window():
    windows = make_rng().randint(0, 2, size=(4, 3, 2, 2)).astype(float)
    mask = first_max_mask(windows)
    np.testing.assert_array_equal(mask.sum(axis=(2, 3)), np.ones((4, 3)))
    np.testing.assert_array_equal((mask * windows).sum(axis=(2, 3)), windows.max(axis=(2, 3)))


def test_inputs_are_not_edited_and_float32_stays_float32():
    rng = make_rng()
    x = rng.randn(N, C, 7, 9)
    pool = pool_param(3, 3, 2)
    x_before, pool_before = x.copy(), dict(pool)
    out, cache = max_pool_forward_naive(x, pool)
    G = rng.randn(*out.shape)
    G_before = G.copy()
    max_pool_backward_naive(G, cache)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(G, G_before)
    assert pool == pool_before
    out32, cache32 = max_pool_forward_naive(x.astype(np.float32), pool)
    assert out32.dtype == np.float32
    assert max_pool_backward_naive(G.astype(np.float32), cache32).dtype == np.float32
    x_tiled = rng.randn(N, C, 8, 6).astype(np.float32)
    out32, cache32 = max_pool_forward_reshape(x_tiled, pool_param(2, 2, 2))
    assert out32.dtype == np.float32
    assert max_pool_backward_reshape(np.ones_like(out32), cache32).dtype == np.float32


def test_bad_inputs_raise_clear_errors():
    x = np.zeros((N, C, 7, 9))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: pool_param does not fit x of shape "
                                         r"\(3, 2, 7, 9\): H' = 1 \+ \(H - pool_height\) / stride = "
                                         r"1 \+ \(7 - 2\) / 2 is not a whole number"):
        max_pool_forward_naive(x, pool_param(2, 3, 2))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: pool_param does not fit x .* W' = 1 \+ "
                                         r"\(W - pool_width\) / stride = 1 \+ \(9 - 2\) / 2"):
        max_pool_forward_naive(x, pool_param(3, 2, 2))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: pool_param\['pool_height'\] = 8 is larger "
                                         r"than the input's H = 7"):
        max_pool_forward_naive(x, pool_param(8, 1, 1))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: pool_param must be a dict with the keys "
                                         r"\['pool_height', 'pool_width', 'stride'\]; got \['pool_height', "
                                         r"'pool_width', 'pool_stride'\]"):
        max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "pool_stride": 2})
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: pool_param\['stride'\] must be an integer "
                                         r">= 1; got float 2.0"):
        max_pool_forward_naive(x, pool_param(3, 3, 2.0))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: pool_param\['pool_width'\] must be an "
                                         r"integer >= 1; got 0"):
        max_pool_forward_naive(x, pool_param(3, 0, 2))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: x must have shape \(N, C, H, W\)"):
        max_pool_forward_naive(np.zeros((7, 9)), pool_param(3, 3, 2))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: x must have N \(examples\) >= 1"):
        max_pool_forward_naive(np.zeros((0, C, 7, 9)), pool_param(3, 3, 2))
    with pytest.raises(ValueError, match=r"^max_pool_forward_naive: x must contain only finite values"):
        max_pool_forward_naive(np.full((N, C, 7, 9), np.nan), pool_param(3, 3, 2))
    with pytest.raises(ValueError, match=r"^max_pool_forward_reshape: pool_param must describe windows that "
                                         r"tile the input, pool_height == pool_width == stride; got 3, 3, 2"):
        max_pool_forward_reshape(x, pool_param(3, 3, 2))
    out, cache = max_pool_forward_naive(x, pool_param(3, 3, 2))
    with pytest.raises(ValueError, match=r"^max_pool_backward_naive: dout must have shape \(N, C, H', W'\) = "
                                         r"\(3, 2, 3, 4\) to match cache x \(3, 2, 7, 9\)"):
        max_pool_backward_naive(np.zeros((N, C, 4, 3)), cache)
    with pytest.raises(ValueError, match=r"^max_pool_backward_naive: cache must be the pair \(x, pool_param\)"):
        max_pool_backward_naive(out, x)
    with pytest.raises(ValueError, match=r"^max_pool_backward_naive: dout must have the dtype of cache x"):
        max_pool_backward_naive(out.astype(np.float32), cache)
    with pytest.raises(ValueError, match=r"^max_pool_backward_reshape: cache pool_param must describe windows"):
        max_pool_backward_reshape(out, cache)
    # overlapping windows add gradients: finite ones can overflow
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0
    with warnings_as_errors(), pytest.raises(ValueError, match=r"^max_pool_backward_naive: dout is finite, "
                                                               r"but the result is not"):
        max_pool_backward_naive(np.full((1, 1, 2, 2), 1e308), max_pool_forward_naive(x, pool_param(2, 2, 1))[1])


def test_tiled_windows_entry_p_q_of_window_i_j_is_the_input_entry_it_covers():
    x = make_rng().randn(N, C, 6, 9)
    size = 3
    windows = tiled_windows(x, size)
    assert windows.shape == (N, C, 2, 3, size, size)
    for n, c, i, j, p, q in itertools.product(range(N), range(C), range(2), range(3), range(size), range(size)):
        assert windows[n, c, i, j, p, q] == x[n, c, i * size + p, j * size + q]
    with pytest.raises(ValueError, match=r"^tiled_windows: x of shape \(3, 2, 6, 9\) must have H and W multiples "
                                         r"of pool_size = 2"):
        tiled_windows(x, 2)
