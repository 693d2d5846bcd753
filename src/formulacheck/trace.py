"""How a value was computed: the facts the tolerance and branch-aware sampling need.

An `EvalTrace` travels with an evaluation: every intermediate value raises `magnitude` (the largest
absolute value of any entry computed on the way, including sums of many terms, so a cancellation
such as `(A + 1) - A` keeps the magnitude of A), `steps` counts the rounding operations along the
way (a sum of n terms or a product with inner size n counts n), and `branches` records, for every
kink or branch (`|x|`, `\\max(a, b)`, an indicator, the skipped term of `\\sum_{j \\neq y_i}`), the
sides its argument was seen on. A definition's trace is kept with its value (`Tensor.trace`), so a
claim that uses it inherits its magnitude, its steps and its branches.

>>> import numpy as np
>>> from .named_arrays import Tensor
>>> trace = EvalTrace()
>>> trace.note(Tensor(np.array([1.0, -3.0]), ("i",), ()))
>>> trace.branch(type("Tok", (), {"line": 4, "col": 2})(), "|...|", np.array([0.5, -2.0]))
>>> trace.magnitude, trace.steps, trace.branches
(3.0, 1, {(4, 2, '|...|'): {1, -1}})
"""

from __future__ import annotations

import numpy as np

from .derivatives import STEP


class EvalTrace:
    """Magnitude, rounding steps and branch sides of one evaluation (see the module docstring)."""

    __slots__ = ("magnitude", "steps", "branches")

    def __init__(self):
        self.magnitude = 0.0
        self.steps = 0
        self.branches: dict = {}

    def note(self, value, steps: int = 1) -> None:
        """An intermediate value and the rounding steps that made it."""
        self.steps += steps
        data = value.data
        if not isinstance(data, np.ndarray):
            data = np.asarray(data)
        if data.size == 0:
            return
        if data.ndim == 0:
            value = data.item()
            largest = (max(abs(value.real), abs(value.imag) / STEP) if isinstance(value, complex)
                       else abs(value))
        elif data.dtype.kind == "c":  # a complex step: its imaginary part carries a derivative
            largest = max(float(abs(data.real).max()), float(abs(data.imag).max()) / STEP)
        else:
            largest = float(abs(data).max())
        if largest > self.magnitude or largest != largest:
            self.magnitude = largest

    def merge(self, other: "EvalTrace | None") -> None:
        """Take in the trace of an input (a definition's value, the numerator of a derivative)."""
        if other is None:
            return
        self.steps += other.steps
        if other.magnitude > self.magnitude:
            self.magnitude = other.magnitude
        for key, sides in other.branches.items():
            self.branches.setdefault(key, set()).update(sides)

    def branch(self, tok, label: str, signed) -> None:
        """Record the sides seen at a kink: the signs of `signed` (0, exactly at the kink, is
        neither side)."""
        real = np.real(signed)
        seen = {side for side, present in ((1, np.any(real > 0)), (-1, np.any(real < 0))) if present}
        self.branches.setdefault((getattr(tok, "line", 0), getattr(tok, "col", 0), label),
                                 set()).update(seen)

    def copy(self) -> "EvalTrace":
        twin = EvalTrace()
        twin.merge(self)
        return twin


def one_sided(branches: dict) -> list:
    """The branch points seen on exactly one side, as `LINE:COL label` (a branch seen only at the
    kink itself was put there by the page and is not listed)."""
    return [f"{line}:{col} {label}" for (line, col, label), sides in sorted(branches.items())
            if len(sides) == 1]
