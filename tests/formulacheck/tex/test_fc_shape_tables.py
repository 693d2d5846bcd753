r"""Shape tables written in math (`\begin{array}` of symbols and shapes): correct tables pass, a
wrong shape or a transposed expression fails at its row, a malformed table is a clean error."""

from pathlib import Path

import pytest

import formulacheck
from formulacheck.testing import check_formula, formula_page

TWO_LAYER = Path(__file__).resolve().parents[3] / "docs" / "two-layer.md"

DECLARE = r"""$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}, \quad y \in \{1, \dots, K\}^{N}, \quad \lambda > 0
$$

$$
F \coloneqq X W + \mathbf{1}_N b^\top, \qquad L \coloneqq \frac{\lambda}{2} \|F\|_F^2
$$
"""
TABLE_LINE = 10  # the line of `\begin{array}` in `page()`


def page(table: str) -> str:
    return formula_page(table, DECLARE)


def last_block(table: str):
    return check_formula(table, DECLARE, page="table.md")


def table(*rows: str, spec: str = "lll", header: str = r"\text{symbol} & \text{shape} & \text{meaning}"):
    return "\\begin{array}{" + spec + "}\n" + " \\\\\n".join((header,) + rows) + "\n\\end{array}"


GOOD_ROWS = [
    r"X & N \times D & \text{inputs, one example per row}",
    r"W & D \times K & \text{weights}",
    r"b & K & \text{bias, a column vector}",
    r"b^\top & 1 \times K & \text{the bias as a row}",
    r"y & N & \text{labels}",
    r"\lambda & 1 & \text{penalty strength}",
    r"L & \text{scalar} & ",
    r"X^\top & \mathbb{R}^{D \times N} & ",
    r"F & N \times K & \text{scores}",
    r"\frac{\partial L}{\partial W} & D \times K & \text{gradient}",
    r"\nabla_b L & K & ",
    r"\frac{\partial L}{\partial \lambda} & \mathbb{R} & ",
]


def test_a_correct_table_is_checked_one_link_per_row_on_every_trial():
    result = formulacheck.check_markdown(page(table(*GOOD_ROWS)), "table.md", trials=2)
    block = result.blocks[-1]
    assert block.status == "checked", block.message
    assert block.links == len(GOOD_ROWS)
    assert block.trials == 2
    assert block.line == TABLE_LINE


def test_header_words_can_stand_in_any_order_with_rules_and_hlines():
    text = ("\\begin{array}{|c|l|l|}\n\\hline\n\\text{meaning} & \\text{Shape} & \\text{symbol} \\\\\n"
            "\\hline\n\\text{scores} & N \\times K & F \\\\\n\\hline\n\\end{array}")
    block = last_block(text)
    assert (block.status, block.links) == ("checked", 1), block.message


@pytest.mark.parametrize("row, written, actual", [
    (r"X & D \times N & ", "D x N", "7 x 3 (N x D)"),
    (r"W & D \times N & ", "D x N", "3 x 4 (D x K)"),
    (r"b & 1 \times K & ", "1 x K", "4 x 1 (K x 1)"),
    (r"b & N & ", "N", "4 x 1 (K x 1)"),
    (r"L & K & ", "K", "scalar"),
    (r"y & 1 & ", "1", "7 x 1 (N x 1)"),
    (r"\frac{\partial L}{\partial W} & K \times D & ", "K x D", "3 x 4 (D x K)"),
])
def test_a_changed_shape_fails_at_its_row_with_written_and_actual_shapes(row, written, actual):
    block = last_block(table(GOOD_ROWS[0], row))
    assert block.status == "failed", block.message
    # the second body row starts on the fourth line of the array
    assert block.message.startswith(f"table.md:{TABLE_LINE + 3}:1: failed: row 2 of the shape table")
    assert f"the shape written is {written} but the value is {actual}" in block.message


@pytest.mark.parametrize("row", [
    r"X^\top & N \times D & ",
    r"W^\top & D \times K & ",
    r"F^\top & N \times K & ",
    r"X W^\top & N \times K & ",
    r"\frac{\partial L}{\partial W}^\top & D \times K & ",
    r"b^\top & K & ",
])
def test_a_transposed_expression_fails(row):
    block = last_block(table(row))
    assert block.status in ("failed", "error"), block.message
    assert "internal" not in block.message


