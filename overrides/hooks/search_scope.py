"""MkDocs hook: keep copies of code out of the search index, which every page downloads.

Material's search loads the whole index at start-up, so every first visit pays for it, on a phone
too. Two kinds of code blocks are left out (they stay on their pages; only Material's search skips
them, by `data-search-exclude`, which its search plugin reads):

- the API reference's source code under "Source code in ..." (mkdocstrings' `show_source`): it is
  on the derivation pages already, next to its formula, and was a third of the index;
- every code block of a page whose front matter says `search_code: exclude`: the API reference's
  docstring examples and the contributors' guide's example formulas, which a search for a name
  such as `dW` or `X W` would otherwise list dozens of times, ahead of the pages that derive it.
  The prose around them, with its inline code (the messages' text), stays in the index.

If mkdocstrings or Python-Markdown changes this markup the replacements stop matching, and
tests/site/test_site_search.py finds the code in the index again.
"""

import re

_SOURCE_BLOCK = '<details class="mkdocstrings-source">'
_CODE_BLOCK = re.compile(r'<div class="((?:[^"]* )?highlight(?: [^"]*)?)">')


def exclude_source_blocks(html):
    """Return ``html`` with every mkdocstrings source block marked for search to skip.

    >>> exclude_source_blocks('<details class="mkdocstrings-source"><summary>Source')
    '<details class="mkdocstrings-source" data-search-exclude><summary>Source'
    """
    return html.replace(_SOURCE_BLOCK, _SOURCE_BLOCK[:-1] + " data-search-exclude>")


def exclude_code_blocks(html):
    """Return ``html`` with every highlighted code block marked for search to skip.

    >>> exclude_code_blocks('<p>a</p><div class="language-tex highlight"><pre>X W</pre></div>')
    '<p>a</p><div class="language-tex highlight" data-search-exclude><pre>X W</pre></div>'
    """
    return _CODE_BLOCK.sub(r'<div class="\1" data-search-exclude>', html)


def on_page_content(html, page, config, files):
    html = exclude_source_blocks(html)
    if page.meta.get("search_code") == "exclude":
        html = exclude_code_blocks(html)
    return html
