"""MkDocs hook: keep the source code of the API reference out of the search index.

The API reference shows each function's source under "Source code in ..." (mkdocstrings'
`show_source`). That code is already on the derivation pages, next to its formula, and in the
index it is noise: it was a third of the index, which every page downloads on a first visit
(Material's search loads it at start-up), and it grows with every module. The blocks stay on the
page; only Material's search skips them (`data-search-exclude`, read by its search plugin).

If mkdocstrings changes this markup the replacement stops matching, and
tests/site/test_site_search.py finds source code in the index again.
"""

_SOURCE_BLOCK = '<details class="mkdocstrings-source">'


def exclude_source_blocks(html):
    """Return ``html`` with every mkdocstrings source block marked for search to skip.

    >>> exclude_source_blocks('<details class="mkdocstrings-source"><summary>Source')
    '<details class="mkdocstrings-source" data-search-exclude><summary>Source'
    """
    return html.replace(_SOURCE_BLOCK, _SOURCE_BLOCK[:-1] + " data-search-exclude>")


def on_page_content(html, page, config, files):
    return exclude_source_blocks(html)
