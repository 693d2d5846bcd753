"""Definitions written with `=` (pages/definitions.py): a new name on the left of `=` is defined
in a display block and its mark says so; a name that is known is claimed; the ambiguous
neighbours (the new name on both sides; inline math) keep a claim's reading. Function heads
`f(x, y) = ...` define functions (their application: evaluation/test_fc_user_functions.py)."""

import formulacheck
from formulacheck.faces.site.marks import mark_text
from formulacheck.testing import check_formula

PREAMBLE = ("$$\nX \\in \\mathbb{R}^{N \\times D}, \\quad W \\in \\mathbb{R}^{D \\times K}, \\quad "
            "x, y \\in \\mathbb{R}\n$$\n")


def test_a_new_name_on_the_left_of_equals_is_defined_and_the_mark_says_how_it_was_read():
    block = check_formula(r"F = X W", PREAMBLE)
    assert block.status == "defined" and block.defines == ["F"] and block.read_from_equals == ["F"]
    assert mark_text(block)[0] == "defines F (F read from = as a definition: first use)"
    assert block.summary().endswith("defined (F read from = as a definition: first use)")


def test_the_rest_of_a_chain_after_a_definition_is_checked():
    preamble = PREAMBLE
    assert check_formula(r"G = X W = (W^\top X^\top)^\top", preamble).status == "checked"
    assert check_formula(r"G = X W = X W + X W", preamble).status == "failed"


def test_a_known_name_on_the_left_of_equals_is_a_claim_not_a_redefinition():
    preamble = PREAMBLE + "\n$$\nF \\coloneqq X W\n$$\n"
    assert check_formula(r"F = X W", preamble).status == "checked"
    block = check_formula(r"F = 2 X W", preamble)
    assert block.status == "failed" and block.read_from_equals == []


def test_a_family_is_defined_with_equals_when_its_letter_is_new():
    block = check_formula(r"M_{dk} = W_{dk} + 1", PREAMBLE)
    assert block.status == "defined" and block.defines == ["M_{dk}"]
    assert check_formula(r"M_{dk} = W_{dk} + 1, \quad M = W", PREAMBLE).status == "failed"


def test_the_new_name_on_both_sides_is_refused_naming_both_readings():
    message = check_formula(r"h = 2 h", PREAMBLE).message
    assert ("h is new on the left of = and appears on the right: as a definition of h it would use "
            "itself, as a claim h is undeclared") in message


def test_an_entry_of_a_known_matrix_is_never_defined():
    block = check_formula(r"X_{9,1} = 1", PREAMBLE)
    assert block.status == "error" and "a subscript of X runs outside 1..7" in block.message


def test_a_differential_on_the_left_stays_a_claim():
    preamble = PREAMBLE + "\n$$\n\\mathrm{d}W \\in \\mathbb{R}^{D \\times K}, \\quad F \\coloneqq X W\n$$\n"
    assert check_formula(r"\mathrm{d}F = X \, \mathrm{d}W", preamble).status == "checked"
    assert check_formula(r"\mathrm{d}F = 2 X \, \mathrm{d}W", preamble).status == "failed"


def test_inline_math_never_defines_with_equals():
    page = PREAMBLE + "\nThe scores $Q = X W$ come first.\n"
    [span] = formulacheck.check_markdown(page, "p.md").spans
    assert span.status == "error" and "undeclared symbol Q" in span.message


def test_a_function_head_defines_a_function_with_equals_or_coloneqq():
    for relation in ("=", "\\coloneqq"):
        block = check_formula(f"f(u, v) {relation} u v + 1", PREAMBLE)
        assert block.status == "defined" and block.defines == ["f"], block.message


def test_a_function_body_with_an_undeclared_name_is_refused_at_its_definition():
    block = check_formula(r"f(u) = u + Q", PREAMBLE)
    assert block.status == "error" and "undeclared symbol Q" in block.message


def test_a_known_symbol_before_parentheses_is_not_a_function_head():
    # W (x + y) is a product, and with a known W it stays a claim
    preamble = PREAMBLE + "\n$$\n\\mathbf{v} \\in \\mathbb{R}^{K}\n$$\n"
    assert check_formula(r"W (\mathbf{v} + \mathbf{v}) = 2 W \mathbf{v}", preamble).status == "checked"


def test_a_size_name_on_the_left_is_never_defined():
    block = check_formula(r"K = 300", "$$\nx \\in \\mathbb{R}\n$$\n")
    assert block.status == "error" and "undeclared symbol K" in block.message


def test_a_new_decorated_name_whose_plain_letter_is_known_stays_a_look_alike():
    # \mathcal{W} = W: W in another font, or a new symbol? Refused, never defined
    message = check_formula(r"\mathcal{W} = W", PREAMBLE).message
    assert r"\mathcal{W} could be W (line 2) written in another font" in message
    # with no W on the page, \mathcal{L} = ... is the definition of a new symbol
    block = check_formula(r"\mathcal{L} = \|V\|_F^2", PREAMBLE.replace("W \\in", "V \\in"))
    assert block.status == "defined" and block.read_from_equals == [r"\mathcal{L}"]


