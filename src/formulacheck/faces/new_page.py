"""`formulacheck new docs/NAME.md --title "Title"`: a new derivation page from the template, in the nav.

The page is copied from `templates/derivation.md` (shipped with the package, outside docs/ so MkDocs
never builds the template itself) and one nav entry is added to mkdocs.yml. The nav is edited as
text, line by line, so comments, `!ENV` tags and the formatting of the rest of the file stay exactly
as they were (a YAML round trip would drop or rewrite them).

Where the entry goes: after the entry of `--after FILE` when given; otherwise before the entry of
the training notebook (`train.ipynb`, the page that uses every derivation), or at the end of the
nav when there is none. Nothing is written unless both the page and the nav edit can be made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

TEMPLATE = "derivation.md"
DEFAULT_BEFORE = "train.ipynb"
NAV_KEY = re.compile(r"^nav:\s*(#.*)?$")
TOP_LEVEL_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")
NAV_ENTRY = re.compile(r"^(?P<indent>\s*)-\s+(?:(?P<title>.+):\s+)?(?P<target>[^\s#]+)\s*(#.*)?$")
DOCS_DIR = re.compile(r"^docs_dir:\s*['\"]?(?P<dir>[^'\"#\s]+)['\"]?\s*(#.*)?$")
# YAML would misread a plain title containing these; such titles are written double-quoted.
YAML_SPECIAL = re.compile(r"[:#\[\]{},&*!|>'\"%@`]|^[-?\s]|\s$")


class NewPageError(Exception):
    """A reason not to create the page; the message names what was wrong and what was expected."""


@dataclass
class NewPage:
    """What `create_page` did: the page written, its nav entry and where the entry went."""

    page: Path
    nav_entry: str
    position: str
    nav_changed: bool


def template_text() -> str:
    """The page template shipped with formulacheck.

    >>> template_text().startswith("# __TITLE__")
    True
    """
    return resources.files("formulacheck").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")


def render_template(title: str, page: str) -> str:
    """The template with its title and page path filled in.

    >>> render_template("Batch normalisation", "docs/batchnorm.md").splitlines()[0]
    '# Batch normalisation'
    """
    return template_text().replace("__TITLE__", title).replace("__PAGE__", page)


def nav_title(title: str) -> str:
    """`title` as a YAML key: plain when YAML reads it back unchanged, else double-quoted.

    >>> nav_title("Batch normalisation"), nav_title("SVM: the hinge loss")
    ('Batch normalisation', '"SVM: the hinge loss"')
    """
    return json.dumps(title, ensure_ascii=False) if YAML_SPECIAL.search(title) else title


def create_page(page: str, title: str, *, after: str | None = None, root: Path | str = ".") -> NewPage:
    """Write docs page `page` (a path such as docs/svm.md, relative to `root`) and add it to the nav.

    Raises NewPageError for an existing file, a name outside the docs folder or not ending in .md,
    a missing mkdocs.yml, a nav that cannot be found, or an `after` entry that is not in the nav.
    """
    root = Path(root)
    title = " ".join(title.split())
    if not title:
        raise NewPageError("the title is empty; expected --title \"Words of the title\"")
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        raise NewPageError(f"no mkdocs.yml in {root.resolve()}; expected to run in the project "
                           "folder (the one with mkdocs.yml)")
    config = config_path.read_text(encoding="utf-8")
    docs_dir = (root / _docs_dir(config)).resolve()
    target = (root / page).resolve()
    if target.suffix != ".md":
        raise NewPageError(f"{page}: expected a Markdown page name ending in .md")
    if not target.is_relative_to(docs_dir) or target == docs_dir:
        raise NewPageError(f"{page}: expected a page inside the docs folder ({_shown(docs_dir, root)}/)")
    if target.exists():
        raise NewPageError(f"{page} already exists; expected a new name (nothing was changed)")
    nav_target = target.relative_to(docs_dir).as_posix()
    new_config, position, nav_changed = add_nav_entry(config, nav_title(title), nav_target, after)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_template(title, _shown(target, root)), encoding="utf-8")
    if nav_changed:
        config_path.write_text(new_config, encoding="utf-8")
    return NewPage(target, f"{nav_title(title)}: {nav_target}", position, nav_changed)


def add_nav_entry(config: str, title: str, target: str, after: str | None = None) -> tuple:
    """`config` (the text of mkdocs.yml) with `- title: target` added to its nav.

    Returns (new text, where the entry went, whether the text changed); a nav that already lists
    `target` is left as it is.

    >>> text = "site_name: x\\nnav:\\n  - Home: index.md\\n  - Train it: train.ipynb\\n"
    >>> print(add_nav_entry(text, "SVM", "svm.md")[0], end="")
    site_name: x
    nav:
      - Home: index.md
      - SVM: svm.md
      - Train it: train.ipynb
    """
    lines = config.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if NAV_KEY.match(line)), None)
    if start is None:
        raise NewPageError("mkdocs.yml has no top-level 'nav:' list; expected one, e.g.\n"
                           "nav:\n  - Home: index.md")
    entries = []  # (line number, indent, target)
    end = start + 1
    while end < len(lines) and not TOP_LEVEL_KEY.match(lines[end]):
        match = NAV_ENTRY.match(lines[end].rstrip("\r\n"))
        if match:
            entries.append((end, match.group("indent"), match.group("target")))
        end += 1
    if not entries:
        raise NewPageError("the nav of mkdocs.yml lists no pages; expected entries such as "
                           "'  - Home: index.md' under 'nav:'")
    if any(entry_target == target for _, _, entry_target in entries):
        return config, f"already listed in the nav as {target}", False
    if after is not None:
        found = [entry for entry in entries if entry[2] == after]
        if not found:
            listed = ", ".join(entry_target for _, _, entry_target in entries)
            raise NewPageError(f"--after {after}: no such entry in the nav; expected one of: {listed}")
        line_number, indent, _ = found[0]
        insert_at, position = line_number + 1, f"after {after}"
    else:
        before = [entry for entry in entries if entry[2] == DEFAULT_BEFORE]
        if before:
            insert_at, indent, _ = before[0]
            position = f"before {DEFAULT_BEFORE}"
        else:
            last_line, indent, _ = entries[-1]
            insert_at, position = last_line + 1, "at the end of the nav"
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    if insert_at > 0 and not lines[insert_at - 1].endswith(("\n", "\r")):
        lines[insert_at - 1] += newline
    lines.insert(insert_at, f"{indent}- {title}: {target}{newline}")
    return "".join(lines), position, True


def _docs_dir(config: str) -> str:
    for line in config.splitlines():
        match = DOCS_DIR.match(line)
        if match:
            return match.group("dir")
    return "docs"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
