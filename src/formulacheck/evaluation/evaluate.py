"""Numeric evaluation of syntax nodes on one random instance (one trial of one scope).

A `Context` gives the value of every symbol: leaves are drawn by the scope, definitions are
evaluated on demand and memoised. A derivative perturbs one node (the complex step, see
evaluation/derivatives.py) in a child context that recomputes only what depends on that node.
An `Evaluator` walks one expression with the ranges of its index letters.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import named_arrays as na
from ..errors import FormulaError, fail_at
from .scope import DRAWN_KINDS, EULER, SymbolKind
from .named_arrays import ShapeError, Tensor
from ..tex.vocabulary import tex_name
from ..tex.parser import elementwise_beside_product
from ..tex.syntax import IndexArithmetic, Name, Neg, Number, Product
from .code_names import code_name_value
from .conventions import otimes_is_elementwise
from .derivatives import derivative, differential
from .functions import absolute, call
from .hidden_signs import (even_exponent, fractional_exponent, nonnegative_as_written, one_number,
                           outside_domain_seen, relative_as_written)
from .contraction import contract
from .corners import expand as expand_corners, has_dots
from .lookalikes import ones_hint, refuse_undeclared_function, undeclared_symbol
from .index_arithmetic import arithmetic_index, checked_positions
from .indices import range_end, resolve_subscripted, sum_bounds, unknown_range
from .piecewise import piecewise
from .tensors import refuse_whole_tensor
from .trace import ENTRY_SIGN_OF, EVEN_POWER, SIGN_OF, EvalTrace
from .user_functions import (apply_function, apply_in_call, group_applications, loose_arguments,
                             loose_function, loose_prime)


class Context:
    """Values of one trial; a child context overrides perturbed nodes and recomputes dependents."""

    def __init__(self, scope, trial: int, overrides: dict | None = None, parent=None):
        self.scope = scope
        self.trial = trial
        self.overrides = overrides or {}
        self.parent = parent
        self.memo = scope.trial_memo(trial) if parent is None else {}
        self.computing: set = set()  # definitions being evaluated: one met again uses itself

    @property
    def perturbed(self) -> bool:
        return bool(self.overrides)

    def perturbed_by(self, overrides: dict) -> "Context":
        """A child context of the same trial in which the nodes keyed in `overrides` take the
        given values (a derivative's perturbed input); everything that depends on them is
        recomputed."""
        return Context(self.scope, self.trial, overrides, self)

    def value(self, key: tuple, tok) -> Tensor:
        if key in self.overrides:
            return self.overrides[key]
        scope = self.scope
        if self.parent is not None:
            # the value without the perturbation first: evaluating it also records what a
            # definition first evaluated here reads (its `deps`), which decides whether the
            # perturbation reaches it
            unperturbed = self.parent.value(key, tok)
            if not scope.depends_on(key, set(self.overrides)):
                return unperturbed
        if key in self.memo:
            return self.memo[key]
        symbol = scope.symbols[key]
        if key in scope.failed:
            raise fail_at(tok, f"{symbol.name} depends on the definition at line "
                               f"{scope.failed[key]}, which did not evaluate")
        if symbol.kind in DRAWN_KINDS:
            result = scope.leaf_value(symbol, self.trial)
        elif symbol.kind == SymbolKind.ALIAS:
            base = self.value(symbol.alias_of, tok)
            result = replace(alias_value(base, symbol), trace=base.trace)
        else:
            if key in self.computing:
                raise used_in_own_definition(tok, symbol.name, symbol.line)
            self.computing.add(key)
            try:
                evaluator = Evaluator(self, symbol.ranges)
                result = replace(family_value(evaluator.eval(symbol.body), symbol, tok),
                                 trace=evaluator.trace)
                # a definition evaluated here first (the gradient dW a page's convention names,
                # evaluation/code_names.py) depends on what it read, as one evaluated where it
                # stands does (pages/blocks.py, `define`)
                symbol.deps |= evaluator.used
            finally:
                self.computing.discard(key)
        self.memo[key] = result
        return result


def alias_value(base: Tensor, symbol) -> Tensor:
    """Columns (axis 1) or rows (axis 0) of a matrix as a family of vectors named '%0'."""
    data = np.moveaxis(base.data, base.data.ndim - 2 + symbol.alias_axis, len(base.names))
    other = base.pos[1 - symbol.alias_axis]
    pos = (1, other) if symbol.alias_transposed else (other, 1)
    data = data.reshape(data.shape[:len(base.names) + 1] + pos)
    return Tensor(data, base.names + ("%0",), pos)


def family_value(body: Tensor, symbol, tok) -> Tensor:
    """Broadcast a definition's value over its family indices (in the order of the left side)."""
    extra = [n for n in body.names if n not in symbol.indices and n != "@"]
    if extra:
        raise fail_at(tok, f"index {extra[0]} is free on the right of the definition of "
                           f"{symbol.name} but not on its left")
    if not symbol.indices:
        return body
    if not body.is_scalar:
        raise fail_at(tok, f"{symbol.name} is defined entry by entry, so each entry must be a "
                           f"scalar; this one is {na.shape_text(body.pos)}")
    lead = ("@",) if "@" in body.names else ()
    order = list(lead) + list(symbol.indices)
    data = na.to_matrix(body, tuple(order))
    sizes = [symbol.ranges[i] for i in symbol.indices]
    try:
        na.ensure_budget(data.shape[:len(lead)] + tuple(sizes))
    except ShapeError as problem:
        raise fail_at(tok, str(problem)) from None
    data = np.broadcast_to(data, data.shape[:len(lead)] + tuple(sizes)).copy()
    return Tensor(data, tuple(order), ())


def family_as_whole(value: Tensor, symbol) -> Tensor:
    """A family used without indices: its matrix (two indices) or column vector (one)."""
    axes = [value.names.index(i) for i in symbol.indices]
    rest = [n for n in value.names if n not in symbol.indices]
    data = np.moveaxis(value.data, axes, list(range(len(rest), len(rest) + len(axes))))
    sizes = data.shape[len(rest):]
    pos = tuple(sizes) if len(sizes) == 2 else (sizes[0], 1)
    return Tensor(data.reshape(data.shape[:len(rest)] + pos), tuple(rest), pos)


def _whole(data) -> bool:
    """All entries are whole numbers (labels, index values, digits), never random reals."""
    data = np.asarray(data)
    return np.issubdtype(data.dtype, np.integer) or bool(np.all(data == np.round(data)))


def is_dot_product(left: Tensor, right: Tensor) -> bool:
    """Two column vectors, or two row vectors, of one length (more than one entry): `\\cdot`
    between them is the dot product, the only product they have."""
    return left.pos == right.pos and len(left.pos) == 2 and 1 in left.pos and left.pos != (1, 1)


def used_in_own_definition(tok, name: str, line: int):
    """The error of a definition (at `line`) whose value needs the name it defines."""
    return fail_at(tok, f"{tex_name(name)} is used in its own definition (line {line}); expected "
                        "a new name for the new value")


def _is_minus_one(node) -> bool:
    """Whether an exponent is written -1 (`X^{-1}`)."""
    return isinstance(node, Neg) and isinstance(node.operand, Number) and node.operand.value == 1


class Evaluator:
    """Evaluates expressions in a context; `ranges` maps index letters to their sizes."""

    def __init__(self, context: Context, ranges: dict):
        self.context = context
        self.scope = context.scope
        self.ranges = ranges
        # index letters whose values start elsewhere than 1: a sum over a part, a range written
        # after the formula (`\\text{for } 2 \\le t \\le T`: evaluation/indices.py, LetterRanges)
        self.firsts: dict = dict(getattr(ranges, "firsts", {}))
        self.used: set = set()
        self.shape_checks: list = []
        self.trace = EvalTrace()  # magnitude, rounding steps and branches (evaluation/trace.py)
        self.bindings: dict = {}  # a page function's parameters -> values (evaluation/user_functions.py)
        self.guard = None  # where the case of a \begin{cases} being evaluated holds (evaluation/piecewise.py)

    def perturbed_by(self, overrides: dict) -> "Evaluator":
        """A fresh evaluator over `self.context.perturbed_by(overrides)` with the same ranges."""
        child = Evaluator(self.context.perturbed_by(overrides), self.ranges)
        # the letters of the sums around the derivative keep their values (`\\sum_{i=0}^{2}`,
        # `\\sum_{t=2}^{T}`: evaluation/indices.py)
        child.firsts, child.bindings, child.guard = self.firsts, self.bindings, self.guard
        return child

    def inner(self, letter: str, first: int, count: int) -> "Evaluator":
        """An evaluator for the body of a sum whose letter runs over first..first+count-1; it
        reports into this one (used symbols, shape checks)."""
        child = Evaluator(self.context, {**self.ranges, letter: count})
        child.firsts = {**self.firsts, letter: first}
        child.used, child.shape_checks, child.trace = self.used, self.shape_checks, self.trace
        child.bindings, child.guard = self.bindings, self.guard
        return child

    def for_values(self, letter: str, first: int, count: int, body) -> Tensor:
        """`body` for the values first..first+count-1 of `letter`, a sum's or a maximum's, on its
        axis `letter`: as evaluated when they are the letter's whole range, else on an axis of
        their own (a part of the range, evaluation/indices.py, or a sum from 0), so that
        `\\sum_{t=2}^{T} h_{t-1}` reads no entry before the first (an entry a sum from 0 selects
        outside 1..size was refused by the range finder)."""
        if (first, count) == (1, self.ranges.get(letter)):
            return self.eval(body)
        return self.inner(letter, first, count).eval(body)

    def eval(self, node) -> Tensor:
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            raise fail_at(node.tok, f"{type(node).__name__} cannot be evaluated here")
        try:
            result = method(node)
        except ShapeError as problem:
            raise fail_at(node.tok, str(problem)) from None
        except FormulaError as problem:  # the sides seen on the way (an unusable instance's)
            for key, sides in self.trace.branches.items():
                problem.reached.setdefault(key, set()).update(sides)
            raise
        self.trace.note(result)
        return result

    # -- symbols -------------------------------------------------------------------------------
    def symbol_value(self, symbol, tok) -> Tensor:
        self.used.add(symbol.key)
        value = self.context.value(symbol.key, tok)
        if value.trace is None:  # a leaf (or a perturbed one): exact, no rounding yet
            self.trace.note(value, steps=0)
            if not symbol.shape:
                self.sign_seen(symbol, value, tok, SIGN_OF + tex_name(symbol.name))
        else:
            self.trace.merge(value.trace)
        return value

    def sign_seen(self, symbol, value: Tensor, tok, label: str) -> None:
        """Record the sign of one number of a standard normal leaf (the scalar x, the entry v_1)
        as a branch `label` (`sign of x`, `sign of the entry v_{1}`): seen on both signs, as a
        kink is (`\\sqrt{x^2} = x` is wrong for x < 0 only, and all three trials can draw x > 0).
        Not for a value with index letters: its many entries take both signs in one trial,
        almost surely."""
        if (symbol.kind == SymbolKind.LEAF and not (symbol.positive or symbol.draw)
                and one_number(value)):
            self.trace.branch(tok, label, value.data)

    def eval_Number(self, node):
        return na.constant(node.value)

    def eval_Name(self, node):
        if node.name in self.bindings:
            return self.bindings[node.name]
        scope = self.scope
        symbol = scope.lookup(node.name, 0)
        if symbol is not None and symbol.kind == SymbolKind.FUNCTION:
            raise loose_function(node, symbol)
        if symbol is not None:
            value = self.symbol_value(symbol, node.tok)
            refuse_whole_tensor(symbol, value, node.tok)  # X of N x C x H x W (evaluation/tensors.py)
            return value
        for family in scope.any_arity(node.name):
            refuse_whole_tensor(family, None, node.tok)
        families = [s for s in scope.any_arity(node.name) if s.arity in (1, 2) and s.kind != SymbolKind.ALIAS]
        if families:
            return family_as_whole(self.symbol_value(families[0], node.tok), families[0])
        if scope.is_size(node.name):
            return na.constant(float(scope.sizes[node.name]))
        if node.name in self.ranges:
            size = self.ranges[node.name]
            first = self.firsts.get(node.name, 1)
            return Tensor(np.arange(first, first + size), (node.name,), ())
        if node.name == EULER:  # never a symbol (scope.add), so Euler's number, as in e^{x}
            return na.constant(np.e)
        if scope.any_arity(node.name):
            raise fail_at(node.tok, f"{node.name} names pieces or a family; expected it with an index")
        usual = (f"expected a declaration such as {tex_name(node.name)} \\in "
                 "\\mathbb{R}^{N \\times D} before its first use")
        raise undeclared_symbol(scope, node, usual)

    def eval_Subscripted(self, node):
        kind, payload = resolve_subscripted(self.scope, node)
        if kind == "symbol" and payload.arity:  # `x_1` of the family `(x_1)_{nd}`: its matrix
            return family_as_whole(self.symbol_value(payload, node.tok), payload)
        if kind == "symbol":
            return self.symbol_value(payload, node.tok)
        if kind == "size":
            return na.constant(float(self.scope.sizes[payload]))
        if kind == "identity":
            size = self.scope.sizes[payload]
            return Tensor(np.eye(size), (), (size, size))
        indices = [self.slot_index(item) for item in node.items]
        if kind == "kronecker":
            left, right, names = na.align(indices[0], indices[1])
            return Tensor((left == right).astype(float), names, ())
        symbol = payload
        value = self.symbol_value(symbol, node.tok)
        if symbol.arity:
            axes = [value.names.index(i) for i in (symbol.indices if symbol.kind != SymbolKind.ALIAS
                                                   else ("%0",))]
            indices = self.check_bounds(node, indices, value, axes)
            result = na.gather(value, axes, indices, value.pos)
        else:
            result = self.entry_of_value(node, value, indices)
            if value.trace is None:  # `v_1`, `X_{2,1}` of a leaf: one number, like a scalar
                self.sign_seen(symbol, result, node.tok,
                               f"{ENTRY_SIGN_OF}{tex_name(symbol.name)}_{{{node.text}}}")
        return result

    def entry_of_value(self, node, value: Tensor, indices: list) -> Tensor:
        """The entry of a whole value (not a family) at `indices`, one per positional axis."""
        if len(indices) > len(value.pos):
            shape = " \\times ".join(str(size) for size in value.pos) or "a scalar"
            raise fail_at(node.tok, f"{node.base} is {shape}: an entry takes at most "
                                    f"{len(value.pos)} subscripts, got {len(indices)}")
        axes = list(range(len(value.names), len(value.names) + len(indices)))
        indices = self.check_bounds(node, indices, value, axes)
        return na.gather(value, axes, indices, ())

    def eval_EntryOf(self, node):
        """`\\operatorname{softmax}(\\mathbf{o})_j`: an entry of the operator's value."""
        return self.entry_of_value(node, self.eval(node.operand),
                                   [self.slot_index(item) for item in node.items])

    def slot_index(self, item) -> Tensor:
        """A subscript item as 0-based integer positions (index letters, labels or digits)."""
        if isinstance(item, Name) and item.name in self.ranges and self.scope.lookup(item.name, 0) is None:
            first = self.firsts.get(item.name, 1)
            return Tensor(np.arange(first - 1, first - 1 + self.ranges[item.name]), (item.name,), ())
        if isinstance(item, Name) and self.scope.is_size(item.name):  # `x_N`, `h_T`: the last
            return Tensor(np.asarray(self.scope.sizes[item.name] - 1), (), ())  # (check_bounds)
        if isinstance(item, IndexArithmetic):  # `S(i-1)+p` (evaluation/index_arithmetic.py)
            value = arithmetic_index(self, item)
            return Tensor(value.data - 1, value.names, ())
        if isinstance(item, Name) and not item.name.isalnum():
            raise fail_at(item.tok, f"{item.name} inside the subscript of an entry; expected index "
                                    "letters, labels (such as y_i), digits, or index arithmetic "
                                    "between commas (X_{i, j+1})")
        value = self.eval(item)
        if not value.is_scalar or not np.issubdtype(np.asarray(value.data).dtype, np.integer) and not (
                isinstance(item, Number) and float(item.value).is_integer()):
            raise fail_at(item.tok, "only index letters, labels (such as y_i) and digits can be "
                                    "subscripts of an entry")
        return Tensor(np.asarray(value.data).astype(np.int64) - 1, value.names, ())

    def check_bounds(self, node, indices, value, axes) -> list:
        """The positions `indices` of the entry `node`, each checked against its axis (moved
        inside only where a case of a \begin{cases} does not hold: evaluation/index_arithmetic.py)."""
        checked = []
        for item, index, axis in zip(node.items, indices, axes):
            size = value.data.shape[axis]
            if isinstance(item, Name) and self.scope.is_size(item.name) and self.scope.sizes[item.name] != size:
                raise fail_at(item.tok, f"{tex_name(node.base)}_{{{node.text}}}: a size as a subscript "
                                        f"names the last entry of its axis, and this axis has "
                                        f"{self.scope.size_name(size)} entries, not {item.name}; "
                                        f"expected {self.scope.size_name(size)}, an index letter, or "
                                        f"index arithmetic such as {self.scope.size_name(size)}-1")
            checked.append(checked_positions(self, node, item, index, size))
        return checked

    # -- arithmetic ----------------------------------------------------------------------------
    def eval_Neg(self, node):
        return na.elementwise(self.eval(node.operand), np.negative)

    def eval_Add(self, node):
        result = None
        for sign, term in node.terms:
            value = self.eval(term)
            try:
                result = (na.elementwise(value, lambda d, s=sign: s * d) if result is None
                          else na.add(result, value, sign))
            except ShapeError as problem:
                raise fail_at(term.tok, str(problem) + ones_hint(self.scope, result, value)) from None
        return result

    def eval_Product(self, node):
        factors = self.product_factors(node)
        return self.product_of(factors, [self.eval(factor) for factor in factors])

    def product_factors(self, node) -> list:
        """The factors of a product, a page function's applications grouped with their arguments."""
        refuse_undeclared_function(self, node)
        return group_applications(self, node.factors)

    def product_of(self, factors: list, values: list) -> Tensor:
        """The product of the values of `factors`, left to right."""
        result = values[0]
        for factor, value in zip(factors[1:], values[1:]):
            if getattr(factor, "after_cdot", False) and is_dot_product(result, value):
                # `\\mathbf{w} \\cdot \\mathbf{x}` (Parr & Howard): two vectors of one shape have no
                # matrix product, so the dot is their inner product
                self.trace.steps += max(value.pos)
                result = (na.multiply(na.transpose(result), value) if value.pos[1] == 1
                          else na.multiply(result, na.transpose(value)))
                continue
            if not result.is_scalar and not value.is_scalar:
                self.trace.steps += result.pos[1]  # a matrix product sums that many terms
            try:
                result = na.multiply(result, value)
            except ShapeError as problem:
                raise fail_at(factor.tok, str(problem)) from None
        return result

    def eval_Elementwise(self, node):
        for side in (node.left, node.right):  # `A \\odot f(x)` with f no function of the page
            if isinstance(side, Product) and not side.parenthesized and len(
                    self.product_factors(side)) > 1:
                raise elementwise_beside_product(node.tok, node.op)
        left, right = self.eval(node.left), self.eval(node.right)
        elementwise = node.op == "odot" or otimes_is_elementwise(self.scope)  # evaluation/conventions.py
        return na.hadamard(left, right) if elementwise else na.kronecker(left, right)

    def eval_Fraction(self, node):
        if relative_as_written(node, self.scope):
            return self.relative_quotient(node)
        numerator, denominator = self.eval(node.numerator), self.eval(node.denominator)
        self.trace.divided_by(denominator.data)
        return na.divide(numerator, denominator)

    def relative_quotient(self, node):
        """A quotient of values computed with relative errors (`relative_as_written`,
        evaluation/hidden_signs.py): it is off by a few rounding steps of its own size, times the
        magnitude of the exponents it took, whatever the size of its numerator and denominator.
        `e^{F_{ij}} / \\sum_{k=1}^{K} e^{F_{ik}}` with scores up to 34 is a probability off by
        about 34 u, not by u e^{34} (the magnitude of the values on the way, which made the
        two-layer page's derivatives "cannot be checked" for 3 of 20 seeds)."""
        trace = self.trace
        (numerator, denominator), _, inside = trace.part(
            lambda: (self.eval(node.numerator), self.eval(node.denominator)))
        trace.exponents = max(trace.exponents, inside)
        quotient = na.divide(numerator, denominator)
        trace.relative_error(quotient.data, inside)
        return quotient

    def eval_Power(self, node):
        base, exponent = self.eval(node.base), self.eval(node.exponent)
        if not base.is_scalar and _is_minus_one(node.exponent):
            raise fail_at(node.tok, f"the inverse of a {na.shape_text(base.pos)} matrix is not read "
                                    "(the tolerance follows the rounding of sums and products; an "
                                    "inverse's grows with the matrix's condition number); expected "
                                    "the claim multiplied out, as A = X B for X^{-1} A = B")
        if not base.is_scalar:
            raise fail_at(node.tok, f"power of a {na.shape_text(base.pos)}; powers apply to scalars "
                                    "(use \\odot for entries, or a product)")
        even = even_exponent(node)  # a number as written: the base keeps its own shape
        if even and one_number(base) and not nonnegative_as_written(node.base, self.scope):
            self.trace.branch(node.tok, f"{EVEN_POWER}{even}", base.data)  # evaluation/hidden_signs.py
        elif fractional_exponent(node):
            outside_domain_seen(self, node.base, base, node.tok, "a fractional power")
        a, b, names = na.align(base, exponent)
        return Tensor(a ** b, names, ())

    def eval_Transpose(self, node):
        return na.transpose(self.eval(node.operand))

    def eval_Sum(self, node):
        if node.condition is not None:
            return self.sum_except(node)
        contracted = contract(self, node)  # nested sums of a product (evaluation/contraction.py)
        if contracted is not None:
            return contracted
        lower, upper = node.lower, self.sum_upper(node)  # sum_upper reads `\\sum_j`'s range too
        count = upper - lower + 1
        self.trace.steps += max(count, 0)
        if lower >= 1 and count <= 0:  # no term
            return na.reduce_index(self.eval(node.body), node.index, lower, upper)
        return na.reduce_index(self.for_values(node.index, lower, count, node.body), node.index,
                               1, count)

    def sum_upper(self, node) -> int:
        if node.upper is None:  # `\\sum_j`: the axis j indexes in the body
            if node.index not in self.ranges:
                raise fail_at(node.index_tok, f"\\sum_{node.index} runs over the axis {node.index} "
                                              f"indexes, and {node.index} indexes nothing here; "
                                              f"expected \\sum_{{{node.index}=1}}^{{K}} with its "
                                              "upper limit")
            return self.ranges[node.index]
        return sum_bounds(self.scope, node)[1]

    def sums_of(self, sums: list, body: Tensor) -> Tensor:
        """Nested sums from 1 (outermost first) of an evaluated body, innermost first."""
        for node in reversed(sums):
            upper = self.sum_upper(node)
            self.trace.steps += upper + 1  # the sum's terms, and the sum as a node
            body = na.reduce_index(body, node.index, 1, upper)
            self.trace.note(body, steps=0)
        return body

    def sum_except(self, node):
        """`\\sum_{j \\neq y_i} body`: the terms where the condition fails are left out, not
        multiplied by 0, so a term that is not finite there cannot turn the sum into NaN."""
        body = self.eval(node.body)
        keep, values, names = na.align(self.eval(node.condition), body)
        terms = Tensor(np.where(np.real(keep) != 0, values, 0), names, body.pos)
        self.trace.steps += self.ranges.get(node.index, 0)
        if node.index not in self.ranges:
            raise unknown_range(node.index, node.index_tok, self.scope)
        return na.reduce_index(terms, node.index, 1, self.ranges[node.index])

    def eval_MaxOver(self, node):
        if node.upper is None:  # `\\max_k`: over the axis k indexes
            if node.index not in self.ranges:
                raise self.nothing_to_maximise(node)
            return na.max_index(self.eval(node.body), node.index)
        end = range_end(self.scope, node.upper, f"the maximum over {node.index}")
        return na.max_index(self.for_values(node.index, 1, end, node.body), node.index)

    def nothing_to_maximise(self, node):
        """`\\max_z` whose letter is no index of the body: over a real variable (a maximum the
        checker cannot take by evaluating), or over nothing; either way the maximum would be
        the body itself, read in silence."""
        name, shown = node.index, tex_name(node.index)
        if self.scope.any_arity(name):
            return fail_at(node.index_tok, f"\\max_{{{shown}}} maximises over the values of the "
                                           f"symbol {shown}, which the checker cannot do by "
                                           "evaluating (it takes a maximum over an index, "
                                           "\\max_k over 1..K); expected the value at the "
                                           "maximiser written as a claim (\\sigma'(0) = 0.25), "
                                           "or mark the block <!-- unchecked: ... -->")
        return fail_at(node.index_tok, f"\\max_{shown} runs over the axis {shown} indexes, and "
                                       f"{shown} indexes nothing here; expected "
                                       f"\\max_{{1 \\le {shown} \\le K}} with its range")

    def eval_Ones(self, node):
        length = 1
        for size in node.size.split(" "):  # `\\mathbf{1}_{H' W'}`: a product of sizes
            if not self.scope.is_size(size):
                raise fail_at(node.tok, f"{size} is not a declared size")
            length *= self.scope.sizes[size]
        na.ensure_budget((length,))
        return Tensor(np.ones((length, 1)), (), (length, 1))

    def eval_Norm(self, node):
        value = self.eval(node.operand)
        if node.kind in ("2", "1") and len(value.pos) == 2 and 1 not in value.pos:
            # of a matrix, \\|A\\|_2 is its largest singular value and \\|A\\| either that or the
            # Frobenius norm, depending on the source; \\|A\\|_1 its largest column sum or the sum
            # of all its entries' sizes (the L1 penalty's)
            rows, columns = (self.scope.size_name(size) for size in value.pos)
            if node.kind == "1":
                raise fail_at(node.tok, f"\\|...\\|_1 of a {rows} x {columns} matrix could be its "
                                        "largest column sum (the induced norm) or the sum of the "
                                        "absolute values of its entries (the L1 penalty); expected "
                                        "the sum written out, \\sum_{i} \\sum_{j} |W_{ij}|")
            raise fail_at(node.tok, f"the Euclidean norm \\|...\\| is read for a vector, and this "
                                    f"value is {rows} x {columns}; expected \\|...\\|_F for the "
                                    "Frobenius norm of a matrix")
        axes = tuple(range(len(value.names), value.data.ndim))
        self.trace.steps += int(np.prod(value.pos or (1,)))
        if node.kind == "1":  # each entry's |...| a kink, its sign chosen by the real part
            self.trace.branch(node.tok, "\\|...\\|_1", value.data)
            return Tensor(absolute(value.data).sum(axis=axes), value.names, ())
        return Tensor(np.sqrt((value.data * value.data).sum(axis=axes)), value.names, ())

    def eval_Indicator(self, node):
        left, right = self.comparable(node, self.eval(node.left), self.eval(node.right))
        a, b, names = na.align(left, right)
        a, b = np.real(a), np.real(b)
        table = {"=": a == b, "!=": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}
        if _whole(a) and _whole(b):  # labels, index values, digits: the sides are true and false
            self.trace.branch(node.tok, "indicator", np.where(table[node.op], 1, -1), (a, b))
        elif node.op not in ("=", "!="):  # real values: the two sides of the kink a = b (equality
            self.trace.branch(node.tok, "indicator", a - b)  # of real values is no branch)
        return Tensor(table[node.op].astype(float), names, left.pos or right.pos)

    def comparable(self, node, left: Tensor, right: Tensor):
        """Shapes for a comparison or max: equal, or one side a constant threshold."""
        if left.pos == right.pos:
            return left, right
        for side in (left, right):
            if side.is_scalar and not side.names:
                return left, right
        raise fail_at(node.tok, f"cannot compare a {na.shape_text(left.pos)} with a "
                                f"{na.shape_text(right.pos)}")

    def eval_Call(self, node):
        return call(self, node)

    def eval_Application(self, node):
        return apply_function(self, node)

    def eval_CodeName(self, node):
        return code_name_value(self, node)

    def eval_FunctionArgument(self, node):
        return apply_in_call(self, node)

    def eval_Primed(self, node):
        raise loose_prime(self.scope, node)

    def eval_Arguments(self, node):
        raise loose_arguments(node)

    def eval_Piecewise(self, node):
        return piecewise(self, node)

    def eval_Derivative(self, node):
        return derivative(self, node)

    def eval_Differential(self, node):
        return differential(self, node)

    def eval_Annotated(self, node):
        value = self.eval(node.operand)
        if node.shape is not None:
            self.shape_checks.append((node, value))
        return value

    def eval_Matrix(self, node):
        if has_dots(node):  # read by its corners (evaluation/corners.py)
            node = expand_corners(self.scope, node)
        rows = []
        for row in node.rows:
            if len(row) != len(node.rows[0]):
                raise fail_at(node.tok, "the rows of the matrix have different lengths")
            entries = []
            for entry in row:
                value = self.eval(entry)
                if not value.is_scalar:
                    raise fail_at(entry.tok, "explicit matrices hold scalar entries")
                entries.append(value)
            rows.append(entries)
        names: list = []
        for value in (v for row in rows for v in row):
            names += [n for n in value.names if n not in names]
        flat = [na.to_matrix(v, tuple(names)) for row in rows for v in row]
        shape = np.broadcast_shapes(*[f.shape for f in flat])
        data = np.stack([np.broadcast_to(f, shape) for f in flat], axis=-1)
        pos = (len(rows), len(rows[0]))
        return Tensor(data.reshape(shape + pos), tuple(names), pos)
