"""Every page of the site: the math a reader sees is exactly the math the checker accounted for.

The MkDocs hook enforces this on every build (`mkdocs_hook.on_page_content`); this test proves it
for each page of docs/ without a whole build: each Markdown page is converted with the site's own
Markdown extensions and options (mkdocs.yml), the notebook with mkdocs-jupyter's converter (not
executed: outputs hold no Markdown math), and the formulas MathJax would typeset in the HTML
(`html_math.math_in_html`, the walk the build-time renderer uses) are compared with the display
blocks and inline spans of the checker's result for the page, as a multiset of (TeX, display or
inline). The results come through the checker's results cache (`formulacheck.pages.cache`, which
the build and the site's tests share), so a page is checked from scratch once per gate; that the
cache gives what a check from scratch gives is tested in tests/formulacheck/pages.
"""

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from formulacheck.pages.cache import cached_check_page
from formulacheck.faces.site.html_math import math_in_html
from formulacheck.faces.site.plugin import unaccounted_math

REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb"))


# Session scope: each page's tests are a unit of their own (tests/work_units.py), and a
# module-scoped fixture would be set up again for each.
@pytest.fixture(scope="session")
def site_markdown():
    config = load_config(str(REPO / "mkdocs.yml"))
    extensions = [e for e in config.markdown_extensions if isinstance(e, str)]
    return lambda: markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs)


def rendered(page: str, site_markdown) -> str:
    path = DOCS / page
    if page.endswith(".ipynb"):
        from mkdocs_jupyter.nbconvert2 import nb2html
        return nb2html(str(path), execute=False)
    return site_markdown().convert(path.read_text(encoding="utf-8"))


def accounted(result) -> list:
    return ([(b.source, True, b.line, 1) for b in result.blocks]
            + [(s.source, False, s.line, s.start_col) for s in result.spans])


@pytest.mark.parametrize("page", PAGES)
def test_the_math_of_the_page_is_the_math_the_checker_accounted_for(page, site_markdown):
    result = cached_check_page(DOCS / page)
    shown = math_in_html(rendered(page, site_markdown))
    text = (DOCS / page).read_text(encoding="utf-8")

    assert unaccounted_math(shown, accounted(result), text, page) == []
    assert len(shown) == len(result.blocks) + len(result.spans)
    assert result.ok, [b.message for b in result.blocks + result.spans if not b.ok]


def test_the_site_has_inline_math_and_every_span_is_checked_or_has_a_reason():
    spans = [s for page in PAGES for s in cached_check_page(DOCS / page).spans]
    assert len(spans) > 1000
    assert sum(s.status == "checked" for s in spans) > 40
    for span in spans:
        assert span.status in ("checked", "declared", "defined", "classified", "unchecked"), span
        assert span.status not in ("classified", "unchecked") or span.reason, span
