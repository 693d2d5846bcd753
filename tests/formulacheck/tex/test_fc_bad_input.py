"""Bad input: each problem is a clean error naming page:line:col - never a crash, never a pass."""

import math

import pytest
from hypothesis import example, given, settings, strategies as st

import formulacheck
from formulacheck.testing import check_formula, formula_page

DECLARE = r"""$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad y \in \{1, \dots, K\}^{N}
$$
"""
FIRST_LINE = 6  # the line of the formula under test in `page()`


def page(formula: str) -> str:
    return formula_page(formula, DECLARE)


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="bad.md")


@pytest.mark.parametrize("formula, expected, col", [
    (r"F = X W \frac{1}", "expected a braced group", 17),
    (r"F = {X W", "expected '}'", 9),
    (r"X_{id", "unbalanced braces", 3),
    (r"X W = Q", "undeclared symbol Q", 7),
    (r"X W = \foo{X}", "unknown command \\foo", 7),
    (r"\sum_{i=1}^{N} X_{id} = \sum_{i=1}^{K} X_{ij} W_{i j}", "ranges over 1..D here but over 1..N", 50),
    (r"\sum_{i=1}^{K} X_{i1} = 0", "ranges over 1..K here but over 1..N", 7),
    (r"\tanh'(X_{11}) = 1", "\\tanh' is the derivative of a built-in function", 6),
    (r"\exp^{\prime}(X_{11}) = 1", "\\exp' is the derivative of a built-in function", 5),
    (r"(X^\top X)^{-1} = X^\top X", "the inverse of a 3 x 3 matrix is not read", 11),
    (r"\sum_{i=1}^{N} \sum_{j=i}^{N} X_{j1} = 0", "a sum from an index letter (j = i...", 24),
    (r"\sum_{i=1}^{N} \sum_{s=1}^{i} X_{s1} = 0", "a sum up to an index letter (s = 1..i", 28),
    (r"\underbrace{X W}_{K \times N} = X W", "the shape written is K x N", 1),
    (r"X W \in \mathbb{R}^{N \times D}", "the shape written is N x D", 5),
    (r"\log(X_{1,1} - X_{1,1}) = 0", "logarithm of a value that is not positive", 1),
    (r"\frac{1}{X_{1,1} - X_{1,1}} = 0", "NaN or infinity", 29),
    (r"W X = X W", "inner sizes", 3),
    (r"X + W = X", "cannot add", 5),
    (r"X W", "states nothing", 1),
    (r"X \odot W X = X", "could be read two ways", 3),
    (r"\mathbf{1} = 1", "must carry its length", 1),
    (r"\log X_{1,1} X_{2,2} = 0", "could belong to its argument", 14),
    (r"X W \approx X W", "not a checkable claim", 5),
    (r"\sum_{i} X_{1,1} = 0", "i indexes nothing here", 7),
    (r"\sum_{i}^{N} X_{i,1} = 0", "an upper limit needs a lower one", 9),
    (r"y_{i} = X_{i,1}", "does not hold", 7),
    (r"X_{11} = 1", "could be one number or several indices", 4),
    (r"\frac{\partial X}{\partial y} = 0", "holds labels", 28),
    (r"F \coloneqq X W, \qquad F \coloneqq W", "already declared or defined", 25),
    (r"N \in \mathbb{R}", "size", 1),
    (r"X_{ij} \coloneqq 1", "already means its entries", 1),
    ("X W = X W \u2200", "unexpected character", 11),
    (r"dW = X", "dW could be a differential or the index d times a symbol", 1),
    (r"X^\top X = X^\top X dW", "dW could be a differential", 21),
    (r"\frac{\partial W_{1,1}}{\partial dW} = 0", "dW could be a differential", 34),
    (r"d \lambda = 0", r"d\lambda could be a differential", 1),
    (r"\frac{\partial}{\partial W} \frac{\partial W}{\partial W} = 0", "a derivative inside the numerator of another derivative", 29),
    (r"||X_{1,1}| - 1| = 0", "expected a symbol, a number or '(', found '|'", 2),
    (r"\sum_{i=1}^{N} X_{i,:} = 0", "a slice ':' in a subscript (F_{i,:}, a row as the code takes "
                                   "it) is not read", 21),
    (r"E[X_{1,1}] = 0", "in the Iverson bracket [a = b] (an expectation E[x] or a value in brackets "
                       "is not read), found ']'", 10),
    (r"X \odot (X > 0) = X", "a comparison inside parentheses is not a value; expected the "
                           "indicator \\mathbb{1}(a > b)", 12),
])
def test_each_problem_is_a_clean_error_at_its_position(formula, expected, col):
    block = last_block(formula)
    assert block.status in ("error", "failed"), block.message
    assert expected in block.message
    assert block.message.startswith(f"bad.md:{FIRST_LINE}:{col}:"), block.message
    assert "Traceback" not in block.message


