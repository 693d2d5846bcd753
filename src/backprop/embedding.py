"""Word embedding and the temporal softmax loss, the two ends of a captioning RNN.

``word_embedding_forward`` looks each word up: ``x`` holds N sequences of T word indices in
[0, V) (0-based), ``W`` is the (V, D) table with one row per word, and the output ``out = W[x]`` of
shape (N, T, D) is a gather. Its backward pass scatters the upstream gradient back into the rows
of the words that were read, with ``np.add.at``: a word read at several places gets the sum of
their gradients (``dW[x] += dout`` would keep only one of them, because numpy's buffered fancy
assignment writes each row once).

``temporal_softmax_loss`` scores a vocabulary of V words at each of the T steps of N sequences:
a softmax cross-entropy at every step, kept or ignored by a 0/1 mask (padding after the end of a
caption), summed over the steps and averaged over the N sequences, as in the CS231n assignment.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v


def _check_words(func: str, name: str, value: object, num_words: int | None) -> np.ndarray:
    """An integer array of shape (N, T) with entries in [0, V) when ``num_words`` is V."""
    try:
        words = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for example
        raise ValueError(
            f"{func}: {name} must be an integer array of word indices; got {type(value).__name__} ({exc})"
        ) from None
    if words.dtype.kind not in "iu":
        raise ValueError(f"{func}: {name} must hold integer word indices (0-based); got dtype {words.dtype}")
    if words.ndim != 2:
        raise ValueError(f"{func}: {name} must have shape (N, T); got {tuple(words.shape)}")
    if words.size and num_words is not None:
        low, high = int(words.min()), int(words.max())
        if low < 0 or high >= num_words:
            offender = low if low < 0 else high
            raise ValueError(
                f"{func}: {name} must hold word indices in [0, V) = [0, {num_words}) (0-based); "
                f"got {offender}"
            )
    return words


def word_embedding_forward(x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Forward pass ``out[n, t] = W[x[n, t]]``: each word index picks its row of the table.

    Args:
        x: word indices, integers in [0, V), shape (N, T).
        W: the embedding table, one row per word, shape (V, D), V >= 1.

    Returns:
        ``(out, cache)``: ``out`` of shape (N, T, D), a new array, and ``cache = (x, W)``.

    Raises:
        ValueError: ``x`` not an (N, T) integer array or with an index outside [0, V); ``W`` not
            2-D, with no rows, or with NaN/inf entries.

    Examples:
        >>> import numpy as np
        >>> W = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])  # V = 3 words, D = 2
        >>> out, cache = word_embedding_forward(np.array([[1, 2, 1]]), W)  # word 1 twice
        >>> out
        array([[[1., 2.],
                [3., 4.],
                [1., 2.]]])
    """
    if v.checks_enabled():
        func = "word_embedding_forward"
        W = v.check_array(func, "W", W, ("V", "D"), (None, None))
        v.check_nonempty(func, "W", W, axis=0, symbol="V (words)")
        x = _check_words(func, "x", x, W.shape[0])
    # --8<-- [start:forward]
    # a gather: fancy indexing copies row x[n, t] of W to out[n, t]
    out = W[x]  # (N, T, D)
    # --8<-- [end:forward]
    return out, (x, W)


