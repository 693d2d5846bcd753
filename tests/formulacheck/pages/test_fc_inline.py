"""Inline math: which spans are read (as pymdownx.arithmatex finds them), which rule classifies
the spans that are not claims, and how claims are checked in the page's scope at their place.

Expected spans are those of Python-Markdown with arithmatex itself on the same text (the site's
configuration), so the reader's math and the checker's agree by construction of each case.
"""

import markdown
import pytest

from formulacheck import check_markdown
from formulacheck.faces.site.marks import content_anchor
from formulacheck.faces.site.html_math import math_in_html
from formulacheck.pages.inline import classify, find_spans
from formulacheck.faces.site.plugin import unaccounted_math
from formulacheck.pages.markdown import read_blocks
from formulacheck.evaluation.scope import Scope

DECLARE = "$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n\n"


def spans(text: str) -> list:
    return [s.text for s in find_spans(text, read_blocks(text))]


def arithmatex(text: str) -> list:
    md = markdown.Markdown(extensions=["pymdownx.arithmatex", "tables", "footnotes", "admonition"],
                           extension_configs={"pymdownx.arithmatex": {"generic": True}})
    return [tex for tex, display in math_in_html(md.convert(text)) if not display]


@pytest.mark.parametrize("text", [
    "a $x = 1$ b",
    "code `$x$` and ``a `$y$` b`` then $z$",
    "escaped \\$5 and \\$6, then $w$",
    "smart dollars: $ x$ and $x $ are not math, $5 and $6 neither",
    "over two lines $a +\nb$ in one paragraph",
    "not over a blank line $a\n\nb$",
    "| $a$ | $b | c$ |\n|---|---|---|\n| $d$ | e | f |",
    "a paragraph | with $p | q$ and pipes",
    "- item $p$\n- item $q$\n\n1. $r$",
    "display in a paragraph, so $$F = X W$$ and on",
    "round \\(x + 1\\) and \\[not inline\\]",
    "<!-- a comment $c$ --> after $d$",
    "```\n$code$\n```\n\nafter $e$",
    "text[^1]\n\n[^1]: a footnote $f$",
    "!!! note\n\n    in a note $g$",
])
def test_spans_are_those_arithmatex_hands_to_mathjax(text):
    assert spans(text) == arithmatex(text)


def test_a_span_knows_its_place_and_its_marker():
    text = "line one\nso $x = 1$<!-- unchecked: a value --> and $y$.\n"
    found = find_spans(text, read_blocks(text))
    assert [(s.line, s.col, s.markers) for s in found] == [(2, 5, {"unchecked": "a value"}),
                                                          (2, 44, {})]


@pytest.mark.parametrize(("tex", "rule"), [
    ("X^\\top G", "expression"),
    ("\\mathbb{1}(y_i = j)", "expression"),
    ("\\coloneqq", "expression"),
    ("j = k", "index condition"),
    ("j \\neq y_i", "index condition"),
    ("N = 300", "value"),
    ("h = 10^{-5}", "value"),
    ("\\lambda = 2 \\times 10^{-3}", "value"),
    ("N = D", "value"),
    ("z > 0", "index condition"),  # z is no symbol of an empty scope: an index letter
    ("X = W", None),               # two names joined by =: a claim
    ("{F = 2 X W}", None),         # a bare group hides nothing
    ("F = X W", None),
    ("2 < 1", None),               # numbers only: no parameter, no case; a claim
    ("10^{-5} = 10^{-3}", None),
    ("-1 \\geq 0.5", None),
])
def test_the_rules_for_what_is_not_a_claim(tex, rule):
    assert classify(tex, Scope()) == rule


def test_a_case_of_a_declared_symbol_is_a_value_and_two_symbols_are_a_claim():
    page = DECLARE + "$$\nz \\in \\mathbb{R}\n$$\n\nWhen $z > 0$, and $X = X$.\n"
    result = check_markdown(page, "p.md")
    assert [(s.status, s.rule) for s in result.spans] == [("classified", "value"), ("checked", None)]


def test_a_relation_between_numbers_in_the_text_is_checked():
    page = DECLARE + "Since $2 < 1$, and $10^{-5} = 10^{-3}$, but $0.5 < 1$.\n"
    result = check_markdown(page, "p.md")
    assert [(s.source, s.status) for s in result.spans] == [
        ("2 < 1", "failed"), ("10^{-5} = 10^{-3}", "failed"), ("0.5 < 1", "checked")]


