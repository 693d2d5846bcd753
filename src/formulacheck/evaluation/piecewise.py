r"""The value of a piecewise definition, `\begin{cases} ... \end{cases}` (tex/structures.py).

Each case's condition is evaluated like an indicator (so its kink is a branch of branch-aware
sampling); at every entry exactly one case must hold, the `\text{otherwise}` row where no other
does. Where two hold at once the value could be either, and where none holds there is no value:
both are errors naming the cases, never a choice made for the author. The tolerance counts the
magnitudes met computing the values of the cases that hold, not those of a case no entry takes
nor those of the conditions, which choose a value and add no error to it.
"""

from __future__ import annotations

import numpy as np

from . import named_arrays as na
from ..errors import fail_at
from .named_arrays import Tensor


def piecewise(evaluator, node) -> Tensor:
    """Evaluate `Piecewise` node `node`: each value where its condition holds. The conditions are
    evaluated first, so that a case's value may select entries outside an axis exactly where its
    condition fails (`X_{n,c,h-P,w-P}` of a zero-padded tensor: evaluation/index_arithmetic.py)."""
    conditions = []
    for number, (_, condition) in enumerate(node.cases, start=1):
        if condition is None:
            continue
        # the condition picks the value and adds no error to it: its magnitudes are not counted,
        # except a NaN met on the way (compared, it would pick a case in silence)
        held, magnitude, _ = evaluator.trace.part(lambda: evaluator.eval(condition))
        if magnitude != magnitude:
            evaluator.trace.include(magnitude, 0.0)
        if not held.is_scalar:
            raise fail_at(condition.tok, f"the condition of case {number} compares matrices; "
                                         "expected a comparison of scalars (entries)")
        conditions.append((number, held))
    otherwise = node.cases[-1][1] is None
    guards = dict(conditions)
    if otherwise:  # where no other case holds
        rest = Tensor(np.ones(()), (), ())
        for _, held in conditions:
            a, b, names = na.align(rest, held)
            rest = Tensor(a * (np.real(b) == 0), names, ())
        guards[len(node.cases)] = rest
    # Each value with the magnitude met computing it: counted below only for a case that holds
    # somewhere (a value never chosen adds no error to the result: `\frac{1}{2} r^2` where
    # |r| > \delta would make the tolerance of the Huber loss's slope \delta swallow it at r = 10^6)
    parts = [evaluator.trace.part(lambda: _guarded(evaluator, value, guards[number]))
             for number, (value, _) in enumerate(node.cases, start=1)]
    values = [value for value, _, _ in parts]
    shape = values[0].pos
    for (value_node, _), value in zip(node.cases, values):
        if value.pos != shape:
            raise fail_at(value_node.tok, f"the cases have different shapes: "
                                          f"{na.shape_text(shape)} and {na.shape_text(value.pos)}")
    # every value and condition over the union of their index names
    names: list = []
    sizes: dict = {}
    for tensor in values + [held for _, held in conditions]:
        names += [n for n in tensor.names if n not in names]
        sizes |= tensor.sizes
    frame = Tensor(np.zeros(()), tuple(names), ())
    holds = {number: np.real(na.align(frame, held)[1]) != 0 for number, held in conditions}
    count = sum(holds.values()) if holds else np.zeros(())
    _refuse_overlap(node, holds)
    if otherwise:
        holds[len(node.cases)] = count == 0
    elif np.any(count == 0):
        raise fail_at(node.tok, "no case of \\begin{cases} holds for some entry on this instance; "
                                "expected conditions that cover every value, or \\text{otherwise} "
                                "on the last case")
    result = None
    for number, value in enumerate(values, start=1):
        data = na.align(frame, value, len(shape))[1] if value.names != tuple(names) else value.data
        mask = holds[number].reshape(holds[number].shape + (1,) * len(shape))
        chosen = np.where(mask, data, 0)
        result = chosen if result is None else result + chosen
    evaluator.trace.steps += len(node.cases)
    for number, (_, magnitude, exponents) in enumerate(parts, start=1):
        if np.any(holds[number]):
            evaluator.trace.include(magnitude, exponents)
    full = tuple(sizes[n] for n in names) + shape  # every index the cases and values carry
    return Tensor(np.broadcast_to(result, full).copy(), tuple(names), shape)


def _guarded(evaluator, value_node, guard: Tensor) -> Tensor:
    """The value of one case, evaluated where `guard` (its condition) holds."""
    previous = evaluator.guard
    if previous is not None:  # a case inside a case: both conditions
        a, b, names = na.align(previous, guard)
        guard = Tensor((np.real(a) != 0) & (np.real(b) != 0), names, ())
    evaluator.guard = guard
    try:
        return evaluator.eval(value_node)
    finally:
        evaluator.guard = previous


def _refuse_overlap(node, holds: dict) -> None:
    numbers = sorted(holds)
    for position, first in enumerate(numbers):
        for second in numbers[position + 1:]:
            if np.any(holds[first] & holds[second]):
                raise fail_at(node.tok, f"cases {first} and {second} of \\begin{{cases}} both hold "
                                        "for some entry on this instance, so the value there could "
                                        "be either; expected conditions that exclude each other")
