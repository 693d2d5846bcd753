"""The notebook page: its Markdown math typeset by the site's MathJax, its plots shown, none
of nbconvert's CDN loaders left in the page, and its outputs those of the current code."""

import os
from types import SimpleNamespace

import pytest

from browser_support import REPO_ROOT, load_module, nav_pages, page_url_path
from page_watch import math_problems

NOTEBOOK_PAGES = [source for source in nav_pages() if source.endswith(".ipynb")]
HOOK_PATH = REPO_ROOT / "overrides" / "hooks" / "notebook_mathjax.py"
CACHE_HOOK_PATH = REPO_ROOT / "overrides" / "hooks" / "notebook_cache.py"

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


# --- executed notebooks kept by mkdocs-jupyter, filed by the code they ran ------------------------

def test_an_edit_of_the_code_or_the_pins_changes_where_executed_notebooks_are_filed(
        tmp_path, monkeypatch):
    hook = load_module(CACHE_HOOK_PATH)
    package = tmp_path / "nbcode"
    package.mkdir()
    (package / "__init__.py").write_text("STEP = 1.0\n", encoding="utf-8")
    requirements = tmp_path / "requirements.lock"
    requirements.write_text("numpy==2.0.0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    digests = [hook.code_digest(["nbcode"], requirements)]

    (package / "__init__.py").write_text("STEP = 0.5\n", encoding="utf-8")
    digests.append(hook.code_digest(["nbcode"], requirements))
    requirements.write_text("numpy==2.1.0\n", encoding="utf-8")
    digests.append(hook.code_digest(["nbcode"], requirements))

    assert len(set(digests)) == 3, digests
    assert hook.code_digest(["nbcode"], requirements) == digests[-1], "a digest is repeatable"


def test_the_site_files_executed_notebooks_by_code_and_keeps_few_of_other_code(tmp_path):
    hook = load_module(CACHE_HOOK_PATH)
    plugin = SimpleNamespace(config={"cache": True, "cache_dir": str(tmp_path / "mkdocs-jupyter")})
    config = SimpleNamespace(plugins={hook.PLUGIN: plugin})

    hook.on_config(config)

    current = tmp_path / "mkdocs-jupyter" / hook.code_digest()
    assert plugin.config["cache_dir"] == current.as_posix()
    older = [tmp_path / "mkdocs-jupyter" / (digit * 64) for digit in "0123"]
    for age, folder in enumerate([current, *older]):
        folder.mkdir(parents=True)
        os.utime(folder, ns=(10**18 - age * 10**9,) * 2)
    without_the_hook = tmp_path / "mkdocs-jupyter" / "entry.json"
    without_the_hook.write_text("{}", encoding="utf-8")

    hook.on_post_build(config)

    kept = [folder for folder in older if folder.exists()]
    assert current.is_dir() and kept == older[:hook.KEEP_OTHER_CODE]
    assert without_the_hook.is_file(), "a build without the hook files its notebooks there"


def test_the_site_files_executed_notebooks_through_the_hook():
    assert "- overrides/hooks/notebook_cache.py" in (REPO_ROOT / "mkdocs.yml").read_text("utf-8")
