"""Result types and the human-readable messages (with a caret under the offending token)."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("checked", "declared", "defined", "unchecked", "failed", "error", "classified")


@dataclass
class BlockResult:
    """The outcome for one display block.

    `line` is the 1-based line of the block's first line of math in the page; `col` is the column
    of the problem (if any); `message` is the whole human text, starting with `page:LINE:COL:`.
    """

    page: str
    line: int
    source: str
    status: str
    links: int = 0
    trials: int = 0
    message: str = ""
    reason: str | None = None
    label: str | None = None
    uses: list = field(default_factory=list)
    code: str | None = None
    col: int = 0
    problem_line: int = 0
    # For the site's marks and coverage page: the line of the opening delimiter (`$$`, `\[`,
    # `\begin`), the names this block declares or defines (written like `uses`), and the shapes
    # of the values its claims compared (`N x K`, `scalar`, `entries (i, j) of N x K`).
    opening_line: int = 0
    defines: list = field(default_factory=list)
    shapes: list = field(default_factory=list)
    # "display" for a block, "inline" for a `$...$` span (pages/inline.py); `start_col` is the column of
    # the first character of math; a span that is not a claim is "classified" by `rule`.
    kind: str = "display"
    start_col: int = 0
    rule: str | None = None
    after_scope: bool = False  # an inline claim checked at the end of its scope (core.check_items)
    # Branch-aware sampling (GRAMMAR.md): instances drawn beyond `trials` so that every kink of a
    # claim is seen on both sides, and the kinks still seen on one side only (`LINE:COL |...|`).
    extra_trials: int = 0
    one_sided: list = field(default_factory=list)
    # What the checker's run saw, link by link (evidence.LinkEvidence), for the site's marks; and
    # how many of `links` are shape annotations (counted apart from the claims' relations).
    evidence: list = field(default_factory=list)
    shape_checks: int = 0

    @property
    def ok(self) -> bool:
        return self.status not in ("failed", "error")

    @property
    def name(self) -> str:
        """The test item name: the equation label, or `line N`."""
        return self.label if self.label else f"line {self.line}"

    def summary(self) -> str:
        """One line: `page:LINE: checked (3 links x 3 trials)` and similar."""
        where = f"{self.page}:{self.line}"
        if self.kind == "inline":
            where = f"{where}:{self.start_col}: inline"
        if self.status == "checked":
            extra = f", {self.extra_trials} more for branches" if self.extra_trials else ""
            return (f"{where}: checked ({self.links} link{'s' * (self.links != 1)} x {self.trials} "
                    f"trials{extra})")
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


def caret_excerpt(page_lines: list, line: int, col: int) -> str:
    """The page line `line` and a caret under column `col` (both 1-based)."""
    if not (1 <= line <= len(page_lines)):
        return ""
    text = page_lines[line - 1].rstrip("\n")
    return f"    {text}\n    {' ' * max(col - 1, 0)}^"


def problem_message(page: str, page_lines: list, error, formula: str) -> str:
    """`page:LINE:COL: kind: message`, the line with a caret, then details and the formula."""
    head = f"{page}:{error.line}:{error.col}: {error.kind}: {error.message}"
    parts = [head]
    excerpt = caret_excerpt(page_lines, error.line, error.col)
    if excerpt:
        parts.append(excerpt)
    parts.extend("    " + detail for detail in error.details)
    parts.append("  formula:\n" + "\n".join("    " + l for l in formula.strip().splitlines()))
    return "\n".join(parts)
