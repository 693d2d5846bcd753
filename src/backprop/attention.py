"""Scaled dot-product attention, one head and several, with the backward pass.

One head: queries ``Q`` (N, d_k), keys ``K`` (M, d_k) and values ``V`` (M, d_v) give the scores
``S = Q K^T / sqrt(d_k)`` (N, M), the attention weights ``A``, the softmax of each row of ``S``
(each query's weights over the M keys sum to 1), and the output ``O = A V`` (N, d_v). The backward
pass goes through the same nodes in reverse: ``dV = A^T dO``, ``dA = dO V^T``, the row-softmax
Jacobian ``dS = A * (dA - rowsum(dA * A))``, then ``dQ = dS K / sqrt(d_k)`` and
``dK = dS^T Q / sqrt(d_k)``.

Several heads: the arrays may carry one leading axis, the head, ``(H, N, d_k)`` and so on; every
head attends on its own, with the same formulas. ``split_heads`` and ``merge_heads`` are the
reshapes between one (N, H d) matrix, whose columns are H blocks of d, and the (H, N, d) stack of
heads; ``multihead_attention_forward`` and ``multihead_attention_backward`` wrap one head's
functions in them. (The learned projections of a transformer's attention layer are affine layers
before and after; they are not repeated here.)
"""

from __future__ import annotations

import math

import numpy as np

from backprop import _validation as v

#: Axis names for one head (two axes) and for a stack of heads (three), in messages.
_DIMS = {
    "Q": (("N", "d_k"), ("H", "N", "d_k")),
    "K": (("M", "d_k"), ("H", "M", "d_k")),
    "V": (("M", "d_v"), ("H", "M", "d_v")),
}


