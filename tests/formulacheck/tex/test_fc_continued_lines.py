"""A long formula split over the lines of an aligned block: a line that starts with + or - and
states nothing continues the expression above it (tex/statements.py, `_continued_line`).

Before, such a line was a statement of its own and refused; read as a continuation, the whole
expression is checked, so a wrong last line fails (the mutant below), and the message quotes
the expression across its lines.
"""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
a \in \mathbb{R}, \quad x \in \mathbb{R}^{N}
$$
"""


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="lines.md")


@pytest.mark.parametrize("formula", [
    "\\begin{aligned}\n3 a &= a + a \\\\\n&\\quad + a\n\\end{aligned}",
    "\\begin{aligned}\na &= 3 a \\\\\n&\\qquad - 2 a\n\\end{aligned}",
    "\\begin{aligned}\n3 a = a + a \\\\\n+ a\n\\end{aligned}",
    "\\begin{aligned}\n4 a &= a + a \\\\\n&\\quad + a \\\\\n&\\quad + a \\\\\n&= 4 a\n\\end{aligned}",
])
def test_a_continued_line_is_part_of_the_expression_above(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


def test_a_wrong_continued_line_fails_and_the_message_quotes_every_line():
    block = last_block("\\begin{aligned}\n2 a &= a + a \\\\\n&\\quad + a\n\\end{aligned}")
    assert block.status == "failed"
    assert "the claim, 2 a = a + a + a, does not hold" in block.message, block.message


def test_a_line_with_a_relation_is_a_statement_of_its_own():
    block = last_block("\\begin{aligned}\na &= a \\\\\n-a &= -a\n\\end{aligned}")
    assert block.status == "checked" and block.links == 2, block.message


def test_a_plus_after_a_quad_on_the_same_line_is_still_refused():
    # Only a line break continues an expression; `\quad` on one line separates statements.
    block = last_block(r"2 a = a + a \quad + a")
    assert block.status == "error" and "this formula states nothing" in block.message
