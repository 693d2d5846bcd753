"""The multiclass SVM (hinge) loss, averaged over the N examples, with its score gradient.

For example ``i`` with correct class ``y_i`` and margin ``Delta > 0``, every other class ``j``
that scores within ``Delta`` of the correct class (or above it) adds its shortfall:
``L_i = sum_{j != y_i} max(0, F_ij - F_{i,y_i} + Delta)``. The loss is the mean of the ``L_i``.

Convention at the kinks: the hinge ``max(0, m)`` has no derivative at ``m = 0``. The code counts a
margin of exactly 0 as *not* violated (the indicator of ``m > 0``), as ``relu_backward`` does for
``Z = 0``. A numerical gradient check cannot reproduce any single value there: a centered
difference whose step straddles a kink averages the two one-sided slopes. ``scores_near_kinks``
finds the scores whose check would do that, so that a check can leave them out.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def _check_scores_and_labels(func: str, scores: object, labels: object) -> tuple[np.ndarray, np.ndarray]:
    scores = v.check_array(func, "scores", scores, ("N", "K"), (None, None))
    v.check_nonempty(func, "scores", scores, axis=0, symbol="N (examples)")
    v.check_nonempty(func, "scores", scores, axis=1, symbol="K (classes)")
    labels = v.check_labels(
        func, "labels", labels, scores.shape[0], scores.shape[1], f" to match scores {scores.shape}"
    )
    return scores, labels


def _margins(scores: np.ndarray, labels: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    # --8<-- [start:margins]
    rows = np.arange(scores.shape[0])  # pairs row i with its label y_i
    # F_{i,y_i}, shape (N, 1)
    correct = scores[rows, labels][:, np.newaxis]
    # M_ij = F_ij - F_{i,y_i} + Delta, a new (N, K) array
    margins = scores - correct + margin
    # the sum skips j = y_i (there M would always be Delta)
    margins[rows, labels] = 0
    # --8<-- [end:margins]
    return margins, rows


def svm_loss(scores: np.ndarray, labels: np.ndarray, margin: float = 1.0) -> tuple[float, np.ndarray]:
    """Mean multiclass hinge loss ``L = (1/N) sum_i sum_{j != y_i} max(0, F_ij - F_{i,y_i} + margin)``.

    The gradient is ``(B - diag(B 1_K) Y) / N``: ``B_ij = 1`` where class ``j != y_i`` violates the
    margin (``F_ij - F_{i,y_i} + margin > 0``), and the correct class gets minus the number of
    violators of its row. A margin of exactly 0 counts as not violated (see the module docstring).

    Args:
        scores: ``F``, shape (N, K), float32 or float64, finite, N >= 1, K >= 1.
        labels: ``y``, shape (N,), integers in [0, K) (0-based).
        margin: ``Delta``, a finite number > 0.

    Returns:
        ``(loss, dscores)``: ``loss`` a Python float; ``dscores = dL/dF`` of shape (N, K), a new
        array (the inputs are neither aliased nor edited). Each row of ``dscores`` sums to 0.

    Raises:
        ValueError: wrong shapes, non-integer or out-of-range labels, NaN/inf scores, a margin
            that is not a number > 0, scores or a margin so large that a margin overflows.

    Examples:
        >>> import numpy as np
        >>> loss, dscores = svm_loss(np.array([[3.0, 2.5, -1.0], [0.0, 4.0, 1.0]]), np.array([0, 2]))
        >>> loss  # row 0: 0.5 + 0; row 1: 0 + 4 (class 0 misses by exactly 0: not violated)
        2.25
        >>> dscores
        array([[-0.5,  0.5,  0. ],
               [ 0. ,  0.5, -0.5]])
    """
    if v.checks_enabled():
        func = "svm_loss"
        scores, labels = _check_scores_and_labels(func, scores, labels)
        margin = v.check_scalar(func, "margin", margin, positive=True)
        return v.call_guarded(func, {"scores": scores, "margin": margin}, svm_loss, scores, labels, margin)
    margins, rows = _margins(scores, labels, margin)
    # --8<-- [start:loss]
    num_examples = scores.shape[0]
    # the mean of the L_i
    loss = float(np.maximum(margins, 0).sum()) / num_examples
    # --8<-- [end:loss]
    # --8<-- [start:backward]
    # B: an exact 0 counts as not violated
    violated = (margins > 0).astype(scores.dtype)
    dscores = violated  # (N, K), freshly allocated by the comparison
    # minus the number of violators of the row
    dscores[rows, labels] = -violated.sum(axis=1)
    dscores /= num_examples  # the loss is a mean over the N examples
    # --8<-- [end:backward]
    return loss, dscores


def scores_near_kinks(
    scores: np.ndarray, labels: np.ndarray, h: float = 1e-5, margin: float = 1.0
) -> np.ndarray:
    """Mask of the scores whose centered difference with step ``h`` would straddle a kink.

    Moving ``F_ij`` (``j != y_i``) by ``+-h`` moves only ``M_ij``; moving ``F_{i,y_i}`` moves every
    margin of row ``i``. A move straddles a kink when a margin it moves lies strictly within ``h``
    of 0; at distance ``h`` or more the hinge is linear over the whole step and the centered
    difference is exact.

    Args:
        scores: ``F``, shape (N, K), finite.
        labels: ``y``, shape (N,), integers in [0, K) (0-based).
        h: the step of the centered difference, > 0.
        margin: ``Delta``, > 0.

    Returns:
        A boolean array of shape (N, K); ``mask.sum()`` counts the unreliable entries of a check.

    Raises:
        ValueError: as for ``svm_loss``, or ``h`` not a number > 0.

    Examples:
        >>> import numpy as np
        >>> scores_near_kinks(np.array([[0.0, -1.0 + 1e-7, 5.0]]), np.array([0]))
        array([[ True,  True, False]])
    """
    func = "scores_near_kinks"
    scores, labels = _check_scores_and_labels(func, scores, labels)
    h = v.check_scalar(func, "h", h, positive=True)
    margin = v.check_scalar(func, "margin", margin, positive=True)
    inputs = {"scores": scores, "h": h, "margin": margin}
    margins, rows = v.call_guarded(func, inputs, _margins, scores, labels, margin)
    # An h beyond the largest float32 becomes inf when compared with float32 margins: the comparison
    # stays right (every margin is within h), so the cast's overflow warning is silenced.
    with np.errstate(over="ignore"):
        return _mark_near_kinks(margins, rows, labels, h)


def _mark_near_kinks(margins: np.ndarray, rows: np.ndarray, labels: np.ndarray, h: float) -> np.ndarray:
    # --8<-- [start:near_kinks]
    # moving F_ij (j != y_i) by +-h moves M_ij alone
    near = np.abs(margins) < h
    near[rows, labels] = False  # the skipped term j = y_i has no kink
    # moving F_{i,y_i} moves every margin of row i
    near[rows, labels] = near.any(axis=1)
    # --8<-- [end:near_kinks]
    return near
