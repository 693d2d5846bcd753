r"""The sizes of each scope of a page, planned before its blocks are checked when the scope states
size relations (`H' = 1 + \frac{H + 2P - k_h}{S}`: evaluation/size_relations.py).

The page is read ahead, scope by scope (the segments between `<!-- scope: NAME -->` marks, as the
page loop makes them): the display blocks' statements are parsed (a block that does not parse is
left to report its own error when it is checked), the symbols they declare or define, the shapes
they write and the size relations among them are collected, and the relations are solved for both
size assignments. A scope without relations gets no plan: its sizes are assigned as before.
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import FormulaError
from ..evaluation.size_expressions import size_name_of, size_names
from ..evaluation.size_relations import SizePlan, frozen, plan_sizes, relation_sides
from ..tex.shape_table import ShapeTable
from ..tex.shapes import SizeSum
from ..tex.statements import parsed_block
from ..tex.syntax import Chain, Differential, LabelSet, Name, RealSpace, Subscripted
from .markdown import ScopeMark


def scope_plans(items: list, solved: dict | None = None) -> list:
    """One `SizePlan` (or None) per scope of the page, in the order the page loop opens them.

    `solved` (a `PageMemo`'s plans, pages/incremental.py) holds the plans of an earlier check of
    the page by the sizes problem they solve: a scope whose problem is there is not solved again,
    and on return `solved` holds this page's plans only."""
    known = dict(solved or {})
    if solved is not None:
        solved.clear()
    plans, segment = [], []
    for item in items + [ScopeMark(0, "")]:
        if isinstance(item, ScopeMark):
            plans.append(_plan(segment, known, solved))
            segment = []
        elif item.kind != "inline" and "unchecked" not in item.markers and not item.problems:
            segment.append(item)
    return plans


def _statements(items: list) -> list:
    statements = []
    for item in items:
        try:
            statements += parsed_block(item.text, item.line, item.col).statements
        except FormulaError:
            continue
    return statements


def _plan(items: list, known: dict, solved: dict | None) -> SizePlan | None:
    statements = _statements(items)
    chains = [s for s in statements if isinstance(s, Chain) and s.relations]
    symbols = set()
    for chain in chains:
        if chain.relations[0].text in ("\\in", ">"):
            symbols |= {n for node in [chain.items[0]] + chain.names for n in _names(node)}
    relations = [(chain, sides) for chain in chains
                 if (sides := relation_sides(chain, symbols)) is not None]
    for chain in chains:  # a definition that is no relation names a symbol
        if chain.relations[0].text in ("\\coloneqq", "=") and all(chain is not c for c, _ in relations):
            symbols |= set(_names(chain.items[0]))
    relations = [(chain, sides) for chain, sides in relations
                 if relation_sides(chain, symbols) is not None]
    sums = [factor for statement in statements for dims in _shapes(statement) for dim in dims
            for factor in dim if isinstance(factor, SizeSum)]
    if not relations and not sums:
        return None
    shapes, extras = [], []
    for statement in statements:
        for dims in _shapes(statement):
            shapes.append(tuple(tuple(frozen(f.node) if isinstance(f, SizeSum) else f for f in dim)
                                for dim in dims))
            for factor in (f for dim in dims for f in dim):
                names = size_names(factor.node) if isinstance(factor, SizeSum) else [factor]
                extras += [n for n in names if isinstance(n, str) and n not in extras]
        for item in statement.items if isinstance(statement, Chain) else ():
            if isinstance(item, LabelSet):
                axes = item.power if isinstance(item.power, tuple) else (item.power,)
                extras += [a for a in (item.upper, *axes) if a and a not in extras]
    lefts = [size_name_of(sides[0]) for _, sides in relations]
    shown = (f"the size relation{'s' if len(lefts) > 1 else ''} for "
             f"{', '.join(lefts)} (line {relations[0][0].tok.line})" if relations else
             f"the sums of sizes in the shapes of this scope, such as {sums[0]}")
    bounds = tuple((None, frozen(factor.node)) for factor in sums)
    problem = (tuple((size_name_of(left), frozen(right)) for _, (left, right) in relations)
               + bounds, tuple(extras), tuple(shapes))
    places = frozenset((chain.tok.line, chain.tok.col) for chain, _ in relations)
    plan = known.get(repr(problem))
    if plan is not None and (plan.failure is None or plan.relations == places):
        plan = replace(plan, relations=places)  # a failure's message names lines: solved again
    else:
        plan = plan_sizes(*problem, places, shown)
    if solved is not None:
        solved[repr(problem)] = plan
    return plan


def _names(node) -> list:
    if isinstance(node, Name):
        return [node.name]
    if isinstance(node, Subscripted):
        return [node.base, f"{node.base}_{node.text}"]
    if isinstance(node, Differential):
        return ["d" + node.name]
    return []


def _shapes(statement) -> list:
    """The shapes a statement writes: after `\\in \\mathbb{R}^{...}`, in a shape table's rows."""
    if isinstance(statement, ShapeTable):
        return [row.dims for row in statement.rows if row.dims]
    return [item.shape for item in statement.items if isinstance(item, RealSpace) and item.shape]
