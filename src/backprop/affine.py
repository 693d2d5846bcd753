"""The affine (fully connected) layer ``F = X W + 1_N b^T`` with its backward pass.

Shapes: ``X`` (N, D), ``W`` (D, K), ``b`` (K,), ``F`` (N, K). Given the upstream gradient
``dF = dL/dF`` of shape (N, K), the chain rule gives ``dX = dF W^T`` (N, D), ``dW = X^T dF`` (D, K)
and ``db = dF^T 1_N``, the column sums of ``dF`` (K,). The derivation pages prove these.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def affine_forward(
    X: np.ndarray, W: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Forward pass ``F = X W + b`` (``b`` added to every row).

    Args:
        X: inputs, shape (N, D).
        W: weights, shape (D, K).
        b: bias, shape (K,).

    Returns:
        ``(F, cache)``: scores ``F`` of shape (N, K) and ``cache = (X, W)`` for the backward pass.

    Raises:
        ValueError: shapes that do not fit together (the message names both), NaN/inf entries,
            finite entries so large that F overflows.

    Examples:
        >>> import numpy as np
        >>> F, cache = affine_forward(np.ones((4, 2)), np.ones((2, 3)), np.array([0.0, 1.0, 2.0]))
        >>> F
        array([[2., 3., 4.],
               [2., 3., 4.],
               [2., 3., 4.],
               [2., 3., 4.]])
    """
    if v.checks_enabled():
        func = "affine_forward"
        X = v.check_array(func, "X", X, ("N", "D"), (None, None))
        W = v.check_array(func, "W", W, ("D", "K"), (X.shape[1], None), f" to match X {X.shape}")
        b = v.check_array(func, "b", b, ("K",), (W.shape[1],), f" to match W {W.shape}")
        v.check_same_dtype(func, "X", X, W=W, b=b)
        return v.call_guarded(func, {"X": X, "W": W, "b": b}, affine_forward, X, W, b)
    # --8<-- [start:forward]
    F = X @ W
    # b has shape (K,): broadcasting adds it to all N rows (the 1_N b^T)
    F += b
    # --8<-- [end:forward]
    return F, (X, W)


def affine_backward(
    dF: np.ndarray, cache: tuple[np.ndarray, np.ndarray], *, compute_dX: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Backward pass: gradients of the loss with respect to ``X``, ``W`` and ``b``.

    Args:
        dF: upstream gradient ``dL/dF``, shape (N, K).
        cache: ``(X, W)`` from ``affine_forward``, shapes (N, D) and (D, K).
        compute_dX: set False for a first layer, whose input is data: ``dX`` is then not computed
            (it costs as much as ``dW``) and None is returned in its place.

    Returns:
        ``(dX, dW, db)`` with shapes (N, D), (D, K), (K,).

    Raises:
        ValueError: a cache that is not ``(X, W)``, a ``dF`` whose shape does not match it, or
            finite values so large that a gradient overflows.

    Examples:
        >>> import numpy as np
        >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        >>> dX, dW, db = affine_backward(np.ones((3, 4)), (X, np.zeros((2, 4))))
        >>> dW[:, 0], db  # column sums of X, and of dF
        (array([ 9., 12.]), array([3., 3., 3., 3.]))
    """
    if v.checks_enabled():
        func = "affine_backward"
        compute_dX = v.check_flag(func, "compute_dX", compute_dX)
        if not isinstance(cache, tuple) or len(cache) != 2:
            raise ValueError(
                f"{func}: cache must be the pair (X, W) returned by affine_forward; "
                f"got {type(cache).__name__}"
            )
        X = v.check_array(func, "cache X", cache[0], ("N", "D"), (None, None))
        W = v.check_array(func, "cache W", cache[1], ("D", "K"), (X.shape[1], None), f" to match X {X.shape}")
        dF = v.check_array(
            func, "dF", dF, ("N", "K"), (X.shape[0], W.shape[1]), f" to match X {X.shape} and W {W.shape}"
        )
        v.check_same_dtype(func, "cache X", X, **{"cache W": W, "dF": dF})
        return v.call_guarded(
            func, {"dF": dF, "cache X": X, "cache W": W}, affine_backward, dF, (X, W), compute_dX=compute_dX
        )
    # --8<-- [start:backward]
    X, W = cache
    # (N, K) (K, D) -> (N, D)
    dX = dF @ W.T if compute_dX else None
    # (D, N) (N, K) -> (D, K): a sum over the N examples
    dW = X.T @ dF
    # (K,): b_k is in every row's score k, so its gradient sums column k
    db = dF.sum(axis=0)
    # --8<-- [end:backward]
    return dX, dW, db
