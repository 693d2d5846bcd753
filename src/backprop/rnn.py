"""A vanilla recurrent layer, ``h_t = tanh(x_t W_x + h_{t-1} W_h + b)``, one step and over time.

Shapes, as in the CS231n assignment: a minibatch of N sequences of T inputs of D features,
``x`` (N, T, D); hidden states of H units, ``h0`` and every ``h_t`` (N, H); ``Wx`` (D, H),
``Wh`` (H, H), ``b`` (H,). The same ``Wx``, ``Wh`` and ``b`` serve every step: copied forward to
each step, so their gradients are summed backward over the steps (docs/rnn.md derives it).
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v

#: What ``rnn_step_forward`` caches: (x, prev_h, Wx, Wh, next_h).
STEP_CACHE = ("x", "prev_h", "Wx", "Wh", "next_h")


def rnn_step_forward(
    x: np.ndarray, prev_h: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple]:
    """One step: ``next_h = tanh(x Wx + prev_h Wh + b)`` (``b`` added to every row).

    Args:
        x: inputs of this step, shape (N, D).
        prev_h: hidden state of the previous step, shape (N, H).
        Wx: input-to-hidden weights, shape (D, H).
        Wh: hidden-to-hidden weights, shape (H, H).
        b: bias, shape (H,).

    Returns:
        ``(next_h, cache)``: the new hidden state, shape (N, H), and
        ``cache = (x, prev_h, Wx, Wh, next_h)``.

    Raises:
        ValueError: shapes that do not fit together (the message names both), NaN/inf entries,
            mixed float dtypes.

    Examples:
        >>> import numpy as np
        >>> next_h, cache = rnn_step_forward(np.zeros((2, 3)), np.zeros((2, 4)), np.ones((3, 4)),
        ...                                  np.ones((4, 4)), np.array([0.0, 1.0, -1.0, 20.0]))
        >>> next_h.round(4)  # tanh of the bias alone: the inputs and the state are zero
        array([[ 0.    ,  0.7616, -0.7616,  1.    ],
               [ 0.    ,  0.7616, -0.7616,  1.    ]])
    """
    if v.checks_enabled():
        func = "rnn_step_forward"
        x, prev_h, Wx, Wh, b = _check_step_inputs(func, x, prev_h, Wx, Wh, b, x_dims=("N", "D"))
        return v.call_guarded(func, {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "b": b},
                              rnn_step_forward, x, prev_h, Wx, Wh, b)
    # --8<-- [start:step_forward]
    # (N, D) (D, H) + (N, H) (H, H) + (H,) added to every row -> (N, H)
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    # --8<-- [end:step_forward]
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Backward pass of one step: gradients of the loss by the step's five inputs.

    Args:
        dnext_h: upstream gradient ``dL/dnext_h``, shape (N, H).
        cache: ``(x, prev_h, Wx, Wh, next_h)`` from ``rnn_step_forward``.

    Returns:
        ``(dx, dprev_h, dWx, dWh, db)`` with shapes (N, D), (N, H), (D, H), (H, H), (H,).

    Raises:
        ValueError: a cache that is not the 5-tuple of ``rnn_step_forward``, a ``dnext_h`` whose
            shape does not match it, NaN/inf entries, mixed float dtypes.

    Examples:
        >>> import numpy as np
        >>> next_h, cache = rnn_step_forward(np.ones((1, 2)), np.zeros((1, 3)), np.zeros((2, 3)),
        ...                                  np.zeros((3, 3)), np.zeros(3))
        >>> dx, dprev_h, dWx, dWh, db = rnn_step_backward(np.ones((1, 3)), cache)
        >>> dWx  # tanh'(0) = 1, so the gradient is x^T dnext_h
        array([[1., 1., 1.],
               [1., 1., 1.]])
    """
    if v.checks_enabled():
        func = "rnn_step_backward"
        cache = _check_step_cache(func, "cache", cache)
        dnext_h = v.check_array(func, "dnext_h", dnext_h, ("N", "H"), cache[4].shape,
                                f" to match next_h {cache[4].shape} of the cache")
        v.check_same_dtype(func, "dnext_h", dnext_h, cache=cache[0])
        return v.call_guarded(func, {"dnext_h": dnext_h}, rnn_step_backward, dnext_h, cache)
    # --8<-- [start:step_backward]
    x, prev_h, Wx, Wh, next_h = cache
    # through tanh: tanh'(a) = 1 - tanh(a)^2, and next_h is tanh(a)
    da = dnext_h * (1 - next_h**2)
    # a = x Wx + prev_h Wh + b: the affine layer's results, twice
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    # --8<-- [end:step_backward]
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(
    x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple]:
    """The layer over a whole sequence: ``T`` steps with the same weights, from ``h0``.

    Args:
        x: inputs, shape (N, T, D): step t reads ``x[:, t, :]``.
        h0: initial hidden state, shape (N, H).
        Wx: input-to-hidden weights, shape (D, H), shared by all steps.
        Wh: hidden-to-hidden weights, shape (H, H), shared by all steps.
        b: bias, shape (H,), shared by all steps.

    Returns:
        ``(h, cache)``: the hidden states of all steps, shape (N, T, H) (``h0`` is not among
        them), and ``cache``, the tuple of the T step caches.

    Raises:
        ValueError: as ``rnn_step_forward``, and for T = 0 (a sequence without steps).

    Examples:
        >>> import numpy as np
        >>> h, cache = rnn_forward(np.zeros((2, 5, 3)), np.zeros((2, 4)), np.ones((3, 4)),
        ...                        np.eye(4), np.full(4, 0.5))
        >>> h.shape, len(cache)
        ((2, 5, 4), 5)
        >>> h[0, :, 0].round(4)  # each state feeds the next: tanh(h + 0.5), step after step
        array([0.4621, 0.7452, 0.8469, 0.8733, 0.8794])
    """
    if v.checks_enabled():
        func = "rnn_forward"
        x, h0, Wx, Wh, b = _check_step_inputs(func, x, h0, Wx, Wh, b, x_dims=("N", "T", "D"),
                                              prev_name="h0")
        v.check_nonempty(func, "x", x, 1, "T")
        return v.call_guarded(func, {"x": x, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b},
                              rnn_forward, x, h0, Wx, Wh, b)
    # --8<-- [start:forward]
    N, T, D = x.shape
    h = np.empty((N, T, h0.shape[1]), dtype=x.dtype)
    caches = []
    prev_h = h0
    for t in range(T):
        # the same Wx, Wh and b at every step: copied forward in time
        prev_h, step_cache = rnn_step_forward(
            x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        caches.append(step_cache)
    # --8<-- [end:forward]
    return h, tuple(caches)


def rnn_backward(dh: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Backpropagation through time: the gradients of the loss by ``x``, ``h0`` and the parameters.

    Args:
        dh: upstream gradients ``dL/dh_t`` of every hidden state, from the layers above it (not
            through later steps), shape (N, T, H).
        cache: the tuple of step caches from ``rnn_forward``.

    Returns:
        ``(dx, dh0, dWx, dWh, db)`` with shapes (N, T, D), (N, H), (D, H), (H, H), (H,).

    Raises:
        ValueError: a cache that is not a non-empty tuple of step caches, a ``dh`` whose shape does
            not match it, NaN/inf entries, mixed float dtypes.

    Examples:
        >>> import numpy as np
        >>> h, cache = rnn_forward(np.zeros((1, 3, 2)), np.zeros((1, 2)), np.ones((2, 2)),
        ...                        np.eye(2), np.zeros(2))
        >>> dx, dh0, dWx, dWh, db = rnn_backward(np.ones((1, 3, 2)), cache)
        >>> db  # tanh' = 1 at 0 and Wh = I: steps 3, 2, 1 receive 1, 1 + 1 and 1 + 2
        array([6., 6.])
    """
    if v.checks_enabled():
        func = "rnn_backward"
        if not isinstance(cache, tuple) or not cache:
            raise ValueError(f"{func}: cache must be the non-empty tuple of step caches returned by "
                             f"rnn_forward; got {type(cache).__name__} {_length(cache)}")
        cache = tuple(_check_step_cache(func, f"cache[{t}]", step) for t, step in enumerate(cache))
        first = cache[0]
        for t, step in enumerate(cache[1:], start=1):
            for name, a, b in zip(STEP_CACHE, step, first):
                if a.shape != b.shape or a.dtype != b.dtype:
                    raise ValueError(f"{func}: cache[{t}] {name} is {a.dtype} {a.shape} but cache[0] "
                                     f"{name} is {b.dtype} {b.shape}; the steps of one sequence have "
                                     "one shape and one dtype")
                if name in ("Wx", "Wh") and a is not b and not np.array_equal(a, b):
                    raise ValueError(f"{func}: cache[{t}] has another {name} than cache[0]; the "
                                     "steps of one sequence share their parameters")
        N, H = first[4].shape
        dh = v.check_array(func, "dh", dh, ("N", "T", "H"), (N, len(cache), H),
                           f" to match the cache of {len(cache)} steps with hidden states {(N, H)}")
        v.check_same_dtype(func, "dh", dh, cache=first[0])
        return v.call_guarded(func, {"dh": dh}, rnn_backward, dh, cache)
    # --8<-- [start:backward]
    x0, h0, Wx, Wh, _ = cache[0]
    N, T, D = x0.shape[0], len(cache), x0.shape[1]
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dWx, dWh = np.zeros_like(Wx), np.zeros_like(Wh)
    db = np.zeros(Wh.shape[0], dtype=dh.dtype)
    # no step after the last one: the gradient from later steps is 0
    dprev_h = np.zeros_like(h0)
    for t in reversed(range(T)):
        # h_t reaches the loss directly (dh[:, t]) and through step t + 1
        # (dprev_h): the two paths add
        dx[:, t, :], dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(
            dh[:, t, :] + dprev_h, cache[t])
        # copied to every step, the parameters sum their gradients
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dprev_h
    # --8<-- [end:backward]
    return dx, dh0, dWx, dWh, db


def _length(value: object) -> str:
    return f"of length {len(value)}" if isinstance(value, (tuple, list)) else ""


def _check_step_inputs(func, x, prev_h, Wx, Wh, b, *, x_dims, prev_name="prev_h"):
    """Check x (N, D) or (N, T, D), the previous state (N, H) and the parameters; return them."""
    x = v.check_array(func, "x", x, x_dims, (None,) * len(x_dims))
    N, D = x.shape[0], x.shape[-1]
    prev_h = v.check_array(func, prev_name, prev_h, ("N", "H"), (N, None), f" to match x {x.shape}")
    H = prev_h.shape[1]
    Wx = v.check_array(func, "Wx", Wx, ("D", "H"), (D, H), f" to match x {x.shape} and {prev_name} {prev_h.shape}")
    Wh = v.check_array(func, "Wh", Wh, ("H", "H"), (H, H), f" to match {prev_name} {prev_h.shape}")
    b = v.check_array(func, "b", b, ("H",), (H,), f" to match {prev_name} {prev_h.shape}")
    v.check_same_dtype(func, "x", x, **{prev_name: prev_h, "Wx": Wx, "Wh": Wh, "b": b})
    return x, prev_h, Wx, Wh, b


def _check_step_cache(func: str, name: str, cache: object) -> tuple:
    """Check a step cache (x, prev_h, Wx, Wh, next_h) of rnn_step_forward; return it as a tuple."""
    if not isinstance(cache, tuple) or len(cache) != 5:
        raise ValueError(f"{func}: {name} must be the tuple (x, prev_h, Wx, Wh, next_h) returned by "
                         f"rnn_step_forward; got {type(cache).__name__} {_length(cache)}")
    x = v.check_array(func, f"{name} x", cache[0], ("N", "D"), (None, None))
    prev_h = v.check_array(func, f"{name} prev_h", cache[1], ("N", "H"), (x.shape[0], None),
                           f" to match x {x.shape}")
    N, H = prev_h.shape
    Wx = v.check_array(func, f"{name} Wx", cache[2], ("D", "H"), (x.shape[1], H))
    Wh = v.check_array(func, f"{name} Wh", cache[3], ("H", "H"), (H, H))
    next_h = v.check_array(func, f"{name} next_h", cache[4], ("N", "H"), (N, H))
    v.check_same_dtype(func, f"{name} x", x, **{f"{name} {n}": a for n, a in
                                                 zip(STEP_CACHE[1:], (prev_h, Wx, Wh, next_h))})
    return x, prev_h, Wx, Wh, next_h
