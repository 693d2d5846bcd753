"""Numerical gradient checking: centered differences and the relative error, with the thresholds of
the CS231n notes ("neural-networks-3").

Use float64: with ``h = 1e-5`` the rounding error of a float32 loss, about ``eps / h``, is near
``1e-2`` relative, so a correct float32 gradient "fails" (the thresholds assume float64). A ReLU
input within ``h`` of 0 also makes a correct gradient fail: the two evaluations straddle the kink.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from backprop import _validation as v

#: Above this relative error the gradient is probably wrong.
PROBABLY_WRONG = 1e-2
#: Between this and PROBABLY_WRONG: uncomfortable, look for the reason.
UNCOMFORTABLE = 1e-4
#: Below this: good. Between GOOD and UNCOMFORTABLE: fine with kinks (ReLU), too high without.
GOOD = 1e-7


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centered-difference estimate of the gradient of the scalar ``f(x)`` with respect to ``x``.

    Each entry ``x_m`` is moved to ``x_m + h`` and ``x_m - h`` in place, ``f`` is evaluated at
    both, and the entry is restored: ``grad_m = (f(x + h e_m) - f(x - h e_m)) / (2 h)``. The error
    is of order ``h**2`` (times the third derivative), against order ``h`` for a one-sided difference.

    Args:
        f: function of the array ``x`` returning a real scalar; it must read ``x`` itself (not a copy).
        x: the point, a writeable float ndarray of any shape (float64 for checks); restored on
            return.
        h: the step, > 0.

    Returns:
        The gradient estimate, a float array with the shape of ``x``.

    Raises:
        ValueError: ``x`` not a writeable float ndarray or not finite, ``h`` not > 0 or so large
            that ``x +- h`` overflows, ``f`` not returning a real finite scalar, or values of ``f``
            so far apart that their difference overflows.

    Examples:
        >>> import numpy as np
        >>> x = np.array([1.0, -2.0, 3.0])
        >>> grad = numerical_gradient(lambda x: float(np.sum(x ** 3)), x)
        >>> bool(np.allclose(grad, 3 * x ** 2, rtol=1e-9)), x  # x is left as it was
        (True, array([ 1., -2.,  3.]))
    """
    func = "numerical_gradient"
    if not callable(f):
        raise ValueError(f"{func}: f must be callable as f(x) -> float; got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype not in (np.float32, np.float64):
        kind = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise ValueError(
            f"{func}: x must be a float64 (or float32) numpy array, edited in place and restored; got {kind}"
        )
    if not x.flags.writeable:
        raise ValueError(
            f"{func}: x must be writeable (each entry is moved by +-h in place, then restored); "
            "got a read-only array: pass x.copy(), and have f read that copy"
        )
    v.check_finite(func, "x", x)
    h = v.check_scalar(func, "h", h, positive=True)
    if x.size and not float(np.max(np.abs(x))) + h <= float(np.finfo(x.dtype).max):
        raise ValueError(
            f"{func}: h must be small enough that x +- h is finite in {x.dtype}; got h = {h!r} "
            f"with entries of x up to {float(np.max(np.abs(x))):.3g}"
        )

    def evaluate() -> float:
        value = f(x)
        is_real = isinstance(value, (int, float, np.integer, np.floating)) or (
            isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
        )
        if not is_real or isinstance(value, (bool, np.bool_)):
            raise ValueError(
                f"{func}: f must return a real scalar (a float); got {type(value).__name__} {value!r:.80}"
            )
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{func}: f must return a finite scalar; got {number}")
        return number

    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            # --8<-- [start:numerical_gradient]
            x[index] = original + h
            loss_plus = evaluate()
            x[index] = original - h
            loss_minus = evaluate()
            grad[index] = (loss_plus - loss_minus) / (2 * h)
            # --8<-- [end:numerical_gradient]
        finally:
            x[index] = original  # restore before the next entry, even if f raised
        if not math.isfinite(grad[index]):  # Python floats overflow to inf without a warning
            raise ValueError(
                f"{func}: f must return values whose difference is finite; got f = {loss_plus!r} and "
                f"{loss_minus!r} at x{list(index)} +- h"
            )
    return grad


def relative_error(analytic: np.ndarray | float, numeric: np.ndarray | float) -> float:
    """Largest entrywise relative error ``|a - n| / max(|a|, |n|)`` of two equally shaped arrays.

    An entry where both values are exactly 0 counts as error 0 (they agree).

    Args:
        analytic: the gradient from the formula, any shape (a scalar is allowed).
        numeric: the numerical estimate, same shape.

    Returns:
        The maximum over entries, a float in [0, 2] (2 when the signs are opposite).

    Raises:
        ValueError: shapes that differ, no entries, NaN/inf values, values so large that their
            difference overflows.

    Examples:
        >>> relative_error(1.0, 1.0 + 1e-9) < 1e-8
        True
        >>> relative_error(3.0, -3.0)
        2.0
    """
    func = "relative_error"
    analytic = v.as_float_array(func, "analytic", analytic)
    numeric = v.as_float_array(func, "numeric", numeric)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"{func}: numeric must have the shape of analytic, {analytic.shape}; got {numeric.shape}"
        )
    if analytic.size == 0:
        raise ValueError(
            f"{func}: analytic and numeric must have at least one entry; got shape {analytic.shape}"
        )
    v.check_finite(func, "analytic", analytic)
    v.check_finite(func, "numeric", numeric)
    if v.checks_enabled():
        inputs = {"analytic": analytic, "numeric": numeric}
        return v.call_guarded(func, inputs, relative_error, analytic, numeric)
    # --8<-- [start:relative_error]
    difference = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    # where both values are exactly 0 they agree: read 0/0 as error 0,
    # not NaN
    
    ratios = np.divide(difference, scale, out=np.zeros_like(difference),
                       where=scale > 0)
    return float(ratios.max())
    # --8<-- [end:relative_error]


