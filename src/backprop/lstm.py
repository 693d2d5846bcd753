"""One step of an LSTM, with its backward pass, as in the CS231n assignment.

Shapes: inputs ``x`` (N, D); hidden state and cell state ``prev_h``, ``prev_c`` (N, H); one affine
map of size 4H, ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,), whose output ``a`` (N, 4H) holds the
pre-activations of the four gates side by side: input ``i``, forget ``f``, output ``o`` (through
the sigmoid) and the candidate ``g`` (through tanh), H columns each. Then
``next_c = f * prev_c + i * g`` and ``next_h = o * tanh(next_c)`` (docs/lstm.md derives it).
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v

#: What ``lstm_step_forward`` caches.
STEP_CACHE = ("x", "prev_h", "prev_c", "Wx", "Wh", "i", "f", "o", "g", "next_c")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^{-z}) without overflow: e^{-|z|} is at most 1, whatever the sign of z."""
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + small), small / (1 + small))


def lstm_step_forward(
    x: np.ndarray, prev_h: np.ndarray, prev_c: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """One step: the four gates from one affine map, then the new cell and hidden states.

    Args:
        x: inputs of this step, shape (N, D).
        prev_h: previous hidden state, shape (N, H).
        prev_c: previous cell state, shape (N, H).
        Wx: input-to-gates weights, shape (D, 4H).
        Wh: hidden-to-gates weights, shape (H, 4H).
        b: bias, shape (4H,).

    Returns:
        ``(next_h, next_c, cache)``: the new states, shape (N, H) each, and
        ``cache = (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)``.

    Raises:
        ValueError: shapes that do not fit together (the message names both), NaN/inf entries,
            mixed float dtypes.

    Examples:
        >>> import numpy as np
        >>> next_h, next_c, cache = lstm_step_forward(
        ...     np.zeros((1, 2)), np.zeros((1, 1)), np.ones((1, 1)), np.zeros((2, 4)),
        ...     np.zeros((1, 4)), np.array([0.0, 50.0, 0.0, 0.0]))
        >>> next_c  # forget gate sigmoid(50) = 1 keeps the cell; the candidate tanh(0) adds 0
        array([[1.]])
    """
    if v.checks_enabled():
        func = "lstm_step_forward"
        x = v.check_array(func, "x", x, ("N", "D"), (None, None))
        N, D = x.shape
        prev_h = v.check_array(func, "prev_h", prev_h, ("N", "H"), (N, None), f" to match x {x.shape}")
        H = prev_h.shape[1]
        context = f" to match prev_h {prev_h.shape}"
        prev_c = v.check_array(func, "prev_c", prev_c, ("N", "H"), (N, H), context)
        Wx = v.check_array(func, "Wx", Wx, ("D", "4H"), (D, 4 * H), f" to match x {x.shape} and{context}")
        Wh = v.check_array(func, "Wh", Wh, ("H", "4H"), (H, 4 * H), context)
        b = v.check_array(func, "b", b, ("4H",), (4 * H,), context)
        v.check_same_dtype(func, "x", x, prev_h=prev_h, prev_c=prev_c, Wx=Wx, Wh=Wh, b=b)
        inputs = {"x": x, "prev_h": prev_h, "prev_c": prev_c, "Wx": Wx, "Wh": Wh, "b": b}
        return v.call_guarded(func, inputs, lstm_step_forward, x, prev_h, prev_c, Wx, Wh, b)
    # --8<-- [start:step_forward]
    H = prev_h.shape[1]
    # one affine map for all four gates: (N, 4H)
    a = x @ Wx + prev_h @ Wh + b
    # H columns per gate, in the order i, f, o, g
    i = _sigmoid(a[:, :H])
    f = _sigmoid(a[:, H:2 * H])
    o = _sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    # the cell state: keep a part f of the old, add a part i of g
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    # --8<-- [end:step_forward]
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c)


