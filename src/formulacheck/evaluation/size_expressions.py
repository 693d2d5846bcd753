r"""Expressions of sizes: `H + 2P`, `1 + \frac{H + 2P - H_f}{S}`, evaluated exactly (fractions).

They appear as the upper bound of an index range written after a formula
(`\quad \text{for } 1 \le h \le H + 2P`, tex/statements.py) and as the sides of a size relation
(`H' = 1 + (H + 2P - H_f)/S`, pages/size_plan.py). Only sizes, whole numbers, `+`, `-`, products
and fractions are read; anything else is an error naming it.
"""

from __future__ import annotations

from fractions import Fraction as Exact

from ..errors import fail_at
from ..tex.syntax import Add, Fraction, Name, Neg, Number, Product, Subscripted
from ..tex.vocabulary import tex_name


def size_name_of(node) -> str | None:
    """The size name a node spells (`H`, `H_f`, `H'`), or None."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Subscripted) and all(isinstance(i, (Name, Number)) for i in node.items):
        return f"{node.base}_{node.text}"
    return None


def size_value(sizes: dict, node, what: str) -> Exact:
    """The exact value of a size expression under `sizes` (name -> value)."""
    name = size_name_of(node)
    if name is not None and name in sizes:
        return Exact(sizes[name])
    if isinstance(node, Number):
        if not float(node.value).is_integer():
            raise fail_at(node.tok, f"{node.tok.text} in {what} is not a whole number; expected "
                                    "sizes and whole numbers")
        return Exact(int(node.value))
    if isinstance(node, Add):
        return sum((sign * size_value(sizes, term, what) for sign, term in node.terms), Exact(0))
    if isinstance(node, Neg):
        return -size_value(sizes, node.operand, what)
    if isinstance(node, Product):
        result = Exact(1)
        for factor in node.factors:
            result *= size_value(sizes, factor, what)
        return result
    if isinstance(node, Fraction):
        denominator = size_value(sizes, node.denominator, what)
        if denominator == 0:
            raise fail_at(node.tok, f"a division by 0 in {what}")
        return size_value(sizes, node.numerator, what) / denominator
    shown = tex_name(name) if name is not None else node.tok.text
    raise fail_at(node.tok, f"{shown} in {what} is not a size; expected sizes (the letters of "
                            "shapes, such as H), whole numbers, +, -, products and fractions")


def size_names(node) -> list:
    """The names a size expression uses, in order (a name that is no size is refused later)."""
    name = size_name_of(node)
    if name is not None:
        return [name]
    if isinstance(node, Add):
        return [n for _, term in node.terms for n in size_names(term)]
    if isinstance(node, Neg):
        return size_names(node.operand)
    if isinstance(node, Product):
        return [n for factor in node.factors for n in size_names(factor)]
    if isinstance(node, Fraction):
        return size_names(node.numerator) + size_names(node.denominator)
    return []