def verdict(error: float, *, has_kinks: bool = False) -> str:
    """The CS231n reading of a relative error (float64, h about 1e-5).

    Args:
        error: a relative error, a finite number >= 0 (``relative_error`` returns one in [0, 2]).
        has_kinks: True when the objective has kinks (ReLU, hinge): errors up to UNCOMFORTABLE
            are then acceptable. Must be a bool (a string such as 'no' would read as True).

    Raises:
        ValueError: an error that is NaN, infinite or negative (it would read as 'good'), or a
            has_kinks that is not True or False.

    Examples:
        >>> verdict(3e-9), verdict(5e-6), verdict(5e-6, has_kinks=True), verdict(0.5)
        ('good', 'too high for a smooth objective', 'acceptable with kinks', 'probably wrong')
    """
    error = v.check_scalar("verdict", "error", error)
    has_kinks = v.check_flag("verdict", "has_kinks", has_kinks)
    if error > PROBABLY_WRONG:
        return "probably wrong"
    if error > UNCOMFORTABLE:
        return "uncomfortable"
    if error > GOOD:
        return "acceptable with kinks" if has_kinks else "too high for a smooth objective"
    return "good"


def errors_by_step(
    f: Callable[[np.ndarray], float], x: np.ndarray, analytic: np.ndarray, steps: Sequence[float]
) -> np.ndarray:
    """Relative error of the centered-difference gradient of ``f`` at ``x`` for each step ``h``.

    ``x`` is not changed (each estimate perturbs its own copy, in ``x``'s dtype). Small steps lose
    to rounding, large ones to truncation; the gradient-check page plots these errors.

    Args:
        f: the scalar function, as for ``numerical_gradient``.
        x: the point, any shape and float dtype.
        analytic: the exact gradient at ``x``, same shape.
        steps: the steps ``h``, each positive.

    Returns:
        One relative error per step, float64, shape ``(len(steps),)``.

    Examples:
        >>> import numpy as np
        >>> x = np.array([0.3, -1.2])
        >>> errors = errors_by_step(lambda z: float(np.sum(z ** 3)), x, 3 * x ** 2, [1e-1, 1e-3])
        >>> bool(errors[0] > errors[1])  # the truncation error h**2 * f''' / 6 shrinks with h
        True
    """
    return np.array([relative_error(analytic, numerical_gradient(f, x.copy(), h=float(h)))
                     for h in steps])


def softmax_step_experiment(
    dtype: type = np.float64, steps: Sequence[float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The gradient-check page's experiment: ``(steps, errors)`` of the centered difference for
    the softmax loss of 5 examples and 3 classes (scores from ``RandomState(0)``), with the loss
    evaluated in ``dtype`` and the analytic gradient in float64.

    Examples:
        >>> steps, errors = softmax_step_experiment(steps=[1e-5])
        >>> bool(errors[0] < 1e-9)
        True
    """
    from backprop.softmax import softmax_loss

    steps = np.logspace(-1, -12, 23) if steps is None else np.asarray(steps, dtype=np.float64)
    scores = np.random.RandomState(0).randn(5, 3)
    labels = np.array([0, 2, 1, 1, 0])
    _, analytic = softmax_loss(scores, labels)
    errors = errors_by_step(lambda s: softmax_loss(s, labels)[0], scores.astype(dtype), analytic,
                            steps)
    return steps, errors
