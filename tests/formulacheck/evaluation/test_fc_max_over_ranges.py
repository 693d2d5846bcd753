r"""A maximum over index ranges, `\max_{1 \le p \le k_h,\, 1 \le q \le k_w}` (tex/constructs.py,
evaluation/indices.py): max pooling in the course's notation is the numpy max pooling, its
gradient is routed to the argmax (random entries have no ties), and wrong ranges, wrong routes and
transposed indices fail or are refused with page:line:col."""

import pytest

from formulacheck import check_markdown

import fc_conv_oracle  # noqa: F401  (imported by the code: ties)

POOLING = r"""
$$
X \in \mathbb{R}^{N \times C \times H \times W}
$$

$$
H' = 1 + \frac{H - k_h}{S}, \qquad W' = 1 + \frac{W - k_w}{S}
$$

<!-- code: fc_conv_oracle.max_pool(X, {"pool_height": k_h, "pool_width": k_w, "stride": S}) -->
$$
Y_{n,c,i,j} \coloneqq \max_{1 \le p \le k_h,\, 1 \le q \le k_w} X_{n,c,S(i-1)+p,S(j-1)+q}, \quad Y \in \mathbb{R}^{N \times C \times H' \times W'}
$$

$$
\frac{\partial Y_{n,c,i,j}}{\partial X_{n,c,S(i-1)+p,S(j-1)+q}} = \mathbb{1}(X_{n,c,S(i-1)+p,S(j-1)+q} = Y_{n,c,i,j}) \quad \text{for } 1 \le p \le k_h, \ 1 \le q \le k_w
$$

$$
G \in \mathbb{R}^{N \times C \times H' \times W'}
$$

$$
L \coloneqq \sum_{n=1}^{N} \sum_{c=1}^{C} \sum_{i=1}^{H'} \sum_{j=1}^{W'} G_{n,c,i,j} Y_{n,c,i,j}
$$

$$
\frac{\partial L}{\partial X_{n,c,h,w}} = \sum_{i=1}^{H'} \sum_{j=1}^{W'} \sum_{p=1}^{k_h} \sum_{q=1}^{k_w} G_{n,c,i,j} \, \mathbb{1}(S(i-1)+p = h) \, \mathbb{1}(S(j-1)+q = w) \, \mathbb{1}(X_{n,c,h,w} = Y_{n,c,i,j})
$$

$$
Y_{n,c,i,j} \geq X_{n,c,S(i-1)+p,S(j-1)+q} \quad \text{for } 1 \le p \le k_h, \ 1 \le q \le k_w
$$
"""


def test_max_pooling_in_the_course_notation_is_the_numpy_max_pooling_forward_and_backward():
    result = check_markdown(POOLING, "pool.md")
    assert all(b.ok for b in result.blocks), [b.message for b in result.blocks if not b.ok]
    assert [b.status for b in result.blocks].count("checked") == 5


@pytest.mark.parametrize("wrong, right, status", [
    # a transposed index in the window: numpy's max pooling disagrees (k_h and k_w differ, so it
    # may also leave the axis)
    ("X_{n,c,S(i-1)+p,S(j-1)+q}, \\quad Y", "X_{n,c,S(i-1)+q,S(j-1)+p}, \\quad Y", ("failed", "error")),
    # the gradient to every entry of the window, not to its maximum
    (r"\, \mathbb{1}(X_{n,c,h,w} = Y_{n,c,i,j})", "", ("failed",)),
    # the minimum is not the maximum: some entry of the window exceeds it
    (r"Y_{n,c,i,j} \geq X", r"Y_{n,c,i,j} \geq 1 + X", ("failed",)),
    # a window one row too tall leaves the input (H' windows of k_h + 1 rows)
    (r"\max_{1 \le p \le k_h,", r"\max_{1 \le p \le k_h + 1,", ("failed", "error")),
])
def test_a_wrong_pooling_fails(wrong, right, status):
    assert wrong in POOLING
    result = check_markdown(POOLING.replace(wrong, right, 1), "pool.md")
    problems = [b for b in result.blocks if not b.ok]
    assert problems and problems[0].status in status, [b.message for b in result.blocks]


