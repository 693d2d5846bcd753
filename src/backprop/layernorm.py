"""Layer normalisation of an (N, D) input: each row normalised over its D features, two backward passes.

Row i (one example) is normalised with the mean and the (biased, 1/D) variance of its own D
entries, then each column d is scaled by ``gamma[d]`` and shifted by ``beta[d]``, as in batch
normalisation. Only the axis of the statistics changes: ``backprop.batchnorm`` takes them per
column, over the N examples; here they are per row, over the D features, so every example is
normalised on its own and the layer computes the same in training and at test time (no running
averages, no mode).

The signatures are those of the CS231n assignments: ``layernorm_forward(X, gamma, beta, ln_param)``
with ``ln_param = {"eps": ...}`` (an empty dict takes eps = 1e-5), and ``layernorm_backward(dY,
cache)``. ``layernorm_backward`` walks the graph node by node, ``layernorm_backward_simplified``
evaluates the closed form of the derivation page; both take the cache ``(X_centred, inv_std,
X_hat, gamma)``, with ``inv_std`` of shape (N,): one number per example.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v

#: The eps of an ``ln_param`` without one, as in the CS231n assignments.
DEFAULT_EPS = 1e-5


def _check_ln_param(func: str, ln_param: object) -> float:
    """The eps of ``ln_param``, a dict with no key other than "eps"."""
    if not isinstance(ln_param, dict):
        raise ValueError(
            f'{func}: ln_param must be a dict such as {{"eps": 1e-5}} (or {{}} for eps = 1e-5); '
            f"got {type(ln_param).__name__}"
        )
    unknown = sorted(map(repr, set(ln_param) - {"eps"}))
    if unknown:
        raise ValueError(
            f'{func}: ln_param may hold only the key "eps"; got {", ".join(unknown)} (layer '
            "normalisation computes the same in training and at test time: it has no mode and no "
            "running averages)"
        )
    return v.check_scalar(func, 'ln_param["eps"]', ln_param.get("eps", DEFAULT_EPS), positive=True)


def layernorm_forward(
    X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, ln_param: dict
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Forward pass ``Y = gamma * (X - mean) / sqrt(var + eps) + beta``, the statistics row by row.

    Args:
        X: inputs, shape (N, D), N >= 1 and D >= 1; the statistics of row i are taken over its D entries.
        gamma: scale per column (feature), shape (D,).
        beta: shift per column (feature), shape (D,).
        ln_param: ``{"eps": eps}``, eps > 0 added to each row's variance before the square root;
            ``{}`` takes eps = 1e-5.

    Returns:
        ``(Y, cache)``: ``Y`` of shape (N, D) and ``cache = (X_centred, inv_std, X_hat, gamma)``
        with shapes (N, D), (N,), (N, D), (D,) for the backward passes.

    Raises:
        ValueError: shapes that do not fit together, N = 0 or D = 0, NaN/inf entries, an ln_param that is
            not a dict with at most the key "eps", eps <= 0, values so large that the variance
            overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.array([[1.0, 3.0], [10.0, 10.0]])  # the second example is constant
        >>> Y, cache = layernorm_forward(X, np.ones(2), np.array([0.0, 5.0]), {"eps": 1e-8})
        >>> Y.round(6)  # row 1 becomes -1, +1 (plus beta); the constant row becomes beta
        array([[-1.,  6.],
               [ 0.,  5.]])
        >>> [a.shape for a in cache]  # X_centred, inv_std (one per example), X_hat, gamma
        [(2, 2), (2,), (2, 2), (2,)]
    """
    if v.checks_enabled():
        func = "layernorm_forward"
        X = v.check_array(func, "X", X, ("N", "D"), (None, None))
        v.check_nonempty(func, "X", X, axis=0, symbol="N (examples)")
        v.check_nonempty(func, "X", X, axis=1, symbol="D (features)")
        gamma = v.check_array(func, "gamma", gamma, ("D",), (X.shape[1],), f" to match X {X.shape}")
        beta = v.check_array(func, "beta", beta, ("D",), (X.shape[1],), f" to match X {X.shape}")
        v.check_same_dtype(func, "X", X, gamma=gamma, beta=beta)
        eps = _check_ln_param(func, ln_param)
        inputs = {"X": X, "gamma": gamma, "beta": beta, 'ln_param["eps"]': eps}
        return v.call_guarded(func, inputs, layernorm_forward, X, gamma, beta, {"eps": eps})
    eps = ln_param.get("eps", DEFAULT_EPS)
    # --8<-- [start:forward]
    num_features = X.shape[1]
    # statistics of each row over its D features
    mean = X.sum(axis=1, keepdims=True) / num_features  # (N, 1)
    X_centred = X - mean  # (N, D)
    # 1/D, not 1/(D-1)
    var = (X_centred**2).sum(axis=1, keepdims=True) / num_features
    # eps keeps a constant row finite
    inv_std = 1.0 / np.sqrt(var + eps)  # (N, 1)
    X_hat = X_centred * inv_std  # (N, D): rows scaled
    # gamma, beta per column, as in batch normalisation
    Y = gamma * X_hat + beta  # (N, D)
    # --8<-- [end:forward]
    return Y, (X_centred, inv_std[:, 0], X_hat, gamma)


