"""formulacheck: evaluate every display formula of a Markdown page, as written, on random instances.

Public API: `check_page(path, *, trials=3, seed=0)` and `check_markdown(text, name)` return a
`PageResult` whose `blocks` are `BlockResult`s (see report.py). The grammar is in GRAMMAR.md.
"""

from .core import check_markdown, check_page
from .report import BlockResult, PageResult

__all__ = ["check_page", "check_markdown", "PageResult", "BlockResult"]