def test_a_size_letter_on_the_left_of_equals_is_not_defined_and_the_message_says_why():
    # `N = 300` in prose gives a size its value, so N, D, K and H are never defined by `=`; here
    # H is no size of the page, and its entry or whole value is refused with the way to define it
    for formula, shown in ((r"H_{ik} = X_{i1} W_{1k}", "H_{ik}"), (r"H = X W", "H")):
        block = check_formula(formula, PREAMBLE)
        assert block.status == "error"
        assert (f"undeclared symbol {shown}; H is one of the size letters N, D, K, H, which = does "
                "not define (N = 300 gives a size its value); expected a declaration, or a "
                "definition with \\coloneqq, before its first use") in block.message
    assert check_formula(r"H \coloneqq X W", PREAMBLE).status == "defined"
    # any other new letter is defined by `=`
    assert check_formula(r"Q = X W", PREAMBLE).status == "defined"


def test_a_later_use_of_a_name_a_formula_with_a_problem_names_points_to_that_formula():
    # one slip in the block of definitions (\mathbf{1} without its length) leaves F, P and L
    # undefined; each later use says where they were to be defined instead of asking for a
    # declaration the page already has
    page = PREAMBLE + (
        "\n$$\nF \\coloneqq X W + \\mathbf{1} W_{11}, \\quad P_{ik} \\coloneqq F_{ik}^2, "
        "\\quad \\mathbf{z} = W_{1k}\n$$\n"
        "\n$$\nG \\coloneqq F W^\\top\n$$\n"
        "\n$$\n\\frac{\\partial \\operatorname{tr}(G)}{\\partial F} = 2 I\n$$\n"
        "\n$$\nQ_{ik} = P_{ik} + z_k\n$$\n")
    problems = [block.message for block in formulacheck.check_markdown(page, "p.md").blocks
                if block.status == "error"]
    assert "\\mathbf{1} must carry its length" in problems[0]
    assert problems[1].startswith("p.md:10:13: error: undeclared symbol F; F is defined at line 6, "
                                  "in a formula with a problem; expected that formula fixed first")
    assert "undeclared symbol F in the denominator; F is defined at line 6, in a formula" in problems[2]
    assert "undeclared symbol P_{ik}; P is defined at line 6, in a formula with a problem" in problems[3]
    # a name no formula defines keeps the usual message
    page = PREAMBLE + "\n$$\nF \\coloneqq X W + \\mathbf{1} W_{11}\n$$\n\n$$\nG \\coloneqq V W\n$$\n"
    message = [block.message for block in formulacheck.check_markdown(page, "p.md").blocks][-1]
    assert "undeclared symbol V; expected a declaration such as V \\in" in message


def test_an_inline_claim_with_a_problem_names_nothing_it_defines():
    # `=` never defines in inline math: a later use of Q keeps the usual message
    page = PREAMBLE + "\nThe scores $Q = X W$ come first.\n\n$$\nG \\coloneqq Q W^\\top\n$$\n"
    message = [block.message for block in formulacheck.check_markdown(page, "p.md").blocks][-1]
    assert "undeclared symbol Q; expected a declaration such as Q \\in" in message


def test_a_new_name_under_a_power_on_the_left_is_refused_and_later_uses_point_to_it():
    # the batch norm paper's variance, `\sigma_j^2 = \frac{1}{N} \sum_i (...)^2`
    page = PREAMBLE + ("\n$$\n\\sigma_j^2 = \\frac{1}{N} \\sum_{i=1}^{N} X_{ij}^2\n$$\n"
                       "\n$$\nQ_{ij} = \\frac{X_{ij}}{\\sigma_j}\n$$\n")
    first, later = formulacheck.check_markdown(page, "p.md").blocks[1:]
    assert first.message.startswith("p.md:6:1: error: \\sigma_{j} is new on the left of = under a "
                                    "power: = defines a name, not its power; expected a new name "
                                    "for the right side, as in v = ..., and \\sigma_{j} written "
                                    "with it, as in \\sqrt{v}")
    assert "undeclared symbol \\sigma_{j}; \\sigma is defined at line 6, in a formula" in later.message
    # with a name for the variance, both read
    page = PREAMBLE + ("\n$$\nv_j = \\frac{1}{N} \\sum_{i=1}^{N} X_{ij}^2, \\quad \\sigma_j = "
                       "\\sqrt{v_j}\n$$\n\n$$\n\\sigma_j^2 = v_j\n$$\n")
    assert [b.status for b in formulacheck.check_markdown(page, "p.md").blocks] == [
        "declared", "defined", "checked"]
