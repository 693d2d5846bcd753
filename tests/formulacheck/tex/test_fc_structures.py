"""Structures of other sources (tex/structures.py, evaluation/piecewise.py, evaluation/tensors.py):
piecewise definitions, `\\langle A, B \\rangle`, binary and bounded data, tensors of more than two
axes; each with the look-alike that is refused because it could be read two ways."""

import numpy as np
import pytest

from formulacheck.evaluation.scope import drawn_entries
from formulacheck.testing import check_formula

DECLARE = r"""
$$
z \in \mathbb{R}^{N}, \quad A, B \in \mathbb{R}^{N \times D}, \quad T \in \{0, 1\}^{N \times K}, \quad P \in (0, 1)^{N \times K}, \quad t \in [2, 3]
$$

$$
r_i \coloneqq \begin{cases} z_i & \text{if } z_i > 0 \\ 0 & \text{otherwise} \end{cases}
$$

$$
X \in \mathbb{R}^{2 \times 3 \times 4 \times 5}, \quad v \in \mathbb{R}^{3}
$$
"""


def last_block(formula: str):
    return check_formula(formula, DECLARE, page="structures.md")


@pytest.mark.parametrize("formula", [
    r"r_i = \max(0, z_i)",
    r"\frac{\partial r_i}{\partial z_i} = \begin{cases} 1, & z_i > 0, \\ 0, & z_i \leq 0. \end{cases}",
    r"\frac{\partial r_i}{\partial z_i} = \begin{cases} 1 & \text{if } z_i > 0 \\ 0 & \text{else} \end{cases}",
    r"\langle A, B \rangle = \operatorname{tr}(A^\top B) = \sum_{i=1}^{N} \sum_{d=1}^{D} A_{id} B_{id}",
    r"\left\langle z, z \right\rangle = z^\top z",
    r"T \odot T = T",
    r"\langle T, \mathbf{1}_N \mathbf{1}_K^\top - T \rangle = 0",
    r"P_{ik} > 0, \quad 1 - P_{ik} > 0",
    r"t > 2, \quad t < 3",
    r"Y_{nhw} \coloneqq \sum_{c=1}^{3} v_c X_{nchw}, \quad \frac{\partial Y_{nhw}}{\partial v_c} = X_{n,c,h,w}",
    r"L \coloneqq \sum_{n=1}^{2} \sum_{c=1}^{3} \sum_{h=1}^{4} \sum_{w=1}^{5} X_{nchw}^2, \quad \frac{\partial L}{\partial X_{nchw}} = 2 X_{nchw}",
])
def test_structures_are_read_as_written(formula):
    block = last_block(formula)
    assert block.status == "checked", block.message


@pytest.mark.parametrize("mutant", [
    r"r_i = z_i",
    r"\frac{\partial r_i}{\partial z_i} = \begin{cases} 1, & z_i > 0, \\ 1, & z_i \leq 0. \end{cases}",
    r"\frac{\partial r_i}{\partial z_i} = \begin{cases} 0 & \text{if } z_i > 0 \\ 1 & \text{else} \end{cases}",
    r"\langle A, B \rangle = \operatorname{tr}(A^\top A)",
    r"T \odot T = 2 T",
    r"\langle T, T \rangle = 0",
    r"t > 3",
    r"Y_{nhw} \coloneqq \sum_{c=1}^{3} v_c X_{nchw}, \quad \frac{\partial Y_{nhw}}{\partial v_c} = v_c",
])
def test_mutants_of_structures_fail(mutant):
    assert last_block(mutant).status == "failed"


def test_binary_and_bounded_entries_are_drawn_as_declared():
    # a binary leaf equals its square entry by entry only if every entry is 0 or 1 (checked above,
    # `T \odot T = T`); here the drawing itself, on a fixed seed
    rng = np.random.default_rng(7)
    binary = drawn_entries(rng, ("binary",), (1000,))
    assert set(np.unique(binary)) == {0.0, 1.0}
    uniform = drawn_entries(rng, ("uniform", 2.0, 3.0), (1000,))
    assert uniform.min() >= 2.0 and uniform.max() < 3.0 and abs(uniform.mean() - 2.5) < 0.05


@pytest.mark.parametrize("formula, message", [
    # the ambiguous neighbours: each could be read two ways
    (r"g_i \coloneqq \begin{cases} z_i & z_i > 0 \\ 0 & z_i > -1 \end{cases}",
     r"cases 1 and 2 of \begin{cases} both hold for some entry on this instance, so the value there "
     "could be either"),
    (r"g_i \coloneqq \begin{cases} z_i & z_i > 1 \\ 0 & z_i < -1 \end{cases}",
     r"no case of \begin{cases} holds for some entry"),
    (r"g_i \coloneqq \begin{cases} z_i & \\ 0 & \text{otherwise} \end{cases}",
     "case 1 has no condition: it could hold everywhere or where no other case holds"),
    (r"\langle A \rangle = 0", r"\langle A \rangle with one argument could be a mean or an expectation"),
    (r"y \in \{0, \dots, K\}^{N}", r"a set from 0 could hold 0-based labels or whole values from 0; "
                                   r"expected \{1, \dots, K\} for labels"),
    (r"X = X", "X has 4 axes: a tensor is read entry by entry, not as a whole value; expected an "
               "entry with one index per axis, as in X_{n,c,h,w}"),
    (r"\frac{\partial X_{1,1,1,1}}{\partial X} = 1",
     "X has 4 axes: a tensor is read entry by entry"),
    (r"X_{nc} = 1", "X has 4 axes: an entry takes 4 indices, got 2"),
    (r"s \in [0, b]", "the bounds of an interval are numbers, as in [0, 1]"),
])
def test_lookalikes_are_refused_naming_both_readings(formula, message):
    block = last_block(formula)
    assert block.status == "error" and message in block.message, block.message


def test_a_case_value_constant_along_an_index_covers_the_whole_family():
    # case 1's value depends on i and j, case 2's on neither: the family is still N x N, its
    # diagonal the diagonal of M and zero elsewhere (M \odot I_N, computed independently)
    page = DECLARE + r"""
$$
M \in \mathbb{R}^{N \times N}, \quad E_{ij} \coloneqq \begin{cases} M_{ij} & \text{if } i = j \\ 0 & \text{otherwise} \end{cases}
$$
"""
    assert check_formula(r"E = M \odot I_N", page).status == "checked"
    assert check_formula(r"E = M", page).status == "failed"
    assert check_formula(r"\sum_{i=1}^{N} \sum_{j=1}^{N} E_{ij} = \operatorname{tr}(M)", page).status == "checked"
