"""The opened mark says how the checker read names the page did not declare
(faces/site/evidence_html.py): a left side of `=` read as a definition, letters read as sizes."""

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


def test_instances_drawn_for_a_branch_and_those_not_used_are_counted_in_the_opened_mark():
    block = check_markdown("$$\nx \\in \\mathbb{R}\n$$\n\n$$\ne^{x^2} \\max(0, -x^2) = 0\n$$\n",
                           "p.md").blocks[-1]
    first = "".join(next(evidence_panel(block).iter("p")).itertext())
    assert (f"{block.extra_trials} further instances drawn at larger scales, to see every kink "
            "and the sign of every scalar on both sides (and every two scalars with all four "
            "pairs of signs), to look for an argument outside a function's domain, and to try "
            "every inequality "
            f"({block.unusable_trials} of them could not be evaluated at the larger scale of "
            "their random values and were not used).") in first, first
    assert block.unusable_trials > 0
