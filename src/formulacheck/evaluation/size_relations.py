r"""Sizes that must satisfy a relation the page states: `H' = 1 + \frac{H + 2P - k_h}{S}`.

A **size relation** is a display statement `A = E` or `A \coloneqq E` whose left side is a size
name (an uppercase letter, `H'`, or a letter with a one-letter subscript, `k_h`) and whose right
side is made of size names and whole numbers only (`+`, `-`, products, fractions, parentheses),
where no name is a symbol of the scope. Every name in it is a size of the scope (`S` and `P`, the
stride and the padding, appear in no shape). A scope with relations gets its sizes from a
`SizePlan` made before its blocks are read (pages/check.py). For each size assignment: whole values
of at least 2 (a size of 1 could not be told from the number 1) that make every relation hold
exactly; the sizes of axes (the letters of the scope's shapes) distinct from each other, as
everywhere; the other sizes (S, P) distinct from each other, and never equal to the same axis size
under both assignments; every size different under the two assignments. Among such values, those
needing the fewest distinct numbers whose largest shape holds the fewest entries (a derivative by
its entries steps that many squared), then whose shapes hold the fewest numbers together (the
product of their entries: a derivative by an entry of a tensor re-evaluates what depends on it once
per entry, so the scope must stay small). The relation itself is then checked like a claim, where it stands.
Relations that no whole sizes satisfy are an error at each of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction as Exact
from functools import lru_cache

from ..tex.syntax import Add, Fraction, Name, Neg, Number, Product, Subscripted
from .size_expressions import size_name_of, size_names

#: The smallest size value in a planned scope, and how far above the fewest values needed the
#: search looks.
SMALLEST = 2
SLACK = 16


def is_size_like(node) -> bool:
    """`H`, `H'`, `k_h`, `W_f`: a name that can be a size in a relation."""
    name = size_name_of(node)
    if isinstance(node, Name):
        return len(name.rstrip("'")) == 1 and name[0].isascii() and name[0].isupper()
    return (isinstance(node, Subscripted) and len(node.base) == 1 and node.base.isalpha()
            and len(node.items) == 1 and isinstance(node.items[0], (Name, Number))
            and len(node.text) == 1)


def is_size_expression(node) -> bool:
    if is_size_like(node):
        return True
    if isinstance(node, Number):
        return float(node.value).is_integer()
    if isinstance(node, Add):
        return all(is_size_expression(term) for _, term in node.terms)
    if isinstance(node, Neg):
        return is_size_expression(node.operand)
    if isinstance(node, Product):
        return all(is_size_expression(factor) for factor in node.factors)
    if isinstance(node, Fraction):
        return is_size_expression(node.numerator) and is_size_expression(node.denominator)
    return False


def relation_sides(chain, symbols: set):
    """(left node, right node) when `chain` is a size relation (see the module docstring)."""
    if len(chain.relations) != 1 or chain.relations[0].text not in ("=", "\\coloneqq"):
        return None
    left, right = chain.items
    if not is_size_like(left) or not is_size_expression(right) or not size_names(right):
        return None
    names = [size_name_of(left)] + size_names(right)
    if any(name in symbols or name.split("_")[0] in symbols for name in names):
        return None
    return left, right


@dataclass(frozen=True)
class SizePlan:
    """The sizes of a scope with relations, per assignment (`values[assignment]`: name -> value),
    or the reason no whole sizes satisfy them (`failure`); `relations` are the (line, col) of the
    relation statements, checked where they stand (pages/blocks.py)."""

    values: tuple = ()
    failure: str | None = None
    relations: frozenset = field(default_factory=frozenset)
    axes: frozenset = field(default_factory=frozenset)  # the sizes of the scope's shapes


def frozen(node):
    """A size expression as nested tuples (hashable, so a scope's plan is computed once)."""
    if is_size_like(node) or isinstance(node, Name):  # `k_h` read in a shape is one Name
        return ("size", size_name_of(node))
    if isinstance(node, Number):
        return ("number", int(node.value))
    if isinstance(node, Add):
        return ("add", tuple((sign, frozen(term)) for sign, term in node.terms))
    if isinstance(node, Neg):
        return ("neg", frozen(node.operand))
    if isinstance(node, Product):
        return ("product", tuple(frozen(factor) for factor in node.factors))
    return ("fraction", frozen(node.numerator), frozen(node.denominator))


def _value(expr, sizes: dict):
    """The exact value of a frozen expression (an int, or a Fraction when a division leaves one),
    or None (a name without a value, a division by 0).

    >>> _value(("fraction", ("add", ((1, ("size", "H")), (-1, ("number", 1)))), ("size", "S")),
    ...        {"H": 7, "S": 2})
    3
    >>> _value(("fraction", ("size", "H"), ("size", "S")), {"H": 7, "S": 2}), _value(("size", "P"), {})
    (Fraction(7, 2), None)
    """
    return _evaluator(expr)(sizes)


@lru_cache(maxsize=None)
def _evaluator(expr):
    """`expr` as a function of the sizes. The plan's search evaluates each relation hundreds of
    thousands of times: whole numbers stay Python ints, exact and several times faster than
    Fractions, and only a division that leaves a remainder makes a Fraction."""
    kind = expr[0]
    if kind == "size":
        name = expr[1]
        return lambda sizes: sizes.get(name)
    if kind == "number":
        number = expr[1]
        return lambda sizes: number
    if kind == "neg":
        inner = _evaluator(expr[1])

        def negative(sizes):
            value = inner(sizes)
            return None if value is None else -value
        return negative
    if kind == "fraction":
        top, bottom = _evaluator(expr[1]), _evaluator(expr[2])

        def quotient(sizes):
            numerator, denominator = top(sizes), bottom(sizes)
            if numerator is None or not denominator:
                return None
            if isinstance(numerator, int) and isinstance(denominator, int):
                whole, remainder = divmod(numerator, denominator)
                return whole if remainder == 0 else Exact(numerator, denominator)
            return Exact(numerator) / denominator
        return quotient
    if kind == "add":
        terms = [(sign, _evaluator(term)) for sign, term in expr[1]]

        def total(sizes):
            result = 0
            for sign, term in terms:
                value = term(sizes)
                if value is None:
                    return None
                result += sign * value
            return result
        return total
    factors = [_evaluator(factor) for factor in expr[1]]

    def product(sizes):
        result = 1
        for factor in factors:
            value = factor(sizes)
            if value is None:
                return None
            result *= value
        return result
    return product


def _names(expr) -> list:
    kind = expr[0]
    if kind == "size":
        return [expr[1]]
    if kind == "number":
        return []
    if kind == "neg":
        return _names(expr[1])
    if kind == "fraction":
        return _names(expr[1]) + _names(expr[2])
    return [n for part in ([t for _, t in expr[1]] if kind == "add" else expr[1]) for n in _names(part)]


def plan_sizes(relations: tuple, extras: tuple, shapes: tuple, relation_places: frozenset,
               shown: str) -> SizePlan:
    """The plan for `relations` ((left name, frozen right side) pairs; the left name None for a
    sum of sizes in a shape, `(H - k_h + 1)`, which must be a whole number of at least 1), the
    scope's other sizes `extras` (in order of first use) and its shapes (tuples of dims, each a
    tuple of factors: size names, whole numbers, frozen sums)."""
    axes = frozenset(f for dims in shapes for dim in dims for f in dim if isinstance(f, str))
    first = _solve(relations, extras, shapes, axes, ())
    second = (_solve(relations, extras, shapes, axes, tuple(sorted(first.items())))
              if first else None)
    if not first or not second:
        names = _relation_names(relations)
        return SizePlan((), f"no whole sizes satisfy {shown}: the checker needs values of at "
                            f"least {SMALLEST} for {', '.join(names)}, distinct among the sizes of "
                            f"axes and among the others, different under its two size "
                            f"assignments, that make every side a whole number and every relation "
                            f"hold; expected a relation that holds for some whole sizes, as in "
                            f"H' = 1 + \\frac{{H + 2P - k_h}}{{S}}", relation_places, axes)
    return SizePlan((first, second), None, relation_places, axes)


def _relation_names(relations) -> list:
    names: list = []
    for left, right in relations:
        for name in ([left] if left is not None else []) + _names(right):
            if name not in names:
                names.append(name)
    return names


@lru_cache(maxsize=256)
def _solve(relations: tuple, extras: tuple, shapes: tuple, axes: frozenset,
           first: tuple) -> dict | None:
    """Values for every relation name and extra size, or None: see `_assignments` for the rules;
    the best by (fewest values needed, the most entries of one shape, the product of the shapes'
    entries, the sum of the values).
    `first` holds the values of the first assignment when this is the second."""
    first = dict(first)
    names = _relation_names(relations)
    on_right = {n for _, right in relations for n in _names(right)}
    derived = {left for left, _ in relations if left is not None and left not in on_right}
    free = [name for name in names if name not in derived]
    extras = [name for name in extras if name not in names]
    axis_count = len([n for n in names if n in axes]) + len(extras)
    for top in range(SMALLEST + axis_count - 1, SMALLEST + axis_count + SLACK):
        best, best_cost = None, None
        for values in _assignments(free, derived, relations, axes, first, top):
            full = dict(values)
            used = {v for n, v in full.items() if n in axes}
            for extra in extras:
                value = next((v for v in range(SMALLEST, top + 1)
                              if v not in used and v != first.get(extra)), None)
                if value is None:
                    break
                full[extra] = value
                used.add(value)
            else:
                if first and not _apart(full, first, axes):
                    continue
                cost = (_largest_shape(shapes, full), _shapes_product(shapes, full), sum(full.values()))
                if best_cost is None or cost < best_cost:
                    best, best_cost = full, cost
        if best is not None:
            return best
    return None


def _apart(second: dict, first: dict, axes: frozenset) -> bool:
    """A size that is no axis (S, P) may share its value with an axis size in one assignment,
    never with the same one in both: a formula that writes one for the other fails in one."""
    for name, value in first.items():
        if name in axes:
            continue
        for other, other_value in first.items():
            if other != name and other_value == value and second.get(other) == second.get(name):
                return False
    return True


def _assignments(free: list, derived: set, relations: tuple, axes: frozenset, first: dict, top: int):
    """Every assignment of the free names in SMALLEST..top whose derived names come out whole and
    in range, with every relation exact: sizes of axes distinct from each other, the other sizes
    (S, P: in no shape) distinct from each other, each unlike its value in `first`. Each relation
    is checked as soon as its names have values, so the search prunes early."""
    values: dict = {}

    def clashes(name: str, value: int) -> bool:
        return value == first.get(name) or any(
            v == value and (n in axes) == (name in axes) for n, v in values.items())

    def settle() -> list | None:
        """Derive what can be derived; None when a relation fails (values restored)."""
        added, changed = [], True
        while changed:
            changed = False
            for left, right in relations:
                value = _value(right, values)
                if value is None:
                    continue
                if left is None:  # a sum of sizes in a shape: a whole number of at least 1
                    if value.denominator != 1 or value < 1:
                        break
                    continue
                if value.denominator != 1 or not SMALLEST <= value <= top:
                    break
                if left in values:
                    if values[left] != value:
                        break
                    continue
                if left not in derived:
                    continue
                if clashes(left, int(value)):
                    break
                values[left] = int(value)
                added.append(left)
                changed = True
            else:
                continue
            for name in added:
                del values[name]
            return None
        return added

    def search(position: int):
        added = settle()
        if added is None:
            return
        if position == len(free):
            yield dict(values)
        else:
            name = free[position]
            for value in range(SMALLEST, top + 1):
                if clashes(name, value):
                    continue
                values[name] = value
                yield from search(position + 1)
                del values[name]
        for name in added:
            del values[name]

    yield from search(0)


def _largest_shape(shapes: tuple, sizes: dict) -> int:
    """The most entries one of the scope's shapes holds: a derivative by its entries steps that
    many squared (limits.DERIVATIVE_BUDGET)."""
    return max((_shapes_product((dims,), sizes) for dims in shapes), default=0)


def _shapes_product(shapes: tuple, sizes: dict) -> int:
    """The product of the numbers of entries of the scope's shapes: what a derivative by an entry
    of one tensor costs grows with its entries times the entries of the values recomputed."""
    total = 1
    for dims in shapes:
        count = 1
        for dim in dims:
            for factor in dim:
                value = (factor if isinstance(factor, int) else sizes.get(factor) if
                         isinstance(factor, str) else _value(factor, sizes))
                if value is None:
                    break
                count *= value
            else:
                continue
            break
        else:
            total *= int(count)
    return total
