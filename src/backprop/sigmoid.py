"""The sigmoid ``S = 1 / (1 + exp(-Z))``, entrywise, and the binary cross-entropy of logits.

Both are computed in a form that never exponentiates a positive number: every exponential is
``exp(-|z|)``, which lies in (0, 1]. The textbook forms overflow or take ``log(0)`` for logits of
a few hundred (or, for ``log(1 - sigmoid(z))``, already from z = 37, where ``sigmoid(z)`` rounds
to 1 in float64); the page docs/sigmoid-bce.md shows both on large logits.

The loss is the mean over the N examples (rows) of the sum over the K binary outputs (columns),
``L = (1/N) sum_ik l(Z_ik, T_ik)``; targets may be soft, any value in [0, 1].
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def _check_logits(func: str, name: str, Z: object) -> np.ndarray:
    return v.check_array(func, name, Z, ("N", "K"), (None, None))


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """The sigmoid of every entry, ``1 / (1 + exp(-z))``, without overflow for any finite z.

    Args:
        Z: logits, shape (N, K), finite.

    Returns:
        ``S`` of shape (N, K), entries in [0, 1] (exactly 0 or 1 only where float64 rounds so).

    Raises:
        ValueError: Z not 2-D or with NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> sigmoid(np.array([[0.0, -800.0, 800.0]]))  # no overflow warning at -800
        array([[0.5, 0. , 1. ]])
    """
    if v.checks_enabled():
        Z = _check_logits("sigmoid", "Z", Z)
    # --8<-- [start:sigmoid]
    # e^{-|z|} is in (0, 1]: no exponent is ever positive
    exp_minus_abs = np.exp(-np.abs(Z))
    # z >= 0: 1 / (1 + e^{-z});  z < 0: e^{z} / (1 + e^{z})
    S = np.where(Z >= 0, 1.0, exp_minus_abs) / (1.0 + exp_minus_abs)
    # --8<-- [end:sigmoid]
    return S


def sigmoid_forward(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass of the sigmoid layer, ``S = sigmoid(Z)`` entrywise.

    Args:
        Z: pre-activations, shape (N, K), finite.

    Returns:
        ``(S, cache)``: ``S`` of shape (N, K) and ``cache = S`` (the backward pass needs only the
        output: the slope is ``S (1 - S)``).

    Raises:
        ValueError: Z not 2-D or with NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> S, cache = sigmoid_forward(np.array([[0.0, np.log(3.0)]]))
        >>> S.round(12), cache is S
        (array([[0.5 , 0.75]]), True)
    """
    if v.checks_enabled():
        Z = _check_logits("sigmoid_forward", "Z", Z)
    # Z is checked (or the caller turned the checks off): no need to check it twice
    S = v.call_unchecked(sigmoid, Z)
    return S, S


