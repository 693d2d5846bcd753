"""Independent numpy oracles for the index-arithmetic tests (0-based loops, as the course's code
indexes; written without the checker)."""

import numpy as np


def correlate(X, V, stride=1):
    """Y[n, f, i, j] = sum over c, p, q of X[n, c, stride*i + p, stride*j + q] V[f, c, p, q]."""
    N, C, H, W = X.shape
    F, _, HH, WW = V.shape
    rows, cols = (H - HH) // stride + 1, (W - WW) // stride + 1
    Y = np.zeros((N, F, rows, cols))
    for i in range(rows):
        for j in range(cols):
            window = X[:, :, stride * i:stride * i + HH, stride * j:stride * j + WW]
            Y[:, :, i, j] = np.einsum("ncpq,fcpq->nf", window, V)
    return Y


def pad(X, P):
    """X with P zeros on each side of its last two axes."""
    return np.pad(X, ((0, 0), (0, 0), (P, P), (P, P)))


def correlate_stride_two(X, V):
    """The first 2 x 2 outputs of the correlation with stride 2."""
    return correlate(X, V, stride=2)[:, :, :2, :2]


def conv_forward(X, K, b, conv_param):
    """The course's conv_forward_naive, with the padding and the stride of `conv_param`."""
    Y = correlate(pad(X, conv_param["pad"]), K, conv_param["stride"])
    return Y + b[None, :, None, None]


def max_pool(X, pool_param):
    """The course's max_pool_forward_naive: the maximum of each window, windows `stride` apart."""
    N, C, H, W = X.shape
    HH, WW, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    rows, cols = 1 + (H - HH) // stride, 1 + (W - WW) // stride
    Y = np.empty((N, C, rows, cols))
    for i in range(rows):
        for j in range(cols):
            Y[:, :, i, j] = X[:, :, stride * i:stride * i + HH, stride * j:stride * j + WW].max(axis=(2, 3))
    return Y
