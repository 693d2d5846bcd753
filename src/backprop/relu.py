"""The ReLU nonlinearity ``A = max(0, Z)``, entrywise, with its backward pass.

Convention at the kink: the derivative at exactly ``Z = 0`` is taken as 0 (the unit counts as
inactive), so forward and backward use the same mask ``Z > 0``. ReLU has no derivative at 0; any
value in [0, 1] is a valid subgradient, and 0 is what the case study's code does. It matters in
practice: the spiral's first point of each class is the origin, so with zero biases its whole row of
``Z`` is exactly 0 at initialisation.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def relu_forward(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass ``A = max(0, Z)``.

    Args:
        Z: pre-activations, shape (N, H).

    Returns:
        ``(A, cache)``: activations ``A`` of shape (N, H) and ``cache = Z``.

    Raises:
        ValueError: Z not 2-D or with NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> A, cache = relu_forward(np.array([[-1.5, 0.0, 2.0]]))
        >>> A
        array([[0., 0., 2.]])
    """
    if v.checks_enabled():
        Z = v.check_array("relu_forward", "Z", Z, ("N", "H"), (None, None))
    # --8<-- [start:forward]
    # equals Z * (Z > 0): negative entries and exact zeros give 0
    A = np.maximum(Z, 0)
    # --8<-- [end:forward]
    return A, Z


def relu_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """Backward pass ``dZ = dA * 1(Z > 0)`` (entrywise); the derivative at exactly 0 is 0.

    Args:
        dA: upstream gradient ``dL/dA``, shape (N, H).
        cache: ``Z`` from ``relu_forward``, shape (N, H).

    Returns:
        ``dZ``, shape (N, H), a new array.

    Raises:
        ValueError: a cache whose shape differs from that of ``dA`` (the message blames the cache:
            it is the one that may come from another layer or call), NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> relu_backward(np.ones((1, 3)), np.array([[-1.5, 0.0, 2.0]]))  # exact 0 is inactive
        array([[0., 0., 1.]])
    """
    if v.checks_enabled():
        func = "relu_backward"
        # dA first: it is the gradient just computed; the cache is the one that may be stale
        dA = v.check_array(func, "dA", dA, ("N", "H"), (None, None))
        context = f" to match dA {dA.shape} (cache is the Z from relu_forward)"
        cache = v.check_array(func, "cache", cache, ("N", "H"), dA.shape, context)
        v.check_same_dtype(func, "dA", dA, cache=cache)
    Z = cache
    # --8<-- [start:backward]
    # the gradient passes where the unit was active, else 0 (also at Z =
    # 0)
    
    dZ = dA * (Z > 0)
    # --8<-- [end:backward]
    return dZ
