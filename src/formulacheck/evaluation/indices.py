"""Index letters: what a subscript means, and the range of every index letter in a statement.

A subscript is part of a name when the name is declared (`W_1`, `p_+`, `G_A`); otherwise it lists
indices of an entry (`F_{ij}`, `P_{i y_i}`, `(W_2)_{hk}`). Each index letter gets its range from
the axis it indexes, from the bounds of its `\\sum`, or from a label it is compared with
(`\\mathbb{1}(y_i = j)` and `\\sum_{j \\neq y_i}` make j range over the labels); only a letter
used in none of these ways falls back to the page conventions (i: N, j and k: K, d: D, h: H). Two
different ranges for one letter in a statement are an error.

A sum from 1 or more runs over a part of its letter's range: the letter ranges over the axis it
indexes (or, indexing none, over the largest upper limit of its sums), and each sum's upper limit
is that range's end, or its end less a whole number (`\\sum_{t=1}^{T-1}`, a sum that leaves out
the last entries, as a derivation does to peel off the last term); any other upper limit is a
second range. The sum's body is evaluated for the values of its part only (evaluation/evaluate.py),
so `\\sum_{t=2}^{T} h_{t-1}` reads no entry before the first.
"""

from __future__ import annotations

from dataclasses import fields

from ..errors import fail_at
from ..limits import ELEMENT_BUDGET
from ..tex.vocabulary import tex_name
from .code_names import code_name_entry
from .scope import CONVENTIONAL_RANGES, SymbolKind
from ..tex.code_names import is_code_name
from ..tex.named_operators import EntryOf
from ..tex.syntax import (Add, Fraction, IndexArithmetic, Indicator, Matrix, MaxOver, Name, Neg, Node,
                          Number, Product, Subscripted, Sum)
from .size_expressions import size_names, size_value
from .corners import expand as expand_corners, has_dots
from .lookalikes import refuse_unnamed_pieces


def is_index_letter(scope, name: str) -> bool:
    return (len(name) == 1 and name.isascii() and name.islower() and not scope.any_arity(name)
            and name != "e" and not scope.is_size(name))


def compound_family(scope, name: str):
    """The family `(x_1)_{nd}` of a subscripted name, used whole as `x_1` (its matrix)."""
    families = [s for s in scope.any_arity(name) if s.arity in (1, 2) and s.kind == SymbolKind.DEFINED]
    return families[0] if families else None


def resolve_subscripted(scope, node: Subscripted):
    """("symbol", Symbol) | ("size", name) | ("identity", size) | ("kronecker", None) |
    ("entry", Symbol); an error for a name the scope does not know."""
    if is_code_name(node):  # `dZ_{ih}`, `dW_1` by the page's convention
        code_name_entry(scope, node)
    meaning = subscripted_meaning(scope, node)
    if meaning is not None:
        return meaning
    count = len(node.items)
    whole = scope.lookup(node.base, 0)
    if scope.any_arity(node.base) or whole is not None:
        raise fail_at(node.tok, f"{node.base} takes a different number of indices; found "
                                f"{count} in {node.base}_{{{node.text}}}")
    refuse_unnamed_pieces(scope, node)
    usual = "expected a declaration or definition before its first use"
    raise fail_at(node.tok, f"undeclared symbol {tex_name(node.base)}_{{{node.text}}}; "
                            f"{scope.undeclared_tail(node.base, usual)}")


def subscripted_meaning(scope, node: Subscripted):
    """What `resolve_subscripted` reads `node` as, or None where it would raise; it neither raises
    nor adds to the scope (an analysis of how a formula is written can ask it too)."""
    compound = scope.lookup(f"{node.base}_{node.text}", 0)
    if compound is not None:
        return "symbol", compound
    compound = compound_family(scope, f"{node.base}_{node.text}")
    if compound is not None:  # `x_1` after `(x_1)_{nd} \coloneqq X_{n1d}`: its matrix
        return "symbol", compound
    if scope.is_size(f"{node.base}_{node.text}"):  # `d_k`, declared in a shape (tex/shapes.py)
        return "size", f"{node.base}_{node.text}"
    count = len(node.items)
    if node.base == "I" and not scope.any_arity("I") and count == 1 and isinstance(
            node.items[0], Name) and scope.is_size(node.items[0].name):
        return "identity", node.items[0].name
    if node.base == "delta" and not scope.any_arity("delta") and count == 2:
        return "kronecker", None
    family = scope.lookup(node.base, count)
    if family is not None:
        return "entry", family
    whole = scope.lookup(node.base, 0)
    if whole is not None and whole.kind in (SymbolKind.LEAF, SymbolKind.LABELS, SymbolKind.DEFINED):
        return "entry", whole
    return None


