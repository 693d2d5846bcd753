"""Argument checks shared by the public functions of ``backprop`` (private module).

Every check raises ``ValueError`` with a message that names the function, the argument, what was
expected and what was received, for example::

    affine_forward: W must have shape (D, K) = (2, ?) to match X (300, 2); got (3, 3)

Dtype policy (documented once, here): arrays are taken as they come when they are float32 or
float64, so a float32 model trains in float32 and no hidden float64 copy is made on the hot path;
integer arrays (and Python lists of numbers) are converted to float64, which is exact for the
values a user would type. Labels must be integers. The arrays of one computation (X and the
parameters, a gradient and its cache) must share one float dtype: mixing float32 with float64 is
an error rather than a silent promotion (which would turn a float32 model into a float64 one) or
a silent rounding (of a float64 array added in place to a float32 one).

Finite inputs can still give a result that is not finite (``affine_forward`` with an entry 1e308,
``l2_penalty(W, 1e308)``): a checked public function runs its arithmetic through ``call_guarded``,
which turns numpy's overflow (or invalid-value) warning, and a non-finite result, into a
``ValueError`` naming the inputs and their largest magnitudes. Bad input thus never ends as a
RuntimeWarning beside an inf or NaN; tests/backprop/test_backprop_validation.py fuzzes every public
function for it.

Checks can be switched off for the inner loop of training, between ``disable_checks`` and
``restore_checks``: training validates its arguments on the first step, and later steps only
reuse those same arrays (updated by the training loop itself), so re-checking them would only
re-measure the same facts. A model that has checked all its arguments likewise runs its layers
with the checks off (``call_unchecked``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar, Token
from typing import TypeVar

import numpy as np

R = TypeVar("R")
_CHECKS_ENABLED: ContextVar[bool] = ContextVar("backprop_checks_enabled", default=True)


#: ``checks_enabled()`` tells a public function whether to validate its arguments: True, except
#: between ``disable_checks()`` and the matching ``restore_checks(token)``. It is the ContextVar's
#: own ``get`` (a C call): every public function calls it, and a Python wrapper would add a frame.
checks_enabled: Callable[[], bool] = _CHECKS_ENABLED.get


def disable_checks() -> Token:
    """Switch argument checks off (in this context) until ``restore_checks`` gets the token back."""
    return _CHECKS_ENABLED.set(False)


def restore_checks(token: Token) -> None:
    """Undo the matching ``disable_checks``."""
    _CHECKS_ENABLED.reset(token)


def call_unchecked(function: Callable[..., R], *args: object) -> R:
    """Call ``function(*args)`` with the checks off: for a caller that has just checked the arguments."""
    token = disable_checks()
    try:
        return function(*args)
    finally:
        restore_checks(token)


def call_guarded(func: str, inputs: dict[str, object], function: Callable[..., R], *args, **kwargs) -> R:
    """Call ``function`` with the checks off (the caller has just checked the arguments) and with
    floating-point errors raised, for results that must be finite.

    Finite inputs can still overflow: ``affine_forward`` with an entry 1e308, ``l2_penalty(W,
    1e308)``. NumPy would only warn and return inf or NaN; here the call raises a ``ValueError``
    that names ``inputs`` (argument name -> value) with their largest magnitudes. Python float
    arithmetic overflows to inf without any signal, so the results are checked too (one pass).
    Underflow to 0 is exact enough and stays silent (softmax of very negative scores).
    """
    token = disable_checks()
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            result = function(*args, **kwargs)
        problem = _first_non_finite(result)
    except FloatingPointError as exc:
        problem = str(exc)
    finally:
        restore_checks(token)
    if problem is not None:
        names = list(inputs)
        named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        raise ValueError(
            f"{func}: {named} {'is' if len(names) == 1 else 'are'} finite, but the result is not "
            f"({problem}): largest magnitudes "
            f"{_magnitudes(inputs)}; rescale them (float64 ends at 1.8e308, float32 at 3.4e38)"
        )
    return result


def _first_non_finite(result: object) -> str | None:
    """Describe the first NaN/inf among the float arrays and numbers in ``result`` (nested), or None."""
    if isinstance(result, (tuple, list)):
        for item in result:
            problem = _first_non_finite(item)
            if problem is not None:
                return problem
        return None
    if isinstance(result, dict):
        return _first_non_finite(list(result.values()))
    if isinstance(result, float):
        return None if np.isfinite(result) else f"got {result}"
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(np.sum(result)):  # one pass; an overflowing sum falls through
                return None
        bad = ~np.isfinite(result)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            return f"{result[where]} at index {where}"
    return None


def _magnitudes(inputs: dict[str, object]) -> str:
    """'X 1e+308, W 2.5': the largest magnitude of each input, for the error message."""
    parts = []
    for name, value in inputs.items():
        if isinstance(value, dict):
            parts.append(_magnitudes({f'{name}["{key}"]': item for key, item in value.items()}))
            continue
        array = np.asarray(value)
        if array.dtype.kind in "iuf" and array.size:
            parts.append(f"{name} {float(np.max(np.abs(array))):.3g}")
    return ", ".join(parts)


def _format_shape(sizes: Sequence[int | None]) -> str:
    parts = ["?" if size is None else str(size) for size in sizes]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _format_dims(dims: Sequence[str]) -> str:
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def as_float_array(func: str, name: str, value: object) -> np.ndarray:
    """Return ``value`` as a float32/float64 array without copying float arrays; reject the rest."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for example
        raise ValueError(
            f"{func}: {name} must be a numeric array; got {type(value).__name__} ({exc})"
        ) from None
    if array.dtype in (np.float32, np.float64):
        return array
    if array.dtype.kind in "iu":
        return array.astype(np.float64)
    raise ValueError(
        f"{func}: {name} must be a real array of float32 or float64 values; got dtype {array.dtype}"
    )