def layernorm_backward(
    dY: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass along the graph, one node at a time: batch normalisation's steps, with the
    sums of the statistics' nodes taken along the rows (axis 1) instead of the columns.

    Args:
        dY: upstream gradient ``dL/dY``, shape (N, D).
        cache: ``(X_centred, inv_std, X_hat, gamma)`` from ``layernorm_forward``.

    Returns:
        ``(dX, dgamma, dbeta)`` with shapes (N, D), (D,), (D,).

    Raises:
        ValueError: a cache that is not the forward pass's tuple (or has N = 0 rows or D = 0
            columns), a ``dY``
            that does not match it, values so large that a gradient overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.array([[1.0, 2.0, 6.0], [3.0, 5.0, 5.0]])
        >>> Y, cache = layernorm_forward(X, np.array([2.0, 2.0, 2.0]), np.zeros(3), {})
        >>> dX, dgamma, dbeta = layernorm_backward(np.ones((2, 3)), cache)
        >>> dbeta, dX.shape  # column sums, as in batch normalisation
        (array([2., 2., 2.]), (2, 3))
        >>> bool(np.abs(dX).max() < 1e-12)  # dY * gamma is constant along each row: it only moves row means
        True
    """
    if v.checks_enabled():
        func = "layernorm_backward"
        dY, cache = v.check_normalization_backward(func, "layernorm_forward", dY, cache, per_row=True)
        return v.call_normalization_backward(func, layernorm_backward, dY, cache)
    X_centred, inv_std, X_hat, gamma = cache
    num_features = dY.shape[1]
    inv_std = inv_std[:, np.newaxis]  # (N, 1): one per row
    # --8<-- [start:backward-scale-shift]
    # unchanged: beta_d and gamma_d act on all N rows of column d
    dbeta = dY.sum(axis=0)  # (D,)
    dgamma = (dY * X_hat).sum(axis=0)  # (D,)
    dX_hat = dY * gamma  # (N, D)
    # --8<-- [end:backward-scale-shift]
    # --8<-- [start:backward-normalise]
    # inv_std_i scales the D entries of row i: a row sum
    dinv_std = (dX_hat * X_centred).sum(axis=1, keepdims=True)  # (N, 1)
    # the direct path only; the variance adds its own
    dX_centred = dX_hat * inv_std  # (N, D)
    # --8<-- [end:backward-normalise]
    # --8<-- [start:backward-inverse-std]
    # d/dv (v + eps)^(-1/2) = -1/2 (v + eps)^(-3/2)
    dvar = -0.5 * inv_std**3 * dinv_std  # (N, 1)
    # --8<-- [end:backward-inverse-std]
    # --8<-- [start:backward-variance]
    # the second path out of X_centred: the row's variance
    dX_centred = dX_centred + (2.0 / num_features) * X_centred * dvar
    # --8<-- [end:backward-variance]
    # --8<-- [start:backward-mean]
    # the mean is subtracted from all D entries of its row
    dmean = -dX_centred.sum(axis=1, keepdims=True)  # (N, 1)
    # X feeds X_centred directly and the mean
    dX = dX_centred + dmean / num_features  # (N, D)
    # --8<-- [end:backward-mean]
    return dX, dgamma, dbeta


def layernorm_backward_simplified(
    dY: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass from the closed form, row by row, with ``dX_hat = dY * gamma``:
    ``dX = inv_std / D * (D dX_hat - dX_hat.sum(1) - X_hat (dX_hat * X_hat).sum(1))``.

    Unlike batch normalisation's closed form, the two sums are not ``dbeta`` and ``dgamma``: they
    run along a row, where gamma changes from entry to entry, so they are sums of ``dX_hat``, not
    of ``dY``. Same arguments, results and errors as ``layernorm_backward``.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.RandomState(0)
        >>> Y, cache = layernorm_forward(rng.randn(5, 3), rng.randn(3), rng.randn(3), {})
        >>> dY = rng.randn(5, 3)
        >>> graph, closed_form = layernorm_backward(dY, cache), layernorm_backward_simplified(dY, cache)
        >>> all(np.allclose(a, b, rtol=1e-12, atol=1e-14) for a, b in zip(graph, closed_form))
        True
    """
    if v.checks_enabled():
        func = "layernorm_backward_simplified"
        dY, cache = v.check_normalization_backward(func, "layernorm_forward", dY, cache, per_row=True)
        return v.call_normalization_backward(func, layernorm_backward_simplified, dY, cache)
    _, inv_std, X_hat, gamma = cache
    # --8<-- [start:backward-simplified]
    num_features = dY.shape[1]
    dbeta = dY.sum(axis=0)  # (D,)
    dgamma = (dY * X_hat).sum(axis=0)  # (D,)
    dX_hat = dY * gamma  # (N, D): gamma varies along a row
    # the two row sums of the closed form
    row_sum = dX_hat.sum(axis=1, keepdims=True)  # (N, 1)
    row_dot = (dX_hat * X_hat).sum(axis=1, keepdims=True)  # (N, 1)
    # rows scaled by inv_std_i / D
    scale = inv_std[:, np.newaxis] / num_features  # (N, 1)
    dX = scale * (num_features * dX_hat - row_sum - X_hat * row_dot)
    # --8<-- [end:backward-simplified]
    return dX, dgamma, dbeta
