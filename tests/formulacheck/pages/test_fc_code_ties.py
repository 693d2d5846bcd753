"""`<!-- code: EXPR -->` ties: the named function must agree with the formula on the same instance."""

import pytest

import formulacheck

DECLARE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}, \quad y \in \{1, \dots, K\}^{N}, \quad \lambda > 0
$$

$$
F \coloneqq X W + \mathbf{1}_N b^\top
$$

$$
P_{ij} \coloneqq \frac{e^{F_{ij}}}{\sum_{k=1}^{K} e^{F_{ik}}}, \qquad L \coloneqq -\frac{1}{N} \sum_{i=1}^{N} \log P_{i y_i}
$$

$$
Y_{ij} \coloneqq \mathbb{1}(y_i = j), \qquad G \coloneqq \frac{1}{N} (P - Y)
$$
"""


def check(code: str, formula: str):
    text = DECLARE + f"\n<!-- code: {code} -->\n$$\n{formula}\n$$\n"
    return formulacheck.check_markdown(text, "tie.md").blocks[-1]


@pytest.mark.parametrize("code, formula", [
    ("fc_fake_impl.affine_forward(X, W, b)[0]", r"F = X W + \mathbf{1}_N b^\top"),
    ("fc_fake_impl.affine_backward(G, (X, W))[1]", r"\frac{\partial L}{\partial W} = X^\top G"),
    ("fc_fake_impl.affine_backward(G, (X, W))[2]", r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}_N"),
    ("fc_fake_impl.affine_backward(G, (X, W))[0]", r"\frac{\partial L}{\partial X} = G W^\top"),
    ("fc_fake_impl.softmax_loss(F, y)[0]", r"L = -\frac{1}{N} \sum_{i=1}^{N} \log P_{i y_i}"),
    ("fc_fake_impl.softmax_loss(F, y)[1]", r"\frac{\partial L}{\partial F} = G"),
    ("fc_fake_impl.l2_penalty(W, lambda_)[1]", r"\frac{\lambda}{2} \cdot 2 W = \lambda W"),
])
def test_a_right_implementation_agrees(code, formula):
    block = check(code, formula)
    assert block.status == "checked", block.message
    assert block.code == code


@pytest.mark.parametrize("code, formula, expected", [
    ("fc_fake_impl.affine_backward_wrong(G, (X, W))[2]", r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}_N", "shape"),
    ("fc_fake_impl.softmax_loss_wrong_class(F, y)[0]", r"L = -\frac{1}{N} \sum_{i=1}^{N} \log P_{i y_i}", "disagrees"),
    ("fc_fake_impl.affine_backward(G, (X, W))[0]", r"\frac{\partial L}{\partial W} = X^\top G", "shape"),
    ("fc_fake_impl.l2_penalty(W, lambda_)[0]", r"\frac{\lambda}{2} \cdot 2 W = \lambda W", "shape"),
])
def test_a_wrong_implementation_fails_the_block(code, formula, expected):
    block = check(code, formula)
    assert block.status == "failed"
    assert expected in block.message


@pytest.mark.parametrize("code, expected", [
    ("fc_fake_impl.no_such_function(X)", "has no attribute"),
    ("no_such_package_xyz.module.f(X)", "cannot import"),
    ("fc_fake_impl.crashes(X)", "raised RuntimeError"),
    ("fc_fake_impl.not_a_function(X)", "not callable"),
    ("fc_fake_impl.affine_forward(X, W, Q)", "not a symbol of this page"),
    ("fc_fake_impl.affine_forward(X, W, b)[7]", "cannot select"),
    ("fc_fake_impl.affine_forward(X, W, b", "not a Python expression"),
    ("__import__('os').system('true')", "dotted function path"),
    ("fc_fake_impl.affine_forward(X, W, b)[0] + 1", "dotted function path"),
    ("fc_fake_impl.affine_forward(X.T, W, b)", "unsupported argument"),
])
def test_a_missing_or_invalid_code_path_is_a_clean_error(code, expected):
    block = check(code, r"F = X W + \mathbf{1}_N b^\top")
    assert block.status == "error"
    assert expected in block.message
    assert block.message.startswith("tie.md:")
