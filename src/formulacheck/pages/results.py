"""Result types: what each block's check found, as data; `Problem.render` is the one text form.

The faces (command line, pytest, the site's marks, the coverage page) read `Problem`'s fields and
render them as they need; none parses a message.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from enum import StrEnum


class _Word(StrEnum):
    """A `str` enum that reads as its word, in reprs too (`[(2, 'declared')]` in a doctest)."""

    def __repr__(self) -> str:
        return repr(self.value)


class Status(_Word):
    """What became of a block or an inline span (a `str`: `Status.CHECKED == "checked"`)."""

    CHECKED = "checked"
    DECLARED = "declared"
    DEFINED = "defined"
    UNCHECKED = "unchecked"
    FAILED = "failed"
    ERROR = "error"
    CLASSIFIED = "classified"


STATUSES = tuple(Status)


class ProblemKind(_Word):
    """`failed`: a claim was evaluated and is false; `error`: the formula cannot be read or
    evaluated; `unchecked`: the author marked it so (with a reason)."""

    FAILED = "failed"
    ERROR = "error"
    UNCHECKED = "unchecked"


def from_equals_note(names: list) -> str:
    """How `=` was read for a block's summary and mark: as the definition of a new name, not as
    a claim (pages/definitions.py).

    >>> from_equals_note(["z", "h"])
    'z, h read from = as a definition: first use'
    """
    return f"{', '.join(names)} read from = as a definition: first use"


def as_sizes_note(names: list) -> str:
    """How a size relation was read, for a block's summary and mark: a letter meant as a symbol
    that the page never defined reads as a size, and the note shows it.

    >>> as_sizes_note(["H'", "W'"]), as_sizes_note(["G"])
    ("H', W' read as sizes (size relations)", 'G read as a size (a size relation)')
    """
    if len(names) == 1:
        return f"{names[0]} read as a size (a size relation)"
    return f"{', '.join(names)} read as sizes (size relations)"


@dataclass
class Problem:
    """A problem at a place in a page: `line`/`col` are 1-based; `details` are extra lines
    (values that disagreed, sizes); `source_line` is the page's line at `line` (shown with a caret
    under `col`) and `formula` the block as written, when the problem is about its math.

    >>> problem = Problem("p.md", 2, 3, ProblemKind.ERROR, "undeclared symbol Q", ["hint"],
    ...                   source_line="x = Q", formula="x = Q")
    >>> print(problem.render())
    p.md:2:3: error: undeclared symbol Q
        x = Q
          ^
        hint
      formula:
        x = Q
    >>> problem.render(page="docs/p.md").splitlines()[0], problem.headline()
    ('docs/p.md:2:3: error: undeclared symbol Q', 'error: undeclared symbol Q')
    """

    page: str
    line: int
    col: int
    kind: ProblemKind
    text: str
    details: list = field(default_factory=list)
    source_line: str | None = None
    formula: str | None = None

    def headline(self) -> str:
        """`kind: text`, without the place (a mark under the formula needs none)."""
        return f"{self.kind}: {self.text}"

    def render(self, *, page: str | None = None) -> str:
        """`page:LINE:COL: kind: text`, the line with a caret, the details and the formula;
        `page` replaces the page's name (pytest shows it relative to the root)."""
        parts = [f"{self.page if page is None else page}:{self.line}:{self.col}: {self.headline()}"]
        if self.source_line is not None:
            parts.append(f"    {self.source_line}\n    {' ' * max(self.col - 1, 0)}^")
        parts.extend("    " + detail for detail in self.details)
        if self.formula is not None:
            parts.append("  formula:\n" + "\n".join("    " + l for l in self.formula.strip().splitlines()))
        return "\n".join(parts)


