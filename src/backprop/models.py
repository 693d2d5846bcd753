"""The two models of the case study, each returning its loss and a dict of parameter gradients.

- Linear softmax classifier: ``F = X W + b``; loss = mean cross-entropy + ``0.5 * reg * sum(W**2)``.
- Two-layer ReLU network: ``Z = X W1 + b1``, ``A = max(0, Z)``, ``F = A W2 + b2``; loss = mean
  cross-entropy + ``0.5 * reg * (sum(W1**2) + sum(W2**2))``.

Biases are not regularised. Shapes: N examples, D features, H hidden units, K classes; labels are
0-based. Parameters and gradients are dicts with the same keys (``W``, ``b`` / ``W1``, ``b1``,
``W2``, ``b2``); each gradient has the shape of its parameter.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v
from backprop.affine import affine_backward, affine_forward
from backprop.regularization import l2_penalty
from backprop.relu import relu_backward, relu_forward
from backprop.softmax import softmax_loss


def _check_layer(func, params, weight, bias, dims, rows, context):
    """Check params[weight] of shape ``dims`` with ``rows`` rows, and params[bias] against its columns."""
    W = v.check_array(func, f'params["{weight}"]', params[weight], dims, (rows, None), context)
    b = v.check_array(
        func,
        f'params["{bias}"]',
        params[bias],
        dims[1:],
        (W.shape[1],),
        f' to match params["{weight}"] {W.shape}',
    )
    return W, b


def _check_loss_inputs(func, X, y, reg, num_classes):
    """Check the arguments a loss needs beyond the parameters; returns the labels as an array."""
    v.check_nonempty(func, "X", X, axis=0, symbol="N (examples)")
    v.check_scalar(func, "reg", reg)
    return v.check_labels(func, "y", y, X.shape[0], num_classes, f" to match X {X.shape}")


def init_linear_classifier(
    D: int, K: int, *, rng: np.random.RandomState | np.random.Generator, scale: float = 0.01
) -> dict:
    """Small random weights ``W = scale * standard normal (D, K)`` and zero bias ``b`` (K,).

    Args:
        D: number of features.
        K: number of classes.
        rng: the random stream (``np.random.RandomState`` to reproduce the case study).
        scale: standard deviation of the initial weights.

    Returns:
        ``{"W": (D, K) float64, "b": (K,) float64}``.

    Examples:
        >>> import numpy as np
        >>> params = init_linear_classifier(2, 3, rng=np.random.RandomState(0))
        >>> params["W"].shape, params["b"]
        ((2, 3), array([0., 0., 0.]))
    """
    func = "init_linear_classifier"
    D, K = v.check_count(func, "D", D, minimum=1), v.check_count(func, "K", K, minimum=1)
    scale = v.check_scalar(func, "scale", scale)
    v.check_rng(func, rng)
    return v.call_guarded(
        func, {"scale": scale}, lambda: {"W": scale * rng.standard_normal((D, K)), "b": np.zeros(K)}
    )


def _check_linear(func, params, X):
    """Check the parameters against X; returns them (as arrays) and X."""
    v.check_params(func, params, ("W", "b"))
    X = v.check_array(func, "X", X, ("N", "D"), (None, None))
    W, b = _check_layer(func, params, "W", "b", ("D", "K"), X.shape[1], f" to match X {X.shape}")
    v.check_same_dtype(func, "X", X, **{'params["W"]': W, 'params["b"]': b})
    return {"W": W, "b": b}, X


def linear_classifier_scores(params: dict, X: np.ndarray) -> np.ndarray:
    """Class scores ``F = X W + b`` of the linear classifier, shape (N, K).

    Examples:
        >>> import numpy as np
        >>> params = {"W": np.eye(2), "b": np.array([0.0, 1.0])}
        >>> linear_classifier_scores(params, np.array([[3.0, 4.0]]))
        array([[3., 5.]])
    """
    if v.checks_enabled():
        params, X = _check_linear("linear_classifier_scores", params, X)
        inputs = {"params": params, "X": X}
        return v.call_guarded("linear_classifier_scores", inputs, linear_classifier_scores, params, X)
    return affine_forward(X, params["W"], params["b"])[0]


def linear_classifier_loss(params: dict, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, dict]:
    """Loss and gradients of the linear softmax classifier.

    Args:
        params: ``{"W": (D, K), "b": (K,)}``.
        X: inputs, shape (N, D).
        y: labels, shape (N,), integers in [0, K).
        reg: L2 strength on ``W`` (biases are not regularised).

    Returns:
        ``(loss, grads)``: ``loss`` a float, ``grads = {"W": (D, K), "b": (K,)}``.

    Raises:
        ValueError: missing or extra parameters, shapes that do not fit, labels out of range,
            NaN/inf values, a negative reg.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.RandomState(0)
        >>> params = init_linear_classifier(2, 3, rng=rng)
        >>> loss, grads = linear_classifier_loss(params, rng.randn(5, 2), np.array([0, 1, 2, 1, 0]), 1e-3)
        >>> bool(abs(loss - np.log(3)) < 0.05), grads["W"].shape, grads["b"].shape
        (True, (2, 3), (3,))
    """
    if v.checks_enabled():
        func = "linear_classifier_loss"
        params, X = _check_linear(func, params, X)
        y = _check_loss_inputs(func, X, y, reg, params["b"].shape[0])
        # Everything is checked: the layers need not check it again, piece by piece.
        inputs = {"params": params, "X": X, "reg": reg}
        return v.call_guarded(func, inputs, linear_classifier_loss, params, X, y, reg)
    # --8<-- [start:linear_loss]
    W, b = params["W"], params["b"]
    scores, cache = affine_forward(X, W, b)  # (N, K)
    # dscores = (P - Y) / N
    data_loss, dscores = softmax_loss(scores, y)
    # weights only: b is not regularised
    penalty, dW_penalty = l2_penalty(W, reg)
    # X is data: no gradient needed
    _, dW, db = affine_backward(dscores, cache, compute_dX=False)
    # dW is a fresh array: adding in place saves a copy of W's size
    dW += dW_penalty
    loss = data_loss + penalty
    grads = {"W": dW, "b": db}
    # --8<-- [end:linear_loss]
    return loss, grads


def init_two_layer_net(
    D: int, H: int, K: int, *, rng: np.random.RandomState | np.random.Generator, scale: float = 0.01
) -> dict:
    """Small random weights and zero biases; ``W1`` is drawn before ``W2`` (the case study's order).

    Args:
        D: number of features.
        H: number of hidden units.
        K: number of classes.
        rng: the random stream (``np.random.RandomState`` to reproduce the case study).
        scale: standard deviation of the initial weights.

    Returns:
        ``{"W1": (D, H), "b1": (H,), "W2": (H, K), "b2": (K,)}``, float64.

    Examples:
        >>> import numpy as np
        >>> params = init_two_layer_net(2, 5, 3, rng=np.random.RandomState(0))
        >>> {name: value.shape for name, value in params.items()}
        {'W1': (2, 5), 'b1': (5,), 'W2': (5, 3), 'b2': (3,)}
    """
    func = "init_two_layer_net"
    D = v.check_count(func, "D", D, minimum=1)
    H = v.check_count(func, "H", H, minimum=1)
    K = v.check_count(func, "K", K, minimum=1)
    scale = v.check_scalar(func, "scale", scale)
    v.check_rng(func, rng)

    def draw() -> dict:
        W1 = scale * rng.standard_normal((D, H))
        W2 = scale * rng.standard_normal((H, K))
        return {"W1": W1, "b1": np.zeros(H), "W2": W2, "b2": np.zeros(K)}

    return v.call_guarded(func, {"scale": scale}, draw)


def _check_two_layer(func, params, X):
    """Check the parameters against X and each other; returns them (as arrays) and X."""
    v.check_params(func, params, ("W1", "b1", "W2", "b2"))
    X = v.check_array(func, "X", X, ("N", "D"), (None, None))
    W1, b1 = _check_layer(func, params, "W1", "b1", ("D", "H"), X.shape[1], f" to match X {X.shape}")
    W2, b2 = _check_layer(
        func, params, "W2", "b2", ("H", "K"), W1.shape[1], f' to match params["W1"] {W1.shape}'
    )
    checked = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    v.check_same_dtype(func, "X", X, **{f'params["{name}"]': value for name, value in checked.items()})
    return checked, X


def two_layer_net_scores(params: dict, X: np.ndarray) -> np.ndarray:
    """Class scores ``F = max(0, X W1 + b1) W2 + b2`` of the two-layer network, shape (N, K).

    Examples:
        >>> import numpy as np
        >>> params = {"W1": np.eye(2), "b1": np.zeros(2), "W2": np.eye(2), "b2": np.zeros(2)}
        >>> two_layer_net_scores(params, np.array([[3.0, -4.0]]))  # ReLU zeroes the -4
        array([[3., 0.]])
    """
    if v.checks_enabled():
        params, X = _check_two_layer("two_layer_net_scores", params, X)
        inputs = {"params": params, "X": X}
        return v.call_guarded("two_layer_net_scores", inputs, two_layer_net_scores, params, X)
    hidden, _ = relu_forward(affine_forward(X, params["W1"], params["b1"])[0])
    return affine_forward(hidden, params["W2"], params["b2"])[0]


def two_layer_net_loss(params: dict, X: np.ndarray, y: np.ndarray, reg: float) -> tuple[float, dict]:
    """Loss and gradients of the two-layer ReLU network.

    Args:
        params: ``{"W1": (D, H), "b1": (H,), "W2": (H, K), "b2": (K,)}``.
        X: inputs, shape (N, D).
        y: labels, shape (N,), integers in [0, K).
        reg: L2 strength on ``W1`` and ``W2`` (biases are not regularised).

    Returns:
        ``(loss, grads)``: ``loss`` a float, ``grads`` with the keys and shapes of ``params``.

    Raises:
        ValueError: missing or extra parameters, shapes that do not fit, labels out of range,
            NaN/inf values, a negative reg.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.RandomState(0)
        >>> params = init_two_layer_net(3, 5, 4, rng=rng)
        >>> loss, grads = two_layer_net_loss(params, rng.randn(7, 3), np.array([0, 1, 3, 2, 0, 1, 3]), 1e-3)
        >>> bool(abs(loss - np.log(4)) < 1e-3), grads["W1"].shape, grads["b2"].shape
        (True, (3, 5), (4,))
    """
    if v.checks_enabled():
        func = "two_layer_net_loss"
        params, X = _check_two_layer(func, params, X)
        y = _check_loss_inputs(func, X, y, reg, params["b2"].shape[0])
        # Everything is checked: the layers need not check it again, piece by piece.
        inputs = {"params": params, "X": X, "reg": reg}
        return v.call_guarded(func, inputs, two_layer_net_loss, params, X, y, reg)
    # --8<-- [start:two_layer_loss]
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z, first_cache = affine_forward(X, W1, b1)  # (N, H)
    A, relu_cache = relu_forward(Z)  # (N, H)
    scores, second_cache = affine_forward(A, W2, b2)  # (N, K)
    # dscores = (P - Y) / N
    data_loss, dscores = softmax_loss(scores, y)
    penalty1, dW1_penalty = l2_penalty(W1, reg)
    penalty2, dW2_penalty = l2_penalty(W2, reg)
    # dA = dscores W2^T, (N, H)
    dA, dW2, db2 = affine_backward(dscores, second_cache)
    # stops the gradient where Z <= 0
    dZ = relu_backward(dA, relu_cache)
    # X is data: no gradient needed
    _, dW1, db1 = affine_backward(dZ, first_cache, compute_dX=False)
    # both are fresh arrays: adding in place saves a copy of W's size
    dW1 += dW1_penalty
    dW2 += dW2_penalty
    loss = data_loss + penalty1 + penalty2
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    # --8<-- [end:two_layer_loss]
    return loss, grads
