"""The evidence of a check, captured where the checker compares the two sides of each link.

For each link (one relation of a claim, or a comparison with the reference code) the checker's
run records, while it compares: the sizes of the page's scope, one small instance's values of both
sides (trial 0, at most a 3 x 3 corner), the largest difference found over every trial and how
many trials compared it. Shape annotations (`\\underbrace{...}_{N \\times K}`, `x \\in
\\mathbb{R}^{N}` after a value) are counted apart, as `shapes`. Nothing here is typed by an author:
the site's marks (`faces/site/evidence_html.py`) and the coverage page only render `LinkEvidence`.

The difference is relative to the largest magnitude of the two sides over the compared entries,
`max |left - right| / max(|left|, |right|)`, the scale the tolerance is set on (a zero where both
sides are zero).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..evaluation import named_arrays as na

CORNER = 3  # rows and columns of the instance shown


@dataclass
class LinkEvidence:
    """What one link's comparison saw.

    `left` and `right` are the TeX of the two sides as written (`code` for a comparison with the
    reference code's value), `relation` its relation (`=`, `<`, ...), `sizes` the scope's sizes
    (name -> value), `axes` the names of the two shown axes (free indices, or `row`/`column`),
    `shape` the full extent of the compared values, `left_values`/`right_values` the shown corner
    of trial 0 (a list of rows), `largest_difference` the largest relative difference over all
    trials (None for an inequality), `trials` how many instances compared it, `entries` how many
    entries one instance compared.
    """

    relation: str
    left: str
    right: str
    sizes: dict = field(default_factory=dict)
    axes: tuple = ()
    shape: tuple = ()
    left_values: list = field(default_factory=list)
    right_values: list = field(default_factory=list)
    largest_difference: float | None = 0.0
    trials: int = 0
    entries: int = 1
    kind: str = "claim"  # or "code": the formula's value against the reference code's
    fixed: tuple = ()  # further axes, shown at their first value
    firsts: dict = field(default_factory=dict)  # axis -> its first value, where it is not 1
    # `\\approx` a decimal: (the largest absolute difference from it, half a unit of its last digit)
    rounding: tuple | None = None


def corner(data: np.ndarray) -> list:
    """The first `CORNER` x `CORNER` entries of an array as rows of floats; further axes at 0.

    >>> corner(np.arange(20.0).reshape(4, 5))
    [[0.0, 1.0, 2.0], [5.0, 6.0, 7.0], [10.0, 11.0, 12.0]]
    >>> corner(np.float64(2.5)), corner(np.arange(5.0))
    ([[2.5]], [[0.0, 1.0, 2.0]])
    """
    data = np.real(np.asarray(data, dtype=complex if np.iscomplexobj(data) else float))
    while data.ndim > 2:
        data = data[..., 0]
    if data.ndim == 0:
        return [[float(data)]]
    if data.ndim == 1:
        return [[float(v) for v in data[:CORNER]]]
    return [[float(v) for v in row[:CORNER]] for row in data[:CORNER]]


def relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """`max |a - b| / max(|a|, |b|)` over all entries; 0 when both are zero everywhere.

    >>> relative_difference(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 4e-16]))
    2e-16
    >>> relative_difference(np.zeros(3), np.zeros(3))
    0.0
    """
    scale = float(np.max(np.maximum(np.abs(a), np.abs(b)), initial=0.0))
    difference = float(np.max(np.abs(a - b), initial=0.0))
    return difference / scale if scale > 0 else difference


class EvidenceLog:
    """Collects the evidence of one block while it is checked: `observe` each comparison that
    held, `shape` each shape annotation checked; `links()` the result, in link order."""

    def __init__(self, scope):
        self.scope = scope
        self._links: dict = {}  # key (the relation's token) -> LinkEvidence
        self.shapes = 0

    def shape(self, trial: int) -> None:
        if trial == 0:
            self.shapes += 1

    def observe(self, key, trial: int, left, right, relation: str, left_tex: str,
                right_tex: str, kind: str = "claim", firsts: dict | None = None,
                rounding: tuple | None = None) -> None:
        """Record one comparison that held: `left` and `right` are the checker's values (named
        arrays, or plain arrays for the code's value); `firsts`, the first value of an index
        that does not start at 1; `rounding`, for `\\approx` a decimal, (the difference from
        it, half a unit of its last digit)."""
        if isinstance(left, na.Tensor) and isinstance(right, na.Tensor):
            a, b, names = na.align(left, right)
            axes = tuple(names) + ("row", "column")[:len(left.pos or right.pos)]
        else:
            a, b, axes = np.asarray(left), np.asarray(right), ("row", "column")[:np.ndim(left)]
        a, b = np.broadcast_arrays(np.real(a), np.real(b))
        found = self._links.get(key)
        if found is None:
            shown = tuple(axes[:min(a.ndim, 2)])
            found = self._links[key] = LinkEvidence(
                relation, left_tex, right_tex, dict(self.scope.sizes), shown,
                tuple(int(n) for n in a.shape), corner(a), corner(b),
                None if relation != "=" else 0.0, 0, int(a.size) or 1, kind,
                tuple(axes[len(shown):a.ndim]),
                {axis: first for axis, first in (firsts or {}).items() if axis in axes})
        found.trials += 1
        if relation == "=":
            found.largest_difference = max(found.largest_difference, relative_difference(a, b))
        if rounding is not None:
            difference, half_unit = rounding
            found.rounding = (max(difference, found.rounding[0] if found.rounding else 0.0),
                              half_unit)

    def links(self) -> list:
        return list(self._links.values())

