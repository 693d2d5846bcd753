"""Full-batch gradient descent with a printed loss log in the case study's format, and accuracy.

``train`` updates the parameter arrays in place (as the case study does): after it returns, the
caller's ``params`` dict holds the trained model. Its arguments are validated by the first call of
``loss_fn``; later steps reuse the same arrays, so they run with the checks switched off, and only
the loss is checked (a non-finite loss means the step size made training diverge). The gradients
are checked to be finite before the first and the last update, and in between through the loss:
in the models here a NaN or inf parameter reaches every score and so makes the next loss NaN or
inf, so no step leaves NaN parameters behind without an error (a loss function of your own that
ignores a parameter would have to check it itself). Checking every gradient of every step would
cost a pass over all parameters per step, for a fact the next loss already shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from backprop import _validation as v

LossFunction = Callable[[dict, np.ndarray, np.ndarray, float], tuple[float, dict]]


def _check_gradients(func: str, params: dict, grads: object) -> None:
    if not isinstance(grads, dict) or set(grads) != set(params):
        keys = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"{func}: loss_fn must return gradients for the keys {sorted(params)}; got {keys}")
    for name, value in params.items():
        if np.shape(grads[name]) != np.shape(value):
            raise ValueError(
                f"{func}: the gradient of {name} must have the shape of {name}, {np.shape(value)}; "
                f"got {np.shape(grads[name])}"
            )


def _check_finite_gradients(func: str, grads: dict, step: int, step_size: float) -> None:
    for name, value in grads.items():
        grad = v.as_float_array(func, f"the gradient of {name}", value)
        try:
            v.check_finite(func, f"the gradient of {name}", grad)
        except ValueError as exc:
            cause = "loss_fn returned it"
            if step > 0:
                cause = f"training diverged: use a smaller step_size than {step_size}, or {cause}"
            raise ValueError(
                f"{exc} (at step {step}, before its update: the parameters are as they were; {cause})"
            ) from None


def _check_loss(func: str, loss: object, step: int, step_size: float, reg: float) -> float:
    if isinstance(loss, (bool, np.bool_)) or not isinstance(loss, (int, float, np.integer, np.floating)):
        raise ValueError(
            f"{func}: loss_fn must return (loss, grads) with a real loss; got {type(loss).__name__}"
        )
    if math.isfinite(loss):
        return float(loss)
    if step == 0:
        raise ValueError(
            f"{func}: loss_fn returned a loss of {loss} at step 0, before any update: check its "
            f"arguments (reg = {reg}, params, X)"
        )
    hint = f"use a smaller step_size than {step_size}"
    if step_size * reg > 2:  # the penalty alone scales W by (1 - step_size reg) per step: |.| > 1
        hint += f" (step_size * reg = {step_size * reg:.3g} > 2 makes the L2 penalty's updates grow W)"
    if step > 1:  # the gradients of step 0 were checked
        hint += f"; or loss_fn returned a NaN/inf gradient at step {step - 1}"
    raise ValueError(f"{func}: the loss became {loss} at step {step}: training diverged; {hint}")


def train(
    loss_fn: LossFunction,
    params: dict,
    X: np.ndarray,
    y: np.ndarray,
    *,
    reg: float,
    step_size: float,
    num_steps: int,
    log_every: int,
    log: Callable[[str], object] | None = print,
) -> list[tuple[int, float]]:
    """Run ``num_steps`` steps of full-batch gradient descent ``p <- p - step_size * dL/dp``.

    Args:
        loss_fn: ``loss_fn(params, X, y, reg) -> (loss, grads)``, e.g. ``models.two_layer_net_loss``.
        params: dict of float arrays, updated in place.
        X: inputs, shape (N, D).
        y: labels, shape (N,), integers in [0, K).
        reg: L2 strength passed to ``loss_fn``.
        step_size: learning rate, > 0.
        num_steps: number of updates, >= 0.
        log_every: the loss before step ``s`` is logged when ``s % log_every == 0``.
        log: called with each log line, ``"iteration 10: loss 0.917265"``; None for silence.

    Returns:
        The history: one ``(step, loss)`` pair per step, the loss being that before the step's
        update (so step 0 holds the initial loss).

    Raises:
        ValueError: bad arguments (from here or from ``loss_fn``), gradients whose keys or shapes
            differ from ``params``, or a loss that became NaN/inf (training diverged).

    Examples:
        >>> import numpy as np
        >>> from backprop.models import init_linear_classifier, linear_classifier_loss
        >>> rng = np.random.RandomState(0)
        >>> X, y = rng.randn(6, 2), np.array([0, 1, 2, 0, 1, 2])
        >>> params = init_linear_classifier(2, 3, rng=rng)
        >>> history = train(linear_classifier_loss, params, X, y, reg=1e-3, step_size=1.0,
        ...                 num_steps=3, log_every=2)  # doctest: +ELLIPSIS
        iteration 0: loss 1.09...
        iteration 2: loss ...
        >>> [step for step, _ in history], history[2][1] < history[0][1]
        ([0, 1, 2], True)
    """
    func = "train"
    if not callable(loss_fn):
        raise ValueError(
            f"{func}: loss_fn must be callable as loss_fn(params, X, y, reg); got {type(loss_fn).__name__}"
        )
    if not isinstance(params, dict) or not all(isinstance(p, np.ndarray) for p in params.values()):
        raise ValueError(
            f"{func}: params must be a dict of numpy arrays (they are updated in place); got {params!r:.80}"
        )
    for name, value in params.items():
        if value.dtype not in (np.float32, np.float64):
            raise ValueError(
                f"{func}: params[{name!r}] must be a float32 or float64 array (it is updated in place); "
                f"got dtype {value.dtype}: convert it first, e.g. with .astype(np.float64)"
            )
        if not value.flags.writeable:
            raise ValueError(
                f"{func}: params[{name!r}] must be writeable (it is updated in place); got a read-only array"
            )
    # Converted once here: later steps pass X and y to loss_fn unchecked, as they are.
    X = v.as_float_array(func, "X", X)
    try:
        y = np.asarray(y)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for example
        raise ValueError(
            f"{func}: y must be an integer array of class labels; got {type(y).__name__} ({exc})"
        ) from None
    reg = v.check_scalar(func, "reg", reg)
    step_size = v.check_scalar(func, "step_size", step_size, positive=True)
    num_steps = v.check_count(func, "num_steps", num_steps, minimum=0)
    log_every = v.check_count(func, "log_every", log_every, minimum=1)
    if log is not None and not callable(log):
        raise ValueError(f"{func}: log must be callable with one string, or None; got {type(log).__name__}")

    history: list[tuple[int, float]] = []
    token = None  # held while the checks are off: every step after the first
    # Once training diverges, numpy would warn about each overflow; the loss check says it instead.
    errstate = np.errstate(over="ignore", invalid="ignore", divide="ignore")
    try:
        errstate.__enter__()
        for step in range(num_steps):
            result = loss_fn(params, X, y, reg)
            if step == 0:  # loss_fn has just checked every argument
                if not isinstance(result, tuple) or len(result) != 2:
                    raise ValueError(
                        f"{func}: loss_fn must return the pair (loss, grads); got {type(result).__name__} "
                        f"{result!r:.80}"
                    )
                _check_gradients(func, params, result[1])
                token = v.disable_checks()
            loss, grads = result
            if type(loss) is not float or not math.isfinite(loss):  # the models return Python floats
                loss = _check_loss(func, loss, step, step_size, reg)
            if step == 0 or step == num_steps - 1:  # in between, the next loss shows a NaN parameter
                _check_finite_gradients(func, grads, step, step_size)
            history.append((step, loss))
            if log is not None and step % log_every == 0:
                v.restore_checks(token)  # the caller's log function runs with checks on
                token = None
                log(f"iteration {step}: loss {loss:f}")
                token = v.disable_checks()
            # --8<-- [start:step]
            for name, value in params.items():
                value -= step_size * grads[name]  # in place: the caller's arrays become the trained model
            # --8<-- [end:step]
    finally:
        errstate.__exit__(None, None, None)
        if token is not None:
            v.restore_checks(token)
    return history


def accuracy(
    scores_fn: Callable[[dict, np.ndarray], np.ndarray], params: dict, X: np.ndarray, y: np.ndarray
) -> float:
    """Fraction of the N examples whose highest score is their label.

    Args:
        scores_fn: ``scores_fn(params, X) -> scores (N, K)``, e.g. ``models.linear_classifier_scores``.
        params: the model's parameters.
        X: inputs, shape (N, D).
        y: labels, shape (N,), integers in [0, K).

    Returns:
        The accuracy in [0, 1], a float.

    Raises:
        ValueError: an empty batch (N = 0: the accuracy of no examples is undefined, not NaN),
            scores that are not (N, K) or not finite (argmax would read NaN rows as class 0),
            labels that do not match the scores.

    Examples:
        >>> import numpy as np
        >>> from backprop.models import linear_classifier_scores
        >>> params = {"W": np.eye(2), "b": np.zeros(2)}
        >>> accuracy(linear_classifier_scores, params, np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
        0.5
    """
    func = "accuracy"
    if not callable(scores_fn):
        raise ValueError(
            f"{func}: scores_fn must be callable as scores_fn(params, X); got {type(scores_fn).__name__}"
        )
    shape = getattr(X, "shape", ())
    if len(shape) >= 1 and shape[0] == 0:
        raise ValueError(f"{func}: X must hold at least one example (N >= 1); got shape {shape}")
    scores = v.check_array(func, "the scores from scores_fn", scores_fn(params, X), ("N", "K"), (None, None))
    v.check_nonempty(func, "the scores from scores_fn", scores, axis=0, symbol="N (examples)")
    v.check_nonempty(func, "the scores from scores_fn", scores, axis=1, symbol="K (classes)")
    y = v.check_labels(func, "y", y, scores.shape[0], scores.shape[1], f" to match the scores {scores.shape}")
    return float(np.mean(np.argmax(scores, axis=1) == y))
