import numpy as np
import pytest
from backprop_testing import (
    U,
    assert_gradient_matches,
    assert_within_centered_difference_bound,
    make_rng,
    warnings_as_errors,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backprop.convolution import (
    col2im,
    conv_backward_im2col,
    conv_backward_naive,
    conv_forward_im2col,
    conv_forward_naive,
    conv_output_size,
    im2col,
    pad_input,
    sliding_windows,
)

# Distinct sizes, so that a swapped axis cannot fit by accident: N, C, H, W, F, HH, WW.
N, C, H, W, F, HH, WW = 2, 3, 7, 5, 4, 3, 2
LAYERS = [conv_forward_naive, conv_forward_im2col]
BACKWARDS = [conv_backward_naive, conv_backward_im2col]


def layer(rng, n=N, c=C, h=H, w=W, f=F, hh=HH, ww=WW):
    return rng.randn(n, c, h, w), rng.randn(f, c, hh, ww), rng.randn(f)


def padded_by_hand(x, pad):
    """Zero padding written out, independently of np.pad."""
    n, c, h, w = x.shape
    out = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    out[:, :, pad:pad + h, pad:pad + w] = x
    return out


def forward_by_definition(x, w, b, stride, pad):
    """out[n, f, i, j] = b[f] + sum over c, p, q of x_pad[n, c, S i + p, S j + q] w[f, c, p, q], as a
    plain sum of products, one term at a time (0-based, the page's formula with i - 1 -> i)."""
    x_pad = padded_by_hand(x, pad)
    n_, c_, hp, wp = x_pad.shape
    f_, _, hh, ww = w.shape
    h_out, w_out = (hp - hh) // stride + 1, (wp - ww) // stride + 1
    out = np.zeros((n_, f_, h_out, w_out))
    for n in range(n_):
        for f in range(f_):
            for i in range(h_out):
                for j in range(w_out):
                    total = b[f]
                    for c in range(c_):
                        for p in range(hh):
                            for q in range(ww):
                                total += x_pad[n, c, stride * i + p, stride * j + q] * w[f, c, p, q]
                    out[n, f, i, j] = total
    return out


def test_output_size_formula_and_its_refusal():
    assert conv_output_size(32, 3, stride=1, pad=1) == 32  # "same" padding
    assert conv_output_size(7, 3, stride=2, pad=0) == 3
    assert conv_output_size(5, 5, stride=1, pad=0) == 1
    assert conv_output_size(1, 3, stride=1, pad=1) == 1
    with pytest.raises(ValueError, match=r"^conv_output_size: \(size \+ 2 pad - kernel\) / stride = \(5 \+ 2\*1 - 3\) / 3 = 4/3 is not whole"):
        conv_output_size(5, 3, stride=3, pad=1)
    with pytest.raises(ValueError, match=r"^conv_output_size: the kernel 4 is larger than the padded size 2 \+ 2\*0 = 2"):
        conv_output_size(2, 4, stride=1, pad=0)
    with pytest.raises(ValueError, match=r"^conv_output_size: stride must be an integer >= 1; got 0"):
        conv_output_size(5, 3, stride=0, pad=1)
    with pytest.raises(ValueError, match=r"^conv_output_size: pad must be an integer >= 0; got float 1.0"):
        conv_output_size(5, 3, stride=1, pad=1.0)


def test_a_hand_computed_example():
    # one 3 x 3 map, a 2 x 2 filter that takes (top left) - (bottom right), stride 1, pad 0
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    for forward in LAYERS:
        out, _ = forward(x, w, np.array([0.5]), {"stride": 1, "pad": 0})
        np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), 0.5 - 4.0))  # x[r, c] - x[r+1, c+1] = -4
    # a 3 x 3 filter with 1 top left and -1 bottom right, pad 1, stride 2: windows start at padded
    # rows and columns 0 and 2, so each corner slot holds either a padding zero or x[1, 1] = 4
    w = np.zeros((1, 1, 3, 3))
    w[0, 0, 0, 0], w[0, 0, 2, 2] = 1.0, -1.0
    for forward in LAYERS:
        out, _ = forward(x, w, np.zeros(1), {"stride": 2, "pad": 1})
        np.testing.assert_array_equal(out[0, 0], [[0.0 - 4.0, 0.0 - 0.0], [0.0 - 0.0, 4.0 - 0.0]])