def test_the_value_of_a_symbol_the_page_defines_as_a_number_is_a_claim():
    """A page that fixed a value (`\\lambda \\coloneqq 10^{-3}`) and then gives another in the text
    contradicts itself: such a span is checked, not read as a parameter of the text. A symbol
    drawn at random (a leaf, or a definition from one) keeps the value rule: `s > 0` is a case."""
    page = ("$$\n\\lambda \\coloneqq 10^{-3}, \\quad D \\coloneqq 2, \\quad b_1 \\coloneqq 0.5, "
            "\\quad m \\coloneqq 2 D + 1, \\quad x \\in \\mathbb{R}, \\quad s \\coloneqq x + 1\n$$\n\n"
            "With $\\lambda = 10^{-2}$, $D = 3$, $b_1 = 1$, $m = 5$, $D = 2$, "
            "$\\lambda = 10^{-3}$, $3 > D$, $s > 0$, $x > 0$, $N = 300$.\n")
    result = check_markdown(page, "p.md")
    assert [(s.source, s.status) for s in result.spans] == [
        ("\\lambda = 10^{-2}", "failed"), ("D = 3", "failed"), ("b_1 = 1", "failed"),
        ("m = 5", "checked"), ("D = 2", "checked"), ("\\lambda = 10^{-3}", "checked"),
        ("3 > D", "checked"), ("s > 0", "classified"), ("x > 0", "classified"),
        ("N = 300", "classified")]
    assert result.spans[1].message.startswith("p.md:5:")
    assert "the claim, D = 3, does not hold" in result.spans[1].message


def test_a_value_in_a_summary_is_a_claim_once_the_scope_defines_its_symbol_as_a_number():
    summary = "In short, $\\lambda = 10^{-2}$, $D = 2$ and $z > 0.5$.\n\n"
    definitions = "$$\n\\lambda \\coloneqq 10^{-3}, \\quad D \\coloneqq 2, \\quad z \\in \\mathbb{R}\n$$\n"
    result = check_markdown(summary + definitions, "p.md")
    assert [(s.source, s.status, s.after_scope) for s in result.spans] == [
        ("\\lambda = 10^{-2}", "failed", True), ("D = 2", "checked", True),
        ("z > 0.5", "classified", False)]
    assert result.spans[0].message.startswith("p.md:1:")
    # a scope mark ends the scope: a definition in the next scope fixes nothing here
    result = check_markdown(summary + "<!-- scope: next -->\n\n" + definitions, "p.md")
    assert [s.status for s in result.spans] == ["classified"] * 3


def test_an_index_condition_in_a_summary_is_a_claim_once_the_scope_defines_its_letter():
    # `k` is an index letter at the summary's place; the definition below makes it a number
    summary = "In short, $k = 3$, $k = 2$ and $j = m$.\n\n"
    result = check_markdown(summary + "$$\nk \\coloneqq 2\n$$\n", "p.md")
    assert [(s.source, s.status, s.after_scope) for s in result.spans] == [
        ("k = 3", "failed", True), ("k = 2", "checked", True), ("j = m", "classified", False)]
    assert result.spans[0].message.startswith("p.md:1:14:")  # at its `=`
    # read in place after the definition, the same spans get the same results
    result = check_markdown("$$\nk \\coloneqq 2\n$$\n\n" + summary, "p.md")
    assert [(s.status, s.after_scope) for s in result.spans] == [
        ("failed", False), ("checked", False), ("classified", False)]


def test_parentheses_around_a_whole_span_hide_nothing():
    # a claim in parentheses is what the reader sees: refused as in display math, with the fix
    page = DECLARE + "$$\nF \\coloneqq X W\n$$\n\nSo $(F = 2 X W)$ and $\\left(F = X W\\right)$.\n"
    spans = check_markdown(page, "p.md").spans
    assert [s.status for s in spans] == ["error", "error"]
    assert "a claim is written without parentheses" in spans[0].message
    # a comparison in parentheses that follow no name is refused wherever it stands; after a name
    # the parentheses are an application, as prose writes them, and stay an expression
    page = (DECLARE + "$$\nF \\coloneqq X W\n$$\n\nSo $(F = X W) (F = 2 X W)$, $2 + (F = X W)$, "
            "$P(Y = k)$ and $\\mathbb{1}(y_i = j)$.\n")
    spans = check_markdown(page, "p.md").spans
    assert [(s.status, s.rule) for s in spans] == [("error", None), ("error", None),
                                                   ("classified", "expression"),
                                                   ("classified", "expression")]
    assert all("a claim is written without parentheses" in s.message for s in spans[:2])
    # what the parentheses hold is read by the usual rules
    page = DECLARE + "So $(j = k)$, $(N = 300)$, $(X W)$ and $\\mathbb{1}(y_i = j)$.\n"
    assert [s.rule for s in check_markdown(page, "p.md").spans] == [
        "index condition", "value", "expression", "expression"]
    # and a summary's index condition in parentheses waits for the scope's definitions too: there
    # it is a claim in parentheses
    result = check_markdown("In short, $(k = 3)$.\n\n$$\nk \\coloneqq 2\n$$\n", "p.md")
    assert (result.spans[0].status, result.spans[0].after_scope) == ("error", True)
    assert "a claim is written without parentheses" in result.spans[0].message


