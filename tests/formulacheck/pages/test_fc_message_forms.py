"""Messages show the formula as the author wrote it.

- A side of a failed claim that starts with `\\left(` is quoted with its `\\left` (the tokenizer
  drops it as presentation, so the slice used to start at the parenthesis and kept a lone `\\right`),
  and the `&` / `\\\\` of `aligned` lines are not quoted as if they were math (those of a `cases`
  or a matrix are: they separate its entries).
- A symbol the page writes `\\hat{W}` or `\\lambda` is named that way in messages, while a `code:`
  marker keeps the Python spelling `hat_W`, `lambda_` (see test_fc_accents.py).
"""

import pytest

import formulacheck
from formulacheck.testing import check_formula

DECLARE = "$$\nx \\in \\mathbb{R}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n"


def first_problem(formula: str):
    return check_formula(formula, DECLARE, page="forms.md")


@pytest.mark.parametrize("formula, quoted", [
    (r"\left( x + 1 \right) = \left( x + 2 \right)",
     r"the claim, \left( x + 1 \right) = \left( x + 2 \right), does not hold"),
    (r"x = \bigl( x + 1 \bigr)", r"the claim, x = \bigl( x + 1 \bigr), does not hold"),
    (r"x = \left( x + 1 \right) = x", r"link 1 of 2, x = \left( x + 1 \right), does not hold"),
    ("\\begin{aligned}\nx &= \\Bigl( x + 1 \\Bigr) \\\\\n&= x\n\\end{aligned}",
     r"link 1 of 2, x = \Bigl( x + 1 \Bigr), does not hold"),
    # inside a `cases` or a matrix, `&` and `\\` separate its entries: they stay in the quote
    (r"x = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}",
     r"the claim, x = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}, does not hold"),
    ("\\begin{aligned}\nx &= \\begin{bmatrix} x & 1 \\end{bmatrix} \\begin{bmatrix} 1 \\\\ 1 "
     "\\end{bmatrix} \\\\\n&= x\n\\end{aligned}",
     r"link 1 of 2, x = \begin{bmatrix} x & 1 \end{bmatrix} \begin{bmatrix} 1 \\ 1 \end{bmatrix}, "
     "does not hold"),
])
def test_a_failed_claim_is_quoted_as_written(formula, quoted):
    block = first_problem(formula)
    assert block.status == "failed"
    assert quoted in block.message


@pytest.mark.parametrize("formula, named", [
    (r"W = \hat{W}", r"undeclared symbol \hat{W}; expected a declaration such as \hat{W} \in"),
    (r"1 = \hat{W}_{dk}", r"undeclared symbol \hat{W}_{dk}; expected a declaration or definition"),
    (r"\frac{\partial x}{\partial \tilde{\mu}} = 1", r"undeclared symbol \tilde{\mu} in the denominator"),
    (r"x = \lambda", r"undeclared symbol \lambda; expected"),
    (r"\bar{x} \coloneqq x, \qquad \bar{x} \coloneqq 2 x", r"\bar{x} is already declared or defined at line"),
])
def test_an_accented_or_greek_name_is_shown_in_tex_form(formula, named):
    block = first_problem(formula)
    assert block.status == "error"
    assert named in block.message
    assert not any(python_form in block.message for python_form in ("hat_", "tilde_", "bar_"))


def test_a_code_marker_still_names_the_symbol_in_python_form():
    text = (DECLARE + "$$\n\\hat{W} \\coloneqq 2 W\n$$\n\n"
            "<!-- code: numpy.asarray(hat_W) -->\n$$\n\\hat{W} = 2 W\n$$\n")
    assert formulacheck.check_markdown(text, "forms.md").blocks[-1].status == "checked"
    wrong = text.replace("(hat_W)", "(hat_V)")
    message = formulacheck.check_markdown(wrong, "forms.md").blocks[-1].message
    assert "the code: marker uses hat_V, which is not a symbol of this page" in message


TIE_PAGE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}, \quad G \in \mathbb{R}^{N \times K}
$$

<!-- code: CODE -->
$$
X^\top G = X^\top G
$$
"""


@pytest.mark.parametrize("code", [
    "backprop.affine.affine_backward(G, backprop.affine.affine_forward(X, W, b)[1])[1]",
    "backprop.affine.affine_backward(G, (X, numpy.asarray(W)))[1]",
    "backprop.affine.affine_backward(dF=G, cache=backprop.affine.affine_forward(X, W, b)[1])[1]",
])
def test_a_nested_call_in_a_code_marker_says_so(code):
    block = formulacheck.check_markdown(TIE_PAGE.replace("CODE", code), "tie.md").blocks[-1]
    assert block.status == "error"
    assert "is itself a call; a code: marker makes one call" in block.message


def test_keyword_arguments_of_a_code_marker_are_page_symbols_too():
    right = TIE_PAGE.replace("CODE", "backprop.affine.affine_backward(dF=G, cache=(X, W))[1]")
    assert formulacheck.check_markdown(right, "tie.md").blocks[-1].status == "checked"
    swapped = TIE_PAGE.replace("CODE", "backprop.affine.affine_backward(dF=G, cache=(X, W))[0]")
    assert formulacheck.check_markdown(swapped, "tie.md").blocks[-1].status == "failed"


def test_e_as_an_index_is_refused_as_the_exponential():
    block = first_problem(r"\sum_{e=1}^{D} W_{1,1} = D W_{1,1}")
    assert block.status == "error"
    assert ("e cannot be an index; index letters are lowercase letters other than e, which is the "
            "exponential") in block.message
    other = first_problem(r"\sum_{A=1}^{D} W_{1,1} = D W_{1,1}")
    assert "A cannot be an index; index letters are lowercase letters" in other.message
    assert "exponential" not in other.message


CONDITION_HINT = "is a claim of its own, not a condition of the claim before it"


@pytest.mark.parametrize("formula, condition", [
    (r"|x| = x \quad \text{for } x > 0", r"x > 0 after \text{for }"),
    (r"|x| = x \text{ if } x \geq 0", r"x \geq 0 after \text{ if }"),
    (r"|x| = x \quad \text{for all } x > 0", r"x > 0 after \text{for all }"),
])
def test_a_failed_claim_says_that_a_relation_after_for_or_if_is_no_condition(formula, condition):
    """The checker reads `x > 0` after the words as a claim of its own (GRAMMAR.md): the claim
    before it fails where x < 0, and its report says why the words did not make it hold."""
    block = first_problem(formula)
    assert block.status == "failed"
    assert f"{condition} {CONDITION_HINT}" in block.message, block.message
    assert "declare a symbol with the condition on a line of its own (s > 0)" in block.message


@pytest.mark.parametrize("formula", [
    r"|x| = x \quad \text{where } x \in \mathbb{R}",  # not a condition word
    r"x + 1 = x \quad \text{and } x > 0",  # a connective
])
def test_other_words_add_no_condition_hint(formula):
    block = first_problem(formula)
    assert CONDITION_HINT not in (block.message or "")
