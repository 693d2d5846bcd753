"""Labels over relations (tex/relation_labels.py) and relations inside groups and arguments.

A caption over a relation (`\\overset{(a)}{=}`) is read as the relation, so a wrong step still
fails; "defined as" labels and `\\triangleq` define. In inline math a relation in a brace group or
a command's argument is shown to the reader as a claim, so the span is read as a statement
(before, `$y \\overset{(a)}{=} 3 x$` and `$\\boxed{y = 3 x}$` passed as expressions).
"""

import pytest

from formulacheck import check_markdown
from formulacheck.testing import check_formula

DEFINE = r"""
$$
x \in \mathbb{R}^{N}
$$

$$
y \coloneqq 2 x
$$
"""


def last_block(formula: str):
    return check_formula(formula, DEFINE, page="labels.md")


@pytest.mark.parametrize("definition", [
    r"z \stackrel{\text{def}}{=} 3 x",
    r"z \overset{\mathrm{def}}{=} 3 x",
    r"z \stackrel{def}{=} 3 x",
    r"z \overset{\scriptscriptstyle\text{def}}{=} 3 x",
    r"z \triangleq 3 x",
    r"z \overset{\triangle}{=} 3 x",
    r"z \stackrel{\Delta}{=} 3 x",
])
def test_a_definition_label_defines(definition):
    page = DEFINE + f"\n$$\n{definition}\n$$\n\n$$\nz - y = x\n$$\n"
    *_, defined, claim = check_markdown(page, "labels.md").blocks
    assert defined.status == "defined", defined.message
    assert claim.status == "checked", claim.message


@pytest.mark.parametrize("caption", [r"\overset{(a)}{=}", r"\stackrel{\text{chain rule}}{=}",
                                     r"\underset{\text{by (3)}}{=}"])
def test_a_caption_over_a_relation_is_read_as_the_relation(caption):
    assert last_block(rf"y {caption} 2 x").status == "checked"
    wrong = last_block(rf"y {caption} 3 x")
    assert wrong.status == "failed" and "the claim, y = 3 x, does not hold" in wrong.message


def test_a_chain_of_captioned_steps_checks_every_link():
    block = last_block(r"y + x \overset{(a)}{=} 2 x + x \stackrel{\text{collect}}{=} 3 x")
    assert block.status == "checked" and block.links == 2, block.message


@pytest.mark.parametrize("formula, fragment", [
    (r"y \overset{!}{=} 2 x", "demands the relation rather than claims it"),
    (r"y \overset{\text{not}}{=} 2 x", "a label that negates = (\\neg, not)"),
    (r"y \stackrel{\neg}{=} 3 x", "a label that negates ="),
    (r"y \stackrel{\text{def}}{\leq} 2 x", "a definition label over \\leq"),
    (r"y \overset{\text{approx.}}{=} 2 x", "a label that makes = approximate"),
    (r"y \stackrel{\approx}{=} 2 x", "a label that makes = approximate"),
    (r"y \overset{\sim}{=} 2 x", "a label that makes = approximate"),
    (r"y \overset{\text{roughly}}{=} 2 x", "a label that makes = approximate"),
    (r"\overset{\frown}{x} = x", "unknown command \\overset"),
])
def test_labels_without_a_reading_are_refused(formula, fragment):
    block = last_block(formula)
    assert block.status == "error" and fragment in block.message, block.message


@pytest.mark.parametrize("span, status, fragment", [
    (r"y \overset{(a)}{=} 3 x", "failed", "the claim, y = 3 x, does not hold"),
    (r"y \overset{(a)}{=} 2 x", "checked", ""),
    (r"\boxed{y = 3 x}", "error", "unknown command \\boxed"),
    (r"{y = 3 x}", "error", "a relation inside a brace group"),
    (r"\underbrace{y = 3 x}_{\text{wrong}}", "error", "\\underbrace"),
])
def test_an_inline_relation_the_reader_sees_is_read(span, status, fragment):
    page = DEFINE + f"\nSo ${span}$ here.\n"
    (result,) = check_markdown(page, "labels.md").spans
    assert result.status == status and fragment in result.message, result.message


@pytest.mark.parametrize("span", [r"\sum_{i=1}^{N} x_i", r"\mathbb{1}(y_i = j)", r"[y_i = j]",
                                  r"x_{i + 1}^{(t=1)}"])
def test_relations_in_scripts_and_brackets_stay_inside_an_expression(span):
    page = DEFINE + f"\nSo ${span}$ here.\n"
    (result,) = check_markdown(page, "labels.md").spans
    assert result.status == "classified" and result.rule == "expression", result.status
