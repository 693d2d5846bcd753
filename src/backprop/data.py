"""The spiral toy data set of the CS231n case study: K interleaved arms in the plane (D = 2).

**Naming trap.** The case study calls the number of points *per class* ``N`` in its data code, but
then divides the loss by the number of *examples* (all rows of ``X``). This project uses one ``N``
everywhere: ``N`` is the number of examples (rows of ``X``), so the case study's data set has
``N = points_per_class * num_classes = 100 * 3 = 300``.
"""

from __future__ import annotations

import numpy as np

from backprop import _validation as v

#: Angle covered by one class's arm, in radians (the case study's constant).
ARM_ANGLE = 4.0


def make_spiral(
    points_per_class: int = 100,
    num_classes: int = 3,
    *,
    rng: np.random.RandomState | np.random.Generator,
    noise: float = 0.2,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate the spiral data set, class by class, drawing the angle noise of each class in turn.

    For class ``j`` (0-based) the radii are ``points_per_class`` evenly spaced values in [0, 1] and
    the angles are evenly spaced in ``[4j, 4(j+1)]`` plus ``noise`` times standard normal noise; a
    point is ``(r sin t, r cos t)``. Drawing the noise class by class from a
    ``numpy.random.RandomState`` reproduces the case study's data exactly (see ``case_study``).

    Args:
        points_per_class: points in each arm (the case study's per-class "N", here 100).
        num_classes: K, the number of classes (arms).
        rng: the random stream; pass ``np.random.RandomState(seed)`` to reproduce published numbers.
        noise: standard deviation of the angle noise, in radians.

    Returns:
        ``(X, y)``: ``X`` of shape (N, 2) float64 and ``y`` of shape (N,) int64 with 0-based labels,
        where ``N = points_per_class * num_classes``; rows are grouped by class.

    Raises:
        ValueError: a count below 1, a negative or non-finite noise, a noise so large that the
            angles overflow, or an rng of the wrong type.

    Examples:
        >>> import numpy as np
        >>> X, y = make_spiral(rng=np.random.RandomState(0))
        >>> X.shape, y.shape, X.dtype, y.dtype
        ((300, 2), (300,), dtype('float64'), dtype('int64'))
        >>> np.bincount(y)
        array([100, 100, 100])
        >>> X[0]  # radius 0: every arm starts at the origin
        array([0., 0.])
    """
    func = "make_spiral"
    points_per_class = v.check_count(func, "points_per_class", points_per_class, minimum=1)
    num_classes = v.check_count(func, "num_classes", num_classes, minimum=1)
    noise = v.check_scalar(func, "noise", noise)
    v.check_rng(func, rng)
    return v.call_guarded(func, {"noise": noise}, _make_spiral, points_per_class, num_classes, rng, noise)


def _make_spiral(points_per_class, num_classes, rng, noise):

    # --8<-- [start:spiral]
    num_examples = points_per_class * num_classes  # N: all rows, not the points of one class
    X = np.zeros((num_examples, 2))
    y = np.zeros(num_examples, dtype=np.int64)
    for label in range(num_classes):
        rows = slice(points_per_class * label, points_per_class * (label + 1))
        radius = np.linspace(0.0, 1.0, points_per_class)
        angle = np.linspace(ARM_ANGLE * label, ARM_ANGLE * (label + 1), points_per_class)
        angle = angle + rng.standard_normal(points_per_class) * noise
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = label
    # --8<-- [end:spiral]
    return X, y
