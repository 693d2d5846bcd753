"""Equation anchors stay put: a link to `page#eq-...` keeps pointing at the same formula when the
page gains a formula above it, and the key results carry readable labels."""

import re
from pathlib import Path

import pytest

from formulacheck import check_markdown
from formulacheck.faces.site.marks import anchors

DOCS = Path(__file__).resolve().parents[3] / "docs"
INSERTED = "$$\nq \\in \\mathbb{R}\n$$\n\n"


def anchors_by_tex(text: str, name: str) -> dict:
    """{TeX of a block: its anchor} for the text of a page."""
    blocks = check_markdown(text, name).blocks
    return {block.source: anchor for block, anchor in zip(blocks, anchors(blocks))}


def insert_before_block(text: str, number: int) -> str:
    """`text` with INSERTED just above the opening `$$` of display block `number` (0-based)."""
    openings = [m.start() for m in re.finditer(r"^\$\$\n", text, flags=re.MULTILINE)][::2]
    return text[:openings[number]] + INSERTED + text[openings[number]:]


@pytest.mark.parametrize("page", ["affine.md", "two-layer.md"])
@pytest.mark.parametrize("where", ["first", "middle"])
def test_inserting_a_formula_changes_no_other_anchor(page, where):
    text = (DOCS / page).read_text(encoding="utf-8")
    before = anchors_by_tex(text, f"docs/{page}")
    number = 0 if where == "first" else len(before) // 2
    after = anchors_by_tex(insert_before_block(text, number), f"docs/{page}")

    inserted = after.pop("q \\in \\mathbb{R}")
    assert after == before
    assert inserted not in before.values()


def test_the_same_formula_twice_gets_numbered_occurrences_from_the_top():
    page = "$$\nx \\in \\mathbb{R}\n$$\n\n$$\nx = x\n$$\n\n$$\nx = x\n$$\n"
    blocks = check_markdown(page, "p.md").blocks
    ids = anchors(blocks)

    assert ids[2] == ids[1] + "-2"
    assert anchors(check_markdown(INSERTED + page, "p.md").blocks)[1:] == ids


@pytest.mark.parametrize("page, label", [
    ("softmax.md", "eq-score-gradient"),
    ("affine.md", "eq-weight-gradient"),
    ("affine.md", "eq-bias-gradient"),
    ("affine.md", "eq-input-gradient"),
    ("two-layer.md", "eq-w2-gradient"),
    ("two-layer.md", "eq-relu-gradient"),
    ("two-layer.md", "eq-w1-gradient"),
])
def test_key_results_have_readable_anchors(page, label):
    blocks = check_markdown((DOCS / page).read_text(encoding="utf-8"), f"docs/{page}").blocks
    assert label in anchors(blocks)
