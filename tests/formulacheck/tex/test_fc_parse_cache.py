"""The parse cache (statements.parsed_block): a block is parsed once per text and place, and an
edited block, or the same text at another place, is parsed again."""

from formulacheck import check_markdown
from formulacheck.tex.statements import parse_block, parsed_block

PAGE = "$$\nx \\in \\mathbb{R}\n$$\n\n$$\n(x + 1)^2 = x^2 + 2 x + 1\n$$\n"


def test_the_same_block_at_the_same_place_is_parsed_once():
    first = parsed_block("(x + 1)^2 = x^2 + 2 x + 1", 6, 1)
    assert parsed_block("(x + 1)^2 = x^2 + 2 x + 1", 6, 1) is first


def test_an_edited_block_is_parsed_again():
    before = parsed_block("a = b + c", 6, 1)
    after = parsed_block("a = b - c", 6, 1)

    assert after is not before
    assert repr(after.statements) == repr(parse_block("a = b - c", 6, 1).statements)
    assert repr(after.statements) != repr(before.statements)


def test_the_same_text_at_another_place_keeps_its_own_positions():
    here, there = parsed_block("a = b", 6, 1), parsed_block("a = b", 9, 4)

    assert (here.statements[0].tok.line, here.statements[0].tok.col) == (6, 1)
    assert (there.statements[0].tok.line, there.statements[0].tok.col) == (9, 4)


def test_a_page_edited_between_checks_gets_the_answer_for_its_new_text():
    assert check_markdown(PAGE, "p.md").ok
    wrong = PAGE.replace("+ 2 x + 1", "+ 1")

    result = check_markdown(wrong, "p.md")

    assert [b.status for b in result.blocks] == ["declared", "failed"]
    assert result.blocks[1].message.startswith("p.md:6:")
    assert check_markdown(PAGE, "p.md").ok