@dataclass
class BlockResult:
    """The outcome for one display block.

    `line` is the 1-based line of the block's first line of math in the page; `problem` is what
    is wrong (None when the block is fine), `message` its text (or the summary when fine).
    """

    page: str
    line: int
    source: str
    status: Status
    links: int = 0
    trials: int = 0
    problem: Problem | None = None
    reason: str | None = None
    label: str | None = None
    uses: list = field(default_factory=list)
    code: str | None = None
    # For the site's marks and coverage page: the line of the opening delimiter (`$$`, `\[`,
    # `\begin`), the names this block declares or defines (written like `uses`), and the shapes
    # of the values its claims compared (`N x K`, `scalar`, `entries (i, j) of N x K`).
    opening_line: int = 0
    defines: list = field(default_factory=list)
    # the names of `defines` read as definitions from `=` (their first use: pages/definitions.py)
    read_from_equals: list = field(default_factory=list)
    # the left sides of size relations: names read as sizes, not symbols (GRAMMAR.md, "Size relations")
    read_as_sizes: list = field(default_factory=list)
    shapes: list = field(default_factory=list)
    # "display" for a block, "inline" for a `$...$` span (pages/inline.py); `start_col` is the column of
    # the first character of math; a span that is not a claim is "classified" by `rule`.
    kind: str = "display"
    start_col: int = 0
    rule: str | None = None
    after_scope: bool = False  # an inline claim checked at the end of its scope (pages/check.py)
    # Branch-aware sampling (GRAMMAR.md): instances drawn beyond `trials` so that every kink of a
    # claim is seen on both sides, and the kinks still seen on one side only (`LINE:COL |...|`).
    extra_trials: int = 0
    one_sided: list = field(default_factory=list)
    # Of the extra instances, those that could not be evaluated at their scale (not used); and why
    # they were drawn (evaluation/trace.py, DrawnFor).
    unusable_trials: int = 0
    drawn_for: list = field(default_factory=list)
    # Whether it read a random value (a leaf or labels, directly or through a definition): if not,
    # every instance gave the same values (`2 < 3`, `\\log 3 \\approx 1.0986`).
    reads_random: bool = True
    # What the checker's run saw, link by link (evidence.LinkEvidence), for the site's marks; and
    # how many of `links` are shape annotations (counted apart from the claims' relations).
    evidence: list = field(default_factory=list)
    shape_checks: int = 0

    @property
    def ok(self) -> bool:
        return self.status not in (Status.FAILED, Status.ERROR)

    @property
    def message(self) -> str:
        """The problem as text (`page:LINE:COL: ...`), or the one-line summary of a fine block."""
        return self.problem.render() if self.problem is not None else self.summary()

    @property
    def name(self) -> str:
        """The test item name: the equation label, or `line N`."""
        return self.label if self.label else f"line {self.line}"

    def summary(self) -> str:
        """One line: `page:LINE: checked (3 links x 3 trials)` and similar."""
        where = f"{self.page}:{self.line}"
        if self.kind == "inline":
            where = f"{where}:{self.start_col}: inline"
        read = f"; {from_equals_note(self.read_from_equals)}" if self.read_from_equals else ""
        read += f"; {as_sizes_note(self.read_as_sizes)}" if self.read_as_sizes else ""
        if self.status == "checked":
            extra = f", {self.extra_trials} more at larger scales" if self.extra_trials else ""
            if self.unusable_trials:
                extra += f", {self.unusable_trials} of them unusable at their scale"
            return (f"{where}: checked ({self.links} link{'s' * (self.links != 1)} x {self.trials} "
                    f"trials{extra}{read})")
        if self.status == "defined" and read:
            return f"{where}: defined ({read[2:]})"
        if self.status == "unchecked":
            return f"{where}: unchecked ({self.reason})"
        if self.status == "classified":
            return f"{where}, not a claim ({self.rule})"
        if self.status in ("failed", "error"):
            return f"{where}: {self.status}"
        return f"{where}: {self.status}"


@dataclass
class PageResult:
    """All display blocks of one page, in order, and its inline spans (`spans`, pages/inline.py);
    `ok` when none of either failed or errored."""

    page: str
    blocks: list = field(default_factory=list)
    spans: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(block.ok for block in self.blocks + self.spans)

    def counts(self, *, inline: bool = False) -> dict:
        """How many display blocks (or inline spans) have each status."""
        chosen = self.spans if inline else self.blocks
        return {status: sum(b.status == status for b in chosen) for status in STATUSES}

    def in_page_order(self) -> list:
        """Blocks and spans together, by where they start in the page."""
        return sorted(self.blocks + self.spans,
                      key=lambda b: (b.opening_line, b.start_col if b.kind == "inline" else 0))


def copy_of(result):
    """A deep copy of a result (a `PageResult`, a `BlockResult`), made through pickle: results
    are plain data, and this is about 4 times faster than `copy.deepcopy` (a build copies every
    page's result from the cache).

    >>> block = BlockResult("p.md", 2, "x", Status.CHECKED)
    >>> copied = copy_of(block)
    >>> (copied == block, copied is block)
    (True, False)
    """
    return pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
