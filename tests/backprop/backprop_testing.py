"""Shared helpers for the backprop tests: distinct sizes, a random stream, gradient checks.

A plain module rather than a conftest.py: without __init__.py files a second conftest.py would
clash with the one in tests/site.
"""

from __future__ import annotations

import numpy as np

from backprop.gradient_check import numerical_gradient, relative_error

# Distinct sizes, so a transposed product or a sum over the wrong axis cannot pass by accident.
N, D, H, K = 7, 5, 11, 3

#: Relative error for gradients of smooth functions (cs231n notes: "< 1e-7: good"), float64.
SMOOTH_TOLERANCE = 1e-7


def make_rng(seed: int = 1234) -> np.random.RandomState:
    return np.random.RandomState(seed)


def assert_gradient_matches(f, x, analytic, tolerance=SMOOTH_TOLERANCE):
    """Compare ``analytic`` with the centered-difference gradient of the scalar ``f(x)`` (x float64)."""
    assert x.dtype == np.float64
    numeric = numerical_gradient(f, x)
    error = relative_error(analytic, numeric)
    assert error < tolerance, f"relative error {error:.2e} >= {tolerance:.0e}"
    return error


def assert_gradient_matches_scaled(f, x, analytic, tolerance=SMOOTH_TOLERANCE):
    """Like assert_gradient_matches, but each entry's error is measured against the array's scale.

    Why: the centered difference carries an absolute rounding error of about eps * |f| / h (~1e-10
    here), so an entry that nearly cancels (1e-4 times the largest) shows an entrywise relative
    error above 1e-7 although the analytic value is exact. Hypothesis found such a case for the
    affine layer (N=6, D=5, K=6, RandomState(18750981)); random shapes need this measure.
    """
    assert x.dtype == np.float64
    numeric = numerical_gradient(f, x)
    scale = max(np.abs(analytic).max(), np.abs(numeric).max())
    error = np.abs(analytic - numeric).max() / scale if scale > 0 else 0.0
    assert error < tolerance, f"scaled relative error {error:.2e} >= {tolerance:.0e}"
    return error