def sum_bounds(scope, node: Sum) -> tuple:
    """(lower, upper) of `\\sum_{i=lower}^{upper}`: the upper limit is a size or an integer, and the
    sum has at most ELEMENT_BUDGET terms (a bigger one is refused before anything is allocated)."""
    upper = node.upper
    if isinstance(upper, Name) and scope.is_size(upper.name):
        value = scope.sizes[upper.name]
    elif isinstance(upper, Subscripted) and scope.is_size(f"{upper.base}_{upper.text}"):
        value = scope.sizes[f"{upper.base}_{upper.text}"]  # `\\sum_{m=1}^{d_k}`
    elif isinstance(upper, Number):
        value = upper.value
    elif isinstance(upper, (Add, Neg, Product, Fraction)) and all(
            scope.is_size(name) for name in size_names(upper)):  # `\\sum_{i=1}^{H-1}`
        value = size_value(scope.sizes, upper, "the upper limit of the sum")
        value = int(value) if value.denominator == 1 else float(value)
    elif isinstance(upper, Name) and is_index_letter(scope, upper.name):  # `\sum_{s=1}^{t}`
        raise fail_at(upper.tok, f"a sum up to an index letter ({node.index} = 1..{upper.name}, a "
                                 f"running sum) is not read; expected the sum over the whole axis "
                                 f"with an indicator, as in \\sum_{{{node.index}=1}}^{{N}} "
                                 f"\\mathbb{{1}}({node.index} \\leq {upper.name}) x_{{{node.index}}}")
    else:
        raise fail_at(upper.tok, "expected a declared size or a number as the upper limit")
    if value - node.lower + 1 > ELEMENT_BUDGET:
        raise fail_at(upper.tok, f"the sum over {node.index} has {value - node.lower + 1:,.0f} terms, "
                                 f"more than the checker's budget of {ELEMENT_BUDGET:,}; expected a "
                                 "size name such as N or a smaller bound")
    if not float(value).is_integer():
        raise fail_at(upper.tok, f"the upper limit of the sum, {value:g}, is not an integer; "
                                 "expected a size name or a whole number")
    return node.lower, int(value)


class LetterRanges(dict):
    """The range of each index letter of a statement (letter -> count of values), and in
    `firsts` the first value of those that do not start at 1 (`\\text{for } 2 \\le t \\le T`:
    T - 1 values from 2); an `Evaluator` reads both."""

    def __init__(self, ranges: dict, firsts: dict):
        super().__init__(ranges)
        self.firsts = firsts


def peeled_size(scope, upper) -> str | None:
    """The size S of an upper limit written `S - c`, c a whole number of at least 1 (a sum that
    leaves out the last c entries of an axis of S), else None.

    >>> from formulacheck.tex.syntax import Add, Name, Number
    >>> scope = type("Scope", (), {"is_size": lambda self, name: name == "T"})()
    >>> [peeled_size(scope, node) for node in (Add(None, [(1, Name(None, "T")), (-1, Number(None, 1))]),
    ...     Add(None, [(1, Name(None, "T")), (1, Number(None, 1))]), Name(None, "T"))]
    ['T', None, None]
    """
    if not (isinstance(upper, Add) and len(upper.terms) == 2):
        return None
    (first_sign, first), (second_sign, second) = upper.terms
    if first_sign != 1 or second_sign != -1 or not isinstance(second, Number) or not (
            float(second.value).is_integer() and second.value >= 1):
        return None
    name = (first.name if isinstance(first, Name)
            else f"{first.base}_{first.text}" if isinstance(first, Subscripted) else None)
    return name if name is not None and scope.is_size(name) else None


def stops_short_of(scope, upper, end: int) -> bool:
    """Whether an upper limit is written `S - c` for the size S = `end`: it stops short of the
    end of a range 1..S by a whole number (`T-1` of a range 1..T)."""
    peeled = peeled_size(scope, upper)
    return peeled is not None and scope.sizes[peeled] == end


def upper_text(scope, upper, value: int) -> str:
    """An upper limit as the page writes it, for messages: `N`, `d_k`, `T-1`; else its value."""
    peeled = peeled_size(scope, upper)
    if peeled is not None:
        return f"{peeled}-{upper.terms[1][1].value:g}"
    return scope.size_name(value)


