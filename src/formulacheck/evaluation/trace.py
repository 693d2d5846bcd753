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

import enum

import numpy as np

from .derivatives import STEP

#: Instances after which a branch that compared the same values every time counts as fixed by the
#: page (a random label repeats 8 times in a row with probability at most (1/3)^7 = 0.05%).
SAME_VALUES_TRIALS = 8

#: Instances after which two branches only ever seen in step count as one condition (`|r| \le
#: \delta` beside `r^2 \le \delta^2`). Two conditions that are not one can look so for a while:
#: two labels' `c = 1` and `g = 1` with 3 classes differ on an instance with probability 4/9, and
#: agree on 16 in a row with probability (5/9)^16 < 10^-4 (on 8, 0.9%).
IN_STEP_TRIALS = 16

#: The label of a branch that is the sign of a function's argument (evaluation/hidden_signs.py):
#: further instances look for its other side, but staying on one side is the domain, not a gap.
DOMAIN_OF = "domain of "


class EvalTrace:
    """Magnitude, rounding steps and branch sides of one evaluation (see the module docstring)."""

    __slots__ = ("magnitude", "steps", "branches", "inputs", "largest", "exponents")

    def __init__(self):
        self.magnitude = 0.0
        # the largest magnitude met while computing the argument of an exponential: e^{a} is off
        # by that many rounding steps relative to its value (evaluate.py, `relative_quotient`)
        self.exponents = 0.0
        self.steps = 0
        self.largest = 0  # the most numbers one value held (how a derivative sizes its chunks)
        self.branches: dict = {}
        self.inputs: dict = {}  # branch -> fingerprints of the values it compared

    def note(self, value, steps: int = 1) -> None:
        """An intermediate value and the rounding steps that made it."""
        self.steps += steps
        data = value.data
        if not isinstance(data, np.ndarray):
            data = np.asarray(data)
        if data.size == 0:
            return
        self.largest = max(self.largest, data.size)
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

    def part(self, evaluate):
        """`evaluate()` with a magnitude and exponents of its own, the trace's own back afterwards:
        (its value, the magnitude and the exponents met in it), for the caller to count as the
        part's error allows (functions.py `exponential`, evaluate.py `relative_quotient`)."""
        outside = self.magnitude, self.exponents
        self.magnitude = self.exponents = 0.0
        try:
            return evaluate(), self.magnitude, self.exponents
        finally:
            self.magnitude, self.exponents = outside

    def include(self, magnitude: float, exponents: float) -> None:
        """Count a part evaluated on its own (`part`) whose value is used: its magnitude (NaN
        included: a NaN met on the way is kept) and the magnitude met in its exponents."""
        if magnitude > self.magnitude or magnitude != magnitude:
            self.magnitude = magnitude
        self.exponents = max(self.exponents, exponents)

    def relative_error(self, value, magnitude: float) -> None:
        """`value` (data, entry by entry) is computed to a few rounding steps of its own size times
        `magnitude` (when above 1), so M grows to its size times that. e^{a}, where computing a
        met M_a: a is off by up to n u M_a, which moves e^{a} by n u M_a e^{a} (the condition
        number of e^{a} is |a|), so M grows to M_a e^{a} (`e^{x^2} e^{y^2} = e^{x^2 + y^2}` at
        x = 10 differs by 100 u e^{100}, not u e^{100}), and not to M_a itself: `e^{-1000 x^2}`
        is near 0 and computed to a few rounding steps of its own size, not of 1000 (counted so,
        `e^{-1000 x^2} = 0` passed for half of the seeds). A quotient of such values, with the
        magnitude met in its exponents (evaluate.py, `relative_quotient`). A NaN met is kept."""
        size = np.abs(np.real(value))
        largest = float(size.max()) if size.size else 0.0
        self.include(largest * max(1.0, magnitude) if magnitude == magnitude else magnitude, 0.0)

    def divided_by(self, denominator) -> None:
        """A division by `denominator` (its data): a rounding error of the numerator, at most n u M,
        is divided by it too, so a denominator below 1 amplifies it, `\\frac{(r + h) - (r - h)}{2h}`
        by 1/(2h) (GRAMMAR.md, "Tolerance"), and M grows by as much."""
        sizes = np.abs(np.real(denominator))  # index letters and labels are integers
        smallest = float(sizes.min()) if sizes.size else np.inf
        if 0 < smallest < 1:
            self.magnitude /= smallest

    def merge(self, other: "EvalTrace | None") -> None:
        """Take in the trace of an input (a definition's value, the numerator of a derivative)."""
        if other is None:
            return
        self.steps += other.steps
        self.largest = max(self.largest, other.largest)
        if other.magnitude > self.magnitude:
            self.magnitude = other.magnitude
        self.exponents = max(self.exponents, other.exponents)
        for key, sides in other.branches.items():
            self.branches.setdefault(key, set()).update(sides)
            self.inputs.setdefault(key, set()).update(other.inputs.get(key, ()))

    def branch(self, tok, label: str, signed, compared=None) -> None:
        """Record the sides seen at a kink: the signs of `signed` (0, exactly at the kink, is
        neither side); `compared` (default: `signed`) are the values the branch looked at."""
        real = np.real(signed)
        seen = {side for side, present in ((1, np.any(real > 0)), (-1, np.any(real < 0))) if present}
        key = (getattr(tok, "line", 0), getattr(tok, "col", 0), label)
        self.branches.setdefault(key, set()).update(seen)
        # by their size: a kink that compares -v sees the same condition as one comparing v, on
        # the other side (`\max(0, z)` and the sign of z), and `branch_sides` takes them as one
        looked_at = (np.abs(real),) if compared is None else compared
        self.inputs.setdefault(key, set()).add(
            hash(b"|".join(np.ascontiguousarray(np.real(part)).tobytes() for part in looked_at)))

    def copy(self) -> "EvalTrace":
        twin = EvalTrace()
        twin.merge(self)
        return twin


