"""Mutation-testing a page: `mutate_page(path)` makes every mutant of every checked formula
(mutation/operators.py) and checks it in the scope its formula has on the page; each must fail,
unless the page's record (mutation/records.py) names it as a true formula too, with the reason.

`blocks_with_scope` checks the page once, as the page loop does, and keeps the scope before each
block, so a mutant is checked at its place without checking the whole page again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..evaluation.scope import Scope
from ..pages.check import check_item, read_page
from ..pages.incremental import snapshot
from ..pages.markdown import RawBlock, ScopeMark
from ..pages.results import Status
from ..pages.size_plan import scope_plans
from ..tex.shape_table import is_shape_table
from ..tex.tokens import tokenize
from .operators import all_mutants
from .records import entry_text, flat, read_record


def blocks_with_scope(reading, name: str, trials: int = 3) -> list:
    """[(raw item, the scope it is checked in, its result)] for every display block and inline
    span of a page (a `pages.check.Reading`), in page order; each item's TeX as the author wrote
    it. An inline claim the checker defers to the end of its scope (it names a symbol defined
    further down) is paired with the scope at that end, as the page loop checks it."""
    out, waiting = [], []
    plans = iter(scope_plans(reading.items))  # as the page loop plans them (pages/size_plan.py)
    scope = Scope(0, plan=next(plans))
    for item in reading.items + [ScopeMark(0, "")]:
        if isinstance(item, ScopeMark):
            for index, raw in waiting:
                before = snapshot(scope)
                out[index] = (raw, before, check_item(raw, scope, name, reading.lines, trials))
            scope, waiting = Scope(0, plan=next(plans, None)), []
            continue
        item = replace(item, text=reading.clean(item), markers=dict(item.markers),
                       problems=list(item.problems))
        before = snapshot(scope)
        known = len(scope.symbols)
        result = check_item(item, scope, name, reading.lines, trials)
        if item.kind == "inline" and result.status == Status.ERROR and len(scope.symbols) == known:
            waiting.append((len(out), item))
        out.append((item, before, result))
    return out


def check_mutant(raw: RawBlock, scope: Scope, text: str, name: str = "mutant.md", trials: int = 3):
    """Check block or span `raw` with its TeX replaced by `text`, in a copy of `scope`. A mutated
    inline span goes through the same rules as the page's (a mutant the inline rules classify as
    not a claim is not caught, and survives)."""
    mutated = replace(raw, text=text, markers=dict(raw.markers), problems=list(raw.problems))
    return check_item(mutated, snapshot(scope), name, [], trials)


@dataclass
class Survivor:
    """A mutant that passed: where its formula is, the change, the mutated TeX."""

    line: int
    col: int
    change: str
    text: str


@dataclass
class MutationReport:
    """What `mutate_page` found: mutants made and killed, the equivalent ones (as the record
    names them), the survivors, and the record's entries that name no surviving mutant."""

    page: str
    record: Path
    formulas: int = 0
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list = field(default_factory=list)
    stale: list = field(default_factory=list)  # records.Equivalent

    @property
    def ok(self) -> bool:
        return not self.survivors and not self.stale

    def render(self) -> str:
        """The report as the command prints it: each survivor with the entry that would record
        it, each stale entry, then one line of counts."""
        lines = []
        for survivor in self.survivors:
            lines.append(f"{self.page}:{survivor.line}:{survivor.col}: a mutant survives "
                         f"({survivor.change}): {flat(survivor.text)}")
        if self.survivors:
            lines.append(f"  Each is a mistake the page's claims do not catch: strengthen the claim "
                         f"(say more, or tie it to the code), or, if the mutated formula is true "
                         f"too, record it in {self.record.as_posix()} under equivalent: with the "
                         "reason:")
            lines += ["  " + line for survivor in self.survivors
                      for line in entry_text(survivor.text, "WHY THE MUTATED FORMULA IS TRUE")
                      .splitlines()]
        for entry in self.stale:
            lines.append(f"{self.record.as_posix()}: the equivalent mutant {entry.mutant} no "
                         "longer survives (its formula changed, or now fails): remove the entry")
        lines.append(f"{self.page}: {self.mutants} mutants of {self.formulas} checked formulas: "
                     f"{self.killed} fail, {self.equivalent} equivalent, "
                     f"{len(self.survivors)} survive")
        return "\n".join(lines)


def mutate_page(path, *, trials: int = 3) -> MutationReport:
    """Mutation-test the page at `path` against its record. Raises ValueError (a page that is not
    `.md`/`.ipynb`, a notebook that cannot be read) and `records.RecordError`."""
    path = Path(path)
    record = read_record(path)
    report = MutationReport(path.as_posix(), record.path)
    listed = {entry.mutant: entry for entry in record.equivalent}
    excused = set()
    for raw, scope, result in blocks_with_scope(read_page(path), str(path), trials):
        if result.status != Status.CHECKED:
            continue
        report.formulas += 1
        table = raw.kind != "inline" and is_shape_table(tokenize(raw.text))
        for change, text in all_mutants(raw.text, inline=raw.kind == "inline", table=table,
                                        mistakes=record.mistakes):
            report.mutants += 1
            outcome = check_mutant(raw, scope, text, trials=trials)
            if not outcome.ok:
                report.killed += 1
            elif flat(text) in listed:
                report.equivalent += 1
                excused.add(flat(text))
            else:
                report.survivors.append(Survivor(raw.line, raw.col, change, text))
    report.stale = [entry for entry in record.equivalent if entry.mutant not in excused]
    return report
