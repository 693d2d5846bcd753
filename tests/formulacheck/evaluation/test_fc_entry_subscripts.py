"""Subscripts of an entry that do not fit the symbol: clean errors, never an IndexError."""

import pytest
from hypothesis import given, settings, strategies as st

from formulacheck import check_markdown
from formulacheck.testing import check_formula

DECLARED = "$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n"


def only_problem(formula):
    block = check_formula(formula, DECLARED, page="entries.md")
    assert block.status == "error", block.message
    return block.message


def test_a_digit_subscript_beyond_the_size_names_the_range():
    message = only_problem("X_{9,1} = 1")
    assert "entries.md:6:1:" in message
    assert "a subscript of X runs outside 1..7" in message


def test_a_label_free_index_inside_the_range_is_fine_but_one_outside_is_not():
    assert "runs outside 1..3" in only_problem("X_{1,4} = 1")


def test_three_subscripts_on_a_matrix_say_how_many_it_takes():
    message = only_problem("\\sum_{k=1}^{K} X_{idk} = 1")
    assert "X is 7 \\times 3: an entry takes at most 2 subscripts, got 3" in message


def test_index_arithmetic_gives_its_letters_no_range():
    # index arithmetic is read (tests/formulacheck/evaluation/test_fc_index_arithmetic.py), but a
    # letter used only inside it has no range: never a conventional one
    message = only_problem("X_{i+1,d} = 1")
    assert "cannot tell the range of index i: index arithmetic (i+1) gives it none" in message


def test_a_mark_inside_a_subscript_of_several_indices_is_refused_by_name():
    message = only_problem("X_{i \\star} = 1")
    assert "star inside the subscript of an entry" in message
    assert "index arithmetic between commas (X_{i, j+1})" in message
    # a + with nothing after it is no arithmetic either
    assert "expected a symbol, a number or '('" in only_problem("X_{i+,d} = 1")


SUBSCRIPT_ITEMS = ["i", "j", "k", "d", "1", "4", "8", "+", "-", "y_i", "N", "X", ","]


# a symbol, or a value in parentheses or brackets (its entries as the symbols' are read)
BASES = ["X", "W", "(X W)", "(X^\\top)", "\\left[W^\\top X^\\top\\right]", "(X_{id} W)", "(1 + 2)"]


@given(st.sampled_from(BASES), st.lists(st.sampled_from(SUBSCRIPT_ITEMS), min_size=1, max_size=4))
@settings(max_examples=150, deadline=None)
def test_any_subscript_on_a_declared_matrix_passes_fails_or_errors_cleanly(base, items):
    formula = f"\\sum_{{k=1}}^{{K}} {base}_{{{''.join(items)}}} = 1"
    page = DECLARED + "\n$$\ny \\in \\{1, \\dots, K\\}^{N}\n$$\n\n" + f"$$\n{formula}\n$$\n"
    block = check_markdown(page, "entries.md").blocks[-1]
    assert block.status in ("checked", "failed", "error")
    assert block.message.startswith("entries.md:10:")


# -- an entry of a value in parentheses: `(X^\top)_{di}`, `(X W)_{ik}` --------------------------

def status_of(formula):
    return check_formula(formula, DECLARED, page="entries.md").status


def test_an_entry_of_a_transpose_or_a_product_in_parentheses_is_read():
    assert status_of("X_{id} = (X^\\top)_{di}") == "checked"
    assert status_of("(X W)_{ik} = \\sum_{d=1}^{D} X_{id} W_{dk}") == "checked"
    assert status_of("(W^\\top X^\\top)_{ki} = (X W)_{ik}") == "checked"
    # \left( ... \right) are parentheses too; a power of the entry applies after it is taken
    assert status_of("\\left(X W\\right)_{ik}^2 = (X W)_{ik} (X W)_{ik}") == "checked"
    # square brackets followed by a subscript hold a value too (an Iverson bracket takes none)
    assert status_of("[X W]_{ik} = \\left[X W\\right]_{ik} = (X W)_{ik}") == "checked"
    assert status_of("\\sum_{k=1}^{K} [k = 2] (X W)_{ik} = [X W]_{i2}") == "checked"


def test_an_entry_of_the_wrong_value_fails():
    # the mistakes these entries are written to show: the transpose on the other factor, a term
    # of the sum left out, the indices in the order of the matrix before it was transposed
    assert status_of("(X^\\top X)_{1,2} = (X X^\\top)_{1,2}") == "failed"
    assert status_of("(X W)_{ik} = \\sum_{d=2}^{D} X_{id} W_{dk}") == "failed"
    assert "index d ranges over 1..N here but over 1..D" in only_problem("(X^\\top)_{di} = X_{di}")


def test_index_letters_range_over_the_shape_of_the_value():
    # (X^T)_{di}: d over the columns of X (1..D, 3 here), i over its rows (1..N, 7 here)
    assert "the value in parentheses is 7 \\times 4: an entry takes at most 2 subscripts, got 3" \
        in only_problem("(X W)_{ikj} = 0")
    assert "a subscript of the value in parentheses runs outside" in only_problem("(X^\\top)_{6,1} = 0")


def test_a_value_with_free_indices_inside_is_refused_with_the_whole_value_form():
    message = only_problem("(X_{id} W)_{k} = 0")
    assert "an entry of the value in parentheses whose value has the free index i" in message
    assert "expected a whole value inside, as in (X W)_{ij}" in message


def test_a_subscript_after_a_transpose_without_parentheses_is_refused_with_the_fix():
    message = only_problem("X^\\top_{di} = X_{id}")
    assert "entries.md:6:7:" in message
    assert "could be read two ways; expected it on a symbol (X_{id}) or on the value in " \
           "parentheses, as in (X^\\top)_{di}" in message


@pytest.mark.parametrize("inside", ["X W", "X"])
def test_parentheses_with_a_subscript_after_a_function_are_refused_both_readings_named(inside):
    preamble = DECLARED + "\n$$\n\\sigma(x) \\coloneqq \\frac{1}{1 + e^{-x}}\n$$\n"
    block = check_formula(f"\\sigma({inside})_{{ik}} = 0", preamble, page="entries.md")
    assert block.status == "error"
    # at the parenthesis that opens the value: the column after "\sigma"
    assert "entries.md:10:7:" in block.message
    assert "\\sigma(...)_{ik} could be an entry of the value of \\sigma or \\sigma of an entry; " \
           "expected (\\sigma(...))_{ik} for an entry of its value, or \\sigma((...)_{ik}) for " \
           "\\sigma of an entry" in block.message
    # both unambiguous forms are read, and they agree for a function applied entry by entry
    assert check_formula(f"(\\sigma({inside}))_{{ik}} = \\sigma(({inside})_{{ik}})",
                         preamble).status == "checked"


@pytest.mark.parametrize("formula, message", [
    (r"(X_{1,1} \mathbf{1}_K^\top)_k = X_{1,1}",
     "the value in parentheses is a row (1 x 4), and one index reads an entry of a column; "
     "expected the row's entry with two indices"),
    (r"W_k = W_k", "W is a matrix; an entry needs two indices"),
])
def test_one_index_on_a_row_or_a_matrix_says_what_the_value_is(formula, message):
    assert message in only_problem(formula)


def test_a_row_takes_its_entry_with_two_indices():
    block = check_formula(r"(X_{1,1} \mathbf{1}_K^\top)_{1k} = X_{1,1}", DECLARED)
    assert block.status == "checked", block.message