def lstm_step_backward(
    dnext_h: np.ndarray, dnext_c: np.ndarray, cache: tuple
) -> tuple[np.ndarray, ...]:
    """Backward pass of one step.

    Args:
        dnext_h: upstream gradient ``dL/dnext_h``, shape (N, H).
        dnext_c: upstream gradient ``dL/dnext_c``, shape (N, H) (from the next step's cell path;
            zeros after the last step).
        cache: the tuple from ``lstm_step_forward``.

    Returns:
        ``(dx, dprev_h, dprev_c, dWx, dWh, db)`` with shapes (N, D), (N, H), (N, H), (D, 4H),
        (H, 4H), (4H,).

    Raises:
        ValueError: a cache that is not the 10-tuple of ``lstm_step_forward``, gradients whose
            shapes do not match it, NaN/inf entries, mixed float dtypes.

    Examples:
        >>> import numpy as np
        >>> _, _, cache = lstm_step_forward(
        ...     np.zeros((1, 2)), np.zeros((1, 1)), np.ones((1, 1)), np.zeros((2, 4)),
        ...     np.zeros((1, 4)), np.array([0.0, 50.0, 0.0, 0.0]))
        >>> lstm_step_backward(np.zeros((1, 1)), np.ones((1, 1)), cache)[2]  # f = 1: passed on whole
        array([[1.]])
    """
    if v.checks_enabled():
        func = "lstm_step_backward"
        cache = _check_cache(func, cache)
        shape = cache[1].shape
        context = f" to match prev_h {shape} of the cache"
        dnext_h = v.check_array(func, "dnext_h", dnext_h, ("N", "H"), shape, context)
        dnext_c = v.check_array(func, "dnext_c", dnext_c, ("N", "H"), shape, context)
        v.check_same_dtype(func, "dnext_h", dnext_h, dnext_c=dnext_c, cache=cache[0])
        return v.call_guarded(func, {"dnext_h": dnext_h, "dnext_c": dnext_c}, lstm_step_backward,
                              dnext_h, dnext_c, cache)
    # --8<-- [start:step_backward]
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    tanh_c = np.tanh(next_c)
    # the cell gets its own upstream gradient and the one through next_h
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)
    # the cell path: multiplied by the forget gate, nothing else
    dprev_c = dc * f
    # through each gate's nonlinearity: sigma' = s (1 - s), tanh' = 1 - t^2
    da = np.concatenate([
        dc * g * i * (1 - i),
        dc * prev_c * f * (1 - f),
        dnext_h * tanh_c * o * (1 - o),
        dc * i * (1 - g**2),
    ], axis=1)
    # one affine map: the affine layer's results
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    # --8<-- [end:step_backward]
    return dx, dprev_h, dprev_c, dWx, dWh, db


def _check_cache(func: str, cache: object) -> tuple:
    if not isinstance(cache, tuple) or len(cache) != len(STEP_CACHE):
        length = f" of length {len(cache)}" if isinstance(cache, (tuple, list)) else ""
        raise ValueError(f"{func}: cache must be the tuple ({', '.join(STEP_CACHE)}) returned by "
                         f"lstm_step_forward; got {type(cache).__name__}{length}")
    x = v.check_array(func, "cache x", cache[0], ("N", "D"), (None, None))
    N, D = x.shape
    prev_h = v.check_array(func, "cache prev_h", cache[1], ("N", "H"), (N, None), f" to match x {x.shape}")
    H = prev_h.shape[1]
    arrays = [x, prev_h]
    for name, value, dims, sizes in [
        ("prev_c", cache[2], ("N", "H"), (N, H)), ("Wx", cache[3], ("D", "4H"), (D, 4 * H)),
        ("Wh", cache[4], ("H", "4H"), (H, 4 * H)), ("i", cache[5], ("N", "H"), (N, H)),
        ("f", cache[6], ("N", "H"), (N, H)), ("o", cache[7], ("N", "H"), (N, H)),
        ("g", cache[8], ("N", "H"), (N, H)), ("next_c", cache[9], ("N", "H"), (N, H)),
    ]:
        arrays.append(v.check_array(func, f"cache {name}", value, dims, sizes, f" to match prev_h {prev_h.shape}"))
    v.check_same_dtype(func, "cache x", x, **{f"cache {n}": a for n, a in zip(STEP_CACHE[1:], arrays[1:])})
    return tuple(arrays)
