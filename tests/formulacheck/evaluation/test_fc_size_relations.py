r"""Sizes that satisfy the relations a page states (evaluation/size_relations.py, planned by
pages/size_plan.py): `H' = 1 + \frac{H + 2P - k_h}{S}` holds under both size assignments with
values of at least 2, distinct among the sizes of axes, different under the two assignments; a
convolution written in the course's notation is then checked whole, forward and backward, and tied
to an independent numpy convolution; a relation no whole sizes satisfy is an error naming it."""

import pytest

from formulacheck import check_markdown
from formulacheck.faces.site.marks import mark_text
from formulacheck.evaluation.size_relations import plan_sizes, frozen
from formulacheck.pages.check import page_items
from formulacheck.pages.size_plan import scope_plans
from formulacheck.tex.parser import ExpressionParser
from formulacheck.tex.tokens import tokenize

import fc_conv_oracle  # noqa: F401  (imported by the code: ties)

SHAPES = r"""
$$
X \in \mathbb{R}^{N \times C \times H \times W}, \quad K \in \mathbb{R}^{F \times C \times k_h \times k_w}, \quad b \in \mathbb{R}^{F}
$$

$$
H' = 1 + \frac{H + 2P - k_h}{S}, \qquad W' = 1 + \frac{W + 2P - k_w}{S}
$$
"""
CONVOLUTION = SHAPES + r"""
$$
\tilde{X}_{n,c,h,w} \coloneqq \begin{cases} X_{n,c,h-P,w-P} & \text{if } P < h \leq P + H \text{ and } P < w \leq P + W \\ 0 & \text{otherwise} \end{cases}, \quad \tilde{X} \in \mathbb{R}^{N \times C \times (H + 2P) \times (W + 2P)}
$$

<!-- code: fc_conv_oracle.conv_forward(X, K, b, {"stride": S, "pad": P}) -->
$$
Y_{n,f,i,j} \coloneqq b_f + \sum_{c=1}^{C} \sum_{p=1}^{k_h} \sum_{q=1}^{k_w} \tilde{X}_{n,c,S(i-1)+p,S(j-1)+q} K_{f,c,p,q} \quad \text{for } 1 \le i \le H', \ 1 \le j \le W'
$$

$$
Y \in \mathbb{R}^{N \times F \times H' \times W'}, \quad G \in \mathbb{R}^{N \times F \times H' \times W'}
$$

$$
L \coloneqq \sum_{n=1}^{N} \sum_{f=1}^{F} \sum_{i=1}^{H'} \sum_{j=1}^{W'} G_{n,f,i,j} Y_{n,f,i,j}
$$

$$
\frac{\partial L}{\partial K_{f,c,p,q}} = \sum_{n=1}^{N} \sum_{i=1}^{H'} \sum_{j=1}^{W'} G_{n,f,i,j} \tilde{X}_{n,c,S(i-1)+p,S(j-1)+q}
$$

$$
\frac{\partial L}{\partial \tilde{X}_{n,c,h,w}} = \sum_{f=1}^{F} \sum_{i=1}^{H'} \sum_{j=1}^{W'} \sum_{p=1}^{k_h} \sum_{q=1}^{k_w} G_{n,f,i,j} K_{f,c,p,q} \, \mathbb{1}(S(i-1)+p = h) \, \mathbb{1}(S(j-1)+q = w)
$$

$$
\frac{\partial L}{\partial X_{n,c,h,w}} = \frac{\partial L}{\partial \tilde{X}_{n,c,h+P,w+P}}
$$
"""


# the page up to the forward pass, and up to the gradient by the filter (the costly derivative by
# the padded input's entries is checked once, in the test of the whole page)
FORWARD = CONVOLUTION.split("$$\nY \\in")[0]
BY_FILTER = CONVOLUTION.split("$$\n\\frac{\\partial L}{\\partial \\tilde{X}")[0]


def plans(text):
    return scope_plans(page_items(text))