def sigmoid_backward(dS: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """Backward pass ``dZ = dS * S * (1 - S)`` (entrywise), from the cached output ``S``.

    Args:
        dS: upstream gradient ``dL/dS``, shape (N, K).
        cache: ``S`` from ``sigmoid_forward``, shape (N, K), entries in [0, 1].

    Returns:
        ``dZ``, shape (N, K), a new array.

    Raises:
        ValueError: shapes that differ, NaN/inf entries, a cache with entries outside [0, 1]
            (not a sigmoid's output), mixed dtypes.

    Examples:
        >>> import numpy as np
        >>> S, cache = sigmoid_forward(np.zeros((1, 2)))
        >>> sigmoid_backward(np.array([[1.0, -2.0]]), cache)  # the slope at 0 is 1/4
        array([[ 0.25, -0.5 ]])
    """
    if v.checks_enabled():
        func = "sigmoid_backward"
        dS = v.check_array(func, "dS", dS, ("N", "K"), (None, None))
        context = f" to match dS {dS.shape} (cache is the S from sigmoid_forward)"
        cache = v.check_array(func, "cache", cache, ("N", "K"), dS.shape, context)
        v.check_same_dtype(func, "dS", dS, cache=cache)
        _check_unit_interval(func, "cache", cache, "a sigmoid's output")
    S = cache
    # --8<-- [start:backward]
    # the slope of the sigmoid, written with its output
    dZ = dS * S * (1.0 - S)
    # --8<-- [end:backward]
    return dZ


def _check_unit_interval(func: str, name: str, array: np.ndarray, what: str) -> None:
    outside = (array < 0) | (array > 1)
    if outside.any():
        where = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(f"{func}: {name} must hold values in [0, 1] ({what}); got {array[where]} at index {where}")


def binary_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The loss of every entry, ``-t log sigmoid(z) - (1 - t) log(1 - sigmoid(z))``, in the stable form.

    The stable form ``max(z, 0) - z t + log(1 + exp(-|z|))`` is the same function; it never
    exponentiates a positive number, and never takes the logarithm of a value below 1.

    Args:
        logits: ``Z``, shape (N, K), finite.
        targets: ``T``, shape (N, K), values in [0, 1] (labels 0/1, or soft targets).

    Returns:
        The losses, shape (N, K), each >= 0 for targets 0 or 1.

    Raises:
        ValueError: shapes that differ, NaN/inf entries, targets outside [0, 1], mixed dtypes.

    Examples:
        >>> import numpy as np
        >>> binary_cross_entropy(np.array([[-800.0, 800.0, 0.0]]), np.ones((1, 3)))
        array([[8.00000000e+02, 0.00000000e+00, 6.93147181e-01]])
    """
    if v.checks_enabled():
        logits, targets = _check_logits_and_targets("binary_cross_entropy", logits, targets)
    Z, T = logits, targets
    # --8<-- [start:stable]
    # max(z, 0) - z t + log(1 + e^{-|z|}): the exponent is <= 0
    # and the logarithm's argument in (1, 2]; log1p keeps the
    # digits of a tiny e^{-|z|}
    losses = np.maximum(Z, 0) - Z * T + np.log1p(np.exp(-np.abs(Z)))
    # --8<-- [end:stable]
    return losses


def _check_logits_and_targets(func: str, logits: object, targets: object) -> tuple[np.ndarray, np.ndarray]:
    logits = _check_logits(func, "logits", logits)
    context = f" to match logits {logits.shape}"
    targets = v.check_array(func, "targets", targets, ("N", "K"), logits.shape, context)
    v.check_same_dtype(func, "logits", logits, targets=targets)
    _check_unit_interval(func, "targets", targets, "probabilities of the positive class")
    return logits, targets


def binary_cross_entropy_loss(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Binary cross-entropy of logits, ``L = (1/N) sum_ik l(Z_ik, T_ik)``, and ``dL/dZ``.

    ``l(z, t) = -t log sigmoid(z) - (1 - t) log(1 - sigmoid(z))``, computed in the stable form
    (see ``binary_cross_entropy``); its gradient is ``(sigmoid(Z) - T) / N``.

    Args:
        logits: ``Z``, shape (N, K), finite, N >= 1: K independent binary outputs per example.
        targets: ``T``, shape (N, K), values in [0, 1] (labels 0/1, or soft targets).

    Returns:
        ``(loss, dlogits)``: ``loss`` a Python float; ``dlogits`` of shape (N, K), a new array.

    Raises:
        ValueError: shapes that differ, N = 0, NaN/inf entries, targets outside [0, 1], mixed
            dtypes.

    Examples:
        >>> import numpy as np
        >>> loss, dZ = binary_cross_entropy_loss(np.array([[-800.0], [0.0]]), np.array([[1.0], [1.0]]))
        >>> bool(loss == (800 + np.log(2)) / 2)  # finite: a confident wrong answer costs its logit
        True
        >>> dZ
        array([[-0.5 ],
               [-0.25]])
    """
    if v.checks_enabled():
        func = "binary_cross_entropy_loss"
        logits, targets = _check_logits_and_targets(func, logits, targets)
        v.check_nonempty(func, "logits", logits, axis=0, symbol="N (examples)")
        inputs = {"logits": logits, "targets": targets}
        return v.call_guarded(func, inputs, binary_cross_entropy_loss, logits, targets)
    Z, T = logits, targets
    # --8<-- [start:loss]
    num_examples = Z.shape[0]
    # the mean over the N examples of the sum over the K outputs
    loss = float(binary_cross_entropy(Z, T).sum()) / num_examples
    # sigmoid(Z) - T per entry, divided by N
    dlogits = (sigmoid(Z) - T) / num_examples
    # --8<-- [end:loss]
    return loss, dlogits