def range_end(scope, upper, what: str) -> int:
    """The end of a range 1..upper written with sizes (`k_h`, `H - 1`): a whole number of at
    least 1."""
    value = size_value(scope.sizes, upper, f"the range of {what}")
    if value.denominator != 1 or value < 1:
        raise fail_at(upper.tok, f"the range of {what} ends at {value}, which is not a whole number "
                                 f"of at least 1 with {scope.sizes_text()}; expected sizes that give "
                                 "a whole number")
    return int(value)


def arithmetic_letters(node):
    """The letters of index arithmetic, `S(i-1)+p`, `u-k_h+1`: its Names, not the subscripts of its
    sizes (`k_h`)."""
    if isinstance(node, Name):
        yield node
    elif not isinstance(node, Subscripted):
        for child in children(node):
            yield from arithmetic_letters(child)


def unknown_range(name: str, tok, scope, family: str | None = None):
    """The error for an index letter whose range nothing in its statement gives (a symbol that a
    formula with a problem was to declare reads as an index letter: `scope.undeclared_tail`);
    `family`: the name the statement defines with that letter (`L_i \\coloneqq -\\log p_c`, one
    example's loss, with nothing of example i on the right)."""
    usual = "expected it as a subscript, in a \\sum with bounds, or compared with a label"
    if family is not None:
        usual = (f"{name} is a subscript of {family}, the family defined here, and nothing on the "
                 f"right ranges over it; expected the right side written with {name} (an entry "
                 f"such as F_{{{name} j}}), its range after the formula (\\quad \\text{{for }} 1 "
                 f"\\le {name} \\le N), or the name without the index for one value")
    return fail_at(tok, f"cannot tell the range of index {name}; "
                        f"{scope.undeclared_tail(name, usual)}")


def children(node):
    for item in fields(node):
        value = getattr(node, item.name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, (list, tuple)):
            for element in value:
                if isinstance(element, Node):
                    yield element
                elif isinstance(element, (list, tuple)):
                    yield from (e for e in element if isinstance(e, Node))


def walk(node):
    """`node` and every node below it."""
    yield node
    for child in children(node):
        yield from walk(child)


