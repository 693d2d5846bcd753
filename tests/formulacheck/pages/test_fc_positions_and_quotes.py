"""How a failure is reported (issue 12's messages): a failed link is quoted up to the separator
after it, not into the next statement; a failed claim's positions say they are 1-based, a failed
code tie gives its 0-based position and the page's 1-based one."""

import re

from formulacheck.testing import check_formula, last_block

PREAMBLE = "$$\nx \\in \\mathbb{R}, \\quad X \\in \\mathbb{R}^{N \\times D}\n$$\n"


def test_the_quote_of_a_failed_last_link_stops_at_the_separator():
    message = check_formula(r"x + x = 3 x, \quad x = x", PREAMBLE).message
    assert "the claim, x + x = 3 x, does not hold" in message
    message = check_formula(r"x = x + 0 = 2 x \quad \text{and } x = x", PREAMBLE).message
    assert "link 2 of 2, x + 0 = 2 x, does not hold" in message


def test_a_failed_claim_says_its_indices_and_positions_are_1_based():
    message = check_formula(r"X_{id} = 2 X_{id}", PREAMBLE).message
    assert re.search(r"at i=\d, d=\d \(1-based, as on the page\): left = ", message), message
    message = check_formula(r"X = 2 X", PREAMBLE).message
    assert re.search(r"at row=\d, column=\d \(1-based, as on the page\)", message), message


def test_a_failed_code_tie_gives_the_code_position_and_the_page_position():
    page = ("$$\nX \\in \\mathbb{R}^{N \\times D}\n$$\n\n<!-- code: numpy.multiply(3, X) -->\n"
            "$$\n2 X = 2 X\n$$\n")
    message = last_block(page).message
    match = re.search(r"at position \((\d), (\d)\) \(0-based, as the code indexes; \((\d), (\d)\) "
                      r"1-based, as on the page\)", message)
    assert match, message
    code_row, code_col, page_row, page_col = map(int, match.groups())
    assert (page_row, page_col) == (code_row + 1, code_col + 1)