def _check_inputs(
    func: str, Q: object, K: object, V: object, prefix: str = ""
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Q, K and V of one head or of a stack of heads; ``prefix`` ("cache ") names them in a cache."""
    names = {name: prefix + name for name in "QKV"}
    Q = v.as_float_array(func, names["Q"], Q)
    if Q.ndim not in (2, 3):
        raise ValueError(
            f"{func}: {names['Q']} must have shape (N, d_k) for one head or (H, N, d_k) for H heads; "
            f"got {tuple(Q.shape)}"
        )
    heads = Q.shape[:-2]
    dims = 0 if Q.ndim == 2 else 1
    Q = v.check_array(func, names["Q"], Q, _DIMS["Q"][dims], (*heads, None, None))
    v.check_nonempty(func, names["Q"], Q, axis=-1, symbol="d_k (key size)")
    context = f" to match {names['Q']} {Q.shape}"
    K = v.check_array(func, names["K"], K, _DIMS["K"][dims], (*heads, None, Q.shape[-1]), context)
    v.check_nonempty(func, names["K"], K, axis=-2, symbol="M (keys)")
    V = v.check_array(func, names["V"], V, _DIMS["V"][dims], (*heads, K.shape[-2], None),
                      f" to match {names['K']} {K.shape}")  # fmt: skip
    v.check_same_dtype(func, names["Q"], Q, **{names["K"]: K, names["V"]: V})
    return Q, K, V


def attention_forward(
    Q: np.ndarray, K: np.ndarray, V: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Forward pass ``O = softmax(Q K^T / sqrt(d_k)) V``, the softmax taken along each row.

    Args:
        Q: queries, shape (N, d_k), or (H, N, d_k) for H heads.
        K: keys, shape (M, d_k), or (H, M, d_k); M >= 1.
        V: values, shape (M, d_v), or (H, M, d_v).

    Returns:
        ``(O, cache)``: ``O`` of shape (N, d_v) (or (H, N, d_v)) and ``cache = (Q, K, V, A)``
        with ``A`` the attention weights, shape (N, M) (or (H, N, M)), rows summing to 1.

    Raises:
        ValueError: shapes that do not fit together (the message names both), empty keys or
            d_k = 0, NaN/inf entries, mixed float dtypes, values so large that a score overflows.

    Examples:
        >>> import numpy as np
        >>> Q = np.array([[1.0, 0.0], [0.0, 0.0]])  # the second query scores every key alike
        >>> K = np.array([[200.0, 0.0], [0.0, 0.0]])
        >>> V = np.array([[1.0], [3.0]])
        >>> O, (_, _, _, A) = attention_forward(Q, K, V)
        >>> A.round(6), O.round(6)  # the first query puts all its weight on key 1
        (array([[1. , 0. ],
               [0.5, 0.5]]), array([[1.],
               [2.]]))
    """
    if v.checks_enabled():
        func = "attention_forward"
        Q, K, V = _check_inputs(func, Q, K, V)
        return v.call_guarded(func, {"Q": Q, "K": K, "V": V}, attention_forward, Q, K, V)
    # --8<-- [start:forward]
    scale = 1.0 / math.sqrt(Q.shape[-1])  # 1 / sqrt(d_k)
    # (N, M): S[i, j] scores query i against key j
    S = (Q @ np.swapaxes(K, -1, -2)) * scale
    # softmax of each row, stable: the row maximum is subtracted first
    exp_scores = np.exp(S - S.max(axis=-1, keepdims=True))
    A = exp_scores / exp_scores.sum(axis=-1, keepdims=True)  # (N, M)
    O = A @ V  # (N, d_v): each query's weighted mean of the values
    # --8<-- [end:forward]
    return O, (Q, K, V, A)


def _check_backward(func: str, dO: object, cache: object):
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise ValueError(
            f"{func}: cache must be the tuple (Q, K, V, A) returned by attention_forward; got "
            f"{type(cache).__name__}" + (f" of length {len(cache)}" if isinstance(cache, tuple) else "")
        )
    Q, K, V = _check_inputs(func, *cache[:3], prefix="cache ")
    heads = Q.shape[:-2]
    names = ("N", "M") if not heads else ("H", "N", "M")
    context = f" to match cache Q {Q.shape} and cache K {K.shape}"
    A = v.check_array(func, "cache A", cache[3], names, (*heads, Q.shape[-2], K.shape[-2]), context)
    out_names = ("N", "d_v") if not heads else ("H", "N", "d_v")
    dO = v.check_array(func, "dO", dO, out_names, (*heads, Q.shape[-2], V.shape[-1]),
                       f" to match cache Q {Q.shape} and cache V {V.shape}")  # fmt: skip
    v.check_same_dtype(func, "cache Q", Q, **{"cache A": A, "dO": dO})
    return dO, (Q, K, V, A)


def attention_backward(
    dO: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass: the gradients of the loss with respect to ``Q``, ``K`` and ``V``.

    Args:
        dO: upstream gradient ``dL/dO``, shape (N, d_v), or (H, N, d_v).
        cache: ``(Q, K, V, A)`` from ``attention_forward``.

    Returns:
        ``(dQ, dK, dV)`` with the shapes of ``Q``, ``K`` and ``V``.

    Raises:
        ValueError: a cache that is not the forward pass's tuple, a ``dO`` that does not match it,
            NaN/inf entries, values so large that a gradient overflows.

    Examples:
        >>> import numpy as np
        >>> Q, K, V = np.zeros((2, 3)), np.zeros((4, 3)), np.arange(8.0).reshape(4, 2)
        >>> O, cache = attention_forward(Q, K, V)  # uniform weights 1/4
        >>> dQ, dK, dV = attention_backward(np.ones((2, 2)), cache)
        >>> dV  # each key's value feeds both queries with weight 1/4
        array([[0.5, 0.5],
               [0.5, 0.5],
               [0.5, 0.5],
               [0.5, 0.5]])
    """
    if v.checks_enabled():
        func = "attention_backward"
        dO, cache = _check_backward(func, dO, cache)
        names = ("dO", "cache Q", "cache K", "cache V", "cache A")
        return v.call_guarded(func, dict(zip(names, (dO, *cache))), attention_backward, dO, cache)
    Q, K, V, A = cache
    # --8<-- [start:backward]
    scale = 1.0 / math.sqrt(Q.shape[-1])  # 1 / sqrt(d_k)
    dV = np.swapaxes(A, -1, -2) @ dO  # (M, d_v): A^T dO
    dA = dO @ np.swapaxes(V, -1, -2)  # (N, M): dO V^T
    # the row-softmax Jacobian, applied row by row without building it:
    # dS_ij = A_ij (dA_ij - sum_k dA_ik A_ik)
    dS = A * (dA - (dA * A).sum(axis=-1, keepdims=True))  # (N, M)
    dQ = (dS @ K) * scale  # (N, d_k)
    dK = (np.swapaxes(dS, -1, -2) @ Q) * scale  # (M, d_k)
    # --8<-- [end:backward]
    return dQ, dK, dV


def split_heads(X: np.ndarray, num_heads: int) -> np.ndarray:
    """The (N, H d) matrix as H heads of (N, d): column ``h d + l`` (0-based) is feature l of head h.

    Args:
        X: shape (N, H d), the H blocks of d columns side by side.
        num_heads: H >= 1, dividing the number of columns.

    Returns:
        shape (H, N, d), a view of ``X`` when NumPy can make one.

    Raises:
        ValueError: X not 2-D, or H not an integer >= 1 that divides its columns.

    Examples:
        >>> import numpy as np
        >>> X = np.arange(12.0).reshape(2, 6)  # N = 2, H = 3 heads of d = 2
        >>> split_heads(X, 3)[1]  # head 1 (0-based): columns 2 and 3
        array([[2., 3.],
               [8., 9.]])
    """
    if v.checks_enabled():
        func = "split_heads"
        X = v.check_array(func, "X", X, ("N", "H d"), (None, None))
        num_heads = v.check_count(func, "num_heads", num_heads, minimum=1)
        if X.shape[1] % num_heads:
            raise ValueError(
                f"{func}: num_heads must divide the {X.shape[1]} columns of X into equal heads; got {num_heads}"
            )
    # --8<-- [start:split]
    N, width = X.shape
    # (N, H d) -> (N, H, d): row-major, so column h d + l becomes [h, l];
    # then the head axis first: (H, N, d)
    head_width = width // num_heads
    heads = X.reshape(N, num_heads, head_width).transpose(1, 0, 2)
    # --8<-- [end:split]
    return heads


def merge_heads(Y: np.ndarray) -> np.ndarray:
    """The inverse of ``split_heads``: (H, N, d) back to (N, H d), the heads side by side.

    Examples:
        >>> import numpy as np
        >>> X = np.arange(12.0).reshape(2, 6)
        >>> bool((merge_heads(split_heads(X, 3)) == X).all())
        True
    """
    if v.checks_enabled():
        Y = v.check_array("merge_heads", "Y", Y, ("H", "N", "d"), (None, None, None))
    # --8<-- [start:merge]
    H, N, d = Y.shape
    merged = Y.transpose(1, 0, 2).reshape(N, H * d)
    # --8<-- [end:merge]
    return merged


def multihead_attention_forward(
    Q: np.ndarray, K: np.ndarray, V: np.ndarray, num_heads: int
) -> tuple[np.ndarray, tuple]:
    """Attention with H heads on (N, H d_k), (M, H d_k), (M, H d_v) inputs: split, attend, merge.

    Returns:
        ``(O, cache)``: ``O`` of shape (N, H d_v), head h's output in its block of columns, and
        the cache of ``attention_forward`` on the split heads.

    Raises:
        ValueError: as ``split_heads`` and ``attention_forward``.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 6))
        >>> O, _ = multihead_attention_forward(Q, K, V, num_heads=2)
        >>> head_1, _ = attention_forward(Q[:, 2:], K[:, 2:], V[:, 3:])  # the second head alone
        >>> bool(np.allclose(O[:, 3:], head_1))
        True
    """
    func = "multihead_attention_forward"
    if v.checks_enabled():
        num_heads = v.check_count(func, "num_heads", num_heads, minimum=1)
        Q, K, V = (_check_heads(func, name, X, num_heads) for name, X in (("Q", Q), ("K", K), ("V", V)))
    if v.checks_enabled():  # the shapes of the heads must fit together: one head's checks say so
        _check_inputs(func, *(v.call_unchecked(split_heads, X, num_heads) for X in (Q, K, V)))
        return v.call_guarded(func, {"Q": Q, "K": K, "V": V}, multihead_attention_forward, Q, K, V, num_heads)
    # --8<-- [start:multihead-forward]
    # (N, H d_k) -> (H, N, d_k), and so on: a head is a batch axis
    heads = [split_heads(X, num_heads) for X in (Q, K, V)]
    O_heads, cache = attention_forward(*heads)  # (H, N, d_v)
    O = merge_heads(O_heads)  # (N, H d_v): the heads side by side
    # --8<-- [end:multihead-forward]
    return O, cache


def multihead_attention_backward(dO: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of ``multihead_attention_forward``: split ``dO``, one head's backward pass, merge.

    Returns:
        ``(dQ, dK, dV)`` with the shapes (N, H d_k), (M, H d_k), (M, H d_v) of the inputs.

    Raises:
        ValueError: as ``attention_backward``.
    """
    func = "multihead_attention_backward"
    wrong = not isinstance(cache, tuple) or len(cache) != 4
    if not wrong:
        queries = v.as_float_array(func, "cache Q", cache[0]) if v.checks_enabled() else cache[0]
        wrong = queries.ndim != 3 or queries.shape[0] == 0
    if wrong:
        raise ValueError(
            f"{func}: cache must be the tuple (Q, K, V, A) of H heads returned by "
            "multihead_attention_forward"
        )
    num_heads = queries.shape[0]
    if v.checks_enabled():
        dO = _check_heads(func, "dO", dO, num_heads)
        _, cache = _check_backward(func, v.call_unchecked(split_heads, dO, num_heads), cache)
        names = ("dO", "cache Q", "cache K", "cache V", "cache A")
        return v.call_guarded(func, dict(zip(names, (dO, *cache))), multihead_attention_backward, dO, cache)
    # --8<-- [start:multihead-backward]
    grads = attention_backward(split_heads(dO, num_heads), cache)
    # the split is a reshape, which moves numbers and computes nothing:
    # its backward pass moves the gradients back, the inverse reshape
    dQ, dK, dV = (merge_heads(grad) for grad in grads)
    # --8<-- [end:multihead-backward]
    return dQ, dK, dV


def _check_heads(func: str, name: str, X: object, num_heads: int) -> np.ndarray:
    """A 2-D array whose columns split into ``num_heads`` equal blocks."""
    X = v.check_array(func, name, X, ("rows", "H d"), (None, None))
    if X.shape[1] % num_heads or X.shape[1] == 0:
        raise ValueError(
            f"{func}: {name} must have a number of columns that num_heads = {num_heads} divides into "
            f"equal non-empty heads; got shape {tuple(X.shape)}"
        )
    return X
