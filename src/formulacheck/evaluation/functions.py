"""The named functions of the grammar: exp, log, sqrt, tanh, |x|, sign, max(a, b), min(a, b), tr,
vec, diag, softmax, and the inner product.

Each is analytic in the values where it is smooth, so the complex step passes through: |x| and
max and min look at the real part to choose a branch and keep the chosen value (imaginary part
included); at a tie of the real parts, max keeps the smaller slope (see `_larger_or_smaller`);
sign looks at the real part and has no imaginary part (its slope is 0 on both sides of its kink).
"""

from __future__ import annotations

import numpy as np

from . import named_arrays as na
from ..errors import fail_at
from .hidden_signs import cancels_as_written, exact_as_written, outside_domain_seen
from .named_arrays import Tensor


def absolute(data):
    """|x| entry by entry, its side chosen by the real part, so that the complex step's imaginary
    part passes through with the slope of that side (the |x| of the grammar and the L1 norm).

    >>> absolute(np.array([-2.0 + 1e-20j, 3.0]))
    array([2.-1.e-20j, 3.+0.e+00j])
    """
    return np.where(np.real(data) >= 0, data, -data)


def logarithm_to_base(evaluator, node, args) -> Tensor:
    """`\\log_b x` = log x / log b, for the number b written (tex/constructs.py)."""
    base = node.args[1].value
    evaluator.trace.steps += 2  # the logarithm of the base, and the division
    return na.elementwise(args[0], lambda data: np.log(data) / np.log(base))


def call(evaluator, node) -> Tensor:
    """Evaluate `Call` node `node` with `evaluator`."""
    if node.func == "exp":
        return exponential(evaluator, node)
    args = [evaluator.eval(arg) for arg in node.args]
    func = node.func
    if func == "log":
        outside_domain_seen(evaluator, node.args[0], args[0], node.tok, "\\log")
        if np.any(np.real(args[0].data) <= 0):
            raise fail_at(node.tok, "the logarithm of a value that is not positive; expected a "
                                    "positive argument on every random instance")
        # d log a = da / a: the argument's error is divided by it, as a numerator's is, where a
        # may be a difference of nearly equal values (`\\log(1 - \\sigma(z))` at z = 30 takes the log
        # of 1e-13, computed with an error of 1e-16); a product or quotient (a softmax entry of
        # 1e-11) keeps its relative error of a few rounding steps
        if cancels_as_written(node.args[0], evaluator.scope):
            evaluator.trace.divided_by(args[0].data)
        if len(args) == 2:  # `\\log_b x`
            return logarithm_to_base(evaluator, node, args)
        return na.elementwise(args[0], np.log)
    if func == "tanh":
        return na.elementwise(args[0], np.tanh)
    if func == "inner":  # `\\langle A, B \\rangle` (tex/structures.py)
        left, right = args
        if left.pos != right.pos:
            raise fail_at(node.tok, f"the inner product needs equal shapes, got "
                                    f"{na.shape_text(left.pos)} and {na.shape_text(right.pos)}")
        product = na.hadamard(left, right)
        axes = tuple(range(len(product.names), product.data.ndim))
        evaluator.trace.steps += int(np.prod(left.pos or (1,)))
        return Tensor(product.data.sum(axis=axes), product.names, ())
    if func == "softmax":
        return softmax(evaluator, node, args[0])
    if func == "sqrt":
        outside_domain_seen(evaluator, node.args[0], args[0], node.tok, "\\sqrt")
        if np.any(np.real(args[0].data) < 0):
            raise fail_at(node.tok, "the square root of a negative value")
        if cancels_as_written(node.args[0], evaluator.scope):  # d sqrt(a) = da / (2 sqrt(a))
            evaluator.trace.divided_by(2 * np.sqrt(np.abs(np.real(args[0].data))))
        return na.elementwise(args[0], np.sqrt)
    if func == "abs":
        if not args[0].is_scalar:
            raise fail_at(node.tok, "|...| of a matrix; expected a scalar (use \\|W\\|_F for norms)")
        evaluator.trace.branch(node.tok, "|...|", args[0].data)
        return na.elementwise(args[0], absolute)
    if func == "sign":  # -1, 0 or 1 entry by entry: exact, with slope 0 on either side of 0
        evaluator.trace.branch(node.tok, "\\operatorname{sign}", args[0].data)
        return na.elementwise(args[0], lambda d: np.sign(np.real(d)).astype(d.dtype))
    if func in ("max", "min"):
        return _larger_or_smaller(evaluator, node, args, larger=func == "max")
    if func == "tr":
        value = args[0]
        if value.is_scalar:  # a 1 x 1 product is a scalar (GRAMMAR.md), and its own trace
            return value
        if value.pos[0] != value.pos[1]:
            raise fail_at(node.tok, f"the trace needs a square matrix, got "
                                    f"{na.shape_text(value.pos)}")
        evaluator.trace.steps += value.pos[0]
        return Tensor(np.trace(value.data, axis1=-2, axis2=-1), value.names, ())
    if func == "vec":
        value = args[0]
        if value.is_scalar:
            raise fail_at(node.tok, "vec of a scalar; expected a matrix")
        rows, cols = value.pos
        data = np.swapaxes(value.data, -1, -2).reshape(value.data.shape[:-2] + (rows * cols, 1))
        return Tensor(data, value.names, (rows * cols, 1))
    if func == "diag":
        value = args[0]
        if value.is_scalar or value.pos[1] != 1:
            raise fail_at(node.tok, f"diag needs a column vector, got {na.shape_text(value.pos)}")
        size = value.pos[0]
        data = value.data[..., :, 0, None] * np.eye(size)
        return Tensor(data, value.names, (size, size))
    raise fail_at(node.tok, f"unknown function {func}")


