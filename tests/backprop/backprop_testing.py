"""Shared helpers for the backprop tests: distinct sizes, a random stream, gradient checks.

A plain module rather than a conftest.py: without __init__.py files a second conftest.py would
clash with the one in tests/site.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

from backprop.gradient_check import numerical_gradient, relative_error

# Distinct sizes, so a transposed product or a sum over the wrong axis cannot pass by accident.
N, D, H, K = 7, 5, 11, 3

#: Relative error for gradients of smooth functions (cs231n notes: "< 1e-7: good"), float64.
SMOOTH_TOLERANCE = 1e-7


#: The start of the message of a result that overflows from finite inputs (_validation.call_guarded).
OVERFLOW = r"(is|are) finite, but the result is not \((overflow|invalid value) encountered in"


@contextlib.contextmanager
def warnings_as_errors():
    """Bad input must give an error, not a RuntimeWarning beside an inf or NaN result."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def make_rng(seed: int = 1234) -> np.random.RandomState:
    return np.random.RandomState(seed)


def assert_gradient_matches(f, x, analytic, tolerance=SMOOTH_TOLERANCE):
    """Compare ``analytic`` with the centered-difference gradient of the scalar ``f(x)`` (x float64)."""
    assert x.dtype == np.float64
    numeric = numerical_gradient(f, x)
    error = relative_error(analytic, numeric)
    assert error < tolerance, f"relative error {error:.2e} >= {tolerance:.0e}"
    return error


#: Unit roundoff of float64: a correctly rounded operation is off by at most U times its result.
U = np.finfo(np.float64).eps / 2
#: The step of the centered differences (numerical_gradient's default).
STEP = 1e-5


def assert_within_centered_difference_bound(
    f, x, analytic, *, evaluation_error, analytic_error=0.0, third_derivative=0.0, h=STEP
):
    """Compare ``analytic`` with the centered difference of ``f`` at ``x``, entry by entry, against
    the error bound of the two (first-order error analysis: terms of order U**2 are dropped).

    For a random shape and seed a fixed relative tolerance is a bet: an entry that nearly cancels
    (a gradient 1e-5 times the size of the loss) has a relative error far above 1e-7 although
    nothing is wrong. The bound instead follows from how each value is computed:

    - ``evaluation_error``: bound on the rounding error of one evaluation of ``f`` near ``x``; the
      difference of two evaluations divided by 2h is off by at most ``evaluation_error / h``;
    - the step: ``x_m + h`` is rounded, so the step taken is off by ``U (|x_m| + h)``, which scales
      the estimate by up to that over ``h``; the final subtraction and division add ``2 U``;
    - ``third_derivative``: bound on ``|d^3 f / dx_m^3|`` within ``h`` of ``x`` (array like ``x``
      or a scalar; 0 for a function linear in ``x``): the Taylor remainder is ``h**2 / 6`` times it;
    - ``analytic_error``: bound on the rounding error of the analytic gradient itself.

    Every bound is orders of magnitude below the error of a wrong formula (a dropped term, a
    transpose, a missing factor), which the mutant tests check.
    """
    assert x.dtype == np.float64
    numeric = numerical_gradient(f, x, h)
    step_error = np.abs(analytic) * U * ((np.abs(x) + h) / h + 2)
    bound = analytic_error + evaluation_error / h + step_error + h**2 / 6 * third_derivative
    excess = np.abs(analytic - numeric) / bound
    worst = np.unravel_index(np.argmax(excess), excess.shape) if excess.ndim else ()
    assert excess[worst] <= 1, (
        f"entry {worst}: |analytic - numeric| = {abs(analytic[worst] - numeric[worst]):.2e} exceeds "
        f"the error bound {np.broadcast_to(bound, x.shape)[worst]:.2e} (analytic {analytic[worst]!r}, "
        f"numeric {numeric[worst]!r})"
    )
    return float(excess[worst])
