r"""Index arithmetic in an entry's subscripts (evaluation/index_arithmetic.py): `X_{n,c,i+p-1,j+q-1}`
reads the entry it names (tied to an independent numpy correlation), a range written after the
formula gives its letters their ranges, a zero-padded tensor is defined piecewise, and every wrong
use (outside the axis, no range, a transposed index, a symbol, a product of letters, HH) is a clean
error naming page:line:col, the item and the range."""

import re

import numpy as np
import pytest

from formulacheck import check_markdown
from formulacheck.testing import check_formula
from formulacheck.tex.parser import ExpressionParser
from formulacheck.tex.tokens import tokenize

import fc_conv_oracle

DECLARE = r"""
$$
X \in \mathbb{R}^{N \times C \times H \times W}, \quad V \in \mathbb{R}^{F \times C \times D \times D}, \quad b \in \mathbb{R}^{F}
$$
"""
ORACLE = "fc_conv_oracle.correlate"
CORRELATION = (r"Y_{n,f,i,j} \coloneqq \sum_{c=1}^{C} \sum_{p=1}^{D} \sum_{q=1}^{D} "
               r"X_{n,c,{I},{J}} V_{f,c,p,q} \quad \text{for } 1 \le i \le H - D + 1, "
               r"\ 1 \le j \le W - D + 1")


def correlation(rows="i+p-1", cols="j+q-1", filter_entry="V_{f,c,p,q}", ranges=None):
    formula = CORRELATION.replace("{I}", rows).replace("{J}", cols)
    formula = formula.replace("V_{f,c,p,q}", filter_entry)
    return formula if ranges is None else formula.split(r" \quad")[0] + ranges


def checked(formula, marker=""):
    return check_formula(formula, DECLARE, marker=marker, page="arith.md")


def error_of(formula, marker=""):
    block = checked(formula, marker)
    assert block.status == "error", (block.status, block.message)
    return block.message


def test_the_items_of_an_arithmetic_subscript_are_split_at_commas():
    node = ExpressionParser(tokenize("X_{n,c,S(i-1)+p,H_f+1-q}")).parse_factor()
    assert [type(item).__name__ for item in node.items] == ["Name", "Name", "IndexArithmetic",
                                                            "IndexArithmetic"]
    assert node.text == "n,c,S(i-1)+p,H_f+1-q"
    # a subscript without arithmetic is read as before: one index per letter, p_+ a name
    assert ExpressionParser(tokenize("X_{nchw}")).parse_factor().text == "nchw"
    assert [type(i).__name__ for i in ExpressionParser(tokenize("p_{+}")).parse_factor().items] == ["Name"]


def test_a_correlation_with_shifted_subscripts_is_the_numpy_correlation():
    block = checked(correlation(), marker=f"<!-- code: {ORACLE}(X, V) -->\n")
    assert block.status == "checked", block.message


def test_a_stride_written_as_a_whole_number_reads_every_second_window():
    formula = correlation("2(i-1)+p", "2(j-1)+q", ranges=r" \quad \text{for } 1 \le i \le 2, \ 1 \le j \le 2")
    block = checked(formula, marker="<!-- code: fc_conv_oracle.correlate_stride_two(X, V) -->\n")
    assert block.status == "checked", block.message


def test_a_transposed_filter_index_fails_against_the_oracle():
    block = checked(correlation(filter_entry="V_{f,c,q,p}"), marker=f"<!-- code: {ORACLE}(X, V) -->\n")
    assert block.status == "failed", block.message


def test_an_arithmetic_subscript_outside_its_axis_names_the_item_the_values_and_the_range():
    message = error_of(correlation(rows="i+p"))
    assert "arith.md:7:75:" in message
    assert ("the subscript i+p of X_{n,c,i+p,j+q-1} takes the values 2..5, outside the axis's "
            "entries 1..H (=5)") not in message  # the values run to 6: the range is said whole
    assert "the subscript i+p of X_{n,c,i+p,j+q-1} takes the values 2..6, outside the axis's " \
           "entries 1..H (=5), at i=3, p=3 (1-based, as on the page)" in message
    assert "never read wrapped around or as 0" in message


