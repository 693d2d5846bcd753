"""Batch normalisation in training mode, over the N rows of an (N, D) input, with two backward passes.

Each column d is normalised with the mean and the (biased, 1/N) variance of that column over the
batch, then scaled by ``gamma[d]`` and shifted by ``beta[d]``. ``eps > 0`` is added to the variance
so that a constant column (variance 0) does not divide by zero.

The backward pass is computed twice: ``batchnorm_backward`` walks the computational graph node by
node (mean, centred input, variance, inverse standard deviation, normalised input, scale and
shift), and ``batchnorm_backward_simplified`` evaluates the closed form that the derivation page
obtains from it. They agree to rounding. The running averages used at test time are out of scope.

Both backward functions take the same cache ``(X_centred, inv_std, X_hat, gamma)``.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def batchnorm_forward(
    X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Forward pass ``Y = gamma * (X - mean) / sqrt(var + eps) + beta``, column by column.

    Args:
        X: inputs, shape (N, D), N >= 1; the statistics are taken over the N rows.
        gamma: scale per column, shape (D,).
        beta: shift per column, shape (D,).
        eps: a number > 0 added to each column's variance before the square root.

    Returns:
        ``(Y, cache)``: ``Y`` of shape (N, D) and ``cache = (X_centred, inv_std, X_hat, gamma)``
        with shapes (N, D), (D,), (N, D), (D,) for the backward passes.

    Raises:
        ValueError: shapes that do not fit together, N = 0, NaN/inf entries, eps <= 0, values
            so large that the variance overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.array([[1.0, 10.0], [3.0, 10.0]])  # the second column is constant
        >>> Y, cache = batchnorm_forward(X, np.ones(2), np.array([0.0, 5.0]), eps=1e-8)
        >>> Y.round(6)  # column 1 becomes -1, +1; the constant column becomes beta
        array([[-1.,  5.],
               [ 1.,  5.]])
    """
    if v.checks_enabled():
        func = "batchnorm_forward"
        X = v.check_array(func, "X", X, ("N", "D"), (None, None))
        v.check_nonempty(func, "X", X, axis=0, symbol="N (examples)")
        gamma = v.check_array(func, "gamma", gamma, ("D",), (X.shape[1],), f" to match X {X.shape}")
        beta = v.check_array(func, "beta", beta, ("D",), (X.shape[1],), f" to match X {X.shape}")
        v.check_same_dtype(func, "X", X, gamma=gamma, beta=beta)
        eps = v.check_scalar(func, "eps", eps, positive=True)
        inputs = {"X": X, "gamma": gamma, "beta": beta, "eps": eps}
        return v.call_guarded(func, inputs, batchnorm_forward, X, gamma, beta, eps)
    # --8<-- [start:forward]
    num_examples = X.shape[0]
    # statistics of each column over the N rows
    mean = X.sum(axis=0) / num_examples  # (D,)
    X_centred = X - mean  # (N, D)
    # 1/N, not 1/(N-1)
    var = (X_centred**2).sum(axis=0) / num_examples
    # eps keeps a constant column finite
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,)
    X_hat = X_centred * inv_std  # (N, D)
    Y = gamma * X_hat + beta  # (N, D)
    # --8<-- [end:forward]
    return Y, (X_centred, inv_std, X_hat, gamma)