def test_the_relations_hold_under_both_assignments_with_the_rules_of_sizes():
    plan = plans(SHAPES)[0]
    assert plan.failure is None
    first, second = plan.values
    axes = ["N", "C", "H", "W", "F", "k_h", "k_w"]  # the sizes of the page's shapes
    others = ["S", "P", "H'", "W'"]  # in no shape of this page
    for values in (first, second):
        for left, h, k in (("H'", "H", "k_h"), ("W'", "W", "k_w")):
            assert (values[h] + 2 * values["P"] - values[k]) % values["S"] == 0
            assert values[left] == 1 + (values[h] + 2 * values["P"] - values[k]) // values["S"]
        assert min(values.values()) >= 2
        assert len({values[a] for a in axes}) == len(axes)  # the sizes of axes are distinct
        assert len({values[o] for o in others}) == len(others)
    assert all(first[name] != second[name] for name in first)  # every size differs
    for name in others:  # never equal to the same axis size in both
        assert not any(first[name] == first[a] and second[name] == second[a] for a in axes)


def test_a_convolution_in_the_course_notation_is_checked_forward_and_backward():
    result = check_markdown(CONVOLUTION, "conv.md")
    statuses = [(b.line, b.status) for b in result.blocks]
    assert all(b.ok for b in result.blocks), [b.message for b in result.blocks if not b.ok]
    assert statuses[1] == (7, "checked") and result.blocks[1].links == 2  # the two relations
    # the summary and the site's mark say how the relations were read
    assert result.blocks[1].read_as_sizes == ["H'", "W'"]
    assert result.blocks[1].summary().endswith("(2 links x 3 trials; H', W' read as sizes "
                                               "(size relations))")
    assert mark_text(result.blocks[1])[0].endswith("; H', W' read as sizes (size relations)")
    # and the opened mark shows each relation's two sides at the sizes it was checked with
    evidence = result.blocks[1].evidence
    assert [(link.left, link.trials) for link in evidence] == [("H'", 3), ("W'", 3)]
    for link, (output, size, kernel) in zip(evidence, (("H'", "H", "k_h"), ("W'", "W", "k_w"))):
        sizes = link.sizes
        assert link.left_values == link.right_values == [[sizes[output]]]
        assert sizes[output] == 1 + (sizes[size] + 2 * sizes["P"] - sizes[kernel]) // sizes["S"]
    # the padded input's shape claim gives its letters their ranges: part of its definition
    assert statuses[2] == (11, "defined")
    assert [s for _, s in statuses].count("checked") == 6, statuses


@pytest.mark.parametrize("wrong, right", [
    (r"S(i-1)+p,S(j-1)+q} K_{f,c,p,q}", r"S(i-1)+q,S(j-1)+p} K_{f,c,p,q}"),  # a transposed index
    (r"X_{n,c,h-P,w-P}", r"X_{n,c,h-P,w-P+1}"),
])
def test_a_wrong_index_fails_against_the_numpy_convolution_or_leaves_its_axis(wrong, right):
    assert wrong in FORWARD
    result = check_markdown(FORWARD.replace(wrong, right, 1), "conv.md")
    problems = [b for b in result.blocks if not b.ok]
    assert problems and problems[0].status in ("failed", "error"), [b.status for b in result.blocks]


def test_a_wrong_gradient_by_the_filter_fails_or_leaves_its_axis():
    wrong = BY_FILTER.replace(r"G_{n,f,i,j} \tilde{X}_{n,c,S(i-1)+p,S(j-1)+q}",
                                r"G_{n,f,i,j} \tilde{X}_{n,c,S(i-1)+p,S(j-1)+q+1}")
    block = [b for b in check_markdown(wrong, "conv.md").blocks if not b.ok][0]
    assert block.status in ("failed", "error") and block.line == 28, block.message
    transposed = BY_FILTER.replace(r"G_{n,f,i,j} \tilde{X}_{n,c,S(i-1)+p,S(j-1)+q}",
                                     r"G_{n,f,i,j} \tilde{X}_{n,c,S(i-1)+q,S(j-1)+p}")
    block = [b for b in check_markdown(transposed, "conv.md").blocks if not b.ok][0]
    # k_h and k_w differ: an item leaves its axis (which one depends on the planned sizes)
    assert "of \\tilde{X}_{n,c,S(i-1)+q,S(j-1)+p} takes the values" in block.message