def test_transposed_indices_in_the_arithmetic_run_outside_the_shorter_axis():
    message = error_of(correlation(rows="j+q-1", cols="i+p-1"))
    assert "the subscript j+q-1 of X_{n,c,j+q-1,i+p-1} takes the values 1..8, outside the axis's " \
           "entries 1..H (=5)" in message


def test_a_letter_only_inside_arithmetic_has_no_range():
    message = error_of(r"Z_{n,c,i,j} \coloneqq X_{n,c,i+1,j}")
    assert "cannot tell the range of index i: index arithmetic (i+1) gives it none" in message


def test_a_range_after_the_formula_must_agree_with_the_axes():
    message = error_of(r"Z_{n,c,i,j} \coloneqq X_{n,c,i,j} \quad \text{for } 1 \le i \le N")
    assert "index i ranges over 1..H here but over 1..N at" in message


def test_a_range_after_the_formula_may_start_above_one_or_stop_short_of_the_axis():
    for ranges in (r"\quad \text{for } 2 \le h \le H", r"\quad \text{for } 2 \le h \le H - 1"):
        block = checked(r"X_{n,c,h,w} - X_{n,c,h-1,w} = X_{n,c,h,w} - X_{n,c,h-1,w} " + ranges)
        assert block.status == "checked", block.message
    shifted = checked(r"X_{n,c,h+1,w} - X_{n,c,h,w} = X_{n,c,h+1,w} - X_{n,c,h,w} "
                      r"\quad \text{for } 1 \le h \le H - 1")
    assert shifted.status == "checked", shifted.message
    wrong = checked(r"X_{n,c,h-1,w} = X_{n,c,h,w} \quad \text{for } 2 \le h \le H")
    assert wrong.status == "failed", wrong.message
    assert int(re.search(r"\bh=(\d+)", wrong.message).group(1)) >= 2, wrong.message  # as written
    assert "takes the values 0.." in error_of(r"X_{n,c,h-2,w} = 0 \quad \text{for } 2 \le h \le H")
    assert "holds no value" in error_of(r"X_{n,c,h,w} = 0 \quad \text{for } 9 \le h \le H")


def test_a_range_that_is_not_a_whole_number_is_refused():
    formula = correlation("2(i-1)+p", "2(j-1)+q",
                          ranges=r" \quad \text{for } 1 \le i \le 1 + (H - D)/2, \ 1 \le j \le 2")
    assert checked(formula).status == "defined"  # 1 + (5-3)/2 = 2, and 1 + (6-4)/2 = 2
    formula = formula.replace("1 + (H - D)/2", "1 + (W - D)/2")  # 1 + (8-3)/2 = 7/2
    message = error_of(formula)
    assert "the range of i ends at 7/2, which is not a whole number of at least 1" in message


@pytest.mark.parametrize("subscript, expected", [
    ("n,c,ij+1,j", "the subscript item ij+1 runs letters together"),
    ("n,c,i+b_1,j", "b_{1} in the subscript item i+b_1"),
    ("n,c,HH+1-i,j", "HH in the subscript item HH+1-i is the product H \\cdot H"),
    ("n,c,i/2+1,j", "in the subscript item i/2+1: an index is a whole number"),
    ("n,c,i+0.5,j", "0.5 in the subscript item i+0.5 is not a whole number"),
    ("n,c,i(j+1),j", "a product of two index expressions in the subscript item i(j+1)"),
])
def test_what_is_not_index_arithmetic_is_refused_by_name(subscript, expected):
    message = error_of(rf"\sum_{{i=1}}^{{H}} \sum_{{j=1}}^{{W}} X_{{{subscript}}} = 1")
    assert expected in message


PADDED = (r"\tilde{X}_{n,c,h,w} \coloneqq \begin{cases} X_{n,c,h-2,w-2} & \text{if } 2 < h \le 2 + H "
          r"\text{ and } 2 < w \le 2 + W, \\ 0 & \text{otherwise} \end{cases} \quad "
          r"\text{for } 1 \le h \le H + 4, \ 1 \le w \le W + 4")