def test_inline_claims_are_checked_in_place_and_an_inline_definition_defines():
    page = (DECLARE + "So $F \\coloneqq X W$ and $F^\\top = W^\\top X^\\top$, but $F = 2 X W$.\n\n"
            "$$\nG \\coloneqq F^\\top\n$$\n")
    result = check_markdown(page, "p.md")
    assert [s.status for s in result.spans] == ["defined", "checked", "failed"]
    assert result.spans[2].message.startswith("p.md:5:")
    assert "the claim, F = 2 X W, does not hold" in result.spans[2].message
    assert not result.ok and [b.status for b in result.blocks] == ["declared", "defined"]


def test_a_summary_before_the_definitions_is_checked_at_the_end_of_its_scope():
    summary = "In short, $F^\\top = W^\\top X^\\top$ and $F = 3 X W$.\n\n"
    page = summary + DECLARE + "$$\nF \\coloneqq X W\n$$\n"
    result = check_markdown(page, "p.md")
    assert [(s.status, s.after_scope) for s in result.spans] == [("checked", True), ("failed", True)]
    # a name never defined in the scope stays an error, at the span's own place
    lone = check_markdown("So $Q = Q$.\n", "p.md").spans[0]
    assert lone.status == "error" and lone.message.startswith("p.md:1:5: error: undeclared symbol Q")


def test_a_scope_mark_ends_the_wait():
    page = ("In short, $F = X W$.\n\n<!-- scope: next -->\n\n" + DECLARE
            + "$$\nF \\coloneqq X W\n$$\n")
    assert check_markdown(page, "p.md").spans[0].status == "error"


def test_math_from_no_line_of_the_page_is_refused_as_docstring_math():
    text = "# Layers\n\nIntro.\n\n::: backprop.affine\n"
    problems = unaccounted_math([("x = 1", False)], [], text, "docs/reference/layers.md")
    assert problems == ["docs/reference/layers.md:5:1: error: the page shows inline math the formula "
                        "checker did not read: x = 1; expected $...$ in the text of a paragraph, "
                        "list, table or note; this formula comes from no line of the page (a "
                        "docstring rendered by mkdocstrings?), and docstrings carry no math: "
                        "write it on a page"]


def test_the_command_line_reports_a_failed_inline_claim(tmp_path, capsys, monkeypatch):
    from formulacheck.faces.cli import main
    (tmp_path / "p.md").write_text(DECLARE + "So $X W = 2 X W$, with $N = 300$.\n")
    monkeypatch.chdir(tmp_path)

    assert main(["p.md"]) == 1
    out = capsys.readouterr().out
    assert "p.md:5:9: failed: the claim, X W = 2 X W, does not hold" in out
    assert out.rstrip().endswith("p.md: 1 blocks: 1 declared; 2 inline: 1 failed, 1 not claims")


def test_a_notebooks_inline_formulas_get_their_marks_in_the_cells_html():
    import json

    from bs4 import BeautifulSoup

    from formulacheck.faces.site.plugin import mark_notebook_math
    from formulacheck.pages.check import check_notebook

    cell = {"cell_type": "markdown", "metadata": {},
            "source": ["$$\n", "x \\in \\mathbb{R}\n", "$$\n", "\n", "So $x x = x^2$, $2 x = x$ and $N = 3$."]}
    notebook = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
                          indent=1)
    result = check_notebook(notebook, "n.ipynb")
    html = ('<div class="jp-RenderedMarkdown"><p>$$x \\in \\mathbb{R}$$</p>'
            "<p>So $x x = x^2$, $2 x = x$ and $N = 3$.</p></div>")

    soup = BeautifulSoup(mark_notebook_math(html, result), "html.parser")
    marked = [(span["class"][-1], span.get_text())
              for span in soup.select("span.arithmatex:not(.fc-mark-math)")]
    assert marked == [("fc-inline--checked", "\\(x x = x^2\\)"), ("fc-inline--failed", "\\(2 x = x\\)"),
                      ("fc-inline--classified", "\\(N = 3\\)")]
    assert "FAILED: the claim, 2 x = x, does not hold" in soup.select_one(".fc-inline-problem").get_text()
    # the display formula is wrapped with its mark and anchor, as on a page; the mark names x in math
    declared = content_anchor("x \\in \\mathbb{R}")
    block = soup.select_one(f"div.fc-equation.fc-equation--declared#{declared}")
    assert block.select_one("div.arithmatex").get_text() == "\\[x \\in \\mathbb{R}\\]"
    assert block.select_one("details.fc-mark summary .fc-mark-math").get_text() == "\\(x\\)"
    # the checked claim has its sign, and its evidence follows the cells, as a page's does
    sign = soup.select_one("span.fc-inline--checked + button.fc-inline-sign")
    popover = soup.select_one(f"aside.fc-popover#{sign['popovertarget']}")
    claim = result.spans[0]
    assert sign["popovertarget"] == f"fc-evidence-{claim.line}-{claim.start_col}"
    assert popover.parent.name == "[document]"
    assert "Link 1: \\(x x = x^2\\)" in popover.get_text()
    assert math_in_html(str(soup)) == [("x \\in \\mathbb{R}", True), ("x", False), ("x", False),
                                       ("x x = x^2", False), ("2 x = x", False), ("N = 3", False),
                                       ("x x = x^2", False)]