def test_the_message_shows_the_formula_line_with_a_caret():
    block = last_block(r"X W = Q")
    lines = block.message.splitlines()
    assert lines[1].strip() == "X W = Q"
    assert lines[2].index("^") == lines[1].index("Q")


def test_a_failed_claim_shows_both_values_the_indices_and_the_shapes():
    block = last_block(r"\sum_{d=1}^{D} X_{id} W_{dj} = \sum_{d=1}^{D} X_{id} W_{dj} + X_{i1}")
    assert block.status == "failed"
    assert "the claim" in block.message and "does not hold" in block.message
    assert "at i=" in block.message and ", j=" in block.message
    assert "left = " in block.message and "right = " in block.message
    assert "free indices i in 1..N, j in 1..K" in block.message


def test_an_unclosed_block_is_an_error():
    result = formulacheck.check_markdown(DECLARE + "\n$$\nX W = X W\n", "open.md")
    assert result.blocks[-1].status == "error"
    assert "never closed" in result.blocks[-1].message


def test_an_unchecked_marker_needs_a_reason_and_shows_it():
    text = DECLARE + "\n<!-- unchecked: a picture, not a claim -->\n$$\nX W \\approx W\n$$\n"
    block = formulacheck.check_markdown(text, "u.md").blocks[-1]
    assert (block.status, block.reason) == ("unchecked", "a picture, not a claim")
    empty = formulacheck.check_markdown(DECLARE + "\n<!-- unchecked: -->\n$$\nX\n$$\n", "u.md")
    assert empty.blocks[-1].status == "error"


def test_math_inside_code_fences_and_comments_is_not_read():
    text = "```\n$$\nnot = math\n$$\n```\n\n<!--\n$$\nalso not\n$$\n-->\n\nText with `$$x$$`.\n"
    assert formulacheck.check_markdown(text, "code.md").blocks == []


SOUP = ["X", "W", "y_i", "F_{ij}", "\\frac", "{", "}", "(", ")", "=", "+", "-", "^\\top", "_", "^",
        "\\sum_{i=1}^{N}", "\\mathbb{1}", "\\mathbf{1}_N", "\\partial", "\\odot", "\\otimes", "\\in",
        "\\mathbb{R}^{N \\times D}", "\\coloneqq", "\\log", "e^", "\\|", "|", "\\left(", "\\right)",
        "\\begin{bmatrix}", "\\end{bmatrix}", "&", "\\\\", ",", "\\quad", "1", "0.5", "i", "j", "k",
        "\\operatorname{vec}", "\\operatorname{tr}", "\\max", "[", "]", "\\underbrace", "\\text{x}",
        "\\lambda", "\\mathrm{d}", "I_K", "\\delta_{jk}", ">", "\\cdots", "\\nabla_W"]


def assert_clean(text: str) -> None:
    result = formulacheck.check_markdown(text, "fuzz.md", trials=1)
    for block in result.blocks:
        assert block.status in ("checked", "declared", "defined", "unchecked", "failed", "error")
        if not block.ok:
            assert block.message.startswith("fuzz.md:")
            assert "internal" not in block.message and "Traceback" not in block.message


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SOUP), max_size=14))
def test_token_soup_only_passes_fails_or_errors_cleanly(tokens):
    assert_clean(page(" ".join(tokens)))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
@example(text="0..0")  # once read as one number, and float("0..0") raised ValueError
@example(text="1.2.3 = 1")
def test_random_strings_only_pass_fail_or_error_cleanly(text):
    assert_clean(page(text))
    assert_clean(text)


def test_passing_never_happens_for_a_false_constant_claim():
    block = last_block("1 = 2")
    assert block.status == "failed" and not math.isnan(block.links)