class RangeFinder:
    """Collects the range of every index letter in some expressions (see the module docstring)."""

    def __init__(self, scope, shape_of, family: tuple | None = None):
        self.scope = scope
        self.shape_of = shape_of  # symbol -> sizes of its entry axes
        self.ranges: dict = {}
        self.where: dict = {}
        self.pairs: list = []  # (j, k) of `\sum_{j \neq k}`: j's range is k's, one range
        self.compared: list = []  # letters an indicator or a Kronecker delta compares
        self.values: dict = {}  # letters used as values, with a token
        self.family = family  # (name, letters) of the family a definition defines, or None
        self.own_axis: set = set()  # letters of sums from 0: their sums give them their values
        self.summed: dict = {}  # letters of sums from 1 or more, and of maxima over a range written,
        # -> [(upper limit, the Sum or MaxOver)]
        self.written: dict = {}  # letters with a range written after the formula -> its end
        self.arithmetic: dict = {}  # letters inside index arithmetic (`S(i-1)+p`) -> its item

    def bind(self, name: str, size: int, tok, shown: str | None = None) -> None:
        """Give the letter `name` the range 1..size (`shown`: how the page writes its end)."""
        self.refuse_non_letter(name, tok)
        known = self.ranges.get(name)
        if known is not None and known != size and not stops_short_of(
                self.scope, self.written.get(name), size):  # `1 \\le t \\le T-1` beside x_t
            raise self.second_range(name, shown or self.scope.size_name(size), tok)
        if known is None:
            self.ranges[name], self.where[name] = size, (tok.line, tok.col)

    def bind_written(self, letter, size: int, upper) -> None:
        """The range written after the formula, `\\text{for } 1 \\le t \\le T-1`: the statement
        is read for those values of t, which may stop short of the axis t indexes by a whole
        number (t then reads entries 1..T-1 of it)."""
        self.bind(letter.text, size, letter)
        self.written[letter.text] = upper

    def second_range(self, name: str, shown: str, tok, fix: str = ""):
        """The error of a second range 1..`shown` for the letter `name`."""
        line, col = self.where[name]
        return fail_at(tok, f"index {name} ranges over 1..{shown} here but over "
                            f"1..{self.scope.size_name(self.ranges[name])} at {line}:{col}; "
                            f"expected one range per index letter{fix}")

    def refuse_non_letter(self, name: str, tok) -> None:
        if self.scope.is_size(name):
            raise fail_at(tok, f"{name} is a size of this page (it appears in a shape), so it "
                               "cannot be an index; sizes, indices and symbols never share a name: "
                               "expected another index letter")
        if self.scope.any_arity(name):
            raise fail_at(tok, f"{name} is a declared symbol, so it cannot be used as an index")
        if not is_index_letter(self.scope, name):
            raise fail_at(tok, f"{name} cannot be an index; index letters are lowercase letters"
                               + (" other than e, which is the exponential" if name == "e" else ""))

    def visit(self, node) -> None:
        if isinstance(node, Matrix) and has_dots(node):  # its entries as the corners give them
            node = expand_corners(self.scope, node)
        if isinstance(node, Subscripted) and self.scope.is_size(f"{node.base}_{node.text}"):
            return  # `d_k` is a size: its subscript is part of the name, not an index
        if isinstance(node, Subscripted) and self.scope.any_arity(f"{node.base}_{node.text}"):
            return  # `W_x`, `x_1`: a name (evaluation/letter_names.py), its subscript no index
        if isinstance(node, EntryOf):  # `\\operatorname{softmax}(o)_j`: sizes of the value
            for item, size in zip(node.items, self.shape_of(None, node)):
                if isinstance(item, Name) and is_index_letter(self.scope, item.name):
                    self.bind(item.name, size, item.tok)
        elif isinstance(node, Subscripted):
            self.visit_subscripted(node)
        elif isinstance(node, Sum) and node.condition is not None:
            self.visit_sum_except(node)
        elif isinstance(node, Sum) and node.upper is None:
            pass  # `\\sum_j`: j ranges over the axis it indexes in the body, bound there
        elif isinstance(node, Sum):
            lower, upper = sum_bounds(self.scope, node)
            if lower >= 1:  # a part of the letter's range, known once the statement is read
                self.refuse_non_letter(node.index, node.index_tok)
                self.summed.setdefault(node.index, []).append((upper, node))
            else:
                self.check_entries_in_range(node, lower, upper)
                self.own_axis.add(node.index)
        elif isinstance(node, MaxOver) and node.upper is not None:  # `\\max_{1 \\le p \\le k_h}`
            self.refuse_non_letter(node.index, node.index_tok)  # over a part, like a sum's
            end = range_end(self.scope, node.upper, f"the maximum over {node.index}")
            self.summed.setdefault(node.index, []).append((end, node))
        elif isinstance(node, Indicator) and node.op == "=":
            self.visit_comparison(node.left, node.right)
        elif isinstance(node, Name) and is_index_letter(self.scope, node.name):
            self.values.setdefault(node.name, node.tok)
        elif isinstance(node, IndexArithmetic):
            for inner in arithmetic_letters(node.expr):
                if is_index_letter(self.scope, inner.name):
                    self.arithmetic.setdefault(inner.name, (inner.tok, node.text))
        for child in children(node):
            self.visit(child)

    def visit_subscripted(self, node: Subscripted) -> None:
        kind, symbol = resolve_subscripted(self.scope, node)
        if kind == "symbol":
            return
        if kind == "identity":
            return
        if kind == "kronecker":
            letters = [i for i in node.items if isinstance(i, Name)]
            if len(letters) == 2:
                self.compared.append((letters[0], letters[1]))
            return
        sizes = self.shape_of(symbol, node)
        for item, size in zip(node.items, sizes):
            # a lowercase size (`d` of `\\mathbb{R}^{n \\times d}`) is refused as an index by bind
            if isinstance(item, Name) and (is_index_letter(self.scope, item.name) or (
                    item.name.islower() and self.scope.is_size(item.name))):
                self.bind(item.name, size, item.tok)

    def check_entries_in_range(self, node: Sum, lower: int, upper: int) -> None:
        """A sum from 0 takes the values it writes (never wrapped to the last entry): an entry it
        selects with its letter must exist for each of them."""
        stack = [node.body]
        while stack:
            current = stack.pop()
            stack.extend(children(current))
            if not isinstance(current, Subscripted) or not any(
                    isinstance(item, Name) and item.name == node.index for item in current.items):
                continue
            kind, symbol = resolve_subscripted(self.scope, current)
            if kind != "entry":
                continue
            sizes = self.shape_of(symbol, current)
            for item, size in zip(current.items, sizes):
                if isinstance(item, Name) and item.name == node.index:
                    shown = node.upper.name if isinstance(node.upper, Name) else upper
                    raise fail_at(item.tok, f"the sum runs over {node.index} = {lower}..{shown}, "
                                            f"but {tex_name(current.base)}_{{{current.text}}} has "
                                            f"entries 1..{self.scope.size_name(size)} only (indices "
                                            f"on pages are 1-based); expected a sum from 1, or the "
                                            f"entry written with the index it means")

    def visit_comparison(self, left, right) -> None:
        for letter, other in ((left, right), (right, left)):
            if isinstance(letter, Name) and is_index_letter(self.scope, letter.name):
                upper = self.label_upper(other)
                if upper:
                    self.bind(letter.name, upper, letter.tok)
                elif isinstance(other, Name) and is_index_letter(self.scope, other.name):
                    self.compared.append((letter, other))

    def visit_sum_except(self, node: Sum) -> None:
        """`\\sum_{j \\neq y_i}`: j runs over the labels' range (or over k's range in `j \\neq k`)."""
        excluded = node.condition.right
        upper = self.label_upper(excluded)
        if upper:
            self.bind(node.index, upper, node.index_tok)
        elif isinstance(excluded, Name) and is_index_letter(self.scope, excluded.name):
            self.pairs.append((node.condition.left, excluded))
        else:
            raise fail_at(excluded.tok, f"the sum over {node.index} \\neq ... takes its range from "
                                        "what it excludes; expected a label such as y_i or an index letter")

    def bind_summed(self) -> None:
        """The range of each letter of a sum from 1 or more, and each sum a part of it (see the
        module docstring): the range the letter has (an axis it indexes), else the largest upper
        limit of its sums."""
        for name, sums in self.summed.items():
            if name not in self.ranges:
                upper, node = max(sums, key=lambda pair: pair[0])
                self.bind(name, upper, node.index_tok, upper_text(self.scope, node.upper, upper))
            end = self.ranges[name]
            for upper, node in sums:
                if upper != end and not stops_short_of(self.scope, node.upper, end):
                    size = self.scope.size_name(end)  # a number when no size is the range's end
                    part, example = (("a maximum over the first entries",
                                      f"\\max_{{1 \\le {name} \\le {size}-1}}")
                                     if isinstance(node, MaxOver) else
                                     ("a sum that leaves out the last entries",
                                      f"\\sum_{{{name}=1}}^{{{size}-1}}"))
                    shown = f", as {example}" if self.scope.is_size(size) else ""
                    raise self.second_range(name, upper_text(self.scope, node.upper, upper),
                                            node.index_tok, f", or {part} of that range{shown}")

    def label_upper(self, node) -> int:
        base = node.base if isinstance(node, Subscripted) else node.name if isinstance(node, Name) else None
        symbol = self.scope.lookup(base, 0) if base else None
        return symbol.label_upper if symbol is not None and symbol.kind in (SymbolKind.LABELS, SymbolKind.LABEL) else 0

    def finish(self) -> dict:
        self.bind_summed()
        # A compared letter without a range of its own takes the other's; two letters with ranges
        # of their own may differ (`\mathbb{1}(k = j)` with k over N and j over D compares
        # values, as `\mathbb{1}(k - j = 0)` does). The letter of a sum over all but another
        # letter has that letter's range, and no other.
        for _ in range(2):
            for pairs, free_only in ((self.pairs, False), (self.compared, True)):
                for left, right in pairs:
                    for a, b in ((left, right), (right, left)):
                        if a.name in self.ranges and not (free_only and b.name in self.ranges):
                            self.bind(b.name, self.ranges[a.name], b.tok)
        for name, (tok, text) in self.arithmetic.items():
            if name not in self.ranges and name not in self.own_axis:
                raise fail_at(tok, f"cannot tell the range of index {name}: index arithmetic "
                                   f"({text}) gives it none; expected {name} also as a plain "
                                   f"subscript or in a \\sum with bounds, or its range after the "
                                   f"formula, as in \\quad \\text{{for }} 1 \\le {name} \\le N")
        for name, tok in self.values.items():
            if name not in self.ranges and name not in self.own_axis:
                size_name = CONVENTIONAL_RANGES.get(name)
                if size_name is None or not self.scope.is_size(size_name):
                    family = self.family[0] if self.family and name in self.family[1] else None
                    raise unknown_range(name, tok, self.scope, family)
                self.ranges[name] = self.scope.sizes[size_name]
        return self.ranges
