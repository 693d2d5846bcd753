"""The code's gradient names (tex/code_names.py, evaluation/code_names.py): `dW` is refused until
the page states the convention `dW \\coloneqq \\frac{\\partial L}{\\partial W}`; then `dW`, and a
bare `db` of any other symbol, is the gradient of the same loss. Where d is also a symbol, a size
or an index letter, `dW` has two readings and is refused naming both."""

import pytest

from formulacheck.testing import check_formula

DECLARED = r"""$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}
$$

$$
F = X W + \mathbf{1}_N b^\top, \quad L = \frac{1}{2} \|F\|_F^2
$$
"""
STATED = DECLARED + "\n$$\ndF \\coloneqq \\frac{\\partial L}{\\partial F}\n$$\n"


def test_before_the_convention_a_bare_dw_reads_two_ways():
    message = check_formula(r"dW = X^\top F", DECLARED).message
    assert "dW could be a differential or the index d times a symbol" in message
    assert r"state it first: dW \coloneqq \frac{\partial L}{\partial W}" in message


@pytest.mark.parametrize("claim, wrong", [
    (r"dF = F", r"dF = 2 F"),
    (r"dW = X^\top dF", r"dW = X^\top F W^\top W"),
    (r"db = dF^\top \mathbf{1}_N", r"db = dF^\top \mathbf{1}_N + b"),
    (r"dX = dF W^\top", r"dX = dF W^\top + X"),
])
def test_after_the_convention_code_names_are_gradients_of_the_loss(claim, wrong):
    # dL/dF = F for L = |F|^2 / 2, so dW = X^T F and db = F^T 1: independent of the convention
    assert check_formula(claim, STATED).status == "checked"
    assert check_formula(wrong, STATED).status == "failed"


def test_a_code_name_shape_statement_is_a_shape_claim():
    assert check_formula(r"dW \in \mathbb{R}^{D \times K}", STATED).status == "checked"
    assert check_formula(r"dW \in \mathbb{R}^{K \times D}", STATED).status == "failed"


def test_the_convention_stated_with_equals_or_nabla():
    for statement in (r"dW = \frac{\partial L}{\partial W}", r"dW = \nabla_W L"):
        block = check_formula(statement + r", \quad db = F^\top \mathbf{1}_N", DECLARED)
        assert block.status == "checked", block.message


def test_a_left_side_that_is_not_the_gradient_by_its_own_symbol_is_refused():
    for statement in (r"dW \coloneqq X^\top F", r"dW \coloneqq \frac{\partial L}{\partial b}"):
        assert "dW could be a differential" in check_formula(statement, DECLARED).message


@pytest.mark.parametrize("extra, what", [
    (r", \quad d \in \mathbb{R}", "d is a symbol"),
])
def test_d_that_is_also_a_symbol_makes_dw_ambiguous(extra, what):
    declared = DECLARED.replace(r"b \in \mathbb{R}^{K}", r"b \in \mathbb{R}^{K}" + extra)
    message = check_formula(r"dW \coloneqq \frac{\partial L}{\partial W}", declared).message
    assert f"{what}, so dW could be the code's gradient name dW or d times W" in message


def test_d_as_an_index_letter_of_the_statement_makes_dw_ambiguous():
    message = check_formula(r"\sum_{d=1}^{D} X_{1d} dW = 0", STATED).message
    assert "d is an index letter here, so dW could be the code's gradient name dW or d times W" in message


def test_one_loss_per_scope():
    message = check_formula(r"J = 2 L, \quad dW \coloneqq \frac{\partial J}{\partial W}", STATED).message
    assert "the page's code names are gradients of L" in message


def test_diag_in_italic_letters_names_the_operator():
    assert r"expected \operatorname{diag}(x)" in check_formula(r"diag(b) = b", DECLARED).message


def test_a_derivative_through_a_gradient_the_convention_names_is_a_second_derivative():
    # dY is the derivative of L by Y, by the convention stated for dZ, and M sums it: M depends on
    # Y (dY = 2 Z Y). Its derivative by Y was once taken as 0, M "not computed from Y", because
    # dY, first evaluated inside the derivative, had no recorded dependencies yet; it is a second
    # derivative, which the checker refuses
    preamble = ("$$\nZ, Y \\in \\mathbb{R}^{N \\times K}\n$$\n\n$$\nL \\coloneqq \\sum_{i=1}^{N} "
                "\\sum_{k=1}^{K} Z_{ik} Y_{ik}^2, \\quad dZ \\coloneqq \\frac{\\partial L}{\\partial Z}"
                "\n$$\n\n$$\nM \\coloneqq \\sum_{i=1}^{N} \\sum_{k=1}^{K} dY_{ik}\n$$\n")
    block = check_formula(r"\frac{\partial M}{\partial Y_{ik}} = 2 Z_{ik}", preamble)
    assert block.status == "error"
    assert "a derivative inside the numerator of another derivative is not supported" in block.message