def word_embedding_backward(dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Backward pass: ``dW[v] = sum of dout[n, t] over every (n, t) with x[n, t] = v``.

    Args:
        dout: upstream gradient ``dL/dout``, shape (N, T, D).
        cache: ``(x, W)`` from ``word_embedding_forward``.

    Returns:
        ``dW`` of shape (V, D), the dtype of ``W``; rows of words that were not read are 0.

    Raises:
        ValueError: a cache that is not ``(x, W)``, a ``dout`` whose shape does not match it,
            NaN/inf entries, sums that overflow.

    Examples:
        >>> import numpy as np
        >>> W = np.zeros((3, 2))
        >>> dout = np.array([[[1.0, 1.0], [5.0, 5.0], [10.0, 10.0]]])
        >>> word_embedding_backward(dout, (np.array([[1, 2, 1]]), W))  # word 1 gets 1 + 10
        array([[ 0.,  0.],
               [11., 11.],
               [ 5.,  5.]])
    """
    if v.checks_enabled():
        func = "word_embedding_backward"
        if not isinstance(cache, tuple) or len(cache) != 2:
            raise ValueError(
                f"{func}: cache must be the tuple (x, W) returned by word_embedding_forward; got "
                f"{type(cache).__name__}" + (f" of length {len(cache)}" if isinstance(cache, tuple) else "")
            )
        W = v.check_array(func, "cache W", cache[1], ("V", "D"), (None, None))
        v.check_nonempty(func, "cache W", W, axis=0, symbol="V (words)")
        x = _check_words(func, "cache x", cache[0], W.shape[0])
        dout = v.check_array(
            func, "dout", dout, ("N", "T", "D"), (*x.shape, W.shape[1]), f" to match x {x.shape} and W {W.shape}"
        )
        v.check_same_dtype(func, "cache W", W, dout=dout)
        return v.call_guarded(func, {"dout": dout}, word_embedding_backward, dout, (x, W))
    x, W = cache
    # --8<-- [start:backward]
    dW = np.zeros_like(W)  # (V, D): a word never read gets 0
    # a scatter-add: row x[n, t] of dW receives dout[n, t], and a word
    # read at several places receives the sum (dW[x] += dout would
    # write each row once, keeping only one of the terms)
    np.add.at(dW, x, dout)
    # --8<-- [end:backward]
    return dW


def _check_mask(func: str, value: object, shape: tuple[int, ...]) -> np.ndarray:
    """A 0/1 (or True/False) array of shape (N, T), returned as booleans."""
    try:
        mask = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: mask must be an array of 0/1 or booleans; got {type(value).__name__} ({exc})") from None
    if mask.dtype.kind not in "biuf":
        raise ValueError(f"{func}: mask must hold booleans or the numbers 0 and 1; got dtype {mask.dtype}")
    if mask.shape != shape:
        raise ValueError(f"{func}: mask must have shape (N, T) = {shape} to match scores; got {tuple(mask.shape)}")
    if mask.dtype.kind != "b":
        not_binary = (mask != 0) & (mask != 1)
        if not_binary.any():
            where = tuple(int(i) for i in np.argwhere(not_binary)[0])
            raise ValueError(f"{func}: mask must hold only 0 and 1 (or booleans); got {mask[where]} at index {where}")
    return mask.astype(bool)


def temporal_softmax_loss(
    scores: np.ndarray, targets: np.ndarray, mask: np.ndarray
) -> tuple[float, np.ndarray]:
    """Masked softmax cross-entropy over time, summed over steps and averaged over sequences.

    ``L = -(1/N) sum_n sum_t mask[n, t] log P[n, t, targets[n, t]]`` with ``P`` the softmax of
    ``scores`` over its last axis (the V words).

    Args:
        scores: ``S``, shape (N, T, V), float32 or float64, finite, N >= 1, V >= 1.
        targets: the correct word at each step, integers in [0, V), shape (N, T).
        mask: 1 (True) where the step counts, 0 (False) where it is ignored, shape (N, T).

    Returns:
        ``(loss, dscores)``: ``loss`` a Python float and ``dscores = dL/dS`` of shape (N, T, V),
        zero at every masked step.

    Raises:
        ValueError: wrong shapes, targets outside [0, V), a mask with values other than 0 and 1,
            NaN/inf scores.

    Examples:
        >>> import numpy as np
        >>> loss, dscores = temporal_softmax_loss(np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=int),
        ...                                       np.array([[1, 1, 0], [1, 0, 0]]))
        >>> round(loss, 6) == round(3 * float(np.log(4)) / 2, 6)  # 3 kept steps of log V, over N = 2
        True
        >>> dscores[0, 2], dscores[1, 0]  # a masked step gets no gradient; a kept one (P - Y) / N
        (array([0., 0., 0., 0.]), array([-0.375,  0.125,  0.125,  0.125]))
    """
    if v.checks_enabled():
        func = "temporal_softmax_loss"
        scores = v.check_array(func, "scores", scores, ("N", "T", "V"), (None, None, None))
        v.check_nonempty(func, "scores", scores, axis=0, symbol="N (sequences)")
        v.check_nonempty(func, "scores", scores, axis=2, symbol="V (words)")
        targets = _check_words(func, "targets", targets, scores.shape[2])
        if targets.shape != scores.shape[:2]:
            raise ValueError(
                f"{func}: targets must have shape (N, T) = {scores.shape[:2]} to match scores; "
                f"got {tuple(targets.shape)}"
            )
        mask = _check_mask(func, mask, scores.shape[:2])
        return v.call_guarded(func, {"scores": scores}, temporal_softmax_loss, scores, targets, mask)
    # --8<-- [start:loss]
    N, T, V = scores.shape
    # the N T steps as rows of one softmax, as in the assignment
    flat_scores = scores.reshape(N * T, V)
    flat_targets = targets.reshape(N * T)
    flat_mask = np.asarray(mask, dtype=bool).reshape(N * T)
    rows = np.arange(N * T)
    # stable: the row maximum is subtracted before exp
    shifted = flat_scores - flat_scores.max(axis=1, keepdims=True)
    exp_scores = np.exp(shifted)
    row_sums = exp_scores.sum(axis=1)
    # -log P of the target word, as a log-sum-exp
    step_losses = np.log(row_sums) - shifted[rows, flat_targets]
    loss = float(np.sum(step_losses[flat_mask])) / N  # over N, not N T
    dflat = exp_scores / row_sums[:, None]  # P
    dflat[rows, flat_targets] -= 1  # P - Y
    dflat /= N
    dflat[~flat_mask] = 0  # an ignored step sends no gradient
    dscores = dflat.reshape(N, T, V)
    # --8<-- [end:loss]
    return loss, dscores
