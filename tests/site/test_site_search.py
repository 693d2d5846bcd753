"""Search, as a learner of the case study uses it: their words find the page that derives the
answer first, and no result shows raw TeX (formulacheck/faces/site/search_text.py, docs/javascripts/
search-query.js, the affine page's `search: boost`)."""

import json
import re

import pytest
from material.plugins.search.plugin import Parser

from browser_support import REPO_ROOT, load_module
from formulacheck.faces.site.search_text import CARET

# The two lines of the question and their names (CS231n's neural-network case study).
LEARNER_QUERIES = ["dW", "db", "dscores", "keepdims", "X^T"]
DERIVING_PAGE = "/affine/"
# A backslash command or a TeX delimiter, as a reader would see it in a result.
RAW_TEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$\$")

# A result's text outside code: the contributors' pages show the TeX an author types as code.
RESULTS_JS = """
() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
  .map((item) => {
    const prose = item.cloneNode(true);
    prose.querySelectorAll('code, pre').forEach((code) => code.remove());
    return {href: item.querySelector('a').getAttribute('href'), text: prose.textContent};
  })
"""


# Material's search worker answers the query of each keystroke in turn (a message of type 2 out,
# one of type 3 back; the first, on start-up, is the empty query), and the page shows each answer
# when it arrives. Counted from the worker's first message (a script run before the page's own),
# the answers catch up with the queries when the last keystroke's answer is on the page.
COUNT_SEARCH_MESSAGES_JS = """
window.searchMessages = { asked: 0, answered: 0 };
(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (!this.answersCounted) {
      this.answersCounted = true;
      this.addEventListener("message", (event) => {
        if (event.data && event.data.type === 3) window.searchMessages.answered += 1;
      });
    }
    if (message && message.type === 2) window.searchMessages.asked += 1;
    return post.call(this, message, ...rest);
  };
})();
"""
LAST_ANSWER_SHOWN_JS = """
() => window.searchMessages.asked > 0
  && window.searchMessages.answered === window.searchMessages.asked
"""


def search(page, query):
    field = page.locator("input.md-search__input")
    field.click()
    field.fill("")
    field.press_sequentially(query)
    page.wait_for_function(LAST_ANSWER_SHOWN_JS)
    return page.evaluate(RESULTS_JS)


@pytest.mark.parametrize("query", LEARNER_QUERIES)
def test_a_learners_word_finds_the_deriving_page_first(open_page, served_site, query):
    page, watch = open_page("/", init_script=COUNT_SEARCH_MESSAGES_JS)

    results = search(page, query)

    assert results, f"{query!r} finds nothing"
    first = results[0]["href"].split("?")[0].removeprefix(served_site.origin)
    assert first == DERIVING_PAGE, [r["href"] for r in results]
    shown = [r["text"] for r in results if RAW_TEX.search(r["text"])]
    assert not shown, f"raw TeX in the results for {query!r}: {shown[:2]}"
    assert not watch.problems()


def test_the_search_index_holds_no_tex(served_site):
    """Every entry, not only those a query shows: math is indexed in a readable form."""
    index = json.loads((served_site.dir / "search" / "search_index.json").read_text("utf-8"))
    outside_code = lambda text: re.sub(r"<(code|pre)>.*?</\1>", "", text, flags=re.DOTALL)
    raw = [entry["location"] for entry in index["docs"]
           if RAW_TEX.search(outside_code(entry["title"] + " " + entry["text"]))]

    assert not raw, raw
    affine = [e for e in index["docs"] if e["location"].startswith("affine/")]
    assert any(f"X{CARET}T G" in entry["text"] for entry in affine)  # \(X^\top G\), readable


def test_the_search_index_leaves_out_the_reference_source_and_the_coverage_page(served_site):
    """Every page downloads the index on a first visit: it holds the pages' text, not the API
    reference's copies of the source code (overrides/hooks/search_scope.py) nor the coverage
    page's copies of every formula (its front matter), while both stay on their pages."""
    index = json.loads((served_site.dir / "search" / "search_index.json").read_text("utf-8"))
    reference = (served_site.dir / "reference" / "layers" / "index.html").read_text("utf-8")

    assert reference.count('<details class="mkdocstrings-source" data-search-exclude>') > 1
    assert not [entry["location"] for entry in index["docs"]
                if "def affine_backward(" in entry["text"]]
    assert any(entry["location"].startswith("reference/layers/") for entry in index["docs"])
    assert not [entry["location"] for entry in index["docs"]
                if entry["location"].startswith("coverage/")]


def test_the_example_code_of_the_reference_and_the_guide_stays_out_of_the_index(served_site):
    """Pages with `search_code: exclude` (the API reference, the contributors' guide) keep their
    code blocks on the page and out of the index; their prose, with its inline code, stays in it,
    and the derivation pages keep their code in it (a learner searches for `dscores`)."""
    index = json.loads((served_site.dir / "search" / "search_index.json").read_text("utf-8"))
    examples = ("reference/", "contributing/", "checker-messages/")
    with_blocks = [entry["location"] for entry in index["docs"]
                   if entry["location"].startswith(examples) and "<pre>" in entry["text"]]
    guide = (served_site.dir / "checker-messages" / "index.html").read_text("utf-8")

    assert not with_blocks, with_blocks
    assert guide.count('highlight" data-search-exclude>') > 100
    assert any("does not hold" in entry["text"] for entry in index["docs"]
               if entry["location"].startswith("checker-messages/"))
    assert any("<pre>" in entry["text"] for entry in index["docs"]
               if entry["location"].startswith("affine/"))


def _sections_search_reads(html):
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(section.id, "".join(section.title), "".join(section.text), section.is_excluded())
            for section in parser.data]


def test_search_reads_the_same_sections_with_the_skipped_content_set_aside(served_site):
    """The build hands search each page with the content of its skipped blocks set aside
    (search_scope.py, for speed): on every built page, search's parser finds the same sections,
    titles and text in both, and on a derivation page most of the page is set aside."""
    search_scope = load_module(REPO_ROOT / "overrides" / "hooks" / "search_scope.py")
    shares = {}
    for page in sorted(served_site.dir.rglob("index.html")):
        article = re.search(r"<article\b.*</article>", page.read_text("utf-8"), re.DOTALL)[0]
        lean, aside = search_scope.set_skipped_content_aside(article)

        assert _sections_search_reads(lean) == _sections_search_reads(article), page
        assert search_scope.put_skipped_content_back(lean, aside) == article, page
        shares[page.parent.relative_to(served_site.dir).as_posix()] = 1 - len(lean) / len(article)

    assert shares["two-layer"] > 0.15 and shares["reference/layers"] > 0.5, shares