def check_finite(func: str, name: str, array: np.ndarray) -> None:
    """Raise if ``array`` holds NaN or +-inf, naming the first offending position."""
    # One summing pass is cheaper than building a boolean array; a sum that overflows although
    # every entry is finite falls through to the exact test below, so nothing finite is rejected.
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(array)
    if np.isfinite(total):
        return
    bad = ~np.isfinite(array)
    if not bad.any():
        return
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    raise ValueError(
        f"{func}: {name} must contain only finite values; got {array[where]} at index {where} "
        f"({int(bad.sum())} non-finite of {array.size})"
    )


def check_array(
    func: str,
    name: str,
    value: object,
    dims: Sequence[str],
    sizes: Sequence[int | None],
    context: str = "",
) -> np.ndarray:
    """Convert, then check shape and finiteness of one array argument; returns the array.

    ``dims`` are the symbolic axis names (("N", "D")), ``sizes`` the required sizes, None where any
    size is allowed; ``context`` says where the required sizes come from (" to match X (300, 2)").
    """
    array = as_float_array(func, name, value)
    expected_ok = array.ndim == len(sizes) and all(
        want is None or have == want for have, want in zip(array.shape, sizes)
    )
    if not expected_ok:
        raise ValueError(
            f"{func}: {name} must have shape {_format_dims(dims)} = {_format_shape(sizes)}{context}; "
            f"got {tuple(array.shape)}"
        )
    check_finite(func, name, array)
    return array


def check_same_dtype(func: str, reference_name: str, reference: np.ndarray, **others: np.ndarray) -> None:
    """Require every array in ``others`` to have the dtype of ``reference`` (see the dtype policy)."""
    for name, array in others.items():
        if array.dtype != reference.dtype:
            raise ValueError(
                f"{func}: {name} must have the dtype of {reference_name}, {reference.dtype}; "
                f"got {array.dtype} (use one float dtype for all arrays)"
            )


def check_labels(
    func: str, name: str, value: object, num_examples: int, num_classes: int, context: str = ""
) -> np.ndarray:
    """Check that ``value`` is an integer vector of shape (N,) with entries in [0, K)."""
    try:
        labels = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for example
        raise ValueError(
            f"{func}: {name} must be an integer array of class labels; got {type(value).__name__} ({exc})"
        ) from None
    if labels.dtype.kind not in "iu":
        raise ValueError(
            f"{func}: {name} must hold integer class labels in [0, {num_classes}); got dtype {labels.dtype}"
        )
    if labels.shape != (num_examples,):
        raise ValueError(
            f"{func}: {name} must have shape (N,) = ({num_examples},){context}; got {tuple(labels.shape)}"
        )
    if labels.size:
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= num_classes:
            offender = low if low < 0 else high
            raise ValueError(
                f"{func}: {name} must hold labels in [0, K) = [0, {num_classes}) (0-based); "
                f"got label {offender}"
            )
    return labels


def check_nonempty(func: str, name: str, array: np.ndarray, axis: int, symbol: str) -> None:
    """Reject an array with no entries along ``axis`` (a mean over zero rows, a max over zero classes)."""
    if array.shape[axis] == 0:
        raise ValueError(
            f"{func}: {name} must have {symbol} >= 1 along axis {axis}; got shape {tuple(array.shape)}"
        )


