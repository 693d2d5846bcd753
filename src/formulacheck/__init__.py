"""formulacheck: evaluate every display formula of a Markdown page, as written, on random instances.

Public API: `check_page(path, *, trials=3, seed=0)` and `check_markdown(text, name)` return a
`PageResult` whose `blocks` are `BlockResult`s (see pages/results.py). The grammar is in
GRAMMAR.md; the layers (tex -> evaluation -> pages -> faces) are described in README.md.
"""

__all__ = ["check_page", "check_markdown", "PageResult", "BlockResult"]


def __getattr__(name):
    # Loaded on first use, so `formulacheck new` and `--help` start without importing numpy.
    if name in ("check_page", "check_markdown"):
        from .pages import check
        return getattr(check, name)
    if name in ("PageResult", "BlockResult"):
        from .pages import results
        return getattr(results, name)
    raise AttributeError(f"module 'formulacheck' has no attribute {name!r}")
