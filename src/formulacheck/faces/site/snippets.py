"""Snippet lines (`--8<-- "path"`) whose file is missing, found before MkDocs renders the page.

pymdownx.snippets with `check_paths: true` stops a build on a missing file with a traceback that
names neither the page nor its line. The MkDocs hook runs this first, so the author reads
`docs/page.md:LINE:COL: error: the snippet file ... does not exist` instead. The paths are resolved
by pymdownx's own code (its base paths, its `path:section` and `path:1:5` forms), so this check and
the build agree on which files exist.
"""

from __future__ import annotations


def missing_snippets(text: str, page: str, options: dict) -> list:
    """One message per snippet line of `text` whose file pymdownx.snippets would not find.

    `options` are the extension's options from mkdocs.yml (`base_path`, ...); lines are counted
    in `text` (1-based), which should be the whole file, front matter included.

    >>> missing_snippets('Intro\\n\\n--8<-- "no/such/file.py:part"\\n', "docs/p.md", {"base_path": ["."]})
    ['docs/p.md:3:9: error: the snippet file no/such/file.py does not exist (looked in .); expected a path relative to a base_path of pymdownx.snippets in mkdocs.yml']
    """
    import markdown  # MkDocs' own dependency; loaded only when a site is built

    renderer = markdown.Markdown(extensions=["pymdownx.snippets"],
                                 extension_configs={"pymdownx.snippets": dict(options)})
    snippets = renderer.preprocessors["snippet"]
    bases = options.get("base_path", ["."])
    bases = ", ".join([bases] if isinstance(bases, str) else [str(base) for base in bases])
    messages, in_block = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        match = snippets.RE_ALL_SNIPPETS.match(line)
        if match and match.group("escape"):
            continue
        if match and match.group("block_marker"):
            in_block = not in_block
            continue
        if match:
            path, col = match.group("snippet")[1:-1].strip(), match.start("snippet") + 2
        elif in_block and line.strip() and not line.strip().startswith(";"):
            path, col = line.strip(), len(line) - len(line.lstrip()) + 1
        else:
            continue
        if path.lower().startswith(("http://", "https://")):
            continue
        parts = snippets.split_path(path)
        filename = parts[0] if parts else path
        if snippets.get_snippet_path(filename) is None:
            messages.append(f"{page}:{number}:{col}: error: the snippet file {filename} does not "
                            f"exist (looked in {bases}); expected a path relative to a base_path "
                            "of pymdownx.snippets in mkdocs.yml")
    return messages