@pytest.mark.parametrize("forward", LAYERS)
@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (1, 1), (2, 1), (3, 1), (2, 3)])
def test_forward_equals_the_definition_term_by_term(forward, stride, pad):
    rng = make_rng(stride * 10 + pad)
    # sizes that fit HH = 3, WW = 2: H + 2P - 3 and W + 2P - 2 multiples of S
    h, w = {(1, 0): (7, 5), (1, 1): (7, 5), (2, 1): (7, 6), (3, 1): (7, 6), (2, 3): (5, 6)}[(stride, pad)]
    x, weights, b = layer(rng, h=h, w=w)
    out, cache = forward(x, weights, b, {"stride": stride, "pad": pad})
    expected = forward_by_definition(x, weights, b, stride, pad)
    assert out.shape == (N, F, 1 + (h + 2 * pad - HH) // stride, 1 + (w + 2 * pad - WW) // stride)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-13)
    assert cache[0] is x and cache[1] is weights and cache[2] is b
    assert cache[3] == {"stride": stride, "pad": pad}


@pytest.mark.parametrize("backward", BACKWARDS)
@pytest.mark.parametrize(("stride", "pad", "h", "w"), [(1, 0, 7, 5), (1, 2, 7, 5), (2, 1, 7, 6), (3, 1, 7, 6)])
def test_backward_matches_centered_differences(backward, stride, pad, h, w):
    rng = make_rng(100 + stride * 10 + pad)
    x, weights, b = layer(rng, h=h, w=w)
    conv_param = {"stride": stride, "pad": pad}
    out, cache = conv_forward_naive(x, weights, b, conv_param)
    G = rng.randn(*out.shape)
    dx, dw, db = backward(G, cache)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, weights.shape, b.shape)
    # L = sum(out * G), so dL/dout = G; forward_by_definition is the independent forward pass.
    # L is linear in each of x, w, b (no Taylor term). Rounding: L adds C HH WW + 1 products per
    # output and then N F H' W' outputs, each term at most the same sum taken over magnitudes
    # (at |x| + h: the perturbed points); the analytic gradients add at most F HH WW (dx) or
    # N H' W' (dw, db) terms of the magnitudes the backward pass of magnitudes gives.
    terms = C * HH * WW + 2 + out.size
    magnitude = float(np.sum(forward_by_definition(abs(x) + 1e-5, abs(weights) + 1e-5, abs(b) + 1e-5, stride, pad) * abs(G)))
    analytic_bounds = conv_backward_naive(abs(G), (abs(x), abs(weights), abs(b), conv_param))
    analytic_terms = max(F * HH * WW, out.shape[0] * out.shape[2] * out.shape[3]) + 1
    cases = [
        (lambda v: float(np.sum(forward_by_definition(v, weights, b, stride, pad) * G)), x, dx, analytic_bounds[0]),
        (lambda v: float(np.sum(forward_by_definition(x, v, b, stride, pad) * G)), weights, dw, analytic_bounds[1]),
        (lambda v: float(np.sum(forward_by_definition(x, weights, v, stride, pad) * G)), b, db, analytic_bounds[2]),
    ]
    for loss, point, analytic, analytic_magnitude in cases:
        assert_within_centered_difference_bound(
            loss, point.copy(), analytic, evaluation_error=terms * U * magnitude,
            analytic_error=analytic_terms * U * analytic_magnitude,
        )
        assert_gradient_matches(loss, point.copy(), analytic, tolerance=1e-6)  # the notes' scale, for a reader


@pytest.mark.parametrize(("stride", "h", "w"), [(1, 7, 5), (2, 7, 5), (3, 7, 4)])
def test_input_gradient_is_a_full_correlation_with_the_flipped_kernel(stride, h, w):
    # dx_pad = (dout spread out by the stride, then padded by HH - 1) correlated with w flipped in
    # p and q, its F and C axes swapped; computed with the forward pass itself, as the page derives
    # it for S = 1 and states for S > 1 (S - 1 zeros between the entries of dout).
    rng = make_rng(7 + stride)
    k, pad = 3, 1  # a square kernel: conv_param pads both axes alike
    x, w_, b = layer(rng, h=h, w=w, hh=k, ww=k)
    out, cache = conv_forward_naive(x, w_, b, {"stride": stride, "pad": pad})
    G = rng.randn(*out.shape)
    h_out, w_out = out.shape[2:]
    spread = np.zeros((N, F, stride * (h_out - 1) + 1, stride * (w_out - 1) + 1))
    for i in range(h_out):
        for j in range(w_out):
            spread[:, :, stride * i, stride * j] = G[:, :, i, j]
    flipped = np.empty((C, F, k, k))
    for f in range(F):
        for c in range(C):
            for p in range(k):
                for q in range(k):
                    flipped[c, f, p, q] = w_[f, c, k - 1 - p, k - 1 - q]
    dx_pad, _ = conv_forward_naive(spread, flipped, np.zeros(C), {"stride": 1, "pad": k - 1})
    assert dx_pad.shape == (N, C, h + 2 * pad, w + 2 * pad)
    for backward in BACKWARDS:
        np.testing.assert_allclose(backward(G, cache)[0], dx_pad[:, :, pad:-pad, pad:-pad], rtol=1e-12, atol=1e-12)


