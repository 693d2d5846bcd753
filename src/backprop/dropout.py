"""Inverted dropout: in training, each entry is kept with probability ``keep_prob`` and scaled by
``1 / keep_prob``; at test time the layer is the identity.

The mask is a random leaf of the computational graph: it is drawn once in the forward pass (from
a ``numpy.random.Generator`` the caller passes, or passed in whole), cached, and reused unchanged
by the backward pass. Nothing flows back into it. Scaling by ``1 / keep_prob`` during training
makes the expected output equal to the input, so at test time no scaling is needed (the
"inverted" part; classic dropout instead multiplied by ``keep_prob`` at test time).

``keep_prob`` is the probability of *keeping* a unit, as in the CS231n assignments (``p`` there);
some libraries (PyTorch's ``Dropout(p)``) take the probability of dropping it.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v

MODES = ("train", "test")


def _check_keep_prob(func: str, keep_prob: object, name: str = "keep_prob") -> float:
    keep_prob = v.check_scalar(func, name, keep_prob, positive=True)
    if keep_prob > 1:
        raise ValueError(f"{func}: {name} must be in (0, 1] (the probability of keeping a unit); got {keep_prob!r}")
    return keep_prob


def _check_mask(func: str, name: str, mask: object, shape: tuple[int, ...], context: str) -> np.ndarray:
    if not isinstance(mask, np.ndarray) or mask.dtype != bool:
        mask = v.check_array(func, name, mask, ("N", "D"), shape, context)
        if not np.isin(mask, (0.0, 1.0)).all():
            raise ValueError(f"{func}: {name} must hold only 0 and 1 (kept or dropped); got values outside")
        return mask != 0
    if mask.shape != shape:
        raise ValueError(f"{func}: {name} must have shape (N, D) = {shape}{context}; got {mask.shape}")
    return mask


def dropout_forward(
    X: np.ndarray,
    keep_prob: float,
    mode: str = "train",
    *,
    mask: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, tuple[np.ndarray, float]]:
    """Forward pass: ``Y = X * mask / keep_prob`` in training, ``Y = X`` at test time.

    Args:
        X: inputs, shape (N, D).
        keep_prob: the probability of keeping each entry, in (0, 1].
        mode: ``"train"`` or ``"test"``.
        mask: in training, the mask itself, shape (N, D), booleans or 0/1 (True/1: kept); give
            either ``mask`` or ``rng``. At test time, neither.
        rng: in training, a ``numpy.random.Generator`` to draw the mask from: entry (i, d) is
            kept when a uniform draw in [0, 1) is below ``keep_prob``.

    Returns:
        ``(Y, cache)``: ``Y`` of shape (N, D), a new array, and ``cache = (mask, keep_prob)`` with
        ``mask`` a boolean (N, D) array. At test time the cache is ``(all True, 1.0)``: the same
        backward pass then passes the gradient through unchanged.

    Raises:
        ValueError: a mode other than "train"/"test"; in training both or neither of ``mask`` and
            ``rng``, or a mask of another shape or with values other than 0 and 1; at test time a
            mask or rng (test time draws nothing); keep_prob outside (0, 1]; NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> X = np.array([[1.0, 2.0, 3.0, 4.0]])
        >>> Y, cache = dropout_forward(X, 0.5, mask=np.array([[1, 0, 0, 1]]))
        >>> Y  # kept entries doubled, dropped ones 0
        array([[2., 0., 0., 8.]])
        >>> dropout_forward(X, 0.5, mode="test")[0]  # the identity at test time
        array([[1., 2., 3., 4.]])
    """
    func = "dropout_forward"
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"{func}: mode must be 'train' or 'test'; got {mode!r}")
    X = v.check_array(func, "X", X, ("N", "D"), (None, None))
    keep_prob = _check_keep_prob(func, keep_prob)
    if mode == "test":
        if mask is not None or rng is not None:
            raise ValueError(f"{func}: mode 'test' draws no mask: pass neither mask nor rng; got "
                             + ("mask" if mask is not None else "rng"))
        # the identity: every unit kept, no scaling (the scaling happened in training)
        return X.copy(), (np.ones(X.shape, dtype=bool), 1.0)
    if (mask is None) == (rng is None):
        raise ValueError(f"{func}: mode 'train' needs exactly one of mask and rng; got "
                         + ("both" if mask is not None else "neither"))
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise ValueError(f"{func}: rng must be a numpy.random.Generator "
                             f"(e.g. np.random.default_rng(0)); got {type(rng).__name__} {rng!r}")
        # --8<-- [start:mask]
        # keep entry (i, d) with probability keep_prob
        mask = rng.random(X.shape) < keep_prob
        # --8<-- [end:mask]
    else:
        mask = _check_mask(func, "mask", mask, X.shape, f" to match X {X.shape}")
    inputs = {"X": X, "keep_prob": keep_prob}  # X / keep_prob may overflow for a tiny keep_prob
    return v.call_guarded(func, inputs, _forward_train, X, mask, keep_prob)


def _forward_train(X: np.ndarray, mask: np.ndarray, keep_prob: float) -> tuple[np.ndarray, tuple]:
    # --8<-- [start:forward]
    # kept entries scaled by 1/keep_prob, dropped ones 0
    Y = X * mask / keep_prob
    # --8<-- [end:forward]
    return Y, (mask, keep_prob)


def dropout_backward(dY: np.ndarray, cache: tuple[np.ndarray, float]) -> np.ndarray:
    """Backward pass ``dX = dY * mask / keep_prob``, with the mask of the forward pass.

    Args:
        dY: upstream gradient ``dL/dY``, shape (N, D).
        cache: ``(mask, keep_prob)`` from ``dropout_forward`` (the mask as booleans or 0/1).

    Returns:
        ``dX``, shape (N, D), a new array.

    Raises:
        ValueError: a cache that is not such a pair, a mask of another shape than ``dY`` or with
            values other than 0 and 1, keep_prob outside (0, 1], NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> Y, cache = dropout_forward(np.ones((1, 4)), 0.5, mask=np.array([[1, 0, 0, 1]]))
        >>> dropout_backward(np.array([[1.0, 1.0, 1.0, -3.0]]), cache)
        array([[ 2.,  0.,  0., -6.]])
    """
    func = "dropout_backward"
    dY = v.check_array(func, "dY", dY, ("N", "D"), (None, None))
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise ValueError(f"{func}: cache must be the pair (mask, keep_prob) returned by dropout_forward; "
                         f"got {type(cache).__name__}")
    context = f" to match dY {dY.shape} (cache is (mask, keep_prob) from dropout_forward)"
    mask = _check_mask(func, "cache mask", cache[0], dY.shape, context)
    keep_prob = _check_keep_prob(func, cache[1], "cache keep_prob")
    inputs = {"dY": dY, "cache keep_prob": keep_prob}
    return v.call_guarded(func, inputs, _backward, dY, mask, keep_prob)


def _backward(dY: np.ndarray, mask: np.ndarray, keep_prob: float) -> np.ndarray:
    # --8<-- [start:backward]
    # the same mask and scale as the forward pass; the mask
    # itself gets no gradient (a leaf, not a parameter)
    dX = dY * mask / keep_prob
    # --8<-- [end:backward]
    return dX
