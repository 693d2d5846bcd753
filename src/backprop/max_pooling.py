"""Max pooling of (N, C, H, W) feature maps, as in the CS231n assignments' ``layers.py``.

Each output entry is the largest entry of one window of ``pool_height`` x ``pool_width`` input
positions of one example and one channel; the windows start every ``stride`` positions, so the
output is (N, C, H', W') with ``H' = 1 + (H - pool_height) / stride`` and ``W' = 1 + (W -
pool_width) / stride``. These must be whole numbers: a window that would hang over the edge is an
error here (some libraries drop the last rows silently, others pad).

The backward pass routes each upstream gradient entry to the position of its window's maximum,
and adds up what an input receives from several windows (they overlap when ``stride`` is smaller
than the window). At a tie (two equal maxima in one window) the max has no derivative, only
subgradients; this module follows the course's naive code: ``np.argmax`` picks the **first**
maximum of the window in row-major order (row by row, left to right), and it gets the whole
gradient.

Indices are 0-based, as in the course's code: window (i, j) covers rows ``i*stride ...
i*stride + pool_height - 1`` and columns ``j*stride ... j*stride + pool_width - 1``.

Two implementations with the same results, ties included:

- ``max_pool_forward_naive`` / ``max_pool_backward_naive``: a loop over the H' x W' windows, each
  step vectorised over the N examples and C channels;
- ``max_pool_forward_reshape`` / ``max_pool_backward_reshape``: no loop, for windows that tile the
  input (``pool_height == pool_width == stride``, the common 2 x 2 pooling of stride 2): the input
  is reshaped so that every window is an axis pair. Unlike the course's reshape backward pass, which
  sends the gradient to *every* tied maximum, it routes to the first one, as the naive version does.

Both take and return the cache ``(x, pool_param)``, so either backward pass takes the cache of
either forward pass.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v

_AXES = ("N", "C", "H", "W")
_POOL_KEYS = ("pool_height", "pool_width", "stride")


def _check_pool_param(func: str, pool_param: object, shape: tuple[int, ...], name: str) -> tuple[int, int, int]:
    """``(pool_height, pool_width, stride)`` from ``pool_param``, checked against an input ``shape``."""
    if not isinstance(pool_param, dict) or set(pool_param) != set(_POOL_KEYS):
        got = list(map(str, pool_param)) if isinstance(pool_param, dict) else type(pool_param).__name__
        raise ValueError(f"{func}: {name} must be a dict with the keys {list(_POOL_KEYS)}; got {got}")
    pool_height, pool_width, stride = (
        v.check_count(func, f"{name}['{key}']", pool_param[key], minimum=1) for key in _POOL_KEYS
    )
    _, _, height, width = shape
    for size, window, axis in ((height, pool_height, "H"), (width, pool_width, "W")):
        key = "pool_height" if axis == "H" else "pool_width"
        if window > size:
            raise ValueError(f"{func}: {name}['{key}'] = {window} is larger than the input's {axis} = {size}"
                             f" (x has shape {shape})")
        if (size - window) % stride:
            raise ValueError(
                f"{func}: {name} does not fit x of shape {shape}: {axis}' = 1 + ({axis} - {key}) / stride "
                f"= 1 + ({size} - {window}) / {stride} is not a whole number; the last window would "
                f"hang over the edge (choose sizes with ({axis} - {key}) divisible by the stride)"
            )
    return pool_height, pool_width, stride


def _output_size(size: int, window: int, stride: int) -> int:
    """``1 + (size - window) / stride``: the number of windows along one axis (whole, checked before).

    >>> _output_size(32, 2, 2), _output_size(5, 3, 1), _output_size(7, 3, 2)
    (16, 3, 3)
    """
    return 1 + (size - window) // stride


def _check_maps(func: str, name: str, x: object) -> np.ndarray:
    """``x`` as checked (N, C, H, W) feature maps, N and C >= 1 (an empty H or W is a window larger
    than the input, which ``_check_pool_param`` names)."""
    x = v.check_array(func, name, x, _AXES, (None, None, None, None))
    for axis, symbol in ((0, "N (examples)"), (1, "C (channels)")):
        v.check_nonempty(func, name, x, axis=axis, symbol=symbol)
    return x


def _check_forward(func: str, x: object, pool_param: object) -> tuple[np.ndarray, tuple[int, int, int]]:
    x = _check_maps(func, "x", x)
    return x, _check_pool_param(func, pool_param, x.shape, "pool_param")


def _check_backward(func: str, dout: object, cache: object) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int]]:
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise ValueError(
            f"{func}: cache must be the pair (x, pool_param) returned by the forward pass; got "
            f"{type(cache).__name__}" + (f" of length {len(cache)}" if isinstance(cache, tuple) else "")
        )
    x = _check_maps(func, "cache x", cache[0])
    pool = _check_pool_param(func, cache[1], x.shape, "cache pool_param")
    pool_height, pool_width, stride = pool
    out_shape = (*x.shape[:2], _output_size(x.shape[2], pool_height, stride),
                 _output_size(x.shape[3], pool_width, stride))
    dout = v.check_array(func, "dout", dout, ("N", "C", "H'", "W'"), out_shape,
                         f" to match cache x {x.shape} and cache pool_param")
    v.check_same_dtype(func, "cache x", x, dout=dout)
    return dout, x, pool


def max_pool_forward_naive(x: np.ndarray, pool_param: dict) -> tuple[np.ndarray, tuple[np.ndarray, dict]]:
    """Forward pass: ``out[n, c, i, j]`` is the largest entry of window (i, j) of ``x[n, c]``.

    Args:
        x: inputs, shape (N, C, H, W), N and C >= 1.
        pool_param: ``{"pool_height": k_h, "pool_width": k_w, "stride": S}``, integers >= 1, with
            k_h <= H, k_w <= W and (H - k_h), (W - k_w) divisible by S.

    Returns:
        ``(out, cache)``: ``out`` of shape (N, C, H', W') with H' = 1 + (H - k_h) / S and
        W' = 1 + (W - k_w) / S, and ``cache = (x, pool_param)``.

    Raises:
        ValueError: an x that is not 4-D, N or C = 0, NaN/inf entries, a pool_param that is not
            such a dict, a window larger than the input, sizes for which H' or W' is not whole.

    Examples:
        >>> import numpy as np
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)  # rows 0..3, 4..7, 8..11, 12..15
        >>> out, cache = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
        >>> out.shape  # (N, C, H', W') = (1, 1, 1 + (4 - 2) / 2, 1 + (4 - 2) / 2)
        (1, 1, 2, 2)
        >>> out[0, 0]  # the bottom-right entry of each 2 x 2 window
        array([[ 5.,  7.],
               [13., 15.]])
        >>> max_pool_forward_naive(x, {"pool_height": 3, "pool_width": 3, "stride": 1})[0].shape
        (1, 1, 2, 2)
    """
    func = "max_pool_forward_naive"
    x, (k_h, k_w, S) = _check_forward(func, x, pool_param)  # the page's names
    N, C, H, W = x.shape
    H_out, W_out = _output_size(H, k_h, S), _output_size(W, k_w, S)
    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    # --8<-- [start:forward]
    # window (i, j), 0-based: rows i*S .. i*S + k_h - 1,
    # columns j*S .. j*S + k_w - 1
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i*S:i*S + k_h, j*S:j*S + k_w]
            out[:, :, i, j] = window.max(axis=(2, 3))
    # --8<-- [end:forward]
    return out, (x, pool_param)


def first_max_mask(windows: np.ndarray) -> np.ndarray:
    """1 at the first maximum (row-major) of each window on the last two axes, 0 elsewhere.

    ``windows`` has shape (..., k_h, k_w); the result has its shape and dtype. ``np.argmax`` of the
    flattened window returns the first maximal position in row-major order, which is the tie
    convention of the course's naive code.

    >>> import numpy as np
    >>> first_max_mask(np.array([[1.0, 3.0], [3.0, 0.0]]))  # a tie: the first 3 (row 0) wins
    array([[0., 1.],
           [0., 0.]])
    """
    if v.checks_enabled():
        windows = v.as_float_array("first_max_mask", "windows", windows)
        if windows.ndim < 2 or 0 in windows.shape:
            raise ValueError(f"first_max_mask: windows must have at least two axes, none empty (..., k_h, k_w); "
                             f"got shape {windows.shape}")
        v.check_finite("first_max_mask", "windows", windows)
    flat = windows.reshape(*windows.shape[:-2], -1)
    # --8<-- [start:first-max]
    # position of the first maximum in row-major order
    first = np.argmax(flat, axis=-1)
    positions = np.arange(flat.shape[-1])
    mask = positions == first[..., np.newaxis]
    # --8<-- [end:first-max]
    return mask.reshape(windows.shape).astype(windows.dtype)


def max_pool_backward_naive(dout: np.ndarray, cache: tuple[np.ndarray, dict]) -> np.ndarray:
    """Backward pass: each ``dout[n, c, i, j]`` goes to the first maximum of window (i, j).

    Args:
        dout: upstream gradient ``dL/dout``, shape (N, C, H', W').
        cache: ``(x, pool_param)`` from a forward pass.

    Returns:
        ``dx``, shape (N, C, H, W): at each input position, the sum of the ``dout`` entries of the
        windows whose (first) maximum it is; 0 at a position that is no window's maximum.

    Raises:
        ValueError: a cache that is not such a pair, a ``dout`` of another shape or dtype than the
            cache's x gives, NaN/inf entries, a sum of gradients that overflows.

    Examples:
        >>> import numpy as np
        >>> x = np.array([[[[1.0, 2.0, 0.0],
        ...                 [0.0, 5.0, 4.0],
        ...                 [3.0, 0.0, 1.0]]]])
        >>> pool = {"pool_height": 2, "pool_width": 2, "stride": 1}  # overlapping windows
        >>> out, cache = max_pool_forward_naive(x, pool)
        >>> out[0, 0]  # the 5 is the maximum of all four windows
        array([[5., 5.],
               [5., 5.]])
        >>> max_pool_backward_naive(np.ones((1, 1, 2, 2)), cache)[0, 0]  # so it gets all four
        array([[0., 0., 0.],
               [0., 4., 0.],
               [0., 0., 0.]])
    """
    func = "max_pool_backward_naive"
    dout, x, pool = _check_backward(func, dout, cache)
    return v.call_guarded(func, {"dout": dout}, _backward_naive, dout, x, *pool)


def _backward_naive(dout: np.ndarray, x: np.ndarray, k_h: int, k_w: int, S: int) -> np.ndarray:
    H_out, W_out = dout.shape[2:]
    dx = np.zeros_like(x)
    # --8<-- [start:backward]
    for i in range(H_out):
        for j in range(W_out):
            rows = slice(i * S, i * S + k_h)
            cols = slice(j * S, j * S + k_w)
            # 1 at the window's first maximum: the max's
            # local derivative
            mask = first_max_mask(x[:, :, rows, cols])
            grad = dout[:, :, i, j, np.newaxis, np.newaxis]
            # add, do not assign: windows may overlap
            dx[:, :, rows, cols] += mask * grad
    # --8<-- [end:backward]
    return dx


def tiled_windows(x: np.ndarray, pool_size: int) -> np.ndarray:
    """The windows of ``x`` that tile it, as two more axes: (N, C, H, W) -> (N, C, H', W', size, size).

    For windows of ``pool_size`` x ``pool_size`` with stride ``pool_size`` (H and W multiples of
    it): entry ``[n, c, i, j, p, q]`` is ``x[n, c, i * pool_size + p, j * pool_size + q]``, entry
    (p, q) of window (i, j). A view of ``x`` where NumPy can make one, not a copy.

    >>> import numpy as np
    >>> windows = tiled_windows(np.arange(24.0).reshape(1, 1, 4, 6), 2)
    >>> windows.shape  # (N, C, H', W', 2, 2)
    (1, 1, 2, 3, 2, 2)
    >>> windows[0, 0, 1, 0]  # window (1, 0): rows 2 and 3, columns 0 and 1
    array([[12., 13.],
           [18., 19.]])
    """
    func = "tiled_windows"
    if v.checks_enabled():
        x = v.check_array(func, "x", x, _AXES, (None, None, None, None))
        pool_size = v.check_count(func, "pool_size", pool_size, minimum=1)
        if x.shape[2] % pool_size or x.shape[3] % pool_size:
            raise ValueError(f"{func}: x of shape {x.shape} must have H and W multiples of pool_size = "
                             f"{pool_size}, for windows that tile it")
    N, C, H, W = x.shape
    S = pool_size  # the page's name: window S x S, stride S
    # --8<-- [start:tiled]
    # split each axis into (window, position in it), then
    # move the positions last: (N, C, H', W', S, S)
    split = x.reshape(N, C, H // S, S, W // S, S)
    windows = split.transpose(0, 1, 2, 4, 3, 5)
    # --8<-- [end:tiled]
    return windows


def _check_tiles(func: str, pool: tuple[int, int, int], name: str) -> None:
    pool_height, pool_width, stride = pool
    if not pool_height == pool_width == stride:
        raise ValueError(
            f"{func}: {name} must describe windows that tile the input, pool_height == pool_width == "
            f"stride; got {pool_height}, {pool_width}, {stride} (use max_pool_forward_naive)"
        )


def max_pool_forward_reshape(x: np.ndarray, pool_param: dict) -> tuple[np.ndarray, tuple[np.ndarray, dict]]:
    """``max_pool_forward_naive`` without a loop, for windows that tile the input.

    Args:
        x: inputs, shape (N, C, H, W), N and C >= 1.
        pool_param: as for ``max_pool_forward_naive``, with ``pool_height == pool_width ==
            stride`` (then H and W must be multiples of it).

    Returns:
        ``(out, cache)``, the same as ``max_pool_forward_naive`` returns.

    Raises:
        ValueError: as ``max_pool_forward_naive``, and for windows that do not tile the input.

    Examples:
        >>> import numpy as np
        >>> x = np.random.RandomState(0).randn(2, 3, 8, 6)
        >>> pool = {"pool_height": 2, "pool_width": 2, "stride": 2}
        >>> out, cache = max_pool_forward_reshape(x, pool)
        >>> out.shape, bool((out == max_pool_forward_naive(x, pool)[0]).all())
        ((2, 3, 4, 3), True)
    """
    func = "max_pool_forward_reshape"
    x, pool = _check_forward(func, x, pool_param)
    _check_tiles(func, pool, "pool_param")
    out = v.call_unchecked(tiled_windows, x, pool[2]).max(axis=(4, 5))
    return out, (x, pool_param)


def max_pool_backward_reshape(dout: np.ndarray, cache: tuple[np.ndarray, dict]) -> np.ndarray:
    """``max_pool_backward_naive`` without a loop, for windows that tile the input (ties included).

    Args:
        dout: upstream gradient, shape (N, C, H', W').
        cache: ``(x, pool_param)`` from a forward pass whose windows tile the input.

    Returns:
        ``dx``, shape (N, C, H, W), equal to ``max_pool_backward_naive(dout, cache)``: the windows
        do not overlap, so every input gets the gradient of at most one window.

    Raises:
        ValueError: as ``max_pool_backward_naive``, and for windows that do not tile the input.

    Examples:
        >>> import numpy as np
        >>> x = np.zeros((1, 1, 2, 4))  # two windows, each a four-way tie
        >>> out, cache = max_pool_forward_reshape(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
        >>> max_pool_backward_reshape(np.array([[[[1.0, -2.0]]]]), cache)[0, 0]  # first of each
        array([[ 1.,  0., -2.,  0.],
               [ 0.,  0.,  0.,  0.]])
    """
    func = "max_pool_backward_reshape"
    dout, x, pool = _check_backward(func, dout, cache)
    _check_tiles(func, pool, "cache pool_param")
    return v.call_guarded(func, {"dout": dout}, _backward_reshape, dout, x, pool[2])


def _backward_reshape(dout: np.ndarray, x: np.ndarray, S: int) -> np.ndarray:
    # --8<-- [start:backward-reshape]
    # first maxima of all windows: (N, C, H', W', S, S)
    mask = first_max_mask(tiled_windows(x, S))
    dx_windows = mask * dout[..., np.newaxis, np.newaxis]
    # undo the transpose, then the reshape, of tiled_windows
    dx = dx_windows.transpose(0, 1, 2, 4, 3, 5)
    dx = dx.reshape(x.shape)
    # --8<-- [end:backward-reshape]
    return dx
