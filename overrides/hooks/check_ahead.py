"""MkDocs hook: check the pages' formulas in parallel processes, just before the checker's hook.

The checker's plugin (`plugins: - formulacheck`, formulacheck/faces/site/plugin.py) checks every page in `on_nav`,
one after the other, through the results cache (formulacheck/pages/cache.py). Listed just before
it, this hook hands the same texts under the same names to `check_ahead`, which checks the pages
not cached yet in one process per processor, so the checker's hook then finds every result in the
cache. What is checked, and every message, stays the checker's own; only the order of work
changes. (tests/formulacheck/pages/test_fc_check_cache.py proves that the texts here are the ones the
checker's hook asks for.)

>>> page_text("---\\ntitle: T\\n---\\n# Page\\n")
'\\n\\n\\n# Page\\n'
"""

from mkdocs.plugins import event_priority
from mkdocs.utils.meta import get_data

from formulacheck.pages.cache import check_ahead
from formulacheck.faces.site.plugin import OPTIONS, _page_name


def page_text(content):
    """The text the checker's hook checks: the Markdown without front matter, with one empty
    line for each line of front matter, so line numbers stay the file's."""
    markdown, _ = get_data(content)
    stripped = content[:len(content) - len(markdown)] if content.endswith(markdown) else ""
    return "\n" * stripped.count("\n") + markdown


def pages_to_check(files, config):
    return [(page_text(file.content_string), _page_name(file.src_uri, config))
            for file in files.documentation_pages()
            if file.src_uri.endswith(".md") and file.src_uri != OPTIONS.coverage_page]


@event_priority(50)  # before the checker's own on_nav (a plugin, whose events run after hooks')
def on_nav(nav, config, files):
    check_ahead(pages_to_check(files, config), trials=OPTIONS.trials, seed=OPTIONS.seed)
    return nav