#: The labels of the sign of a scalar random leaf and of an entry of a random leaf read by its
#: digits (`Evaluator.sign_seen`, evaluation/evaluate.py): `sign of x`, `sign of the entry v_{1}`.
SIGN_OF = "sign of "
ENTRY_SIGN_OF = "sign of the entry "
#: The label of the sign of the base of an even power (`Evaluator.eval_Power`): `(...)^2`.
EVEN_POWER = "(...)^"


def leaf_signs(sides: dict) -> dict:
    """The sign each scalar random leaf had on one instance, from the branch sides the instance
    reached: the leaf's name -> 1 or -1 (a leaf exactly 0 has no sign). Not the entries read by
    their digits: a column written out entry by entry (`f_1`, ..., `f_K` of a `\\vdots` matrix)
    reads many, whose pairs of signs would take many instances to cover.

    >>> leaf_signs({(6, 1, "sign of x"): {-1}, (6, 9, "sign of y"): {1}, (6, 4, "|...|"): {1},
    ...             (6, 12, "sign of the entry v_{1}"): {1}})
    {'x': -1, 'y': 1}
    """
    return {label[len(SIGN_OF):]: next(iter(found)) for (_, _, label), found in sides.items()
            if label.startswith(SIGN_OF) and not label.startswith(ENTRY_SIGN_OF)
            and len(found) == 1}


def sign_pairs_missing(patterns: list) -> list:
    """For two scalar leaves read on the same instances, the combinations of their signs that no
    instance drew (`leaf_signs` of each instance), as `x < 0 with y > 0`: each sign of x and of y
    can be drawn while these two are never drawn together, and `|x + y| = |x| + |y|` is wrong
    there only. Pairs, not every combination of more leaves: a pair of signs is what a formula of
    two scalars gets wrong, and every pair is covered in a few instances.

    >>> sign_pairs_missing([{"x": 1, "y": 1}, {"x": -1, "y": -1}, {"x": 1, "y": -1}])
    ['x < 0 with y > 0']
    >>> sign_pairs_missing([{"x": 1}, {"x": -1}])
    []
    """
    return [f"{a} {'>' if sign_a > 0 else '<'} 0 with {b} {'>' if sign_b > 0 else '<'} 0"
            for (a, b), combinations in sorted(_pairs_reached(patterns).items())
            for sign_a in (1, -1) for sign_b in (1, -1) if (sign_a, sign_b) not in combinations]


