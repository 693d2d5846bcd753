"""Comparing the two sides of a claim: shapes, free indices, values (with the tolerance)."""

from __future__ import annotations

import numpy as np

from . import named_arrays as na
from ..errors import fail_at
from .named_arrays import Tensor
from .scope import leaf_scale
from .size_expressions import size_value
from .trace import EvalTrace
from ..tex.shapes import SizeSum

#: IEEE double precision: every operation rounds with a relative error of at most 2^-53.
UNIT_ROUNDOFF = 2.0 ** -53
#: The factor over the first-order bound n u M (GRAMMAR.md, "Tolerance"). The site's true claims
#: differ by at most 0.13 n u M (benchmarks/tolerance_headroom.py), so 8 leaves a margin of ~60.
SAFETY = 8
#: The largest tolerance, as a fraction of the values compared (or of the random inputs, when
#: they are larger), at which a comparison still tells a formula from a wrong one (GRAMMAR.md, "A
#: comparison too weak to check"): one that cannot tell values 1% apart checks no formula. On their
#: first trials the site's comparisons stay under 2.4e-7 of those values (an LSTM's gates, whose
#: exponentials reach 1e5); `(A + 1) - A = 1` for an A of 10^12 reaches 4e-3.
WEAKEST_CHECK = 1e-2


def tolerance(*traces) -> float:
    """The absolute tolerance of a comparison between values computed as the `traces` say.

    Each side is computed by n rounding operations on numbers of magnitude at most M (every
    intermediate value, every partial sum); first-order error analysis (Higham, Accuracy and
    Stability of Numerical Algorithms, ch. 3: gamma_n = n u / (1 - n u)) bounds each side's error
    by n u M. The two sides may differ by the sum of their bounds; SAFETY covers what the count of
    steps leaves out (a function such as exp or log rounds once but may be off by a few units).

    >>> from .trace import EvalTrace
    >>> left, right = EvalTrace(), EvalTrace()
    >>> left.magnitude, left.steps, right.magnitude, right.steps = 4.85e8, 1, 4.85e8, 2
    >>> tolerance(left, right) < 1  # e^{20} = e^{20} + 1 fails
    True
    """
    steps = sum(trace.steps for trace in traces) + 1
    magnitude = max(trace.magnitude for trace in traces)
    return SAFETY * steps * UNIT_ROUNDOFF * magnitude


def beyond_tolerance(a, b, *traces):
    """`|a - b|` minus the tolerance of values computed as the `traces` say (the one rule of
    agreement): positive where `a` and `b` disagree.

    >>> from .trace import EvalTrace
    >>> exact = EvalTrace()
    >>> exact.magnitude, exact.steps = 1.0, 1
    >>> beyond_tolerance(np.array([1.0, 1.0]), np.array([1.0 + 2 ** -52, 1.1]), exact) > 0
    array([False,  True])
    """
    return np.abs(a - b) - tolerance(*traces)


def refuse_vacuous(a, b, allowed: float, traces, trial: int, tok, heading: str, details=()):
    """Raise an 'error' when the tolerance `allowed` is more than WEAKEST_CHECK of the values
    compared and of the scale of the random inputs: a value computed on the way so much larger
    than both (a term `0 \\cdot 10^{300}`, a sum `x + 10^{20} - 10^{20}` that rounding reduces to
    0) that the comparison would pass whatever the two sides are.

    >>> from .trace import EvalTrace
    >>> inflated = EvalTrace()
    >>> inflated.magnitude, inflated.steps = 1e300, 3
    >>> refuse_vacuous(np.array([0.5]), np.array([1.5]), tolerance(inflated), (inflated,), 0, None,
    ...                "link 1 of 1")
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: link 1 of 1 cannot be checked in float64: a value computed on the way has magnitude 1e+300, so rounding could move the sides by up to 3.55e+285 (the tolerance), more than 0.01 of the values compared and the random inputs (at most 1.5); the comparison would pass whatever the two sides are; expected intermediate values not far larger than the result and the inputs (rounding reduces a term such as 0 \\cdot 10^{300}, or x + 10^{20} - 10^{20}, to nothing)
    """
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)),
                leaf_scale(trial))
    if allowed <= WEAKEST_CHECK * scale:
        return
    magnitude = max(trace.magnitude for trace in traces)
    raise fail_at(tok, f"{heading} cannot be checked in float64: a value computed on "
                       f"the way has magnitude {magnitude:.3g}, so rounding could move the sides "
                       f"by up to {allowed:.3g} (the tolerance), more than {WEAKEST_CHECK:g} of the "
                       f"values compared and the random inputs (at most {scale:.3g}); the "
                       "comparison would pass whatever the two sides are; expected intermediate "
                       "values not far larger than the result and the inputs (rounding reduces a "
                       "term such as 0 \\cdot 10^{300}, or x + 10^{20} - 10^{20}, to nothing)",
                  details=details)


