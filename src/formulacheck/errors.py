"""The one exception type the checker raises for anything wrong with a formula or a page.

Every problem the checker finds in the *input* (bad LaTeX, an undeclared symbol, a wrong claim) is a
`FormulaError` carrying the position of the offending token, so the faces can print
`page.md:LINE:COL: message` with a caret. Anything else escaping the core is a bug in the checker.
"""

from __future__ import annotations


class FormulaError(Exception):
    """A problem in a formula, located at a token (line and column are 1-based, in the page).

    `kind` is "error" (the formula cannot be read or evaluated) or "failed" (it was evaluated and a
    claim is false). `details` holds extra lines (values that disagreed, shapes) for the report.
    `reached` holds the sides of the branches an evaluation had seen when it raised (a branch key
    of evaluation/trace.py -> sides): an instance that could not be evaluated still tells which
    side of a kink it was on (pages/further_instances.py, `refuse_sides_never_used`).

    >>> FormulaError("undeclared symbol Q", line=3, col=5).location("p.md")
    'p.md:3:5'
    """

    def __init__(self, message: str, *, line: int = 0, col: int = 0, kind: str = "error",
                 details: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.kind = kind
        self.details = tuple(details)
        self.reached: dict = {}

    def location(self, page: str) -> str:
        """`page:line:col`, the prefix editors and terminals understand."""
        return f"{page}:{self.line}:{self.col}"


def fail_at(token, message: str, *, kind: str = "error", details: tuple[str, ...] = ()) -> FormulaError:
    """Build a FormulaError positioned at `token` (anything with `.line` and `.col`, or None)."""
    line = getattr(token, "line", 0)
    col = getattr(token, "col", 0)
    return FormulaError(message, line=line, col=col, kind=kind, details=details)
