"""Checking a page again through its memo (pages/incremental.py): an edit costs the formulas it
changed and those whose scope it changed, and the result always equals a check from scratch."""

import pickle
import random
from pathlib import Path

import pytest

from formulacheck import check_markdown
from formulacheck.evaluation.scope import SIZE_ASSIGNMENTS
from formulacheck.pages import cache as check_cache
from formulacheck.pages.incremental import PageMemo

DOCS = Path(__file__).resolve().parents[3] / "docs"
PASSES = len(SIZE_ASSIGNMENTS)  # the page loop checks every item once per size assignment
SEED = 20261205  # the edits of site pages below are drawn with it

PAGE = """\
$$
x \\in \\mathbb{R}, \\quad W \\in \\mathbb{R}^{D \\times C}, \\quad v \\in \\mathbb{R}^{C}
$$

$$
f(x) \\coloneqq x^2 + 1
$$

$$
f(x) - 1 = x^2
$$

Some prose, with an inline claim $(x + 1)^2 = x^2 + 2 x + 1$ in it.

$$
(W v)_i = \\sum_j W_{ij} v_j
$$

<!-- scope: second -->

$$
y \\in \\mathbb{R}
$$

$$
(y - 1)(y + 1) = y^2 - 1
$$

$$
2 y = y + y
$$
"""
ITEMS = 8  # display blocks and inline spans of PAGE


def same(result, other):
    """Two page results as a reader and the site see them: every field of every block and span."""
    return result == other


def test_a_page_checked_again_unchanged_costs_only_lookups():
    memo = PageMemo()
    first = check_markdown(PAGE, "p.md", memo=memo)
    assert (memo.hits, memo.misses) == (0, PASSES * ITEMS)

    again = check_markdown(PAGE, "p.md", memo=memo)

    assert (memo.hits, memo.misses) == (PASSES * ITEMS, 0)
    assert same(again, first)
    assert same(again, check_markdown(PAGE, "p.md"))


def test_an_edited_claim_is_the_only_formula_checked_again():
    memo = PageMemo()
    check_markdown(PAGE, "p.md", memo=memo)

    edited = check_markdown(PAGE.replace("f(x) - 1 = x^2", "f(x) - 2 = x^2"), "p.md", memo=memo)

    assert (memo.hits, memo.misses) == (PASSES * (ITEMS - 1), PASSES)
    assert [b.status for b in edited.blocks][2] == "failed"
    assert same(edited, check_markdown(PAGE.replace("f(x) - 1 = x^2", "f(x) - 2 = x^2"), "p.md"))


def test_an_edited_definition_checks_the_rest_of_its_scope_again():
    memo = PageMemo()
    check_markdown(PAGE, "p.md", memo=memo)
    text = PAGE.replace("f(x) \\coloneqq x^2 + 1", "f(x) \\coloneqq x^2 + 2")

    edited = check_markdown(text, "p.md", memo=memo)

    # the definition and the three items after it in its scope; the second scope is untouched
    assert memo.misses == PASSES * 4
    assert same(edited, check_markdown(text, "p.md"))
    assert edited.blocks[2].status == "failed"