def worst_entry(excess) -> tuple | None:
    """The index of the largest positive entry of `excess`, or None when none is positive."""
    if np.all(excess <= 0):
        return None
    return np.unravel_index(int(np.argmax(excess)), np.shape(excess))


def trace_of(value: Tensor):
    """The value's trace, or that of an exact leaf (no rounding yet) if it has none."""
    if value.trace is not None:
        return value.trace
    trace = EvalTrace()
    trace.note(value, steps=0)
    return trace


def describe(value: Tensor, scope) -> str:
    """`7 x 4 (N x K), free indices i, j` and the like."""
    if value.is_scalar:
        shape = "scalar"
    else:
        shape = (f"{value.pos[0]} x {value.pos[1]} "
                 f"({scope.size_name(value.pos[0])} x {scope.size_name(value.pos[1])})")
    names = [n for n in value.names if n != "@"]
    free = ", ".join(f"{n} in 1..{scope.size_name(value.sizes[n])}" for n in names)
    return shape + (f", free indices {free}" if free else ", no free index")


def describe_shape(value: Tensor, scope) -> str:
    """`N x K`, `scalar`, `DK x 1` (a vec) or `entries (i, j) of N x K`: size names, not numbers.

    The short form of `describe`, for the site's marks.

    >>> import numpy as np
    >>> from .scope import Scope
    >>> scope = Scope()
    >>> sizes = [scope.size(name) for name in "NDK"]
    >>> describe_shape(Tensor(np.zeros((7, 4)), (), (7, 4)), scope)
    'N x K'
    >>> describe_shape(Tensor(np.zeros((12, 1)), (), (12, 1)), scope)
    'DK x 1'
    >>> describe_shape(Tensor(np.zeros((7, 4)), ("i", "j"), ()), scope)
    'entries (i, j) of N x K'
    """
    def size_text(number: int) -> str:
        name = scope.size_name(number)
        if name != str(number):
            return name
        products = (first + second for first, a in scope.sizes.items()
                    for second, b in scope.sizes.items() if a * b == number)
        return next(products, name)

    shown = " x ".join(size_text(n) for n in value.pos) or "scalar"
    if value.names:
        entries = " x ".join(size_text(value.sizes[n]) for n in value.names)
        shown = f"entries ({', '.join(value.names)}) of {entries}" + (
            f", each {shown}" if value.pos else "")
    return shown


def check_finite(value: Tensor, tok, what: str) -> None:
    if not np.all(np.isfinite(value.data)):
        raise fail_at(tok, f"{what} evaluates to NaN or infinity on a random instance; expected "
                           "finite values")