def test_a_zero_padded_tensor_is_defined_piecewise_and_matches_numpy_padding():
    block = checked(PADDED, marker="<!-- code: fc_conv_oracle.pad(X, 2) -->\n")
    assert block.status == "checked", block.message
    page = check_markdown(DECLARE + f"\n$$\n{PADDED}\n$$\n\n$$\n\\tilde{{X}}_{{n,c,h+2,w+2}} = "
                          "X_{n,c,h,w}\n$$\n", "pad.md")
    assert [b.status for b in page.blocks] == ["declared", "defined", "checked"]


def test_a_case_whose_condition_lets_its_subscript_leave_the_axis_is_refused():
    message = error_of(PADDED.replace(r" \text{ and } 2 < w \le 2 + W", ""))
    assert "takes the values -1..10, outside the axis's entries 1..W (=8) where its case of " \
           "\\begin{cases} holds, at w=1, h=3" in message


def test_a_chained_condition_is_both_comparisons():
    wrong = PADDED.replace(r"2 < h \le 2 + H", r"2 < h \le 3 + H")  # one row too many
    assert "where its case of \\begin{cases} holds" in error_of(wrong)


def test_a_sum_runs_to_a_size_expression():
    block = checked(r"\sum_{h=2}^{H} X_{n,c,h,w} = \sum_{i=1}^{H-1} X_{n,c,i+1,w}")
    assert block.status == "checked", block.message
    block = checked(r"\sum_{h=2}^{H} X_{n,c,h,w} = \sum_{i=1}^{H-1} X_{n,c,i+1,w} + X_{n,c,1,w}")
    assert block.status == "failed", block.message


def test_the_oracle_is_a_correlation():
    X, V = np.arange(16.0).reshape(1, 1, 4, 4), np.ones((1, 1, 2, 2))
    assert fc_conv_oracle.correlate(X, V)[0, 0, 0, 0] == 0 + 1 + 4 + 5
    assert fc_conv_oracle.correlate(X, V, stride=2).shape == (1, 1, 2, 2)


def test_a_primed_size_is_a_size_of_its_own_in_shapes_sums_and_ranges():
    page = check_markdown(r"""
$$
Z \in \mathbb{R}^{N \times H'}
$$

$$
\sum_{i=1}^{H'} Z_{n,i} = \sum_{h=1}^{H'} Z_{n,h}
$$

$$
Q_{n,i} \coloneqq Z_{n,i+1} \quad \text{for } 1 \le i \le H' - 1
$$
""", "primed.md")
    assert [b.status for b in page.blocks] == ["declared", "checked", "defined"], page.blocks[-1].message
    # a primed lowercase letter or a primed name applied to an argument is still a derivative
    node = ExpressionParser(tokenize("F'(z)")).parse_factor()
    assert type(node).__name__ != "Name"


def test_a_derivative_by_an_entry_outside_its_axis_is_a_clean_error():
    preamble = DECLARE + (r"\n$$\nL \coloneqq \sum_{n=1}^{N} \sum_{c=1}^{C} \sum_{h=1}^{H} "
                          r"\sum_{w=1}^{W} X_{n,c,h,w}^2\n$$\n").replace(r"\n", "\n")
    inside = r"\frac{\partial L}{\partial X_{n,c,h+1,w}} = 2 X_{n,c,h+1,w} \quad \text{for } 1 \le h \le H - 1"
    assert check_formula(inside, preamble, page="arith.md").status == "checked"
    block = check_formula(inside.replace("H - 1", "H"), preamble, page="arith.md")
    assert block.status == "error" and "the subscript h+1 of X_{n,c,h+1,w} takes the values 2..6" \
        in block.message, block.message


def test_the_evidence_of_a_range_from_two_shows_the_entries_from_two():
    from formulacheck.faces.site.evidence_html import axes_note
    block = checked(r"X_{n,c,h,w} - X_{n,c,h-1,w} = X_{n,c,h,w} - X_{n,c,h-1,w} "
                    r"\quad \text{for } 2 \le h \le H")
    notes = [axes_note(link) for link in block.evidence]
    assert notes and all("h = 2" in note for note in notes), notes
