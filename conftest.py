"""Runs the `>>>` examples on the site's pages (docs/*.md) as doctests, with Sybil.

Only fenced Python blocks that start with `>>>` are examples; other code blocks only show code
(often embedded from src/ by snippets) and are not executed. Module docstrings are covered by
pytest's --doctest-modules (see pyproject.toml).
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer


class MarkdownDocTestParser:
    """Doctest regions of fenced ```python / ```pycon blocks whose first line starts with >>>."""

    def __init__(self, optionflags):
        self.lexer = FencedCodeBlockLexer(language=r"python|py|pycon")
        self.doctest_parser = DocTestStringParser(DocTestEvaluator(optionflags))

    def __call__(self, document):
        for block in self.lexer(document):
            source = block.lexemes["source"]
            if source.lstrip().startswith(">>>"):
                for example in self.doctest_parser(source, document.path):
                    example.adjust(block, source)
                    yield example


# The stdlib flags only: pytest's NUMBER flag (pyproject) does not exist outside pytest's own
# doctest runner, so page examples print rounded numbers.
pytest_collect_file = Sybil(
    parsers=[MarkdownDocTestParser(optionflags=NORMALIZE_WHITESPACE | ELLIPSIS)],
    path="docs",
    patterns=["*.md"],
).pytest()
