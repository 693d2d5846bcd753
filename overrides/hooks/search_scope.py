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

Material's search reads every page whole (an HTML parser in Python), the blocks it then skips
included: the checker's marks and their evidence, and these copies of code, are most of a
derivation page. So while search reads a page (`on_page_context`), the content of each skipped
block is set aside behind a placeholder, and put back in the rendered page (`on_post_page`). The
index is the same as when search reads it all (tests/site/test_site_search.py compares the two on
every built page); a block with a heading inside is left in place, since search starts a section
at a heading even in a skipped block.
"""

import functools
import re

from mkdocs.plugins import event_priority

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


_SKIPPED_START = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*?\sdata-search-exclude(?=[\s=/>])[^>]*>")
_HEADING = re.compile(r"<h[1-6]\b")
_PLACEHOLDER = "<!--search_scope {}-->"
_PLACEHOLDER_PATTERN = re.compile(r"<!--search_scope (\d+)-->")


@functools.cache
def _tags_named(tag):
    return re.compile(rf"<(/?){tag}(?=[\s/>])[^>]*>")


def _end_of_element(html, tag, start):
    """Index of the ``</tag>`` closing the element whose start tag ends at ``start``, or -1."""
    depth = 1
    for tag_match in _tags_named(tag).finditer(html, start):
        if tag_match.group(1):
            depth -= 1
            if depth == 0:
                return tag_match.start()
        elif not tag_match.group(0).endswith("/>"):
            depth += 1
    return -1


def set_skipped_content_aside(html):
    """Return (``html`` with the content of each search-skipped block behind a placeholder, the
    contents set aside), so that search reads what it indexes and no more.

    >>> lean, aside = set_skipped_content_aside(
    ...     '<p>a</p><div data-search-exclude><div>b</div></div><p>c</p>')
    >>> lean, aside
    ('<p>a</p><div data-search-exclude><!--search_scope 0--></div><p>c</p>', ['<div>b</div>'])
    >>> put_skipped_content_back(lean, aside)
    '<p>a</p><div data-search-exclude><div>b</div></div><p>c</p>'
    """
    if _PLACEHOLDER_PATTERN.search(html):
        return html, []  # the page itself holds a placeholder's text: leave it as it is
    kept, aside, position = [], [], 0
    while start_tag := _SKIPPED_START.search(html, position):
        content_start = start_tag.end()
        content_end = _end_of_element(html, start_tag.group(1), content_start)
        if content_end < 0:
            break  # unclosed: search reads the rest as it is
        content = html[content_start:content_end]
        kept.append(html[position:content_start])
        if _HEADING.search(content):
            kept.append(content)
        else:
            kept.append(_PLACEHOLDER.format(len(aside)))
            aside.append(content)
        position = content_end
    kept.append(html[position:])
    return "".join(kept), aside


def put_skipped_content_back(html, aside):
    """Return ``html`` with each placeholder of :func:`set_skipped_content_aside` replaced by the
    content it stands for."""
    if not aside:
        return html
    return _PLACEHOLDER_PATTERN.sub(lambda placeholder: aside[int(placeholder.group(1))], html)


# Which page's contents are set aside, from search's reading of it to its rendering.
_set_aside = {}


@event_priority(100)  # before Material's search plugin reads page.content
def on_page_context(context, page, config, nav):
    if (page.meta.get("search") or {}).get("exclude"):
        return context  # search does not read this page
    page.content, _set_aside[page.file.src_uri] = set_skipped_content_aside(page.content)
    return context


@event_priority(100)  # before the hooks that read the rendered page (prerender_math, ...)
def on_post_page(output, page, config):
    aside = _set_aside.pop(page.file.src_uri, [])
    page.content = put_skipped_content_back(page.content, aside)
    return put_skipped_content_back(output, aside)


def on_page_content(html, page, config, files):
    html = exclude_source_blocks(html)
    if page.meta.get("search_code") == "exclude":
        html = exclude_code_blocks(html)
    return html
