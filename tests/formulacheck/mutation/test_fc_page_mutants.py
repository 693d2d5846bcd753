"""Mutation test of every page: a wrong step in a derivation must not pass.

Every Markdown page and notebook under docs/ is mutation-tested (`formulacheck mutate`,
mutation/page.py), found by listing the folder: a new page is tested from its first `make test`,
with nothing to register. A page without checked formulas has no mutants and passes. A surviving
mutant is either a true formula too, recorded with the reason in the page's record
(docs/PAGE.mutants.yml), or a claim too weak to check the derivation, to be strengthened on the
page; a record entry that names no surviving mutant fails too, so records cannot go stale.
"""

from pathlib import Path

import pytest

import formulacheck
from formulacheck.mutation.operators import all_mutants
from formulacheck.mutation.page import blocks_with_scope, mutate_page
from formulacheck.mutation.records import SUFFIX, read_record
from formulacheck.pages.check import read_page
from formulacheck.tex.shape_table import is_shape_table
from formulacheck.tex.tokens import tokenize

DOCS = Path(__file__).resolve().parents[3] / "docs"
PAGES = sorted(path for path in DOCS.rglob("*") if path.suffix in (".md", ".ipynb"))


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.relative_to(DOCS).as_posix())
def test_every_mutant_of_the_page_fails_unless_recorded_as_equivalent(page):
    report = mutate_page(page)
    assert report.ok, report.render()


def test_the_derivation_pages_have_mutants():
    """The parametrised test above would pass vacuously on pages it could not read."""
    counts = {page.name: mutate_page(page).mutants for page in (DOCS / "svm.md", DOCS / "train.ipynb")}
    assert counts["svm.md"] > 100 and counts["train.ipynb"] > 10, counts


def test_every_record_belongs_to_a_page_and_every_entry_has_a_reason():
    records = sorted(DOCS.rglob("*" + SUFFIX))
    assert records, "the site's pages record their equivalent mutants"
    for record in records:
        pages = [record.with_name(record.name.removesuffix(SUFFIX) + suffix) for suffix in (".md", ".ipynb")]
        page = next((p for p in pages if p.is_file()), None)
        assert page is not None, f"{record} belongs to no page"
        assert all(entry.reason.strip() for entry in read_record(page).equivalent)


def test_a_shape_table_is_mutated_as_a_table():
    page = DOCS / "two-layer.md"
    tables = [raw for raw, _, result in blocks_with_scope(read_page(page), page.name)
              if raw.kind == "display" and is_shape_table(tokenize(raw.text))]
    assert len(tables) == 1
    changes = [change for change, _ in all_mutants(tables[0].text, table=True)]
    assert sum(" -> " in change for change in changes) > 100  # each shape, changed every way
    assert any(change.endswith("transposed") for change in changes)


def test_the_notebook_blocks_are_read_as_the_checker_reads_them():
    page = DOCS / "train.ipynb"
    ours = blocks_with_scope(read_page(page), page.name)
    theirs = formulacheck.check_page(page).in_page_order()
    assert [(raw.line, result.status) for raw, _, result in ours] == [(b.line, b.status) for b in theirs]
    assert [raw.text for raw, _, _ in ours] == [b.source for b in theirs]
