"""Softmax and the softmax cross-entropy loss, averaged over the N examples, with its score gradient.

Both are numerically stable: the row maximum is subtracted before ``exp`` (softmax is unchanged by
adding a constant to a row), and the loss is computed as ``log(sum_k exp(F_ik)) - F_{i,y_i}``
rather than ``-log(P_{i,y_i})``, which would be ``-log(0) = inf`` once a probability underflows.
Neither function edits its inputs.
"""

from __future__ import annotations

import functools

import numpy as np

from backprop import _validation as v


@functools.lru_cache(maxsize=8)
def _row_indices(num_examples: int) -> np.ndarray:
    # Cached because training asks for the same N every step, and building it costs more than
    # the lookup; read-only because it is shared.
    rows = np.arange(num_examples)
    rows.flags.writeable = False
    return rows


def _check_scores(func: str, scores: object) -> np.ndarray:
    scores = v.check_array(func, "scores", scores, ("N", "K"), (None, None))
    v.check_nonempty(func, "scores", scores, axis=1, symbol="K (classes)")
    return scores


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax: ``P_ij = exp(F_ij) / sum_k exp(F_ik)``.

    Args:
        scores: ``F``, shape (N, K), float32 or float64, finite.

    Returns:
        ``P``, shape (N, K), same dtype; every row is a probability vector (sums to 1).

    Raises:
        ValueError: scores not 2-D, with no columns, with NaN/inf entries, or with a row whose
            spread (largest minus smallest) overflows.

    Examples:
        >>> import numpy as np
        >>> softmax(np.array([[0.0, 0.0], [1e4, 0.0]]))  # 1e4 would overflow exp without the shift
        array([[0.5, 0.5],
               [1. , 0. ]])
    """
    if v.checks_enabled():
        scores = _check_scores("softmax", scores)
        return v.call_guarded("softmax", {"scores": scores}, softmax, scores)
    # --8<-- [start:softmax]
    # exp of the row maximum is exp(0) = 1, so nothing overflows; the
    # ratio is unchanged.
    
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp_scores = np.exp(shifted)
    probs = exp_scores / exp_scores.sum(axis=1, keepdims=True)
    # --8<-- [end:softmax]
    return probs


def softmax_loss(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy ``L = (1/N) sum_i -log P_{i,y_i}`` and its gradient ``(P - Y)/N``.

    ``Y`` is the one-hot matrix of the labels (``Y_ij = 1`` when ``y_i = j``).

    Args:
        scores: ``F``, shape (N, K), float32 or float64, finite, N >= 1.
        labels: ``y``, shape (N,), integers in [0, K) (0-based).

    Returns:
        ``(loss, dscores)``: ``loss`` a Python float; ``dscores = dL/dF`` of shape (N, K), a new
        array (the inputs are neither aliased nor edited). Each row of ``dscores`` sums to 0.

    Raises:
        ValueError: wrong shapes, non-integer or out-of-range labels, NaN/inf scores, a row whose
            spread overflows.

    Examples:
        >>> import numpy as np
        >>> loss, dscores = softmax_loss(np.zeros((2, 4)), np.array([0, 3]))
        >>> round(loss, 6) == round(float(np.log(4)), 6)  # uniform probabilities: -log(1/K)
        True
        >>> dscores
        array([[-0.375,  0.125,  0.125,  0.125],
               [ 0.125,  0.125,  0.125, -0.375]])
    """
    if v.checks_enabled():
        func = "softmax_loss"
        scores = _check_scores(func, scores)
        v.check_nonempty(func, "scores", scores, axis=0, symbol="N (examples)")
        labels = v.check_labels(
            func, "labels", labels, scores.shape[0], scores.shape[1], f" to match scores {scores.shape}"
        )
        return v.call_guarded(func, {"scores": scores}, softmax_loss, scores, labels)
    # --8<-- [start:loss]
    num_examples = scores.shape[0]
    # 0, 1, ..., N-1: pairs row i with its label y_i
    rows = _row_indices(num_examples)
    # stable: see softmax
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp_scores = np.exp(shifted)
    row_sums = exp_scores.sum(axis=1, keepdims=True)
    # -log P_{i,y_i} = log(sum_k e^{F_ik}) - F_{i,y_i}:
    # finite even where P_{i,y_i} underflows to 0
    log_probs = np.log(row_sums[:, 0]) - shifted[rows, labels]
    loss = float(np.sum(log_probs)) / num_examples
    # P, freshly allocated: editing it leaves the caller's arrays alone
    dscores = exp_scores / row_sums
    dscores[rows, labels] -= 1  # P - Y
    dscores /= num_examples  # the loss is a mean over the N examples
    # --8<-- [end:loss]
    return loss, dscores
