"""L2 regularisation of a weight matrix: ``0.5 * reg * sum(W**2)`` and its gradient ``reg * W``.

It is applied to weight matrices only; biases are not regularised (as in the case study). The
factor 0.5 makes the gradient ``reg * W`` rather than ``2 * reg * W``.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def l2_penalty(W: np.ndarray, reg: float) -> tuple[float, np.ndarray]:
    """The penalty ``0.5 * reg * sum_{d,k} W_dk^2`` and its gradient with respect to ``W``.

    Args:
        W: a weight matrix, shape (D, K) (or (D, H), (H, K): any 2-D shape).
        reg: the regularisation strength (lambda), finite and >= 0.

    Returns:
        ``(loss, dW)``: ``loss`` a Python float, ``dW = reg * W`` with the shape of ``W``.

    Raises:
        ValueError: W not 2-D or not finite, reg negative or not a finite number, W and reg so
            large that the penalty or its gradient overflows.

    Examples:
        >>> import numpy as np
        >>> loss, dW = l2_penalty(np.array([[1.0, -2.0], [0.0, 3.0]]), 0.1)
        >>> round(loss, 12), dW
        (0.7, array([[ 0.1, -0.2],
               [ 0. ,  0.3]]))
    """
    if v.checks_enabled():
        W = v.check_array("l2_penalty", "W", W, ("D", "K"), (None, None))
        reg = v.check_scalar("l2_penalty", "reg", reg)
        return v.call_guarded("l2_penalty", {"W": W, "reg": reg}, l2_penalty, W, reg)
    # --8<-- [start:l2]
    loss = 0.5 * reg * float(np.sum(W * W))
    dW = reg * W  # d/dW_dk of 0.5 * reg * W_dk^2
    # --8<-- [end:l2]
    return loss, dW
