r"""Names from the code of more than one letter, written `\mathtt{dscores}` (tex/code_names.py), and
their neighbours: the same word in italic letters (a product of letters) and upright."""

import pytest

from formulacheck.testing import check_formula

PREAMBLE = r"""
$$
X \in \mathbb{R}^{4 \times 3}, \quad W \in \mathbb{R}^{3 \times 5}
$$

$$
F = X W, \quad L = \frac{1}{2} \|F\|_F^2, \quad \mathtt{dscores} \coloneqq \frac{\partial L}{\partial F}, \quad dW \coloneqq \frac{\partial L}{\partial W}
$$
"""


@pytest.mark.parametrize("formula", [
    r"dW = X^\top \mathtt{dscores}",
    r"dW = X^\top \texttt{dscores}",  # the same symbol in either typewriter command
    r"\mathtt{dscores} = F",
])
def test_a_code_word_is_one_symbol(formula):
    assert check_formula(formula, PREAMBLE).status == "checked"


def test_a_code_word_is_evaluated_as_its_definition():
    transposed = check_formula(r"dW = \mathtt{dscores}^\top X", PREAMBLE)
    assert transposed.status == "failed"  # 5 x 3 against dW's 3 x 5
    assert check_formula(r"dW = X^\top (\mathtt{dscores} + F)", PREAMBLE).status == "failed"


def test_the_word_in_italic_letters_is_refused_naming_both_readings():
    block = check_formula(r"dW = X^\top dscores", PREAMBLE)
    assert block.status == "error"
    assert "product d s c o r e s" in block.message and r"\mathtt{dscores}" in block.message


def test_a_code_name_followed_by_a_spaced_factor_is_a_product():
    assert check_formula(r"dW = X^\top dF", PREAMBLE + "\n$$\ndF \\coloneqq \\frac{\\partial L}{\\partial F}\n$$\n").status == "checked"


@pytest.mark.parametrize("formula, message", [
    (r"\mathtt{d scores} = F", "expected a name from the code in \\mathtt{...}"),
    (r"\mathrm{dscores} = F", "a name from the code is written \\mathtt{dscores}"),
    (r"dW = X^\top \mathtt{dscorez}", "\\mathtt{dscorez}"),  # undeclared: named as written
])
def test_neighbours_are_refused_with_the_fix(formula, message):
    block = check_formula(formula, PREAMBLE)
    assert block.status == "error" and message in block.message, block.message
