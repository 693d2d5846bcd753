"""What a page has declared and defined so far, the sizes, and the random instances.

Symbols are keyed by `(name, arity)`: `L` (arity 0, the total loss) and `L_i` (arity 1, the family
defined with a free index) are different symbols that share a letter, as on the pages. A family
used without indices (`P` after `P_{ij} \\coloneqq ...`) is its matrix (arity 2) or column vector
(arity 1). Sizes get distinct values, so a transposed product can never pass by accident.
Every trial draws fresh leaves; definitions are evaluated on demand and memoised per trial.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from ..errors import fail_at
from ..limits import BRANCH_SCALES, BRANCH_TRIAL_BASE
from ..tex.vocabulary import tex_name
from .named_arrays import Tensor

#: Every page is checked under each of these assignments of sizes (GRAMMAR.md, "Sizes"): the
#: values of one assignment are distinct (a transposed product cannot pass), and every size, spare
#: sizes included, gets a different value in the second (a number written for a size, such as
#: `\\frac{1}{7}` for `\\frac{1}{N}`, cannot pass). The second orders the sizes differently too, and
#: no group of sizes has the same values under both: with D and K trading 3 and 4, every product
#: or sum of the two was alike (`\\frac{1}{12}` passed for `\\frac{1}{D K}`). No two sizes differ
#: by the same amount (or have the same ratio) under both: with K = D + 1 and H = K + 1 in each,
#: `D + 1` written for K passed. (The smallest values with these properties, all at least 3 and
#: D < H, found by a search.)
SIZE_ASSIGNMENTS = (
    ({"N": 7, "D": 3, "K": 4, "H": 5}, (6, 8, 9, 10, 11, 12, 13, 14)),
    ({"N": 3, "D": 4, "K": 6, "H": 8}, (5, 13, 7, 14, 17, 9, 20, 22)),
)
SIZE_VALUES, SPARE_SIZES = SIZE_ASSIGNMENTS[0]
CONVENTIONAL_RANGES = {"i": "N", "j": "K", "k": "K", "d": "D", "h": "H"}


#: `e`: Euler's number, never a symbol (`e^{x}` is the exponential, evaluation/evaluate.py).
EULER = "e"


def euler_is_no_symbol(token):
    """The error for `e` declared or defined: it is Euler's number (`e^{x}`, `\\log e = 1`)."""
    return fail_at(token, "e is Euler's number on every page (e^{x} is the exponential, and e alone "
                          "is 2.71828...); expected another name for the symbol")


class SymbolKind(StrEnum):
    """What a symbol is (a `str`: `SymbolKind.LEAF == "leaf"`)."""

    LEAF = "leaf"  # declared: a random value per trial (`X \\in \\mathbb{R}^{N \\times D}`)
    LABELS = "labels"  # declared: N random labels in 1..K (`y \\in \\{1, \\dots, K\\}^N`)
    LABEL = "label"  # declared: one random label in 1..K
    DEFINED = "defined"  # `\\coloneqq`: evaluated from its body
    ALIAS = "alias"  # named columns or rows of a matrix (`W = [w_1 \\cdots w_K]`)
    FUNCTION = "function"  # `f(x, y) = x y`: applied to arguments (evaluation/user_functions.py)


#: The kinds of symbol whose values each instance draws; every other is computed from them.
DRAWN_KINDS = (SymbolKind.LEAF, SymbolKind.LABELS, SymbolKind.LABEL)


@dataclass
class Symbol:
    """A declared leaf, a definition, or named pieces (an alias of a matrix's columns or rows)."""

    name: str
    arity: int
    kind: SymbolKind
    line: int
    shape: tuple = ()  # positional shape as size values, for leaves
    positive: bool = False
    label_upper: int = 0
    indices: tuple = ()  # family index letters, for definitions with arity > 0
    body: object = None
    ranges: dict = field(default_factory=dict)
    deps: set = field(default_factory=set)
    alias_of: tuple | None = None
    alias_axis: int = 0
    alias_transposed: bool = False
    # how a leaf's entries are drawn when not standard normal: ("binary",) for `\\{0, 1\\}`,
    # ("uniform", low, high) for an interval `[low, high]` (tex/structures.py)
    draw: tuple = ()

    @property
    def key(self) -> tuple:
        return (self.name, self.arity)