def _pairs_reached(patterns: list) -> dict:
    """For each two keys found together on an instance (each instance a dict key -> side), in
    sorted order, the pairs of their sides reached together."""
    reached: dict = {}
    for sides in patterns:
        keys = sorted(sides)
        for first, at in enumerate(keys):
            for other in keys[first + 1:]:
                reached.setdefault((at, other), set()).add((sides[at], sides[other]))
    return reached


def branch_sides(sides: dict, compared: dict) -> dict:
    r"""The side each branch of a scalar took on one instance, from the branch sides the instance
    reached (a branch seen on both sides, over the entries of a matrix, or exactly at its kink has
    none): the kinks, where the formula of the value changes, and the signs of the scalar leaves.
    Not domains (their other side is not a branch of the value), the signs of bases of even
    powers (`(x + h)^2`, the same formula on either side; `(x + h)^2` and `(x - h)^2` with h > 0
    can never take four pairs of signs) or the entries read by their digits (as `leaf_signs`).
    Branches that compared the same values, or the same values negated, on the instance
    (`compared`: branch -> fingerprints, `EvalTrace.branch`; x read at two places, `|r|` in a
    definition and in the claim, `\max(0, z)` beside the sign of z) are one condition: the first
    stands for them all.

    >>> branch_sides({(6, 1, "max"): {-1}, (6, 9, "sign of x"): {1}, (6, 4, "|...|"): {1, -1},
    ...               (6, 2, "domain of log"): {1}, (6, 12, "sign of the entry v_{1}"): {1},
    ...               (6, 20, "(...)^2"): {1}, (7, 3, "sign of x"): {1}},
    ...              {(6, 9, "sign of x"): {11}, (7, 3, "sign of x"): {11}, (6, 1, "max"): {12}})
    {(6, 1, 'max'): -1, (6, 9, 'sign of x'): 1}
    """
    chosen, conditions = {}, set()
    for key, found in sorted(sides.items()):
        if len(found) != 1 or key[2].startswith((DOMAIN_OF, ENTRY_SIGN_OF, EVEN_POWER)):
            continue
        condition = frozenset(compared.get(key, ())) or key
        if condition not in conditions:
            conditions.add(condition)
            chosen[key] = next(iter(found))
    return chosen


def branch_pairs_missing(patterns: list) -> list:
    """For two branches of scalars, each seen on both sides, the combinations of their sides that
    no instance reached together (`branch_sides` of each instance), as `4:1 sign of r < 0 with
    8:20 indicator > 0`: the Huber loss's slope written `\\delta` where it is `\\delta
    \\operatorname{sign}(r)` is wrong only outside the cases' first condition with r < 0, and each
    side of each can be reached while these two never are together.

    A combination may be impossible (r > 1 with r < 0): the caller stops at its limit of instances.
    Two branches that were only ever seen in step (each side of one always with the same side of
    the other) over IN_STEP_TRIALS instances or more are taken for one condition (`|r| \\le
    \\delta` beside `r^2 \\le \\delta^2`) and not listed; two signs of leaves are
    `sign_pairs_missing`'s.

    >>> r, cases = (4, 1, "sign of r"), (8, 20, "indicator")
    >>> branch_pairs_missing([{r: 1, cases: 1}, {r: -1, cases: -1}, {r: 1, cases: -1}])
    ['4:1 sign of r < 0 with 8:20 indicator > 0']
    >>> same = (9, 3, "indicator")
    >>> branch_pairs_missing([{r: side, same: side} for side in (1, -1) * 8])
    []
    """
    missing = []
    for (a, b), together in sorted(_pairs_reached(patterns).items()):
        if a[2].startswith(SIGN_OF) and b[2].startswith(SIGN_OF):
            continue  # two leaves: `sign_pairs_missing`, where every pair can be drawn
        sides_a, sides_b = {side for side, _ in together}, {side for _, side in together}
        if len(sides_a) < 2 or len(sides_b) < 2 or len(together) == 4:
            continue  # a branch on one side is the one-sided rule's (`needs_other_side`)
        in_step = len(together) == 2 and len({side_a * side_b for side_a, side_b in together}) == 1
        if in_step and len(patterns) >= IN_STEP_TRIALS:
            continue
        missing += [f"{_branch_text(a)} {'>' if side_a > 0 else '<'} 0 with "
                    f"{_branch_text(b)} {'>' if side_b > 0 else '<'} 0"
                    for side_a in (1, -1) for side_b in (1, -1)
                    if (side_a, side_b) not in together]
    return missing


