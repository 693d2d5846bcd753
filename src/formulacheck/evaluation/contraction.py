r"""Nested sums of a product of entries, contracted without the full product:
`\sum_{f=1}^{F} \sum_{i=1}^{H'} \sum_{p=1}^{k_h} G_{n,f,i,j} K_{f,c,p,q} \mathbb{1}(S(i-1)+p = h)`.

Evaluated as written, the product holds one number for every value of every letter at once (the
letters summed and the free ones): for a convolution's backward pass that is far beyond the budget
of one value, though each factor is small. When every factor is a scalar family (an entry, an
indicator, a number), the sums are taken by `numpy.einsum` over the factors, which never builds
the product. The value is the same sum of the same terms. The trace counts the same rounding
steps as the product and its sums would; as the magnitude of the terms it notes the product of the
factors' largest magnitudes (at least any term's), in place of the terms and partial sums the
written evaluation would note, and the result's own.
"""

from __future__ import annotations

import string

import numpy as np

from . import named_arrays as na
from .named_arrays import Tensor
from ..tex.syntax import Product, Sum

LETTERS = string.ascii_letters


def nested_sums(node) -> tuple:
    """The sums from 1 directly nested in `node` (outermost first) and the body under them."""
    sums = []
    while isinstance(node, Sum) and node.condition is None and node.lower == 1 and not (
            sums and node.parenthesized):
        sums.append(node)
        node = node.body
    return sums, node


def contract(evaluator, node) -> Tensor | None:
    """The value of the sums of `node` by contraction, or None when they are not two or more
    nested sums over a product (the caller then evaluates them as written)."""
    sums, body = nested_sums(node)
    if len(sums) < 2 or not isinstance(body, Product):
        return None
    letters = [s.index for s in sums]
    if len(set(letters)) != len(letters) or any(
            evaluator.ranges.get(s.index) != evaluator.sum_upper(s) for s in sums):
        return None
    factors = evaluator.product_factors(body)
    values = [evaluator.eval(factor) for factor in factors]
    if not all(value.is_scalar for value in values):  # a matrix among them: as written
        return evaluator.sums_of(sums, evaluator.product_of(factors, values))
    names: list = []
    for value in values:
        names += [n for n in value.names if n not in names]
    sizes: dict = {}
    for value in values:
        for name, size in value.sizes.items():
            if sizes.setdefault(name, size) != size:  # reported as written
                return evaluator.sums_of(sums, evaluator.product_of(factors, values))
    if len(names) > len(LETTERS):
        return evaluator.sums_of(sums, evaluator.product_of(factors, values))
    kept = [n for n in names if n not in letters]
    na.ensure_budget(tuple(sizes[n] for n in kept))
    code = {name: LETTERS[k] for k, name in enumerate(names)}
    spec = ",".join("".join(code[n] for n in value.names) for value in values)
    data = np.einsum(spec + "->" + "".join(code[n] for n in kept),
                     *[np.asarray(value.data) for value in values], optimize=True)
    for letter in letters:  # a letter no factor carries: each term counted once per value
        if letter not in names:
            data = data * evaluator.ranges[letter]
    # the rounding steps and the magnitude of the written evaluation (module docstring)
    bound = 1.0
    for value in values:
        bound *= float(np.max(np.abs(value.data))) if np.size(value.data) else 0.0
    evaluator.trace.note(na.constant(bound), steps=1 + len(sums))
    evaluator.trace.steps += sum(evaluator.ranges[letter] for letter in letters)
    return Tensor(np.asarray(data), tuple(kept), ())
