"""Conventions a page states with a `convention:` marker (evaluation/conventions.py): numerator
layout and `\\otimes` as the elementwise product, from the marked block to the end of its scope;
an unknown convention is an error; without a marker the site's layout holds and a transposed
result is explained by a hint in the message."""

import formulacheck

DECLARE = "$$\n\\mathbf{w}, \\mathbf{x} \\in \\mathbb{R}^{D}, \\quad W \\in \\mathbb{R}^{D \\times K}\n$$\n"
NUMERATOR = "<!-- convention: numerator layout -->\n" + DECLARE


def blocks(text):
    return formulacheck.check_markdown(text, "conventions.md").blocks


def last(text):
    return blocks(text)[-1]


def test_numerator_layout_makes_a_scalar_by_a_vector_a_row_and_by_a_matrix_its_transpose():
    claims = ("\n$$\na = \\mathbf{w}^\\top \\mathbf{x}, \\quad \\frac{\\partial a}{\\partial \\mathbf{w}} = "
              "\\mathbf{x}^\\top, \\quad \\frac{\\partial}{\\partial W} \\|W\\|_F^2 = 2 W^\\top\n$$\n")
    assert last(NUMERATOR + claims).status == "checked"
    assert last(NUMERATOR + claims.replace("2 W^\\top", "2 W")).status == "failed"


def test_the_same_claim_without_the_marker_fails_with_a_layout_hint():
    claim = "\n$$\na = \\mathbf{w}^\\top \\mathbf{x}, \\quad \\frac{\\partial a}{\\partial \\mathbf{w}} = \\mathbf{x}^\\top\n$$\n"
    block = last(DECLARE + claim)
    assert block.status == "failed"
    assert ("the shapes are each other's transpose: a derivative's layout may be why (this page "
            "uses the denominator layout") in block.message
    assert "<!-- convention: numerator layout -->" in block.message


def test_a_jacobian_and_an_entry_derivative_are_the_same_in_both_layouts():
    claim = ("\n$$\n\\mathbf{y} = W^\\top \\mathbf{x}, \\quad \\frac{\\partial \\mathbf{y}}{\\partial "
             "\\mathbf{x}} = W^\\top, \\quad \\frac{\\partial \\mathbf{y}_k}{\\partial \\mathbf{x}_d} = W_{dk}\n$$\n")
    for page in (DECLARE, NUMERATOR):
        assert last(page + claim).status == "checked", last(page + claim).message


def test_the_convention_ends_with_the_scope():
    page = NUMERATOR + "\n<!-- scope: next -->\n\n" + DECLARE + (
        "\n$$\na = \\mathbf{w}^\\top \\mathbf{x}, \\quad \\frac{\\partial a}{\\partial \\mathbf{w}} = \\mathbf{x}\n$$\n")
    assert last(page).status == "checked"


def test_otimes_is_the_kronecker_product_unless_the_page_states_elementwise():
    claim = "\n$$\n\\mathbf{w} \\otimes \\mathbf{x} = \\operatorname{diag}(\\mathbf{w}) \\mathbf{x}\n$$\n"
    assert last(DECLARE + claim).status == "failed"  # a D^2 column is not a D column
    stated = "<!-- convention: \\otimes elementwise -->\n" + DECLARE
    assert last(stated + claim).status == "checked"


def test_several_conventions_in_one_marker():
    page = "<!-- convention: numerator layout; \\otimes elementwise -->\n" + DECLARE + (
        "\n$$\n\\mathbf{y} = \\mathbf{w} \\otimes \\mathbf{x}, \\quad \\frac{\\partial \\mathbf{y}}"
        "{\\partial \\mathbf{w}} = \\operatorname{diag}(\\mathbf{x})\n$$\n")
    assert last(page).status == "checked"


def test_an_unknown_convention_is_an_error_naming_the_known_ones():
    block = blocks("<!-- convention: row vectors -->\n" + DECLARE)[0]
    assert block.status == "error"
    assert "unknown convention 'row vectors' in the convention: marker; expected one of" in block.message
    assert "`numerator layout`" in block.message