def test_a_product_of_new_letters_reads_as_a_size_relation_and_its_mark_says_so():
    # `G \coloneqq 2 F` with neither letter known is a size relation by the rule: a page that
    # meant matrices (F never defined) sees "read as a size" where it expected "defines G"
    page = "$$\nX \\in \\mathbb{R}^{N \\times D}\n$$\n\n$$\nG \\coloneqq 2 F\n$$\n"
    block = check_markdown(page, "p.md").blocks[1]
    assert block.status == "checked" and block.defines == [] and block.read_as_sizes == ["G"]
    assert mark_text(block)[0] == "checked: 1 link × 3 trials; G read as a size (a size relation)"


def test_a_relation_no_whole_sizes_satisfy_is_an_error_at_the_relation():
    result = check_markdown("$$\nA = \\frac{B}{2} + \\frac{1}{3}\n$$\n", "rel.md")
    message = result.blocks[0].message
    assert message.startswith("rel.md:2:3: error: no whole sizes satisfy the size relation for A")
    assert "distinct among the sizes of axes and among the others" in message


def test_a_page_without_relations_keeps_its_sizes():
    page = "$$\nX \\in \\mathbb{R}^{N \\times D}\n$$\n\n$$\nF \\coloneqq X W\n$$\n"
    assert plans(page) == [None]
    # a definition by symbols is no relation, even with uppercase letters
    page = "$$\nA, B \\in \\mathbb{R}^{N \\times N}\n$$\n\n$$\nQ = A + B\n$$\n"
    assert plans(page) == [None]


def test_each_scope_gets_its_own_plan():
    page = SHAPES + "\n<!-- scope: other -->\n\n$$\nx \\in \\mathbb{R}\n$$\n"
    first, second = plans(page)
    assert first is not None and second is None


def test_a_relation_that_never_holds_whole_is_refused_by_the_solver():
    def fz(text):
        return frozen(ExpressionParser(tokenize(text)).parse_expr())
    plan = plan_sizes((("A", fz(r"\frac{2B + 1}{2}")),), (), (), frozenset(), "A")
    assert plan.values == () and "no whole sizes satisfy A" in plan.failure
    plan = plan_sizes((("A", fz(r"\frac{B}{2}")),), (), (), frozenset(), "A")
    assert plan.failure is None and all(v["B"] == 2 * v["A"] for v in plan.values)


def test_a_sum_of_sizes_in_a_shape_gives_a_family_its_ranges_without_counting_as_a_check():
    page = SHAPES + r"""
$$
Z_{n,c,h,w} \coloneqq X_{n,c,h,w}, \quad Z \in \mathbb{R}^{N \times C \times (H + 2P - 2P) \times W}
$$

$$
Q_{n,c,h,w} \coloneqq X_{n,c,h,w}, \quad Q \in \mathbb{R}^{N \times C \times (H + 1) \times W}
$$
"""
    result = check_markdown(page, "sums.md")
    assert result.blocks[2].status == "defined", result.blocks[2].message  # holds by construction
    assert result.blocks[3].status == "error"
    assert "index h ranges over 1..H here but over 1..(H + 1)" not in result.blocks[3].message
    assert "index h ranges over" in result.blocks[3].message


STRIDE_ONE = r"""
$$
G \in \mathbb{R}^{N \times F \times (H - k_h + 1) \times (W - k_w + 1)}, \quad K \in \mathbb{R}^{F \times C \times k_h \times k_w}
$$

$$
\hat{G}_{n,f,u,v} \coloneqq \begin{cases} G_{n,f,u-k_h+1,v-k_w+1} & \text{if } k_h \le u \le H \text{ and } k_w \le v \le W \\ 0 & \text{otherwise} \end{cases}, \quad \hat{G} \in \mathbb{R}^{N \times F \times (H + k_h - 1) \times (W + k_w - 1)}
$$

$$
Q_{f,c,p,q} \coloneqq K_{f,c,k_h+1-p,k_w+1-q}, \quad Q \in \mathbb{R}^{F \times C \times k_h \times k_w}
$$

$$
\sum_{p=1}^{k_h} Q_{f,c,p,q} = \sum_{p=1}^{k_h} K_{f,c,p,k_w+1-q}
$$
"""