class Scope:
    """Declarations, definitions and sizes of one page scope, plus per-trial memo of values."""

    def __init__(self, seed: int = 0, assignment: int = 0, plan=None):
        self.seed = seed
        self.assignment = assignment  # which of SIZE_ASSIGNMENTS gives the sizes
        self.symbols: dict = {}
        self.sizes: dict = {}
        # a scope with size relations: its sizes solved ahead (evaluation/size_relations.py)
        self.plan = plan
        self.planned = bool(plan is not None and plan.values)
        if self.planned:  # sizes of axes first, so size_name() names an axis when S shares its value
            values = plan.values[assignment]
            self.sizes = dict(sorted(values.items(), key=lambda item: item[0] not in plan.axes))
        # the values the first assignment gives out, replayed under the second (a size first met
        # in a planned scope must differ under the two)
        self.first_given: set = set(plan.values[0].values()) if self.planned else set()
        self.failed: dict = {}  # key -> line of the definition that did not evaluate
        # a name as shown (`L`, `\\hat{W}`) -> (line, "declared" or "defined") of a formula with a
        self.broken: dict = {}  # problem whose text names it (pages/check.py), for a later use
        self.memo: dict = {}  # trial -> {key: Tensor}
        # (loss name, line) once the page states `dW \\coloneqq \\frac{\\partial L}{\\partial W}`
        self.code_gradient_loss: tuple | None = None  # (evaluation/code_names.py)
        self.conventions: dict = {}  # stated by a convention: marker (evaluation/conventions.py)

    # -- sizes -------------------------------------------------------------------------------
    def size(self, name: str) -> int:
        """The value of size `name`, assigning a fresh distinct one on first use."""
        if name not in self.sizes and self.planned:  # the smallest value free, from 2
            first = next(v for v in range(2, 10**6) if v not in self.first_given)
            self.first_given.add(first)
            used = set(self.sizes.values())
            self.sizes[name] = next(v for v in range(2, 10**6) if v not in used and (
                self.assignment == 0 or v != first))
        if name not in self.sizes:
            used = set(self.sizes.values())
            preferred, spares = SIZE_ASSIGNMENTS[self.assignment]
            value = preferred.get(name)
            if value is None or value in used:
                value = next(v for v in spares if v not in used)
            self.sizes[name] = value
        return self.sizes[name]

    def size_name(self, value: int) -> str:
        """The size name with this value (sizes are distinct), or the number itself."""
        for name, size in self.sizes.items():
            if size == value:
                return name
        return str(value)

    def sizes_text(self) -> str:
        """`N=3, D=4, K=6, H=8`: the sizes this scope has given out."""
        return ", ".join(f"{name}={value}" for name, value in self.sizes.items())

    def is_size(self, name: str) -> bool:
        return name in self.sizes

    # -- symbols -----------------------------------------------------------------------------
    def undeclared_tail(self, name: str, usual: str) -> str:
        """The end of the message for the undeclared symbol `name`: where a formula with a
        problem was to declare or define it; why `=` did not, for a letter that names a size (N,
        D, K, H: `N = 300` gives a size its value in prose); else `usual`.

        >>> scope = Scope()
        >>> scope.undeclared_tail("D", "expected a declaration")[:60]
        'D is one of the size letters N, D, K, H, which = does not de'
        >>> scope.broken["L"] = (8, "defined")
        >>> scope.undeclared_tail("L", "expected a declaration")
        'L is defined at line 8, in a formula with a problem; expected that formula fixed first'
        >>> scope.undeclared_tail("Q", "expected a declaration")
        'expected a declaration'
        """
        shown = tex_name(name)
        if shown in self.broken:
            line, verb = self.broken[shown]
            return (f"{shown} is {verb} at line {line}, in a formula with a problem; expected that "
                    "formula fixed first")
        if name in SIZE_VALUES:
            return (f"{name} is one of the size letters {', '.join(SIZE_VALUES)}, which = does not "
                    "define (N = 300 gives a size its value); expected a declaration, or a "
                    "definition with \\coloneqq, before its first use")
        return usual

    def lookup(self, name: str, arity: int) -> Symbol | None:
        return self.symbols.get((name, arity))

    def any_arity(self, name: str) -> list:
        return [s for (n, _), s in self.symbols.items() if n == name]

    def add(self, symbol: Symbol, token) -> None:
        if symbol.key == (EULER, 0):
            raise euler_is_no_symbol(token)
        if symbol.name in self.sizes:
            raise fail_at(token, f"{symbol.name} is a size; sizes, indices and symbols never share "
                                 f"a name (bold is presentation: \\mathbf{{{symbol.name}}} is "
                                 f"{symbol.name}); expected another letter for the symbol or for "
                                 "the size")
        existing = self.symbols.get(symbol.key)
        if existing is not None:
            raise fail_at(token, f"{_shown(symbol)} is already declared or defined at line "
                                 f"{existing.line}; expected a new name, or <!-- scope: ... --> "
                                 "to start a new scope")
        self.symbols[symbol.key] = symbol

    def depends_on(self, key: tuple, targets: set) -> bool:
        """Whether symbol `key` depends (transitively) on any of `targets`."""
        seen, stack = set(), [key]
        while stack:
            current = stack.pop()
            if current in targets:
                return True
            if current in seen:
                continue
            seen.add(current)
            symbol = self.symbols.get(current)
            if symbol is not None:
                stack.extend(symbol.deps)
                if symbol.alias_of is not None:
                    stack.append(symbol.alias_of)
        return False

    # -- random instances --------------------------------------------------------------------
    def leaf_value(self, symbol: Symbol, trial: int) -> Tensor:
        """The random value of a leaf in a trial: the same in every block of the scope. An
        instance drawn for a branch (`leaf_scale`) scales the unbounded leaves and crowds bounded
        ones toward an end (`drawn_entries`); labels keep their draws."""
        rng = np.random.default_rng([self.seed, trial, zlib.crc32(symbol.name.encode())])
        scale = leaf_scale(trial)
        if symbol.kind == SymbolKind.LABELS:
            data = rng.integers(1, symbol.label_upper + 1, size=symbol.shape)
            return Tensor(data.astype(np.int64), (), symbol.shape)
        if symbol.kind == SymbolKind.LABEL:
            return Tensor(np.asarray(rng.integers(1, symbol.label_upper + 1)), (), ())
        if symbol.positive:  # toward 0 on every other further instance, as a bounded leaf
            factor = 1 / scale if scale > 1.0 and at_low_end(trial) else scale
            return Tensor(np.asarray(factor * rng.uniform(0.5, 2.0)), (), ())
        if symbol.draw:
            return Tensor(np.asarray(drawn_entries(rng, symbol.draw, symbol.shape, trial)), (),
                          symbol.shape)
        return Tensor(scale * (rng.standard_normal(symbol.shape) if symbol.shape else
                               np.asarray(rng.standard_normal())), (), symbol.shape)

    def trial_memo(self, trial: int) -> dict:
        return self.memo.setdefault(trial, {})


