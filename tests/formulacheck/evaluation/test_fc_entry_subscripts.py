"""Subscripts of an entry that do not fit the symbol: clean errors, never an IndexError."""

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


@given(st.sampled_from(["X", "W"]), st.lists(st.sampled_from(SUBSCRIPT_ITEMS), min_size=1,
                                              max_size=4))
@settings(max_examples=150, deadline=None)
def test_any_subscript_on_a_declared_matrix_passes_fails_or_errors_cleanly(base, items):
    formula = f"\\sum_{{k=1}}^{{K}} {base}_{{{''.join(items)}}} = 1"
    page = DECLARED + "\n$$\ny \\in \\{1, \\dots, K\\}^{N}\n$$\n\n" + f"$$\n{formula}\n$$\n"
    block = check_markdown(page, "entries.md").blocks[-1]
    assert block.status in ("checked", "failed", "error")
    assert block.message.startswith("entries.md:10:")
