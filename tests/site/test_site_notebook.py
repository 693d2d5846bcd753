"""The notebook page: its Markdown math typeset by the site's MathJax, its plots shown, and none
of nbconvert's CDN loaders left in the page."""

import pytest

from browser_support import REPO_ROOT, load_module, nav_pages, page_url_path
from page_watch import math_problems

NOTEBOOK_PAGES = [source for source in nav_pages() if source.endswith(".ipynb")]
HOOK_PATH = REPO_ROOT / "overrides" / "hooks" / "notebook_mathjax.py"

NOTEBOOK_REPORT_JS = """
() => ({
  markdownMath: document.querySelectorAll(".jp-RenderedMarkdown mjx-container").length,
  plots: [...document.querySelectorAll(".jp-OutputArea-output img, .jp-OutputArea-output svg")]
    .map((image) => image.tagName === "IMG"
      ? image.complete && image.naturalWidth > 0
      : image.getBoundingClientRect().width > 0),
})
"""


def test_hook_strips_nbconvert_mathjax_and_mermaid_loaders(tmp_path):
    import nbformat
    from mkdocs_jupyter.nbconvert2 import nb2html

    # The converter's real output, so a change in nbconvert's markers cannot pass unnoticed.
    notebook_path = tmp_path / "example.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Math $x_i$.")])
    nbformat.write(notebook, notebook_path)
    html = nb2html(str(notebook_path), custom_mathjax_url="")
    assert "MathJax.Hub.Config" in html and "mermaid" in html

    stripped = load_module(HOOK_PATH).strip_injected_scripts(html)

    assert "MathJax" not in stripped and "mermaid" not in stripped
    assert "cdnjs" not in stripped and "import(" not in stripped
    assert "Math $x_i$." in stripped


@pytest.mark.parametrize("source", NOTEBOOK_PAGES or [pytest.param(None, marks=pytest.mark.skip(
    reason="no notebook page (*.ipynb) in the nav yet"))])
def test_notebook_math_and_plots_render(open_page, served_site, source):
    built_html = (served_site.dir / page_url_path(source).lstrip("/") / "index.html").read_text(
        encoding="utf-8"
    )
    assert "MathJax.Hub" not in built_html, "nbconvert's MathJax v2 config was not stripped"

    page, watch = open_page(page_url_path(source))
    report = page.evaluate(NOTEBOOK_REPORT_JS)

    assert report["markdownMath"] > 0, "no typeset math in the notebook's Markdown cells"
    assert report["plots"] and all(report["plots"]), f"plots missing or not loaded: {report}"
    assert not math_problems(page) + watch.problems()
