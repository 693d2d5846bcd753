"""Spatial batch normalisation: batch normalisation of an (N, C, H, W) input, one channel at a time.

A convolutional layer's output has one feature map per channel c. Spatial batch normalisation
normalises channel c with the mean and the (biased, 1/(NHW)) variance of all its N H W entries,
over every example and every position, then scales it by ``gamma[c]`` and shifts it by
``beta[c]``. It is ``backprop.batchnorm`` applied to an (N H W, C) matrix with one row per
position (n, h, w): the channels are moved last before the reshape, so that each column holds
one channel (reshaping without the transpose would mix the channels).

The cache is ``batchnorm_forward``'s, with its (N H W, C) arrays given back in the layer's
(N, C, H, W) layout: ``(X_centred, inv_std, X_hat, gamma)``.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v
from backprop.batchnorm import batchnorm_backward_simplified, batchnorm_forward

_AXES = ("N", "C", "H", "W")


def to_rows(X: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (N H W, C): one row per position (n, h, w), one column per channel.

    >>> import numpy as np
    >>> X = np.arange(12.0).reshape(1, 3, 2, 2)  # channel c holds 4c, ..., 4c + 3
    >>> to_rows(X)[:2]
    array([[0., 4., 8.],
           [1., 5., 9.]])
    """
    num_channels = X.shape[1]
    # --8<-- [start:to-rows]
    # channels last, then one row per position: an (N*H*W, C) matrix
    rows = X.transpose(0, 2, 3, 1).reshape(-1, num_channels)
    # --8<-- [end:to-rows]
    return rows


def from_rows(rows: np.ndarray, shape: tuple[int, int, int, int]) -> np.ndarray:
    """The inverse of ``to_rows``: (N H W, C) -> (N, C, H, W) for ``shape`` = (N, C, H, W).

    >>> import numpy as np
    >>> X = np.arange(24.0).reshape(2, 3, 2, 2)
    >>> bool((from_rows(to_rows(X), X.shape) == X).all())
    True
    """
    num_examples, num_channels, height, width = shape
    return rows.reshape(num_examples, height, width, num_channels).transpose(0, 3, 1, 2)


