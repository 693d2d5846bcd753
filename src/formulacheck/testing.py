r"""Helpers for tests of the checker and of pages that use it: check one formula after a preamble.

>>> block = check_formula(r"(x + 1)^2 = x^2 + 2 x + 1", "$$\nx \\in \\mathbb{R}\n$$\n")
>>> block.status, block.line
('checked', 6)
>>> check_formula(r"x = x + 1", "$$\nx \\in \\mathbb{R}\n$$\n").problem.kind
'failed'
"""

from __future__ import annotations

from .pages.check import check_markdown
from .pages.results import BlockResult, PageResult, Problem, Status


def formula_page(formula: str, preamble: str = "", *, marker: str = "") -> str:
    """`preamble`, a blank line, `marker` (an HTML comment such as `<!-- code: f(X) -->\n`, or
    nothing) and `formula` as the page's last display block."""
    return f"{preamble}\n{marker}$$\n{formula}\n$$\n"


def check_formula(formula: str, preamble: str = "", *, marker: str = "", page: str = "formula.md",
                  trials: int = 3, seed: int = 0) -> BlockResult:
    """The result of `formula` checked after `preamble` (declarations and definitions, each of
    which must pass: a test about the formula means nothing over a broken preamble)."""
    result = check_markdown(formula_page(formula, preamble, marker=marker), page, trials=trials,
                            seed=seed)
    *before, last = result.blocks
    broken = [block.message for block in before
              if block.status not in (Status.DECLARED, Status.DEFINED, Status.CHECKED)]
    assert not broken, "the preamble does not pass:\n" + "\n".join(broken)
    return last


def last_block(text: str, page: str = "page.md", **options) -> BlockResult:
    """The result of the last display block of the Markdown `text`."""
    return check_markdown(text, page, **options).blocks[-1]


def first_problem(result: PageResult) -> Problem | None:
    """The first problem of a page's blocks and spans, in page order, or None."""
    return next((item.problem for item in result.in_page_order()
                 if not item.ok and item.problem is not None), None)