EDITS = {
    "prose": ("Some prose", "Other prose"),
    "a claim made wrong": ("2 y = y + y", "2 y = y + y + 1"),
    "a declaration removed": ("y \\in \\mathbb{R}", "z \\in \\mathbb{R}"),
    "a line inserted": ("Some prose", "A new line.\n\nSome prose"),
    "a scope mark removed": ("<!-- scope: second -->", ""),
    "a block marked unchecked": ("$$\n2 y", "<!-- unchecked: a test -->\n$$\n2 y"),
    "a definition broken": ("f(x) \\coloneqq x^2 + 1", "f(x) \\coloneqq x^2 + \\mathbf{1}"),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_every_kind_of_edit_gives_what_a_check_from_scratch_gives(edit):
    old, new = EDITS[edit]
    text = PAGE.replace(old, new, 1)
    assert text != PAGE
    memo = PageMemo()
    check_markdown(PAGE, "p.md", memo=memo)

    edited = check_markdown(text, "p.md", memo=memo)
    back = check_markdown(PAGE, "p.md", memo=memo)

    assert same(edited, check_markdown(text, "p.md"))
    assert same(back, check_markdown(PAGE, "p.md"))


def test_a_line_inserted_above_a_formula_with_a_problem_moves_the_line_later_uses_name():
    broken = PAGE.replace("v \\in \\mathbb{R}^{C}", "v \\in \\mathbb{R}^{C}, \\quad "
                          "u \\coloneqq W \\mathbf{1}").replace("(W v)_i", "(W v + u)_i")
    memo = PageMemo()
    before = check_markdown(broken, "p.md", memo=memo)
    text = "A new line.\n\n" + broken

    edited = check_markdown(text, "p.md", memo=memo)

    [use_before] = [block for block in before.blocks if "(W v + u)" in block.source]
    [use_edited] = [block for block in edited.blocks if "(W v + u)" in block.source]
    # the declarations stopped at u's definition: v, declared in the same formula, is unknown
    assert "index v; v is declared at line 2, in a formula with a problem" in use_before.message
    assert "index v; v is declared at line 4, in a formula with a problem" in use_edited.message
    assert same(edited, check_markdown(text, "p.md"))


def test_prose_edited_beside_a_failing_inline_claim_shows_in_its_message():
    wrong = PAGE.replace("2 x + 1$", "x + 1$")
    memo = PageMemo()
    check_markdown(wrong, "p.md", memo=memo)
    text = wrong.replace("Some prose", "Sole prose")  # the claim keeps its column

    edited = check_markdown(text, "p.md", memo=memo)

    [span] = [s for s in edited.spans if s.problem is not None]
    assert span.problem.source_line.startswith("Sole prose")
    assert same(edited, check_markdown(text, "p.md"))


def test_the_memo_keeps_only_what_the_latest_check_used():
    memo = PageMemo()
    check_markdown(PAGE, "p.md", memo=memo)
    kept = (len(memo.results), len(memo.scopes))
    for number in range(5):
        check_markdown(PAGE.replace("x^2 + 1", f"x^2 + {number + 2}"), "p.md", memo=memo)
    check_markdown(PAGE, "p.md", memo=memo)

    assert (len(memo.results), len(memo.scopes)) == kept


def site_edits(text: str, rng: random.Random, count: int) -> list:
    """`count` edited copies of a page: a formula line changed (an operator swapped, a term
    added), deleted, or duplicated; each a different line, drawn with `rng`."""
    lines = text.split("\n")
    math = [i for i, line in enumerate(lines)
            if "\\" in line and not line.lstrip().startswith(("<!--", "```", "#", "!", "|"))]
    edits = []
    for index in rng.sample(math, count):
        line = lines[index]
        kind = rng.choice(["swap", "add", "delete", "duplicate"])
        if kind == "swap" and "+" in line:
            changed = [line.replace("+", "-", 1)]
        elif kind == "delete":
            changed = []
        elif kind == "duplicate":
            changed = [line, line]
        else:
            changed = [line.rstrip() + " + 1"]
        edits.append("\n".join(lines[:index] + changed + lines[index + 1:]))
    return edits


@pytest.mark.parametrize("page", ["softmax.md", "two-layer.md", "dropout.md"])
def test_edits_of_site_pages_give_what_a_check_from_scratch_gives(page):
    print(f"edits drawn with seed {SEED}")
    text = (DOCS / page).read_text(encoding="utf-8")
    memo = PageMemo()
    check_markdown(text, page, trials=1, memo=memo)
    for edited in site_edits(text, random.Random(f"{SEED}{page}"), 3):
        through_memo = check_markdown(edited, page, trials=1, memo=memo)
        assert memo.hits > 0
        assert same(through_memo, check_markdown(edited, page, trials=1))


def test_results_are_copies_each_way():
    memo = PageMemo()
    first = check_markdown(PAGE, "p.md", memo=memo)
    first.blocks[2].problem = "changed by a caller"
    first.blocks[2].status = "failed"

    again = check_markdown(PAGE, "p.md", memo=memo)

    assert same(again, check_markdown(PAGE, "p.md"))


def test_the_results_cache_files_a_memo_that_a_new_process_uses(tmp_path):
    cache = check_cache.ResultsCache(tmp_path)
    cache.check_markdown(PAGE, "docs/p.md")
    restarted = check_cache.ResultsCache(tmp_path)  # as `mkdocs serve` started again
    text = PAGE.replace("2 y = y + y", "2 y = y + y + 0")

    result = restarted.check_markdown(text, "docs/p.md")

    memo = restarted.memos[next(iter(restarted.memos))]
    assert (memo.hits, memo.misses) == (PASSES * (ITEMS - 1), PASSES)
    assert same(result, check_markdown(text, "docs/p.md"))


def test_a_memo_is_used_only_with_the_settings_it_was_made_with(tmp_path):
    cache = check_cache.ResultsCache(tmp_path)
    cache.check_markdown(PAGE, "docs/p.md")

    cache.check_markdown(PAGE.replace("Some prose", "Prose"), "docs/p.md", trials=2)

    memo = [m for m in cache.memos.values() if m.misses][-1]
    assert (memo.hits, memo.misses) == (0, PASSES * ITEMS)


def test_an_unreadable_memo_file_is_ignored(tmp_path):
    cache = check_cache.ResultsCache(tmp_path)
    cache.check_markdown(PAGE, "docs/p.md")
    for path in tmp_path.glob("memo-*.pickle"):
        path.write_bytes(b"not a pickle")

    restarted = check_cache.ResultsCache(tmp_path)
    result = restarted.check_markdown(PAGE.replace("Some prose", "Prose"), "docs/p.md")

    assert same(result, check_markdown(PAGE.replace("Some prose", "Prose"), "docs/p.md"))


def test_a_filed_memo_holds_no_values_of_symbols(tmp_path):
    cache = check_cache.ResultsCache(tmp_path)
    cache.check_markdown(PAGE, "docs/p.md")
    [path] = tmp_path.glob("memo-*.pickle")

    filed = pickle.loads(path.read_bytes())

    assert filed.scopes and all(scope.memo == {} for scope in filed.scopes.values())
    assert any(scope.memo for scope in cache.memos[path.stem].scopes.values())


RELATIONS = """\
$$
X \\in \\mathbb{R}^{N \\times H}, \\quad K \\in \\mathbb{R}^{k_h}
$$

$$
H' = 1 + \\frac{H + 2P - k_h}{S}
$$

$$
Y \\in \\mathbb{R}^{N \\times H'}, \\quad 2 H' = H' + H'
$$
"""


def test_a_scope_plan_is_solved_once_and_follows_its_relation(monkeypatch):
    from formulacheck.pages import size_plan

    solved = []
    real = size_plan.plan_sizes
    monkeypatch.setattr(size_plan, "plan_sizes", lambda *a: solved.append(a) or real(*a))
    memo = PageMemo()
    check_markdown(RELATIONS, "p.md", memo=memo)
    assert len(solved) == 1

    edited = RELATIONS.replace("2 H' = H' + H'", "3 H' = H' + H' + H'")
    assert same(check_markdown(edited, "p.md", memo=memo), check_markdown(edited, "p.md"))
    assert len(solved) == 2  # the check without a memo solved it; the one with it did not

    # no whole sizes: an error whose message names the relation's line, moved by the second text
    impossible = ("$$\nX \\in \\mathbb{R}^{H}, \\quad Y \\in \\mathbb{R}^{H'}\n$$\n\n"
                  "$$\nH' = H + \\frac{1}{2}\n$$\n")
    for text in (impossible, "\n\n" + impossible):
        through_memo = check_markdown(text, "p.md", memo=memo)
        assert same(through_memo, check_markdown(text, "p.md"))
        assert "(line %d)" % (text.count("\n", 0, text.index("H' = H")) + 1) in (
            through_memo.blocks[1].problem.text)