def spatial_batchnorm_forward(
    X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Forward pass: each channel normalised over its N H W entries, then scaled and shifted.

    Args:
        X: inputs, shape (N, C, H, W) with N H W >= 1; channel c's statistics are taken over
            ``X[:, c, :, :]``.
        gamma: scale per channel, shape (C,).
        beta: shift per channel, shape (C,).
        eps: a number > 0 added to each channel's variance before the square root.

    Returns:
        ``(Y, cache)``: ``Y`` of shape (N, C, H, W) and ``cache = (X_centred, inv_std, X_hat,
        gamma)`` with shapes (N, C, H, W), (C,), (N, C, H, W), (C,).

    Raises:
        ValueError: an X that is not 4-D, N, H or W = 0, gamma or beta not of shape (C,),
            NaN/inf entries, eps <= 0, values so large that the variance overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.random.RandomState(0).randn(4, 3, 2, 5) * 7.0 + 2.0
        >>> Y, cache = spatial_batchnorm_forward(X, np.ones(3), np.zeros(3), eps=1e-12)
        >>> Y.mean(axis=(0, 2, 3)).round(12) + 0.0, Y.var(axis=(0, 2, 3)).round(9)
        (array([0., 0., 0.]), array([1., 1., 1.]))
        >>> wrong = X.reshape(-1, 3)  # without the transpose: columns mix the channels
        >>> bool(np.allclose(batchnorm_forward(wrong, np.ones(3), np.zeros(3))[0], to_rows(Y)))
        False
    """
    if v.checks_enabled():
        func = "spatial_batchnorm_forward"
        X = v.check_array(func, "X", X, _AXES, (None, None, None, None))
        for axis, symbol in ((0, "N (examples)"), (2, "H (height)"), (3, "W (width)")):
            v.check_nonempty(func, "X", X, axis=axis, symbol=symbol)
        context = f" to match X {X.shape}"
        gamma = v.check_array(func, "gamma", gamma, ("C",), (X.shape[1],), context)
        beta = v.check_array(func, "beta", beta, ("C",), (X.shape[1],), context)
        v.check_same_dtype(func, "X", X, gamma=gamma, beta=beta)
        eps = v.check_scalar(func, "eps", eps, positive=True)
        inputs = {"X": X, "gamma": gamma, "beta": beta, "eps": eps}
        return v.call_guarded(func, inputs, spatial_batchnorm_forward, X, gamma, beta, eps)
    # --8<-- [start:forward]
    # batch normalisation of the positions (column c: channel c)
    Y_rows, rows_cache = batchnorm_forward(to_rows(X), gamma, beta, eps)
    Y = from_rows(Y_rows, X.shape)  # (N, C, H, W)
    # --8<-- [end:forward]
    centred, inv_std, X_hat, gamma = rows_cache
    cache = (from_rows(centred, X.shape), inv_std, from_rows(X_hat, X.shape), gamma)
    return Y, cache


def _check_backward(func: str, dY: object, cache: object) -> tuple[np.ndarray, tuple]:
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise ValueError(
            f"{func}: cache must be the tuple (X_centred, inv_std, X_hat, gamma) returned by "
            f"spatial_batchnorm_forward; got {type(cache).__name__}"
            + (f" of length {len(cache)}" if isinstance(cache, tuple) else "")
        )
    X_centred = v.check_array(func, "cache X_centred", cache[0], _AXES, (None, None, None, None))
    for axis, symbol in ((0, "N (examples)"), (2, "H (height)"), (3, "W (width)")):
        v.check_nonempty(func, "cache X_centred", X_centred, axis=axis, symbol=symbol)
    shape = X_centred.shape
    context = f" to match X_centred {shape}"
    inv_std = v.check_array(func, "cache inv_std", cache[1], ("C",), (shape[1],), context)
    X_hat = v.check_array(func, "cache X_hat", cache[2], _AXES, shape, context)
    gamma = v.check_array(func, "cache gamma", cache[3], ("C",), (shape[1],), context)
    if (inv_std <= 0).any():
        raise ValueError(
            f"{func}: cache inv_std must be > 0 (1/sqrt(var + eps)); got {inv_std[inv_std <= 0][0]}"
        )
    dY = v.check_array(func, "dY", dY, _AXES, shape, context)
    v.check_same_dtype(
        func, "cache X_centred", X_centred,
        **{"cache inv_std": inv_std, "cache X_hat": X_hat, "cache gamma": gamma, "dY": dY},
    )
    return dY, (X_centred, inv_std, X_hat, gamma)


def spatial_batchnorm_backward(
    dY: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass: batch normalisation's closed form on the (N H W, C) matrix of positions.

    Args:
        dY: upstream gradient ``dL/dY``, shape (N, C, H, W).
        cache: ``(X_centred, inv_std, X_hat, gamma)`` from ``spatial_batchnorm_forward``.

    Returns:
        ``(dX, dgamma, dbeta)`` with shapes (N, C, H, W), (C,), (C,): ``dbeta[c]`` and
        ``dgamma[c]`` sum over every example and position of channel c.

    Raises:
        ValueError: a cache that is not the forward pass's tuple, a ``dY`` that does not match it,
            values so large that a gradient overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.random.RandomState(1).randn(2, 3, 4, 5)
        >>> Y, cache = spatial_batchnorm_forward(X, np.ones(3), np.zeros(3))
        >>> dX, dgamma, dbeta = spatial_batchnorm_backward(np.ones_like(X), cache)
        >>> dbeta, bool(np.abs(dX).max() < 1e-12)  # 2 * 4 * 5 positions per channel
        (array([40., 40., 40.]), True)
    """
    func = "spatial_batchnorm_backward"
    if v.checks_enabled():
        dY, cache = _check_backward(func, dY, cache)
        names = ("dY", "cache X_centred", "cache inv_std", "cache X_hat", "cache gamma")
        return v.call_guarded(func, dict(zip(names, (dY, *cache))), spatial_batchnorm_backward,
                              dY, cache)
    X_centred, inv_std, X_hat, gamma = cache
    # --8<-- [start:backward]
    # the positions as rows, then batch normalisation's closed form
    rows_cache = (to_rows(X_centred), inv_std, to_rows(X_hat), gamma)
    dX_rows, dgamma, dbeta = batchnorm_backward_simplified(
        to_rows(dY), rows_cache)
    dX = from_rows(dX_rows, dY.shape)  # (N, C, H, W)
    # --8<-- [end:backward]
    return dX, dgamma, dbeta
