"""The questions learners ask about the case study each have an explicit answer on the site.

The list is the one in the project's notes on the case study (what learners get confused about);
the home page answers each in a sentence and links to the section that derives it. This test fails
when a question loses its entry or its link stops pointing at a real section of the built site.
"""

import re
import pytest

from browser_support import REPO_ROOT, built_page

QUESTIONS = {
    "transposed product": r"X\^\\top G\$ and not \$G X\^\\top",
    "bias sums over rows": r"`db` sum over the rows",
    "divided by N": r"divided by \$N\$",
    "layout conventions": r"sources write the same results transposed",
    "softmax Jacobian": r"softmax Jacobian",
    "ReLU at zero": r"ReLU at exactly 0",
    "stability trick": r"row maximum be subtracted",
    "float32 and kinks": r"float32, or next to a kink",
}
LINK = re.compile(r"\]\(([\w./-]+\.md)#([\w-]+)\)")


def faq_entries():
    text = (REPO_ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    section = text.split("## Questions learners ask", 1)[1].split("\n## ", 1)[0]
    return re.split(r"\n- ", section)[1:]


@pytest.mark.parametrize("topic", QUESTIONS)
def test_each_question_is_asked_and_linked_to_a_real_section(topic, served_site):
    entries = [entry for entry in faq_entries() if re.search(QUESTIONS[topic], entry)]
    assert len(entries) == 1, f"the home page should ask about {topic} exactly once"
    links = LINK.findall(entries[0])
    assert links, f"the answer about {topic} links to no section"
    for page, anchor in links:
        assert built_page(served_site.dir, page).find(id=anchor), f"{page}#{anchor} does not exist"