@pytest.mark.parametrize("maximum, expected", [
    (r"\max_{0 \le p \le k_h}", "a maximum over a range starts at 1"),
    (r"\max_{1 < p \le k_h}", "expected \\le in the range of the maximum"),
    (r"\max_{1 \le p < k_h}", "expected \\le and the end of the range of p"),
    (r"\max_{1 \le 2 \le k_h}", "expected the index of \\max_k, found '2'"),
    (r"\max_{1 \le p \le H/S}", "the range of the maximum over p ends at"),
    (r"\max_{p}", "cannot tell the range of index p"),
])
def test_a_malformed_range_of_the_maximum_is_refused_by_name(maximum, expected):
    page = POOLING.split("<!-- code")[0] + (
        f"$$\nZ_{{n,c,i,j}} \\coloneqq {maximum} X_{{n,c,S(i-1)+p,j}} \\quad \\text{{for }} "
        "1 \\le i \\le H'\n$$\n")
    block = check_markdown(page, "pool.md").blocks[-1]
    assert block.status == "error" and expected in block.message, block.message


def test_the_selection_matrix_of_one_map_has_a_one_in_each_row():
    # P's matrix form: the Jacobian of the max of one feature map, ones of a product of sizes
    page = POOLING.split("<!-- code")[0].replace(
        r"X \in \mathbb{R}^{N \times C \times H \times W}", r"X \in \mathbb{R}^{H \times W}") + r"""
$$
Y_{i,j} \coloneqq \max_{1 \le p \le k_h,\, 1 \le q \le k_w} X_{S(i-1)+p,\, S(j-1)+q} \quad \text{for } 1 \le i \le H', \ 1 \le j \le W'
$$

$$
J \coloneqq \frac{\partial \operatorname{vec}(Y)}{\partial \operatorname{vec}(X)}, \quad \underbrace{J}_{H' W' \times H W} \mathbf{1}_{H W} = \mathbf{1}_{H' W'}
$$
"""
    result = check_markdown(page, "selection.md")
    assert all(b.ok for b in result.blocks), [b.message for b in result.blocks if not b.ok]
    wrong = page.replace(r"\mathbf{1}_{H W} = \mathbf{1}_{H' W'}", r"\mathbf{1}_{H W} = 2 \mathbf{1}_{H' W'}")
    assert check_markdown(wrong, "selection.md").blocks[-1].status == "failed"


def test_a_shape_table_row_claims_a_tensors_shape_axis_by_axis():
    table = POOLING.split("<!-- code")[0] + r"""
$$
\begin{array}{ll}
\text{symbol} & \text{shape} \\
X & N \times C \times H \times W
\end{array}
$$
"""
    assert check_markdown(table, "table.md").blocks[-1].status == "checked"
    wrong = table.replace(r"X & N \times C \times H \times W", r"X & N \times C \times W \times H")
    block = check_markdown(wrong, "table.md").blocks[-1]
    assert block.status == "failed" and "row 1 of the shape table, X: the shape written is" in block.message


def test_index_arithmetic_in_the_text_is_an_index_condition():
    page = POOLING + "\nThe entry $S (i - 1) + p = h$ of the window.\n"
    spans = check_markdown(page, "text.md").spans
    assert spans[-1].status == "classified" and spans[-1].rule == "index condition"


# -- a maximum with nothing to run over -------------------------------------------------------
MAX_PREAMBLE = ("$$\nz, c \\in \\mathbb{R}, \\quad v \\in \\mathbb{R}^{K}\n$$\n\n"
                "$$\n\\sigma(z) \\coloneqq \\frac{1}{1 + e^{-z}}\n$$\n\n")


@pytest.mark.parametrize("formula, message", [
    # the maximum of sigma' over the real line is 1/4, at 0: not a maximum over an index, and it
    # was read as sigma'(z) at the random z (the claim failed, for a reason no word named)
    (r"\max_{z} \sigma(z) (1 - \sigma(z)) = 0.25",
     "\\max_{z} maximises over the values of the symbol z, which the checker cannot do"),
    # c has no axis k: the maximum would be c itself, read in silence
    (r"\max_k c = c", "\\max_k runs over the axis k indexes, and k indexes nothing here"),
])
def test_a_maximum_over_no_index_is_refused(formula, message):
    block = check_markdown(MAX_PREAMBLE + f"$$\n{formula}\n$$\n", "m.md").blocks[-1]
    assert block.status == "error"
    assert message in block.message and block.message.startswith("m.md:10:")


def test_a_maximum_over_an_index_is_still_read():
    block = check_markdown(MAX_PREAMBLE + "$$\n\\max_k v_k \\ge v_1\n$$\n", "m.md").blocks[-1]
    assert block.status == "checked", block.message