def check_flag(func: str, name: str, value: object) -> bool:
    """Check a True/False argument (a string such as 'no' would be truthy)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{func}: {name} must be True or False; got {type(value).__name__} {value!r}")
    return bool(value)


def check_scalar(func: str, name: str, value: object, *, positive: bool = False) -> float:
    """Check a real, finite scalar that is >= 0 (or > 0 when ``positive``); returns it as float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{func}: {name} must be a real number; got {type(value).__name__} {value!r}")
    number = float(value)
    bound_ok = number > 0 if positive else number >= 0
    if not np.isfinite(number) or not bound_ok:
        wanted = "> 0" if positive else ">= 0"
        raise ValueError(f"{func}: {name} must be a finite number {wanted}; got {value!r}")
    return number


def check_count(func: str, name: str, value: object, *, minimum: int) -> int:
    """Check an integer count >= ``minimum``; returns it as int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(
            f"{func}: {name} must be an integer >= {minimum}; got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{func}: {name} must be an integer >= {minimum}; got {value}")
    return int(value)


def check_rng(func: str, value: object) -> None:
    """Accept the two NumPy random generators; anything else (a bare seed, say) is an error."""
    if not isinstance(value, (np.random.RandomState, np.random.Generator)):
        raise ValueError(
            f"{func}: rng must be a numpy.random.RandomState (the legacy stream the case study "
            "used, e.g. np.random.RandomState(0)) or a numpy.random.Generator; "
            f"got {type(value).__name__} {value!r}"
        )


def check_params(func: str, params: object, names: Sequence[str]) -> dict:
    """Check that ``params`` is a dict with exactly the keys ``names``."""
    if not isinstance(params, dict):
        raise ValueError(
            f"{func}: params must be a dict with keys {list(names)}; got {type(params).__name__}"
        )
    if set(params) != set(names):
        raise ValueError(f"{func}: params must have keys {sorted(names)}; got {sorted(map(str, params))}")
    return params


def check_normalization_backward(
    func: str, forward: str, dY: object, cache: object, *, per_row: bool
) -> tuple[np.ndarray, tuple]:
    """``dY`` and the cache ``(X_centred, inv_std, X_hat, gamma)`` of ``forward``, checked: batch
    normalisation's statistics are per column (inv_std has D entries), layer normalisation's per row
    (``per_row``: N entries, and a row needs at least one feature)."""
    if not isinstance(cache, tuple) or len(cache) != 4:
        raise ValueError(
            f"{func}: cache must be the tuple (X_centred, inv_std, X_hat, gamma) returned by "
            f"{forward}; got {type(cache).__name__}"
            + (f" of length {len(cache)}" if isinstance(cache, tuple) else "")
        )
    X_centred = check_array(func, "cache X_centred", cache[0], ("N", "D"), (None, None))
    check_nonempty(func, "cache X_centred", X_centred, axis=0, symbol="N (examples)")
    if per_row:
        check_nonempty(func, "cache X_centred", X_centred, axis=1, symbol="D (features)")
    shape = X_centred.shape
    context = f" to match X_centred {shape}"
    statistics = ("N",) if per_row else ("D",)
    inv_std = check_array(func, "cache inv_std", cache[1], statistics,
                          (shape[0] if per_row else shape[1],), context)
    X_hat = check_array(func, "cache X_hat", cache[2], ("N", "D"), shape, context)
    gamma = check_array(func, "cache gamma", cache[3], ("D",), (shape[1],), context)
    if (inv_std <= 0).any():
        raise ValueError(
            f"{func}: cache inv_std must be > 0 (1/sqrt(var + eps)); got {inv_std[inv_std <= 0][0]}"
        )
    dY = check_array(func, "dY", dY, ("N", "D"), shape, context)
    check_same_dtype(
        func, "cache X_centred", X_centred,
        **{"cache inv_std": inv_std, "cache X_hat": X_hat, "cache gamma": gamma, "dY": dY},
    )
    return dY, (X_centred, inv_std, X_hat, gamma)


def call_normalization_backward(func: str, backward: Callable[..., R], dY: np.ndarray,
                                cache: tuple) -> R:
    """``backward(dY, cache)`` through ``call_guarded``, its inputs named as the checks name them."""
    names = ("dY", "cache X_centred", "cache inv_std", "cache X_hat", "cache gamma")
    return call_guarded(func, dict(zip(names, (dY, *cache))), backward, dY, cache)