def leaf_scale(trial: int) -> float:
    """1 for a plain instance; for the k-th instance drawn for a branch (trial BRANCH_TRIAL_BASE +
    k), the k-th of BRANCH_SCALES in turn.

    >>> leaf_scale(2), leaf_scale(BRANCH_TRIAL_BASE), leaf_scale(BRANCH_TRIAL_BASE + 1)
    (1.0, 3.0, 10.0)
    """
    if trial < BRANCH_TRIAL_BASE:
        return 1.0
    return BRANCH_SCALES[(trial - BRANCH_TRIAL_BASE) % len(BRANCH_SCALES)]


def at_low_end(trial: int) -> bool:
    """Whether an instance drawn for a branch crowds the leaves with a bound toward their low end
    (every other one; the scales, BRANCH_SCALES, are odd in number, so each meets both ends):
    a bounded leaf toward its lower bound, a positive one toward 0 (`\\lambda > 0.4` is wrong
    only there)."""
    return (trial - BRANCH_TRIAL_BASE) % 2 == 0


def drawn_entries(rng, draw: tuple, shape: tuple, trial: int = 0):
    """Entries of a bounded leaf: 0 or 1 each (`("binary",)`), or uniform between two bounds.

    An instance drawn for a branch (`leaf_scale` s > 1) crowds them toward one end, the low end
    on every other one: 1 with probability 1/s (or 1 - 1/s), or within (high - low) / s of the
    bound. A claim wrong only near an end (`p < 0.99` for `p \\in (0, 1)`, a mask column of zeros)
    is then tried there, as scaled leaves try a kink away from zero.

    >>> rng = lambda: np.random.default_rng(0)
    >>> float(drawn_entries(rng(), ("uniform", 0.0, 1.0), (), BRANCH_TRIAL_BASE + 7)) > 0.99
    True
    >>> drawn_entries(rng(), ("binary",), (6,), BRANCH_TRIAL_BASE + 4).tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    """
    scale = leaf_scale(trial)
    if scale == 1.0:
        if draw[0] == "binary":
            return rng.integers(0, 2, size=shape).astype(float)
        return rng.uniform(draw[1], draw[2], size=shape)
    low_end = at_low_end(trial)
    if draw[0] == "binary":
        return (rng.random(shape) < (1 / scale if low_end else 1 - 1 / scale)).astype(float)
    distance = (draw[2] - draw[1]) * rng.random(shape) / scale
    return draw[1] + distance if low_end else draw[2] - distance


def _shown(symbol: Symbol) -> str:
    if symbol.arity:
        return f"{tex_name(symbol.name)}_{{{''.join(symbol.indices)}}}"
    return tex_name(symbol.name)