def test_sums_of_sizes_in_shapes_are_planned_to_be_whole_and_positive():
    # no relation: the shapes' sums (H - k_h + 1) alone make the scope planned, so H > k_h; a
    # size with a subscript inside index arithmetic (k_h + 1 - p) is a size, not k times h
    result = check_markdown(STRIDE_ONE, "flip.md")
    assert all(b.ok for b in result.blocks), [b.message for b in result.blocks if not b.ok]
    assert [b.status for b in result.blocks] == ["declared", "defined", "defined", "checked"]
    wrong = STRIDE_ONE.replace(r"K_{f,c,p,k_w+1-q}", r"K_{f,c,p,q}")
    assert check_markdown(wrong, "flip.md").blocks[-1].status == "failed"


SEED = 20261206  # the random size expressions below are drawn with it


def _exact_reference(expr, sizes):
    """The value of a frozen size expression in Fractions throughout, written apart from the
    module's evaluator (which keeps whole numbers as ints): the oracle it must agree with."""
    from fractions import Fraction
    kind = expr[0]
    if kind == "size":
        return Fraction(sizes[expr[1]]) if expr[1] in sizes else None
    if kind == "number":
        return Fraction(expr[1])
    if kind == "neg":
        inner = _exact_reference(expr[1], sizes)
        return None if inner is None else -inner
    if kind == "fraction":
        top, bottom = _exact_reference(expr[1], sizes), _exact_reference(expr[2], sizes)
        return None if top is None or bottom is None or bottom == 0 else top / bottom
    terms = [term for _, term in expr[1]] if kind == "add" else list(expr[1])
    values = [_exact_reference(term, sizes) for term in terms]
    if None in values:
        return None
    if kind == "add":
        return sum((sign * value for (sign, _), value in zip(expr[1], values)), Fraction(0))
    product = Fraction(1)
    for value in values:
        product *= value
    return product


def _random_size_expression(rng, depth):
    if depth == 0 or rng.random() < 0.25:
        return (("size", rng.choice("HWSPK")) if rng.random() < 0.6
                else ("number", rng.randint(0, 5)))
    kind = rng.choice(["add", "product", "fraction", "neg"])
    if kind == "neg":
        return ("neg", _random_size_expression(rng, depth - 1))
    if kind == "fraction":
        return ("fraction", _random_size_expression(rng, depth - 1),
                _random_size_expression(rng, depth - 1))
    parts = [_random_size_expression(rng, depth - 1) for _ in range(rng.randint(2, 3))]
    if kind == "add":
        return ("add", tuple((rng.choice((1, -1)), part) for part in parts))
    return ("product", tuple(parts))


def test_the_plans_whole_number_arithmetic_is_exact_arithmetic():
    """The search evaluates relations with ints, and Fractions only where a division leaves a
    remainder: on 3000 random expressions and sizes (some names without a value, divisions by 0)
    it gives exactly the value, or the None, of Fractions throughout."""
    import random
    from formulacheck.evaluation.size_relations import _value
    print(f"expressions drawn with seed {SEED}")
    rng = random.Random(SEED)
    kinds = set()
    for _ in range(3000):
        expr = _random_size_expression(rng, 4)
        sizes = {name: rng.randint(-3, 9) for name in "HWSPK" if rng.random() < 0.9}
        expected, got = _exact_reference(expr, sizes), _value(expr, sizes)
        assert got == expected and (got is None) == (expected is None), (expr, sizes)
        kinds.add("none" if got is None else "whole" if got.denominator == 1 else "fraction")
    assert kinds == {"none", "whole", "fraction"}  # every kind of answer was met
