"""A 2-D convolutional layer with stride and zero padding, N x C x H x W, as in the CS231n assignment.

Shapes: the input ``x`` is (N, C, H, W), the filters ``w`` (F, C, HH, WW), the bias ``b`` (F,),
``conv_param = {"stride": S, "pad": P}``. The input is padded with P zeros on each side of both
spatial axes, and filter f slides over it in steps of S, so the output ``out`` is (N, F, H', W')
with ``H' = 1 + (H + 2P - HH) / S`` and ``W' = 1 + (W + 2P - WW) / S``; these must be whole
numbers, otherwise the filter would not end at the padded border and a layer would silently drop
the input's last rows or columns, so a call that does not fit is refused. Indices are 0-based, as
in the course's code: output position (i, j) sees the window that starts at row ``S i`` and column
``S j`` of the padded input. (Like the course's layer, and every deep-learning library, this is a
cross-correlation: the filter is not flipped.)

Two implementations of each pass compute the same numbers:

- ``conv_forward_naive`` / ``conv_backward_naive``: loops over the output positions, each a dot
  product of a window with a filter; the backward pass adds each window's share back.
- ``conv_forward_im2col`` / ``conv_backward_im2col``: ``im2col`` copies every window into one row
  of an (N H' W', C HH WW) matrix, so that the layer is the affine layer ``backprop.affine`` with
  the filters as a (C HH WW, F) weight matrix; its backward pass is the affine layer's, and
  ``col2im`` adds the gradient of the rows back into the windows they came from.

Both backward passes take the cache ``(x, w, b, conv_param)`` of either forward pass: the im2col
pass recomputes its columns, which hold about HH WW / S^2 copies of each input entry.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v
from backprop.affine import affine_backward, affine_forward

_X_AXES = ("N", "C", "H", "W")
_W_AXES = ("F", "C", "HH", "WW")
_OUT_AXES = ("N", "F", "H'", "W'")


def conv_output_size(size: int, kernel: int, stride: int, pad: int) -> int:
    """``1 + (size + 2 pad - kernel) / stride``, the number of positions of a window along one axis.

    Raises ``ValueError`` when it is not a whole number >= 1 (the window would not end at the
    padded border, or would not fit at all), or an argument is not an integer (size, kernel and
    stride >= 1, pad >= 0).

    >>> conv_output_size(5, 3, stride=2, pad=1)  # windows start at rows 0, 2, 4 of 7 padded rows
    3
    >>> conv_output_size(6, 3, stride=2, pad=1)
    Traceback (most recent call last):
    ...
    ValueError: conv_output_size: (size + 2 pad - kernel) / stride = (6 + 2*1 - 3) / 2 = 5/2 is not whole: the windows would not end at the padded border
    """
    func = "conv_output_size"
    size, kernel, stride = (v.check_count(func, name, value, minimum=1)
                            for name, value in (("size", size), ("kernel", kernel), ("stride", stride)))
    pad = v.check_count(func, "pad", pad, minimum=0)
    try:
        return _output_size(size, kernel, stride, pad)
    except ValueError as problem:
        raise ValueError(f"{func}: {problem}") from None


def _output_size(size: int, kernel: int, stride: int, pad: int) -> int:
    span = size + 2 * pad - kernel
    if span < 0:
        raise ValueError(f"the kernel {kernel} is larger than the padded size {size} + 2*{pad} = {size + 2 * pad}")
    if span % stride:
        raise ValueError(
            f"(size + 2 pad - kernel) / stride = ({size} + 2*{pad} - {kernel}) / {stride} = {span}/{stride} "
            "is not whole: the windows would not end at the padded border"
        )
    return 1 + span // stride


def pad_input(x: np.ndarray, pad: int) -> np.ndarray:
    """(N, C, H, W) -> (N, C, H + 2 pad, W + 2 pad): ``pad`` zeros before and after both spatial axes.

    >>> pad_input(np.ones((1, 1, 1, 2)), 1)[0, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    """
    if v.checks_enabled():
        func = "pad_input"
        x = v.check_array(func, "x", x, _X_AXES, (None, None, None, None))
        pad = v.check_count(func, "pad", pad, minimum=0)
    # --8<-- [start:pad]
    # zeros around the two spatial axes only
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    # --8<-- [end:pad]
    return x_pad


def _check_conv_param(func: str, conv_param: object, name: str) -> tuple[int, int]:
    if not isinstance(conv_param, dict) or set(conv_param) != {"stride", "pad"}:
        got = sorted(map(str, conv_param)) if isinstance(conv_param, dict) else type(conv_param).__name__
        raise ValueError(f"{func}: {name} must be a dict with the keys 'pad' and 'stride'; got {got}")
    stride = v.check_count(func, f"{name}['stride']", conv_param["stride"], minimum=1)
    pad = v.check_count(func, f"{name}['pad']", conv_param["pad"], minimum=0)
    return stride, pad


def _check_layer(func: str, x: object, w: object, b: object, conv_param: object, prefix: str = ""):
    """Checked ``(x, w, b, stride, pad, (H', W'))``; ``prefix`` names cache members ("cache ")."""
    x = v.check_array(func, f"{prefix}x", x, _X_AXES, (None, None, None, None))
    for axis, symbol in enumerate(("N (examples)", "C (channels)", "H (height)", "W (width)")):
        v.check_nonempty(func, f"{prefix}x", x, axis=axis, symbol=symbol)
    context = f" to match x {x.shape}"
    w = v.check_array(func, f"{prefix}w", w, _W_AXES, (None, x.shape[1], None, None), context)
    for axis, symbol in ((0, "F (filters)"), (2, "HH (filter height)"), (3, "WW (filter width)")):
        v.check_nonempty(func, f"{prefix}w", w, axis=axis, symbol=symbol)
    b = v.check_array(func, f"{prefix}b", b, ("F",), (w.shape[0],), f" to match w {w.shape}")
    v.check_same_dtype(func, f"{prefix}x", x, **{f"{prefix}w": w, f"{prefix}b": b})
    stride, pad = _check_conv_param(func, conv_param, f"{prefix}conv_param")
    sizes = []
    for axis, (size, kernel) in enumerate(zip(x.shape[2:], w.shape[2:])):
        try:
            sizes.append(_output_size(size, kernel, stride, pad))
        except ValueError as problem:
            names = ("H, HH", "W, WW")[axis]
            raise ValueError(f"{func}: {prefix}x {x.shape}, {prefix}w {w.shape} and {prefix}conv_param "
                             f"{conv_param} do not fit "
                             f"along {names}: {problem}") from None
    return x, w, b, stride, pad, tuple(sizes)


def _check_backward(func: str, dout: object, cache: object):
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise ValueError(
            f"{func}: cache must be the tuple (x, w, b, conv_param) returned by the forward pass; "
            f"got {type(cache).__name__}" + (f" of length {len(cache)}" if isinstance(cache, tuple) else "")
        )
    x, w, b, stride, pad, (out_height, out_width) = _check_layer(func, *cache, prefix="cache ")
    expected = (x.shape[0], w.shape[0], out_height, out_width)
    dout = v.check_array(func, "dout", dout, _OUT_AXES, expected, f" to match x {x.shape} and w {w.shape}")
    v.check_same_dtype(func, "cache x", x, dout=dout)
    return dout, (x, w, b, {"stride": stride, "pad": pad})


def conv_forward_naive(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, conv_param: dict
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, dict]]:
    """Forward pass, one output entry at a time: ``out[n, f, i, j] = b[f] + sum(window * w[f])``.

    Args:
        x: inputs, shape (N, C, H, W).
        w: filters, shape (F, C, HH, WW).
        b: biases, shape (F,).
        conv_param: ``{"stride": S, "pad": P}``, integers S >= 1 and P >= 0, such that
            ``(H + 2P - HH) / S`` and ``(W + 2P - WW) / S`` are whole numbers >= 0.

    Returns:
        ``(out, cache)``: ``out`` of shape (N, F, H', W'), ``H' = 1 + (H + 2P - HH) / S`` and
        ``W' = 1 + (W + 2P - WW) / S``, and ``cache = (x, w, b, conv_param)``.

    Raises:
        ValueError: arrays that are not 4-D, 4-D, 1-D with matching C and F, an axis of size 0,
            a conv_param that is not such a dict, sizes for which H' or W' is not whole, NaN/inf
            entries, values so large that the output overflows.

    Examples:
        >>> import numpy as np
        >>> x = np.arange(2 * 3 * 5 * 5, dtype=float).reshape(2, 3, 5, 5)  # N, C, H, W
        >>> w = np.ones((4, 3, 3, 3))  # F, C, HH, WW
        >>> out, cache = conv_forward_naive(x, w, np.zeros(4), {"stride": 2, "pad": 1})
        >>> out.shape  # H' = 1 + (5 + 2 - 3) / 2 = 3
        (2, 4, 3, 3)
        >>> bool(out[0, 0, 1, 1] == x[0, :, 1:4, 1:4].sum())  # padded rows 2..4 are rows 1..3 of x
        True
    """
    func = "conv_forward_naive"
    x, w, b, stride, pad, out_size = _check_layer(func, x, w, b, conv_param)
    inputs = {"x": x, "w": w, "b": b}
    out = v.call_guarded(func, inputs, _forward_naive, x, w, b, stride, pad, out_size)
    return out, (x, w, b, {"stride": stride, "pad": pad})


def _forward_naive(x, w, b, S, P, out_size):
    N, F = x.shape[0], w.shape[0]
    HH, WW = w.shape[2:]
    H_out, W_out = out_size
    # --8<-- [start:forward-naive]
    x_pad = pad_input(x, P)
    out = np.empty((N, F, H_out, W_out), dtype=x.dtype)
    for n, f, i, j in np.ndindex(N, F, H_out, W_out):
        # 0-based: the window starts at row S*i, column S*j
        window = x_pad[n, :, S*i:S*i + HH, S*j:S*j + WW]
        out[n, f, i, j] = b[f] + np.sum(window * w[f])
    # --8<-- [end:forward-naive]
    return out


def conv_backward_naive(
    dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, dict]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass, one output entry at a time: each ``dout[n, f, i, j]`` flows back to its
    window of the padded input (times ``w[f]``), to ``w[f]`` (times the window) and to ``b[f]``.

    Args:
        dout: upstream gradient ``dL/dout``, shape (N, F, H', W').
        cache: ``(x, w, b, conv_param)`` from ``conv_forward_naive`` or ``conv_forward_im2col``.

    Returns:
        ``(dx, dw, db)`` with the shapes of ``x``, ``w`` and ``b``: (N, C, H, W), (F, C, HH, WW),
        (F,). The gradient of the padding zeros is dropped: they are constants, not inputs.

    Raises:
        ValueError: a cache that is not the forward pass's tuple, a ``dout`` that does not match
            it, values so large that a gradient overflows.

    Examples:
        >>> import numpy as np
        >>> x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
        >>> out, cache = conv_forward_naive(x, w, np.zeros(1), {"stride": 1, "pad": 0})
        >>> dx, dw, db = conv_backward_naive(np.ones((1, 1, 2, 2)), cache)
        >>> dx[0, 0]  # how many of the 4 windows hold each input entry
        array([[1., 2., 1.],
               [2., 4., 2.],
               [1., 2., 1.]])
        >>> dw.shape, db
        ((1, 1, 2, 2), array([4.]))
    """
    func = "conv_backward_naive"
    dout, cache = _check_backward(func, dout, cache)
    x, w, b, conv_param = cache
    inputs = {"dout": dout, "cache x": x, "cache w": w}
    return v.call_guarded(func, inputs, _backward_naive, dout, x, w, conv_param["stride"], conv_param["pad"])


def _backward_naive(dout, x, w, S, P):
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    H, W = x.shape[2:]
    x_pad = pad_input(x, P)
    # --8<-- [start:backward-naive]
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    # b[f] is in every output of filter f
    db = dout.sum(axis=(0, 2, 3))
    for n, f, i, j in np.ndindex(N, F, H_out, W_out):
        rows, cols = slice(S*i, S*i + HH), slice(S*j, S*j + WW)
        g = dout[n, f, i, j]
        dw[f] += g * x_pad[n, :, rows, cols]
        # += : windows overlap when S < HH (or S < WW)
        dx_pad[n, :, rows, cols] += g * w[f]
    # the padding zeros are constants: crop them
    dx = dx_pad[:, :, P:P + H, P:P + W]
    # --8<-- [end:backward-naive]
    return dx, dw, db


def _check_windows(func: str, name: str, x_pad: object, kernel_height: object, kernel_width: object,
                   stride: object) -> tuple[np.ndarray, int, int, int, int, int]:
    """Checked ``(x_pad, HH, WW, S, H', W')`` for a padded input and its windows."""
    x_pad = v.check_array(func, name, x_pad, ("N", "C", "Hp", "Wp"), (None, None, None, None))
    return (x_pad, *_check_window_sizes(func, name, x_pad.shape, kernel_height, kernel_width, stride))


def _check_window_sizes(func: str, name: str, shape: tuple[int, ...], kernel_height: object,
                        kernel_width: object, stride: object) -> tuple[int, int, int, int, int]:
    """Checked ``(HH, WW, S, H', W')`` for windows over a padded input of ``shape``."""
    HH = v.check_count(func, "kernel_height", kernel_height, minimum=1)
    WW = v.check_count(func, "kernel_width", kernel_width, minimum=1)
    S = v.check_count(func, "stride", stride, minimum=1)
    sizes = []
    for axis, kernel in ((2, HH), (3, WW)):
        try:
            sizes.append(_output_size(shape[axis], kernel, S, 0))
        except ValueError as problem:
            raise ValueError(f"{func}: {name} {tuple(shape)} and the window {HH} x {WW} with stride {S} "
                             f"do not fit along axis {axis}: {problem}") from None
    return HH, WW, S, sizes[0], sizes[1]


def sliding_windows(x_pad: np.ndarray, kernel_height: int, kernel_width: int, stride: int) -> np.ndarray:
    """(N, C, Hp, Wp) padded input -> (N, H', W', C, HH, WW): entry ``[n, i, j, c, p, q]`` is
    ``x_pad[n, c, S*i + p, S*j + q]``, the window of output position (i, j), as a read-only view
    of ``x_pad`` (no copy). ``Hp - HH`` and ``Wp - WW`` must be multiples of the stride S.

    >>> x_pad = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> windows = sliding_windows(x_pad, 2, 2, stride=2)
    >>> windows.shape  # N, H', W', C, HH, WW
    (1, 2, 2, 1, 2, 2)
    >>> windows[0, 1, 0, 0]  # output position (1, 0): rows 2..3, columns 0..1
    array([[ 8.,  9.],
           [12., 13.]])
    """
    if v.checks_enabled():
        x_pad, kernel_height, kernel_width, stride, _, _ = _check_windows(
            "sliding_windows", "x_pad", x_pad, kernel_height, kernel_width, stride)
    HH, WW, S = kernel_height, kernel_width, stride
    # --8<-- [start:windows]
    # windows[n, i, j, c, p, q] = x_pad[n, c, S*i + p, S*j + q],
    # a view of x_pad: nothing is copied
    windows = np.lib.stride_tricks.sliding_window_view(
        x_pad, (HH, WW), axis=(2, 3)
    )[:, :, ::S, ::S].transpose(0, 2, 3, 1, 4, 5)
    # --8<-- [end:windows]
    return windows


def im2col(x_pad: np.ndarray, kernel_height: int, kernel_width: int, stride: int) -> np.ndarray:
    """(N, C, Hp, Wp) padded input -> (N H' W', C HH WW): one row per window, in the order of the
    output positions (n, i, j), its entries in the order (c, p, q) of ``w[f].reshape(-1)``: the
    windows of ``sliding_windows`` as a matrix (a copy).

    >>> x_pad = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> im2col(x_pad, 2, 2, stride=2)  # the four 2 x 2 blocks, each as a row
    array([[ 0.,  1.,  4.,  5.],
           [ 2.,  3.,  6.,  7.],
           [ 8.,  9., 12., 13.],
           [10., 11., 14., 15.]])
    """
    if v.checks_enabled():
        x_pad, kernel_height, kernel_width, stride, _, _ = _check_windows(
            "im2col", "x_pad", x_pad, kernel_height, kernel_width, stride)
    windows = sliding_windows(x_pad, kernel_height, kernel_width, stride)
    # --8<-- [start:im2col]
    # one row per output position (n, i, j), one column per (c, p, q)
    N, H_out, W_out, C, HH, WW = windows.shape
    cols = windows.reshape(N * H_out * W_out, C * HH * WW)
    # --8<-- [end:im2col]
    return cols


def col2im(dcols: np.ndarray, padded_shape: tuple[int, int, int, int], kernel_height: int,
           kernel_width: int, stride: int) -> np.ndarray:
    """The adjoint of ``im2col``: each row's entries are *added* back to the window they were
    copied from, (N H' W', C HH WW) -> ``padded_shape`` = (N, C, Hp, Wp). An input entry that is
    in several windows gets the sum of their gradients.

    >>> x_pad = np.zeros((1, 1, 3, 3))
    >>> col2im(np.ones((4, 4)), x_pad.shape, 2, 2, stride=1)[0, 0]  # windows per entry
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    if v.checks_enabled():
        func = "col2im"
        if (not isinstance(padded_shape, tuple) or len(padded_shape) != 4
                or not all(isinstance(size, (int, np.integer)) and not isinstance(size, bool) and size >= 1
                           for size in padded_shape)):
            raise ValueError(f"{func}: padded_shape must be a tuple of 4 integers >= 1 (N, C, Hp, Wp); "
                             f"got {padded_shape!r}")
        kernel_height, kernel_width, stride, H_out, W_out = _check_window_sizes(
            func, "padded_shape", padded_shape, kernel_height, kernel_width, stride)
        N, C = padded_shape[:2]
        expected = (N * H_out * W_out, C * kernel_height * kernel_width)
        dcols = v.check_array(func, "dcols", dcols, ("N H' W'", "C HH WW"), expected,
                              f" to match padded_shape {padded_shape}")
        return v.call_guarded(func, {"dcols": dcols}, col2im, dcols, padded_shape, kernel_height,
                              kernel_width, stride)
    N, C, Hp, Wp = padded_shape
    HH, WW, S = kernel_height, kernel_width, stride
    H_out, W_out = 1 + (Hp - HH) // S, 1 + (Wp - WW) // S
    # --8<-- [start:col2im]
    dwindows = dcols.reshape(N, H_out, W_out, C, HH, WW)
    dx_pad = np.zeros(padded_shape, dtype=dcols.dtype)
    # one window offset (p, q) at a time: the entries it takes from the
    # H' x W' positions are distinct, so += adds each exactly once
    for p in range(HH):
        for q in range(WW):
            dx_pad[:, :, p:p + S*H_out:S, q:q + S*W_out:S] += (
                dwindows[:, :, :, :, p, q].transpose(0, 3, 1, 2))
    # --8<-- [end:col2im]
    return dx_pad


def conv_forward_im2col(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, conv_param: dict
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, dict]]:
    """Forward pass as one matrix product: the affine layer on the windows (``im2col``) with the
    filters as columns. Same arguments, result and cache as ``conv_forward_naive``.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> x, w, b = rng.normal(size=(2, 3, 5, 5)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
        >>> out, cache = conv_forward_im2col(x, w, b, {"stride": 2, "pad": 1})
        >>> out.shape
        (2, 4, 3, 3)
        >>> bool(np.allclose(out, conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})[0]))
        True
    """
    func = "conv_forward_im2col"
    x, w, b, stride, pad, out_size = _check_layer(func, x, w, b, conv_param)
    inputs = {"x": x, "w": w, "b": b}
    out = v.call_guarded(func, inputs, _forward_im2col, x, w, b, stride, pad, out_size)
    return out, (x, w, b, {"stride": stride, "pad": pad})


def _forward_im2col(x, w, b, S, P, out_size):
    N, F = x.shape[0], w.shape[0]
    HH, WW = w.shape[2:]
    H_out, W_out = out_size
    # --8<-- [start:forward-im2col]
    cols = im2col(pad_input(x, P), HH, WW, S)  # (N H' W', C HH WW)
    # column f: filter f, flattened in the order of a row of cols
    W_mat = w.reshape(F, -1).T  # (C HH WW, F)
    rows, _ = affine_forward(cols, W_mat, b)  # (N H' W', F)
    out = rows.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)
    # --8<-- [end:forward-im2col]
    return out


def conv_backward_im2col(
    dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, dict]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass as the affine layer's on the windows, then ``col2im``. Same arguments and
    results as ``conv_backward_naive``.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> x, w, b = rng.normal(size=(2, 3, 5, 5)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
        >>> out, cache = conv_forward_im2col(x, w, b, {"stride": 2, "pad": 1})
        >>> dout = rng.normal(size=out.shape)
        >>> dx, dw, db = conv_backward_im2col(dout, cache)
        >>> dx.shape, dw.shape, db.shape
        ((2, 3, 5, 5), (4, 3, 3, 3), (4,))
        >>> all(np.allclose(a, n) for a, n in zip((dx, dw, db), conv_backward_naive(dout, cache)))
        True
    """
    func = "conv_backward_im2col"
    dout, cache = _check_backward(func, dout, cache)
    x, w, b, conv_param = cache
    inputs = {"dout": dout, "cache x": x, "cache w": w}
    return v.call_guarded(func, inputs, _backward_im2col, dout, x, w, conv_param["stride"], conv_param["pad"])


def _backward_im2col(dout, x, w, S, P):
    N, F, H_out, W_out = dout.shape
    HH, WW = w.shape[2:]
    H, W = x.shape[2:]
    x_pad = pad_input(x, P)
    # --8<-- [start:backward-im2col]
    cols = im2col(x_pad, HH, WW, S)  # recomputed, not cached
    W_mat = w.reshape(F, -1).T
    drows = dout.transpose(0, 2, 3, 1).reshape(-1, F)  # (N H' W', F)
    # the affine layer's backward pass:
    # dcols = drows W_mat^T, dW_mat = cols^T drows, db = column sums
    dcols, dW_mat, db = affine_backward(drows, (cols, W_mat))
    dw = dW_mat.T.reshape(w.shape)
    dx = col2im(dcols, x_pad.shape, HH, WW, S)[:, :, P:P + H, P:P + W]
    # --8<-- [end:backward-im2col]
    return dx, dw, db
