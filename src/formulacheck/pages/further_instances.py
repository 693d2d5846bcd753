r"""The instances a claim is checked on: its trials, then further ones while it asks for them.

A claim is evaluated on each of the block's trials. Past them, while a branch has been seen on one
side only (evaluation/trace.py), two scalars have not been drawn with all four pairs of signs, or
the claim is an inequality, it is evaluated on further instances, up to BRANCH_TRIALS in all, each
with its random leaves at a growing scale (`leaf_scale`). `InstanceDraws` hands out the trial
numbers, keeps what the instances found and says, at the end, what the page keeps on one side
(GRAMMAR.md, "Branch-aware sampling"):

>>> from ..limits import BRANCH_TRIAL_BASE
>>> draws = InstanceDraws(trials=3, inequality=False)
>>> for trial in draws:
...     draws.used({(6, 1, "\\max"): {1}}, {(6, 1, "\\max"): {trial}})
>>> draws.drawn, draws.further, sorted(draws.reasons), draws.one_sided()
(64, 61, [<DrawnFor.KINK: 'kink'>], ['6:1 \\max'])

The checking is left to the caller (pages/blocks.py): for each trial number handed out, it reports
the branch sides the instance reached (`used`), or that the instance could not be evaluated at its
scale (`not_usable`), or it raises.
"""

from __future__ import annotations

from ..errors import FormulaError
from ..evaluation.scope import leaf_scale
from ..evaluation.trace import (DOMAIN_OF, branch_pairs_missing, branch_sides, drawn_for,
                                leaf_signs, needs_other_side, one_sided, sign_pairs_missing)
from ..limits import BRANCH_TRIAL_BASE, BRANCH_TRIALS


class InstanceDraws:
    """The instances of one claim, in order (see the module docstring): iterate for the trial
    numbers; `used` or `not_usable` after each."""

    def __init__(self, trials: int, inequality: bool):
        self.trials = trials
        # A true inequality is one-sided by nature, and a false one is often right near zero
        # (z < 3): it is tried on every further instance, at every scale.
        self.inequality = inequality
        self.seen: dict = {}  # branch -> the sides seen so far, over every instance used
        self.inputs: dict = {}  # branch -> fingerprints of what it compared, over every instance
        self.not_used: dict = {}  # branch -> side reached by instances not used -> why the first
        self.signs: list = []  # the signs of the scalar leaves on each instance used
        self.sides: list = []  # the sides of the branches of scalars on each instance used
        self.drawn = 0  # instances handed out (the trials, then the further ones)
        self.unusable = 0  # further instances that could not be evaluated at their scale
        self.reasons: set = set()  # why further instances were drawn (trace.DrawnFor)
        self._waiting: list = []  # before the current further instance: branches on one side
        self._apart: list = []  # ... and pairs of signs not drawn together
        self._combinations: list = []  # ... and pairs of branch sides not reached together
        self.constant = False  # the claim reads nothing an instance draws (`nothing_varies`)

    @property
    def further(self) -> int:
        """The instances drawn beyond the trials."""
        return max(0, self.drawn - self.trials)

    def __iter__(self):
        while True:
            if self.drawn >= self.trials:
                self._apart = sign_pairs_missing(self.signs)
                self._combinations = branch_pairs_missing(self.sides)
                if self.drawn >= BRANCH_TRIALS or self.constant or not (
                        self.inequality or self._apart or self._combinations
                        or needs_other_side(self.seen, self.inputs, self.drawn)):
                    return
                self._waiting = one_sided(self.seen, domains=True)
                self.reasons |= drawn_for(self.seen, self._apart, self.inequality,
                                          self._combinations)
            trial = (self.drawn if self.drawn < self.trials
                     else BRANCH_TRIAL_BASE + self.drawn - self.trials)
            self.drawn += 1
            yield trial

    def nothing_varies(self) -> None:
        """The claim reads no value an instance draws (`2 < 3`, `|{-3}| = 3`, `\\log 3 \\approx
        1.0986`): every further instance would repeat the trials, so none is drawn."""
        self.constant = True

    def used(self, sides: dict, compared: dict) -> None:
        """The instance was evaluated: the sides each branch reached (branch -> sides) and the
        fingerprints of what it compared (branch -> fingerprints)."""
        for key, found in sides.items():
            self.seen.setdefault(key, set()).update(found)
            self.inputs.setdefault(key, set()).update(compared.get(key, ()))
        self.signs.append(leaf_signs(sides))
        self.sides.append(branch_sides(sides, compared))

    def not_usable(self, problem: FormulaError, sides: dict, trial: int) -> None:
        """The further instance `trial` stopped with `problem` (NaN, an overflow, a logarithm's
        domain, a tolerance that swamps the values ...) at a scale the trials did not use: it says
        nothing about the claim and is counted, not used, but the sides it reached are kept, each
        with why the first instance to reach it could not be used (`refuse_sides_never_used`)."""
        self.unusable += 1
        what = problem.message.split("; expected")[0]  # the fix is given for the kink
        why = f"at scale {leaf_scale(trial):g}: {what} (line {problem.line}, column {problem.col})"
        for key, found in (*sides.items(), *problem.reached.items()):
            for side in found:
                self.not_used.setdefault(key, {}).setdefault(side, why)

    def why_drawn(self, trial: int) -> str:
        """The detail a problem found on the further instance `trial` adds to its report."""
        if self._waiting:
            why = f"a branch had been seen on one side only: {', '.join(self._waiting)}"
        elif self._apart:
            why = f"two signs had not been drawn together: {', '.join(self._apart)}"
        elif self._combinations:
            why = ("two branches had not been reached with these sides together: "
                   f"{', '.join(self._combinations)}")
        else:
            why = "an inequality is tried at every scale"
        return (f"an instance drawn beyond the {self.trials} trials, with random values at scale "
                f"{leaf_scale(trial):g}, because {why}")

    def one_sided(self) -> list:
        """After the last instance: the branches the page keeps on one side (`trace.one_sided`),
        once no branch was reached on its other side only by instances not used; nothing when
        no further instance was drawn."""
        if not self.further:
            return []
        refuse_sides_never_used(self.seen, self.not_used)
        return one_sided(self.seen)