def _branch_text(key) -> str:
    line, col, label = key
    return f"{line}:{col} {label}"


class DrawnFor(str, enum.Enum):
    """Why instances beyond the trials were drawn for a block (the site's mark names each)."""

    KINK = "kink"  # a kink seen on one side
    SIGN = "sign"  # the sign of a scalar, or of one under an even power
    PAIR = "pair"  # two scalars not yet drawn with all four pairs of signs
    BRANCHES = "branches"  # two branches of scalars not yet reached with all pairs of sides
    DOMAIN = "domain"  # an argument that can leave a function's domain
    INEQUALITY = "inequality"  # an inequality, tried at every scale


def drawn_for(branches: dict, apart: list, inequality: bool, combinations: list = ()) -> set:
    """The reasons for drawing one further instance: the branches seen on one side so far (a
    domain among them), `apart`, the pairs of signs not drawn (`sign_pairs_missing`),
    `combinations`, the pairs of branch sides not reached together (`branch_pairs_missing`).

    >>> sorted(drawn_for({(6, 1, "\\\\max"): {1}, (6, 9, "sign of x"): {-1},
    ...                   (6, 4, "domain of \\\\log"): {1}, (6, 2, "|...|"): {1, -1}}, [], False))
    [<DrawnFor.DOMAIN: 'domain'>, <DrawnFor.KINK: 'kink'>, <DrawnFor.SIGN: 'sign'>]
    """
    reasons = {DrawnFor.PAIR} if apart else set()
    if combinations:
        reasons.add(DrawnFor.BRANCHES)
    if inequality:
        reasons.add(DrawnFor.INEQUALITY)
    for (_, _, label), sides in branches.items():
        if len(sides) == 1:
            reasons.add(DrawnFor.DOMAIN if label.startswith(DOMAIN_OF) else
                        DrawnFor.SIGN if label.startswith((SIGN_OF, EVEN_POWER)) else DrawnFor.KINK)
    return reasons


def needs_other_side(branches: dict, inputs: dict, drawn: int) -> bool:
    """Some branch was seen on exactly one side, by values that change from instance to instance.

    A branch that compared the same values on every one of at least SAME_VALUES_TRIALS instances
    does not depend on the random leaves (`z \\coloneqq 0`, then `\\mathbb{1}(z > 0)`): no further
    instance can reach its other side. (A few instances, not one: a random label can repeat.)
    """
    return any(len(sides) == 1 and (len(inputs.get(key, ())) > 1 or drawn < SAME_VALUES_TRIALS)
               for key, sides in branches.items())


def one_sided(branches: dict, domains: bool = False) -> list:
    """The branch points seen on exactly one side, as `LINE:COL label` (a branch seen only at the
    kink itself was put there by the page and is not listed). A domain is listed only with
    `domains`: what a further instance is drawn for, not what the page is told (its one side is
    where the function is defined)."""
    return [f"{line}:{col} {label}" for (line, col, label), sides in sorted(branches.items())
            if len(sides) == 1 and (domains or not label.startswith(DOMAIN_OF))]
