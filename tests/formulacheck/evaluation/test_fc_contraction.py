r"""Nested sums of a product contracted without building the product (evaluation/contraction.py):
the same values as the written evaluation, a letter no factor carries counted once per value, a
matrix among the factors evaluated as written, and a convolution's backward sum, whose product
would hold millions of numbers, checked within the budget."""

import pytest

from formulacheck.testing import check_formula

DECLARE = r"""
$$
X \in \mathbb{R}^{N \times D}, \quad W \in \mathbb{R}^{D \times K}, \quad b \in \mathbb{R}^{K}
$$
"""


@pytest.mark.parametrize("claim, status", [
    (r"\sum_{i=1}^{N} \sum_{d=1}^{D} X_{id} W_{dk} = \sum_{d=1}^{D} \left(\sum_{i=1}^{N} X_{id}\right) W_{dk}", "checked"),
    (r"\sum_{i=1}^{N} \sum_{d=1}^{D} X_{id} W_{dk} = \sum_{d=1}^{D} \left(\sum_{i=1}^{N} X_{id}\right) W_{dk} + 10^{-6}", "failed"),
    # k is summed but no factor carries it: each term once per value of k
    (r"\sum_{i=1}^{N} \sum_{k=1}^{K} X_{i1} b_1 = K \sum_{i=1}^{N} X_{i1} b_1", "checked"),
    (r"\sum_{i=1}^{N} \sum_{k=1}^{K} X_{i1} b_1 = \sum_{i=1}^{N} X_{i1} b_1", "failed"),
    # a matrix among the factors: evaluated as written
    (r"\sum_{i=1}^{N} \sum_{k=1}^{K} b_k W = N \left(\sum_{k=1}^{K} b_k\right) W", "checked"),
    (r"\sum_{i=1}^{N} \sum_{k=1}^{K} b_k W = \left(\sum_{k=1}^{K} b_k\right) W", "failed"),
    # indicators among the factors, and a free letter kept
    (r"\sum_{d=1}^{D} \sum_{k=1}^{K} W_{dk} \mathbb{1}(d = 1) \mathbb{1}(k = j) = W_{1j}", "checked"),
    (r"\sum_{d=1}^{D} \sum_{k=1}^{K} W_{dk} \mathbb{1}(d = 1) \mathbb{1}(k = j) = W_{2j}", "failed"),
])
def test_contracted_sums_have_the_values_of_the_written_ones(claim, status):
    block = check_formula(claim, DECLARE, page="contract.md")
    assert block.status == status, block.message


def test_a_product_too_big_to_build_is_summed_within_the_budget():
    # written out, the product over a, c, f holds 10^9 numbers; contracted, three vectors of 1000
    block = check_formula(r"\sum_{a=1}^{1000} \sum_{c=1}^{1000} \sum_{f=1}^{1000} a c f = 500500^3",
                          DECLARE, page="contract.md")
    assert block.status == "checked", block.message
