r"""`\approx` against a decimal (evaluation/rounding.py, tex/decimals.py): `\log 3 \approx 1.0986`
holds when the other side lies within half a unit of the decimal's last digit; a side the checker
draws or chooses is refused, and `\approx` with no decimal on either side stays no claim.

The values the decimals are rounded from are computed here with Python's `math`, never by the
checker's own code.
"""

import math

import pytest

from formulacheck import check_markdown
from formulacheck.faces.site.evidence_html import evidence_panel
from formulacheck.testing import check_formula

SIGMOID = "$$\n\\sigma(z) \\coloneqq \\frac{1}{1 + e^{-z}}\n$$\n"
DECLARE = ("$$\nx \\in \\mathbb{R}, \\quad X \\in \\mathbb{R}^{N \\times D}, \\quad "
           "y \\in \\{1, \\dots, K\\}^{N}\n$$\n")
# A side computed from numbers, and its value computed independently.
CONSTANTS = [
    (r"\log 3", math.log(3)),
    (r"-\ln \frac{1}{10}", math.log(10)),
    (r"\frac{2}{3}", 2 / 3),
    (r"\sqrt{2}", math.sqrt(2)),
    (r"e^{-2}", math.exp(-2)),
    (r"\sigma(1)", 1 / (1 + math.exp(-1))),
    (r"\sum_{k=1}^{4} \frac{1}{k^2}", sum(1 / k ** 2 for k in range(1, 5))),
]


def written(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


@pytest.mark.parametrize("decimals", [1, 2, 4, 6])
@pytest.mark.parametrize("side, value", CONSTANTS, ids=[tex for tex, _ in CONSTANTS])
def test_a_side_computed_from_numbers_rounds_to_the_decimal_written(side, value, decimals):
    block = check_formula(f"{side} \\approx {written(value, decimals)}", SIGMOID)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("off", [-1, 1])
@pytest.mark.parametrize("decimals", [2, 4, 6])
@pytest.mark.parametrize("side, value", CONSTANTS, ids=[tex for tex, _ in CONSTANTS])
def test_a_decimal_one_unit_off_in_its_last_digit_fails(side, value, decimals, off):
    wrong = written(round(value, decimals) + off * 10.0 ** -decimals, decimals)
    block = check_formula(f"{side} \\approx {wrong}", SIGMOID)
    assert block.status == "failed", block.message
    assert f"not {wrong}" in block.message
    assert f"within {0.5 * 10.0 ** -decimals:g} of it" in block.message


def test_a_cut_off_decimal_is_not_a_rounded_one():
    cut = check_formula(r"\frac{2}{3} \approx 0.6666")
    assert cut.status == "failed"
    assert "the value is 0.6666666667, which rounds to 0.6667 at the 4 decimals written" in cut.message


def test_half_a_unit_away_rounds_either_way():
    for decimal in ("0.12", "0.13"):  # 1/8 = 0.125 exactly
        assert check_formula(rf"\frac{{1}}{{8}} \approx {decimal}").status == "checked"
    assert check_formula(r"\frac{1}{8} \approx 0.11").status == "failed"


@pytest.mark.parametrize("formula", [
    r"1.0986 \approx \log 3",
    r"-1.0986 \approx -\log 3",
    r"\log 3 \approx 1.0986, \quad \log 3 \approx 1.10",
    r"-\ln \frac{1}{10} = \ln 10 \approx 2.3026",
    r"\sigma(0) \approx 0.5, \quad 0.7311 \approx \sigma(1)",
])
def test_the_decimal_may_stand_on_either_side_and_in_a_chain(formula):
    block = check_formula(formula, SIGMOID)
    assert block.status == "checked", block.message


def test_a_symbol_defined_from_numbers_is_one_number():
    preamble = "$$\nc \\coloneqq \\ln 3, \\quad d \\coloneqq 2 c\n$$\n"
    assert check_formula(r"d \approx 2.1972", preamble).status == "checked"
    assert check_formula(r"d \approx 2.1973", preamble).status == "failed"


@pytest.mark.parametrize("formula, reads", [
    (r"\ln(1 + x^2) \approx 0.5", "x (line 2), which the checker draws"),
    (r"\log N \approx 1.6094", "the size N, which the checker chooses"),
    (r"\sum_{i=1}^{N} 1 \approx 5.0", "the size N, which the checker chooses"),
    (r"y_1 \approx 2.0", "y (line 2), which the checker draws"),
    (r"m \approx 0.5", "x (line 2), which the checker draws"),  # through a definition
    (r"s \approx 5.0", "the size N, which the checker chooses"),
])
def test_a_side_the_checker_draws_or_chooses_is_refused(formula, reads):
    preamble = DECLARE + "\n$$\nm \\coloneqq x^2, \\quad s \\coloneqq \\sum_{i=1}^{N} 1\n$$\n"
    block = check_formula(formula, preamble)
    assert block.status == "error"
    assert f"a decimal is one number, but the other side reads {reads}" in block.message
    assert "<!-- unchecked: ... -->" in block.message


@pytest.mark.parametrize("formula", [
    r"X \approx X",
    r"\log 3 \approx 1",
    r"x \approx 10^{-5}",
    r"\log 3 \approx (1.0986)",
])
def test_without_a_decimal_approx_is_no_claim(formula):
    block = check_formula(formula, DECLARE)
    assert block.status == "error"
    assert "\\approx is not a checkable claim without a decimal on one side" in block.message


def test_inline_a_rounding_is_checked_and_a_value_of_the_text_is_not_a_claim():
    page = (DECLARE + "\n$$\nc \\coloneqq \\ln 3\n$$\n\nThe loss starts at $\\log 3 \\approx 1.0986$, "
            "as $c \\approx 1.0986$ says, not $c \\approx 1.0987$; the step is $x \\approx 0.001$.\n")
    spans = check_markdown(page, "p.md").spans
    assert [(span.status, span.rule) for span in spans] == [
        ("checked", None), ("checked", None), ("failed", None), ("classified", "value")]


def test_the_opened_mark_shows_how_far_the_value_is_from_the_decimal():
    block = check_markdown("$$\n\\log 3 \\approx 1.0986\n$$\n", "p.md").blocks[-1]
    panel = evidence_panel(block)
    verdicts = ["".join(p.itertext()) for p in panel.iter("p")
                if "fc-verdict" in (p.get("class") or "")]
    difference = abs(math.log(3) - 1.0986)
    assert verdicts == [f"differs from the decimal by at most {difference:.3g}, within half a unit "
                        "of its last digit (5e-05), over 3 trials"]
    # the values with three digits more than the decimal's, not rounded to 1.1 and 1.1
    assert [cell.text for cell in panel.iter("td")] == [f"{math.log(3):.7g}", "1.0986"]
