"""The pytest face: every display block and inline claim of a Markdown file or notebook is one
test item (an inline claim is named `inline LINE:COL`; inline math that is not a claim by the
rules of pages/inline.py gives no item).

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

from ..pages.check import check_page, page_items
from ..pages.notebook import Notebook, NotebookError
from ..pages.markdown import RawBlock


class FormulaProblem(Exception):
    """A block that failed or errored; its message is the whole report."""


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix not in (".md", ".ipynb"):
        return None
    try:
        text = file_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if file_path.suffix == ".ipynb":
        try:
            items = Notebook(text, str(file_path)).items()
        except NotebookError:
            return FormulaFile.from_parent(parent, path=file_path)  # collect() reports why
    else:
        items = page_items(text)
    if not any(isinstance(item, RawBlock) for item in items):
        return None
    return FormulaFile.from_parent(parent, path=file_path)


class FormulaFile(pytest.File):
    """A Markdown page; checking it once yields one item per display block and inline claim."""

    def collect(self):
        try:
            shown = str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            shown = str(self.path)
        try:
            result = check_page(self.path)
        except NotebookError as problem:
            raise self.CollectError(str(problem)) from None
        result.page = shown
        seen = set()
        for block in result.blocks:
            block.message = block.message.replace(str(self.path), shown)
            name = block.name if block.name not in seen else f"{block.name} (line {block.line})"
            seen.add(name)
            item = FormulaItem.from_parent(self, name=name, block=block)
            if block.status == "unchecked":
                # a skip marker (not pytest.skip in runtest) so -rs points at the page, not here
                item.add_marker(pytest.mark.skip(
                    reason=f"unchecked formula at line {block.line}: {block.reason}"))
            yield item
        # inline claims (and inline spans marked unchecked) too; spans that are not claims by
        # the inline rules are counted on the coverage page, not as tests
        for span in result.spans:
            if span.status == "classified":
                continue
            span.message = span.message.replace(str(self.path), shown)
            item = FormulaItem.from_parent(self, name=f"inline {span.line}:{span.start_col}",
                                           block=span)
            if span.status == "unchecked":
                item.add_marker(pytest.mark.skip(
                    reason=f"unchecked inline formula at line {span.line}: {span.reason}"))
            yield item


class FormulaItem(pytest.Item):
    """One display block; the check already ran at collection, so this only reports."""

    def __init__(self, *, block, **kwargs):
        super().__init__(**kwargs)
        self.block = block

    def runtest(self):
        block = self.block
        if not block.ok:
            raise FormulaProblem(block.message)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, FormulaProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.block.line - 1, f"{self.name} (formula at line {self.block.line})"
