"""The opened mark says how the checker read names the page did not declare
(faces/site/evidence_html.py): a left side of `=` read as a definition, letters read as sizes."""

import pytest

from formulacheck import check_markdown
from formulacheck.faces.site.evidence_html import evidence_panel

DECLARED = "$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n\n"


def panel_lines(formula: str) -> list:
    block = check_markdown(DECLARED + f"$$\n{formula}\n$$\n", "p.md").blocks[-1]
    panel = evidence_panel(block)
    return ["".join(paragraph.itertext()) for paragraph in panel.iter("p")]


def test_a_definition_read_from_equals_says_so_in_the_opened_mark():
    lines = panel_lines("F = X W")
    assert lines == ["Defines \\(F\\) for the formulas below; nothing to compare here.",
                     "Reads \\(F\\) as defined by = (its first use)."]


def test_letters_of_a_size_relation_are_named_as_sizes_in_the_opened_mark():
    lines = panel_lines("G \\coloneqq 2 F")
    assert lines[-1] == ("Reads \\(G\\) as a size: the checker chose sizes that satisfy the size "
                         "relation, and checked it with those sizes.")


def test_a_claim_has_neither_line():
    lines = panel_lines("X W = (W^\\top X^\\top)^\\top")
    assert lines and not any(line.startswith("Reads") for line in lines), lines


def first_line_of(formula: str) -> tuple:
    block = check_markdown("$$\nx, y \\in \\mathbb{R}\n$$\n\n" f"$$\n{formula}\n$$\n",
                           "p.md").blocks[-1]
    return block, "".join(next(evidence_panel(block).iter("p")).itertext())


def test_instances_drawn_for_a_branch_and_those_not_used_are_counted_in_the_opened_mark():
    block, first = first_line_of(r"e^{x^2} \max(0, -x^2) = 0")
    assert (f"{block.extra_trials} further instances drawn at larger scales, to see every kink "
            f"on both sides ({block.unusable_trials} of them could not be evaluated at the larger "
            "scale of their random values and were not used).") in first, first
    assert block.unusable_trials > 0


@pytest.mark.parametrize("formula, drawn_for", [
    (r"|x y| = |x| |y|", "to see every two scalars with all four pairs of signs"),
    (r"x^2 \geq 0", "to try every inequality"),
    (r"\log\left(1 - \frac{1}{1 + e^{-x}}\right) = -x - \log(1 + e^{-x})",
     "to look for an argument outside a function's domain"),
])
def test_the_opened_mark_says_why_the_further_instances_were_drawn(formula, drawn_for):
    """Only the reasons that drew this block's instances (evaluation/trace.py, DrawnFor)."""
    block, first = first_line_of(formula)
    assert block.extra_trials > 0
    assert f"drawn at larger scales, {drawn_for}" in first and " to " not in first.split(
        drawn_for)[1], first


@pytest.mark.parametrize("formula, reads_random", [
    (r"\log 3 \approx 1.0986", False),
    (r"2 < 3, \quad \max(0, -1) = 0", False),
    (r"X W = (W^\top X^\top)^\top", True),
    (r"c \coloneqq \ln 3, \quad c \approx 1.0986", False),
])
def test_the_opened_mark_says_whether_the_instances_differed(formula, reads_random):
    # a claim that reads no leaf or labels gives the same values on every instance: "random
    # instances" would suggest it was tried on different values
    first = panel_lines(formula)[0]
    if reads_random:
        assert first.startswith("Checked on 3 random instances of sizes N = 7, D = 3, K = 4."), first
    else:
        assert first == ("Checked on 3 instances of sizes N = 7, D = 3, K = 4; it reads no random "
                         "value, so each gave the same values."), first


def test_a_claim_read_through_the_code_gradient_convention_reads_random_values():
    # dY by the page's convention (stated for dZ) is the derivative of L by Y, evaluated where
    # first used: it depends on Y and Z as a definition does (its dependencies were once left
    # empty, and a claim about it read as reading no random value); a tensor's shape claim reads
    # the tensor
    page = ("$$\nZ, Y \\in \\mathbb{R}^{N \\times K}, \\quad E \\in \\mathbb{R}^{N \\times K \\times D}"
            "\n$$\n\n$$\nL \\coloneqq \\sum_{i=1}^{N} \\sum_{k=1}^{K} Z_{ik} Y_{ik}, \\quad "
            "dZ \\coloneqq \\frac{\\partial L}{\\partial Z}\n$$\n\n$$\ndY = dY\n$$\n\n"
            "$$\nE \\in \\mathbb{R}^{N \\times K \\times D}\n$$\n")
    blocks = check_markdown(page, "p.md").blocks
    assert [b.status for b in blocks] == ["declared", "defined", "checked", "checked"]
    assert blocks[2].reads_random and blocks[3].reads_random
