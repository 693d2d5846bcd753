"""The pytest face: every display block and inline claim of a Markdown file or notebook is one
test item (an inline claim is named `inline LINE:COL`; inline math with no relation gives no item,
and inline math that is not a claim by the other rules of pages/inline.py, which depend on what
the page declared before it, is a skip that names the rule).

Collection only reads the page (its blocks, and each block's label from the parse cache); nothing
is evaluated until the first item of a file runs, which checks the whole page once (a formula's
meaning depends on the declarations above it) and keeps the result for the file's other items,
as Sybil does. So `--collect-only` and `-k` cost no checking. The check goes through the checker's
results cache (pages/cache.py, under `.cache/formulacheck` of the working folder, shared with the
command line and the site's build): a page checked before costs a lookup, and an edited page is
checked only where the edit changed a formula or its scope. FORMULACHECK_CACHE_DIR=off keeps the
results in memory only, for one run.

`pytest docs/` (or `pytest docs/page.md`, `pytest docs/train.ipynb`) collects items named by the block's `\\label` or by its
line (`docs/softmax.md::line 42`). A failing or erroring block reports the formula, the failing
link, the values that disagreed (and at which indices) and the shapes, without a traceback. An
`unchecked` block is a skip whose reason shows with `-rs`. Files without display math give no
items, so this coexists with Sybil collecting `>>>` examples from the same files. Notebooks
(`.ipynb`: the math of their Markdown cells, see pages/notebook.py) are collected by this plugin alone;
a notebook whose lines cannot be located is a collection error that says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..errors import FormulaError
from ..evaluation.scope import Scope
from ..pages.cache import cached_check_page
from ..pages.check import read_page
from ..pages.inline import classify
from ..pages.markdown import RawBlock
from ..pages.notebook import NotebookError
from ..pages.results import Status
from ..tex.statements import parsed_block


class FormulaProblem(Exception):
    """A block that failed or errored; its message is the whole report."""


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in (".md", ".ipynb"):
        return None
    page = FormulaFile.from_parent(parent, path=file_path)
    try:
        items = page.read_items()
    except (OSError, UnicodeDecodeError):
        return None
    except NotebookError:
        return page  # collect() reports why
    return page if any(isinstance(item, RawBlock) for item in items) else None


class FormulaFile(pytest.File):
    """A Markdown page or notebook: one item per display block and inline claim, read without
    checking; the page is checked once, by the first item that runs."""

    def shown_path(self) -> str:
        try:
            return str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            return str(self.path)

    def read_items(self) -> list:
        """The page's blocks, spans and scope marks, read (not checked)."""
        return read_page(self.path).items

    def collect(self):
        seen = set()
        try:
            items = [item for item in self.read_items() if isinstance(item, RawBlock)]
        except NotebookError as problem:
            raise self.CollectError(str(problem)) from None
        display = [item for item in items if item.kind != "inline"]
        inline = [item for item in items if item.kind == "inline"]
        for index, raw in enumerate(display):
            label = _label(raw)
            name = label or f"line {raw.line}"
            name = name if name not in seen else f"{name} (line {raw.line})"
            seen.add(name)
            item = FormulaItem.from_parent(self, name=name, page=self, kind="display",
                                           index=index, line=raw.line)
            if "unchecked" in raw.markers and raw.markers["unchecked"].strip():
                # a skip marker (not pytest.skip in runtest) so -rs points at the page, not here
                item.add_marker(pytest.mark.skip(reason=f"unchecked formula at line {raw.line}: "
                                                        f"{raw.markers['unchecked'].strip()}"))
            yield item
        # inline claims (and inline spans marked unchecked) too; spans with no relation are
        # counted on the coverage page, not as tests
        for index, raw in enumerate(inline):
            marked = raw.markers.get("unchecked", "").strip()
            if not marked and classify(raw.text, Scope()) == "expression":
                continue
            item = FormulaItem.from_parent(self, name=f"inline {raw.line}:{raw.col}", page=self,
                                           kind="inline", index=index, line=raw.line)
            if marked:
                item.add_marker(pytest.mark.skip(
                    reason=f"unchecked inline formula at line {raw.line}: {marked}"))
            yield item

    def result(self):
        """The page's check, run once for all of this file's items."""
        if not hasattr(self, "_result"):
            self._result = cached_check_page(self.path)
        return self._result


def _label(raw: RawBlock):
    """The block's `\\label`, as the check will read it (the parse is cached for the check); None
    if the block does not parse, as its result then has no label either."""
    try:
        return parsed_block(raw.text, raw.line, raw.col).label
    except (FormulaError, RecursionError):
        return None


class FormulaItem(pytest.Item):
    """One display block or inline claim of a page; its outcome comes from the page's check."""

    def __init__(self, *, page: FormulaFile, kind: str, index: int, line: int, **kwargs):
        super().__init__(**kwargs)
        self.page, self.kind, self.index, self.line = page, kind, index, line

    def block(self):
        result = self.page.result()
        return (result.spans if self.kind == "inline" else result.blocks)[self.index]

    def runtest(self):
        block = self.block()
        if block.status == Status.CLASSIFIED:
            pytest.skip(f"not a claim at line {block.line}: {block.rule} ({block.reason})")
        if not block.ok:
            raise FormulaProblem(block.problem.render(page=self.page.shown_path()))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, FormulaProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.line - 1, f"{self.name} (formula at line {self.line})"