def test_stride_one_filter_gradient_is_a_correlation_of_the_input_with_dout():
    # For S = 1, P = 0: dw[f, c] = sum over n of x[n, c] correlated with dout[n, f] (no flip): the
    # forward pass with x's N and C axes swapped as the input and dout's as the filters.
    rng = make_rng(11)
    x, w_, b = layer(rng)
    out, cache = conv_forward_naive(x, w_, b, {"stride": 1, "pad": 0})
    G = rng.randn(*out.shape)
    dw, _ = conv_forward_naive(x.transpose(1, 0, 2, 3), G.transpose(1, 0, 2, 3), np.zeros(F), {"stride": 1, "pad": 0})
    assert dw.shape == (C, F, HH, WW)
    for backward in BACKWARDS:
        np.testing.assert_allclose(backward(G, cache)[1], dw.transpose(1, 0, 2, 3), rtol=1e-12, atol=1e-12)


def test_im2col_rows_are_windows_and_col2im_is_its_adjoint():
    rng = make_rng(3)
    x_pad = rng.randn(2, 3, 7, 6)
    cols = im2col(x_pad, 3, 2, stride=2)  # H' = 1 + 4/2 = 3, W' = 1 + 4/2 = 3
    assert cols.shape == (2 * 3 * 3, 3 * 3 * 2)
    # row (n, i, j) = 1 * 9 + 2 * 3 + 0 is the window at rows 4..6, columns 0..1 of example 1
    np.testing.assert_array_equal(cols[15], x_pad[1, :, 4:7, 0:2].reshape(-1))
    # <im2col(x), Y> = <x, col2im(Y)> for every x and Y: col2im is the transpose of the linear map
    Y = rng.randn(*cols.shape)
    assert np.sum(cols * Y) == pytest.approx(np.sum(x_pad * col2im(Y, x_pad.shape, 3, 2, stride=2)), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4)),
    stride=st.integers(1, 3),
    pad=st.integers(0, 2),
    windows=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    seed=st.integers(0, 2**32 - 1),
)
def test_naive_and_im2col_agree(sizes, stride, pad, windows, seed):
    n, c, f, hh, ww = sizes
    # the input size with that many windows: H = HH - 2P + S (H' - 1), when it is at least 1
    h, w = (kernel - 2 * pad + stride * (count - 1) for kernel, count in zip((hh, ww), windows))
    assume(h >= 1 and w >= 1)
    rng = np.random.default_rng(seed)
    x, weights, b = rng.normal(size=(n, c, h, w)), rng.normal(size=(f, c, hh, ww)), rng.normal(size=f)
    conv_param = {"stride": stride, "pad": pad}
    out_naive, cache = conv_forward_naive(x, weights, b, conv_param)
    out_fast, cache_fast = conv_forward_im2col(x, weights, b, conv_param)
    np.testing.assert_allclose(out_fast, out_naive, rtol=1e-12, atol=1e-12)
    G = rng.normal(size=out_naive.shape)
    for naive, fast in zip(conv_backward_naive(G, cache), conv_backward_im2col(G, cache_fast)):
        np.testing.assert_allclose(fast, naive, rtol=1e-12, atol=1e-12)


def test_inputs_are_not_edited_and_float32_stays_float32():
    rng = make_rng()
    x, w, b = layer(rng)
    conv_param = {"stride": 1, "pad": 1}
    before = [a.copy() for a in (x, w, b)]
    for forward, backward in zip(LAYERS, BACKWARDS):
        out, cache = forward(x, w, b, conv_param)
        G = rng.randn(*out.shape)
        G_before = G.copy()
        backward(G, cache)
        for array, copy in zip((x, w, b, G), (*before, G_before)):
            np.testing.assert_array_equal(array, copy)
        assert conv_param == {"stride": 1, "pad": 1}
        out32, cache32 = forward(*(a.astype(np.float32) for a in (x, w, b)), conv_param)
        assert out32.dtype == np.float32
        assert all(g.dtype == np.float32 for g in backward(G.astype(np.float32), cache32))