@pytest.mark.parametrize("text, expected, line, col", [
    (table(r"Q & N \times D & "), "undeclared symbol Q", 12, 1),
    (table(r"X_{id} & 1 & "), "has the free indices i, d", 12, 1),
    (table(r"X, W & N \times D & "), "one expression per row", 12, 2),
    (table(r"X \in \mathbb{R}^{N \times D} & N \times D & "), "one expression per row", 12, 3),
    (table(r"X & N \times D"), "has 2 cells but the table has 3 columns", 12, 1),
    (table(r"X & N \times D & & "), "has 4 cells but the table has 3 columns", 12, 1),
    (table(r"X & N \times D & X^\top"), "column holds words", 12, 18),
    (table(r" & N \times D & \text{x}"), "has no symbol", 12, 2),
    (table(r"X & & \text{x}"), "has no shape", 12, 1),
    (table(r"X & \text{matrix} & "), "unexpected words in the shape column", 12, 5),
    (table(r"X & n \times d & "), "n is not a declared size", 12, 1),
    (table(r"X & M \times D & "), "M is not a declared size", 12, 1),
    (table(r"X & N \times D \times K & "), "at most two sizes", 12, 1),
    (table(r"X & N \times & "), "expected a size after \\times", 12, 7),
    (table(r"X & N \times D & ", header=r"\text{symbol} & \text{shape}"), "header has 2 cells", 11, 1),
    (table(r"X & N \times D & ", header=r"X & \text{shape} & \text{meaning}"), "header row of \\text", 11, 1),
    (table(r"X & N \times D & ", header=r"\text{symbol} & \text{size} & \text{meaning}"),
     "no \\text{shape} column", 11, 1),
    (table(r"X & N \times D & ", header=r"\text{symbol} & \text{shape} & \text{symbol}"),
     "more than one \\text{symbol} column", 11, 1),
    (table(r"X & N \times D & ", spec="lxl"), "column specification", 10, 16),
    (table(r"X & N \times D & ", spec=""), "names no column", 10, 15),
    (table(), "has a header but no rows", 10, 1),
    ("F = X W, \\quad " + table(r"X & N \times D & "), "must be the whole block", 10, 16),
    (table(r"X & N \times D & ") + " = 1", "nothing after \\end{array}", 13, 13),
    ("\\begin{array}{ll}\n\\text{symbol} & \\text{shape} \\\\\nX & N \\times D", "never closed", 10, 1),
    ("\\begin{array}\n\\text{symbol} & \\text{shape} \\\\\nX & N \\times D\n\\end{array}",
     "column specification", 11, 1),
])
def test_a_malformed_table_is_a_clean_error_at_its_position(text, expected, line, col):
    block = last_block(text)
    assert block.status == "error", block.message
    assert expected in block.message
    assert block.message.startswith(f"table.md:{line}:{col}: error:"), block.message
    assert "internal" not in block.message and "Traceback" not in block.message


def test_an_array_inside_a_formula_is_not_read_as_a_matrix():
    block = last_block(r"F = \begin{array}{ll} X & X \end{array}")
    assert block.status == "error"
    assert "must be the whole block" in block.message


def test_the_site_page_has_a_checked_shape_table_of_every_value_and_gradient():
    result = formulacheck.check_page(TWO_LAYER)
    tables = [b for b in result.blocks if b.source.lstrip().startswith("\\begin{array}")]
    assert len(tables) == 1
    table_block = tables[0]
    assert table_block.status == "checked", table_block.message
    for symbol in ("X", "W_1", "b_1", "Z", "A", "W_2", "b_2", "F"):
        assert f"\n{symbol} & " in table_block.source
    for gradient in ("F", "W_2", "b_2", "A", "Z", "W_1", "b_1"):
        assert f"\\frac{{\\partial L}}{{\\partial {gradient}}} & " in table_block.source
    # one \\ ends the header and every row but the last: as many as there are rows
    assert table_block.links == table_block.source.count("\\\\") >= 15