def refuse_sides_never_used(seen: dict, not_used: dict) -> None:
    r"""Raise an error for a branch seen on one side by the instances used and on its other side
    only by instances that were not used (evaluation/trace.py): the claim was never checked there,
    so the branch is not one the page keeps on one side. `not_used` maps a branch to the sides
    those instances reached, each with why the first of them could not be used.

    >>> refuse_sides_never_used({(4, 1, "\\max"): {-1}}, {(4, 1, "\\max"): {1: "at scale 1e+09: "
    ...                         "the claim evaluates to NaN or infinity (line 4, column 9)"}})
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: the other side of the kink \max at line 4, column 1 was reached only by instances that could not be evaluated at their scale (the first at scale 1e+09: the claim evaluates to NaN or infinity (line 4, column 9)), so the claim was never checked there; expected a formula that can be evaluated where the random values are large, or a kink the claim reaches at smaller values
    >>> refuse_sides_never_used({(4, 5, "domain of \\log"): {1}}, {(4, 5, "domain of \\log"): {
    ...     -1: "at scale 3: the logarithm of a value that is not positive (line 4, column 5)"}})
    Traceback (most recent call last):
    ...
    formulacheck.errors.FormulaError: the argument of \log at line 4, column 5 is negative on some instances drawn beyond the trials (the first at scale 3: the logarithm of a value that is not positive (line 4, column 5)), but on none of the trials; expected an argument inside the domain of \log for every value of its symbols: declare positive what must be (\lambda > 0), or write it so (x^2 + 1, e^{z})
    """
    for (line, col, label), sides in sorted(seen.items()):
        reached = not_used.get((line, col, label), {})
        missed = sorted(set(reached) - sides)
        if len(sides) != 1 or not missed:
            continue
        first = reached[missed[0]]
        if label.startswith(DOMAIN_OF):
            function = label[len(DOMAIN_OF):]
            raise FormulaError(f"the argument of {function} at line {line}, column {col} is "
                               f"negative on some instances drawn beyond the trials (the first "
                               f"{first}), but on none of the trials; expected an argument inside "
                               f"the domain of {function} for every value of its symbols: declare "
                               "positive what must be (\\lambda > 0), or write it so (x^2 + 1, "
                               "e^{z})", line=line, col=col)
        raise FormulaError(f"the other side of the kink {label} at line {line}, column {col} "
                           "was reached only by instances that could not be evaluated at "
                           f"their scale (the first {first}), so the claim was never checked "
                           "there; expected a formula that can be evaluated where the random "
                           "values are large, or a kink the claim reaches at smaller values",
                           line=line, col=col)