def batchnorm_backward(
    dY: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass along the graph, one node at a time (the reverse order of the forward pass).

    Args:
        dY: upstream gradient ``dL/dY``, shape (N, D).
        cache: ``(X_centred, inv_std, X_hat, gamma)`` from ``batchnorm_forward``.

    Returns:
        ``(dX, dgamma, dbeta)`` with shapes (N, D), (D,), (D,).

    Raises:
        ValueError: a cache that is not the forward pass's tuple (or has N = 0 rows), a ``dY`` that
            does not match it, values so large that a gradient overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.array([[1.0, 2.0], [3.0, 5.0], [8.0, 5.0]])
        >>> Y, cache = batchnorm_forward(X, np.ones(2), np.zeros(2))
        >>> dX, dgamma, dbeta = batchnorm_backward(np.ones((3, 2)), cache)
        >>> dbeta, bool(np.abs(dX).max() < 1e-12)  # shifting every output of a column changes nothing
        (array([3., 3.]), True)
    """
    if v.checks_enabled():
        func = "batchnorm_backward"
        dY, cache = v.check_normalization_backward(func, "batchnorm_forward", dY, cache, per_row=False)
        return v.call_normalization_backward(func, batchnorm_backward, dY, cache)
    X_centred, inv_std, X_hat, gamma = cache
    num_examples = dY.shape[0]
    # --8<-- [start:backward-scale-shift]
    # beta_d and gamma_d act on all N rows of column d
    dbeta = dY.sum(axis=0)  # (D,)
    dgamma = (dY * X_hat).sum(axis=0)  # (D,)
    dX_hat = dY * gamma  # (N, D)
    # --8<-- [end:backward-scale-shift]
    # --8<-- [start:backward-normalise]
    # inv_std_d scales all N rows of column d
    dinv_std = (dX_hat * X_centred).sum(axis=0)  # (D,)
    # the direct path only; the variance adds its own
    dX_centred = dX_hat * inv_std  # (N, D)
    # --8<-- [end:backward-normalise]
    # --8<-- [start:backward-inverse-std]
    # d/dv (v + eps)^(-1/2) = -1/2 (v + eps)^(-3/2)
    dvar = -0.5 * inv_std**3 * dinv_std  # (D,)
    # --8<-- [end:backward-inverse-std]
    # --8<-- [start:backward-variance]
    # the second path out of X_centred: the variance
    dX_centred = dX_centred + (2.0 / num_examples) * X_centred * dvar
    # --8<-- [end:backward-variance]
    # --8<-- [start:backward-mean]
    # the mean is subtracted from all N rows
    dmean = -dX_centred.sum(axis=0)  # (D,)
    # X feeds X_centred directly and the mean
    dX = dX_centred + dmean / num_examples  # (N, D)
    # --8<-- [end:backward-mean]
    return dX, dgamma, dbeta


def batchnorm_backward_simplified(
    dY: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass from the closed form ``dX = gamma * inv_std / N * (N dY - sums - X_hat * sums)``.

    Per column: ``dX = (1/N) gamma inv_std (N dY - dY.sum(0) - X_hat (dY * X_hat).sum(0))``, where
    the two column sums are ``dbeta`` and ``dgamma``. Same arguments, results and errors as
    ``batchnorm_backward``, with fewer temporary arrays.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.RandomState(0)
        >>> Y, cache = batchnorm_forward(rng.randn(5, 3), rng.randn(3), rng.randn(3))
        >>> dY = rng.randn(5, 3)
        >>> graph, closed_form = batchnorm_backward(dY, cache), batchnorm_backward_simplified(dY, cache)
        >>> all(np.allclose(a, b, rtol=1e-12, atol=1e-14) for a, b in zip(graph, closed_form))
        True
    """
    if v.checks_enabled():
        func = "batchnorm_backward_simplified"
        dY, cache = v.check_normalization_backward(func, "batchnorm_forward", dY, cache, per_row=False)
        return v.call_normalization_backward(func, batchnorm_backward_simplified, dY, cache)
    _, inv_std, X_hat, gamma = cache
    # --8<-- [start:backward-simplified]
    num_examples = dY.shape[0]
    dbeta = dY.sum(axis=0)  # (D,)
    dgamma = (dY * X_hat).sum(axis=0)  # (D,)
    # columns scaled by gamma_d inv_std_d / N
    scale = gamma * inv_std / num_examples  # (D,)
    dX = scale * (num_examples * dY - dbeta - X_hat * dgamma)
    # --8<-- [end:backward-simplified]
    return dX, dgamma, dbeta