def _larger_or_smaller(evaluator, node, args: list, larger: bool) -> Tensor:
    """`\\max(a, b)`, or `\\min(a, b)` read as -max(-a, -b): the same kink, the same tie rule.

    At a tie (a kink) the max keeps the branch with the smaller slope, the left derivative of the
    convex max: max(0, z) and max(z, 0) then both have slope 0 at z = 0, which is the convention of
    the reference code (ReLU and hinge count as active only when > 0)."""
    left, right = evaluator.comparable(node, args[0], args[1])
    a, b, names = na.align(left, right)
    sign = 1 if larger else -1  # the min compares the negated values as the max does
    evaluator.trace.branch(node.tok, f"\\{node.func}", sign * (np.real(a) - np.real(b)))
    tie = (np.real(a) == np.real(b)) & (sign * np.imag(a) <= sign * np.imag(b))
    keep_a = (sign * np.real(a) > sign * np.real(b)) | tie
    return Tensor(np.where(keep_a, a, b), names, left.pos or right.pos)


def exponential(evaluator, node) -> Tensor:
    """`e^{a}`, entry by entry. The magnitude M_a met while computing a bounds its absolute error,
    n u M_a, which is the relative error of e^{a}: M counts e^{a} M_a (`EvalTrace.relative_error`),
    not M_a itself, and M_a is kept as the trace's `exponents`, for a quotient of such values
    (evaluate.py, `relative_quotient`)."""
    trace = evaluator.trace
    argument, magnitude, exponents = trace.part(lambda: evaluator.eval(node.args[0]))
    trace.exponents = max(trace.exponents, exponents, magnitude)
    value = na.elementwise(argument, np.exp)
    if not exact_as_written(node.args[0], evaluator.scope):  # (`e^{20}`, `e^{x}` are not)
        trace.relative_error(value.data, magnitude)
    return value


def softmax(evaluator, node, value: Tensor) -> Tensor:
    """`\\operatorname{softmax}(F)`: row by row for a matrix (one example per row, as X is N x D),
    over the entries for a column or a row vector. The softmax of a scalar is refused: written
    `\\operatorname{softmax}(F_{ij})`, it could be 1 (one number) or entry j of the row's softmax.

    The largest real part of each row is subtracted first (the reference code does the same), so
    no exponential overflows; the complex step passes through, as the shift is constant.
    """
    if value.is_scalar:
        raise fail_at(node.tok, "the softmax of a scalar could be 1 (the softmax of one number) or "
                                "one entry of the softmax of a row; expected the whole matrix, as in "
                                "\\operatorname{softmax}(F), or the entry written out, "
                                "\\frac{e^{F_{ij}}}{\\sum_{k=1}^{K} e^{F_{ik}}}")
    axis = -2 if value.pos[1] == 1 else -1  # a column vector: over its entries
    shifted = value.data - np.max(np.real(value.data), axis=axis, keepdims=True)
    exps = np.exp(shifted)
    evaluator.trace.steps += value.pos[axis] + 2  # the sum of each row, the shift, the division
    return Tensor(exps / exps.sum(axis=axis, keepdims=True), value.names, value.pos)