def compare(left: Tensor, right: Tensor, tok, scope, heading: str, trial: int,
            op: str = "=", rounding_ties: bool = False, firsts: dict | None = None) -> None:
    """Raise a 'failed' FormulaError unless `left op right` holds for every free index value.

    `firsts`: the first value of each free index that does not start at 1 (`\\text{for } 2
    \\le t \\le T`), so that the report names the entry as the page does.

    `rounding_ties`: the instance scaled the random values the sides depend on, so sides of a
    strict inequality equal to rounding (`0 < e^{-|z|}` at |z| = 1000) cannot tell the claim true
    or false: an 'error' says so, and the caller does not use the instance."""
    check_finite(left, tok, "the left side")
    check_finite(right, tok, "the right side")
    shapes = (f"left: {describe(left, scope)}", f"right: {describe(right, scope)}")
    if left.pos != right.pos:
        raise fail_at(tok, f"{heading.rstrip(',')}: the two sides have different shapes", kind="failed",
                      details=shapes)
    left_names, right_names = set(left.names), set(right.names)
    if not (left_names <= right_names or right_names <= left_names):
        raise fail_at(tok, f"{heading.rstrip(',')}: the two sides have different free indices", kind="failed",
                      details=shapes)
    a, b, names = na.align(left, right)
    a, b = np.broadcast_arrays(np.real(a), np.real(b))
    traces = (trace_of(left), trace_of(right))
    allowed = tolerance(*traces)
    if op == "=":
        excess = beyond_tolerance(a, b, *traces)
    else:
        holds = {">": a > b, "<": a < b, ">=": a >= b - allowed, "<=": a <= b + allowed}[op]
        if op in ("<", ">") and rounding_ties and not np.all(holds) and np.all(
                holds | (np.abs(a - b) <= allowed)):
            raise fail_at(tok, f"{heading.rstrip(',')}: the sides are equal to rounding at the "
                               "scale of this instance", details=shapes)
        excess = np.where(holds, -1.0, 1.0)
    worst = worst_entry(excess)
    if worst is None:
        if op in ("=", "<=", ">="):  # the tolerance decided: it must be small enough to decide
            refuse_vacuous(a, b, allowed, traces, trial, tok, heading,
                           shapes + (f"random instance: trial {trial}",))
        return
    where = [f"{n}={worst[k] + (firsts or {}).get(n, 1)}" for k, n in enumerate(names)]
    where += [f"{axis}={worst[len(names) + k] + 1}" for k, axis in
              enumerate(("row", "column")[:len(left.pos)])]
    # indices and positions count from 1 as on the page (a code tie's message counts from 0)
    at = ("at " + ", ".join(where) + " (1-based, as on the page)") if where else "(no free index)"
    left_value, right_value = a[worst], b[worst]
    steps = sum(trace.steps for trace in traces) + 1
    magnitude = max(trace.magnitude for trace in traces)
    details = (f"{at}: left = {left_value:.10g}, right = {right_value:.10g}"
               + (f" (difference {abs(left_value - right_value):.3g}; tolerance {allowed:.3g} = "
                  f"{SAFETY} x {steps} rounding steps x 2^-53 x magnitude {magnitude:.3g})"
                  if op == "=" else ""),) + shapes + (f"random instance: trial {trial}",)
    raise fail_at(tok, f"{heading} does not hold", kind="failed", details=details)


def shape_of_dims(dims: tuple, scope, tok) -> tuple:
    """Sizes of a shape written as dims of factors: ((N,), (K,)) -> (7, 4); ((K,),) -> (4, 1)."""
    values = [dim_size(dim, scope, tok) for dim in dims]
    if len(values) == 1:
        return (values[0], 1)
    if len(values) > 2:
        raise fail_at(tok, "shapes have at most two sizes (rows \\times columns)")
    return tuple(values)


def dim_size(dim: tuple, scope, tok) -> int:
    """The size of one dim of a written shape: the product of its factors (size names, whole
    numbers, and sums of sizes such as `(H + 2P)`, tex/shapes.py)."""
    size = 1
    for factor in dim:
        if isinstance(factor, int):
            size *= factor
        elif isinstance(factor, SizeSum):
            value = size_value(scope.sizes, factor.node, f"the shape's {factor}")
            if value.denominator != 1 or value < 1:
                raise fail_at(tok, f"{factor} in a shape is {value} with {scope.sizes_text()}; "
                                   "expected sizes that give a whole number of at least 1")
            size *= int(value)
        elif scope.is_size(factor):
            size *= scope.sizes[factor]
        else:
            raise fail_at(tok, f"{factor} is not a declared size; expected sizes from the "
                               "declarations (N, D, K, ...)")
    return size


def check_shape(value: Tensor, dims: tuple, scope, tok, heading: str) -> None:
    """Fail unless the positional shape of `value` is the written shape."""
    expected = shape_of_dims(dims, scope, tok)
    actual = value.pos if value.pos else (1, 1)
    if expected == actual:
        return
    written = " x ".join("".join(str(f) for f in dim) for dim in dims)
    raise fail_at(tok, f"{heading}: the shape written is {written} but the value is "
                       f"{describe(value, scope)}", kind="failed")