@pytest.mark.parametrize(("forward", "backward"), list(zip(LAYERS, BACKWARDS)))
def test_bad_inputs_raise_clear_errors(forward, backward):
    name, back = forward.__name__, backward.__name__
    x, w, b = layer(make_rng())
    with pytest.raises(ValueError, match=rf"^{name}: x \(2, 3, 7, 5\), w \(4, 3, 3, 2\) and conv_param "
                                         r"\{'stride': 3, 'pad': 0\} do not fit along H, HH: \(size \+ 2 pad - kernel\) "
                                         r"/ stride = \(7 \+ 2\*0 - 3\) / 3 = 4/3 is not whole"):
        forward(x, w, b, {"stride": 3, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: x .* do not fit along W, WW: .* = 3/2 is not whole"):
        forward(x, w, b, {"stride": 2, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: x .* do not fit along W, WW: the kernel 6 is larger than "
                                         r"the padded size 5 \+ 2\*0 = 5"):
        forward(x, np.ones((4, 3, 3, 6)), b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: w must have shape \(F, C, HH, WW\) = \(\?, 3, \?, \?\) to match x"):
        forward(x, w[:, :2], b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: b must have shape \(F,\) = \(4,\) to match w"):
        forward(x, w, b[:3], {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: conv_param must be a dict with the keys 'pad' and 'stride'; got \['stride'\]"):
        forward(x, w, b, {"stride": 1})
    with pytest.raises(ValueError, match=rf"^{name}: conv_param\['stride'\] must be an integer >= 1; got 0"):
        forward(x, w, b, {"stride": 0, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: conv_param\['pad'\] must be an integer >= 0; got float 1.0"):
        forward(x, w, b, {"stride": 1, "pad": 1.0})
    with pytest.raises(ValueError, match=rf"^{name}: x must have N \(examples\) >= 1 along axis 0"):
        forward(x[:0], w, b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: x must contain only finite values; got nan"):
        forward(np.where(x > 1, np.nan, x), w, b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match=rf"^{name}: w must have the dtype of x, float64; got float32"):
        forward(x, w.astype(np.float32), b, {"stride": 1, "pad": 0})
    with warnings_as_errors(), pytest.raises(ValueError, match=rf"^{name}: x, w and b are finite, but the result is not"):
        forward(np.full((1, 1, 2, 2), 1e200), np.full((1, 1, 2, 2), 1e200), np.zeros(1), {"stride": 1, "pad": 0})
    out, cache = forward(x, w, b, {"stride": 1, "pad": 1})  # (2, 4, 7, 6)
    with pytest.raises(ValueError, match=rf"^{back}: dout must have shape \(N, F, H', W'\) = \(2, 4, 7, 6\) to match x"):
        backward(out[:, :, :, :5], cache)
    with pytest.raises(ValueError, match=rf"^{back}: cache must be the tuple \(x, w, b, conv_param\) returned by the forward pass; got tuple of length 3"):
        backward(out, cache[:3])
    with pytest.raises(ValueError, match=rf"^{back}: cache w must have shape"):
        backward(out, (x, w[:, :2], b, cache[3]))


def test_the_window_helpers_refuse_what_does_not_fit():
    x_pad = np.zeros((1, 2, 5, 4))
    with pytest.raises(ValueError, match=r"^im2col: x_pad \(1, 2, 5, 4\) and the window 2 x 2 with stride 2 do not fit "
                                         r"along axis 2: .* = 3/2 is not whole"):
        im2col(x_pad, 2, 2, stride=2)
    with pytest.raises(ValueError, match=r"^sliding_windows: kernel_width must be an integer >= 1; got 0"):
        sliding_windows(x_pad, 2, 0, stride=1)
    with pytest.raises(ValueError, match=r"^col2im: dcols must have shape \(N H' W', C HH WW\) = \(12, 8\) to match"):
        col2im(np.ones((12, 7)), x_pad.shape, 2, 2, stride=1)
    with pytest.raises(ValueError, match=r"^col2im: padded_shape must be a tuple of 4 integers >= 1"):
        col2im(np.ones((12, 8)), (1, 2, 5), 2, 2, stride=1)
    with pytest.raises(ValueError, match=r"^pad_input: pad must be an integer >= 0; got -1"):
        pad_input(x_pad, -1)
    windows = sliding_windows(np.arange(16.0).reshape(1, 1, 4, 4), 3, 3, stride=1)
    assert windows.shape == (1, 2, 2, 1, 3, 3) and not windows.flags.writeable  # a view, read-only
