"""MkDocs hook: under `mkdocs serve --dirty` (what `make serve` runs), rebuild what a change needs.

A dirty build renders only the pages whose source file is newer than their built page. That is
the one-second loop for an author who edits a page, but on its own it would leave other pages
stale. Before the pages are read, this hook marks more pages as changed (MkDocs then renders them
too):

- the coverage page, generated from every page's check results, when they changed (an edit of
  prose changes none; decided after the checker's plugin has checked the pages, in `on_nav`).
  When the save also renders a page, the coverage page (half a second of rendering: a copy of
  every formula of the site) follows in a rebuild of its own, which this hook starts when the
  first ends (it touches the coverage page's source): the page being edited shows the edit
  without waiting for it, and the coverage page is current a moment later;
- every page, on the first build, after an edit of mkdocs.yml (navigation, settings) or of
  anything under src/ (snippets embed src/backprop, `code:` markers call it, the API reference
  documents it, and src/formulacheck checks every page), or after a page was added or removed.

A page that links to a changed page (`[text](softmax.md#eq-...)`) is not rendered again, but its
links are still validated against the changed page's anchors, and the changed page's links
against the anchors of pages it links to: the hook keeps each rendered page's anchors and links
to other pages' anchors, and gives them back to the pages a dirty build skips, so MkDocs'
validation (`validation: links: anchors`) runs over every page as in a full build.

The checker and the math renderer keep their own results between rebuilds (formulacheck's
check_cache, prerender_math's renderer), so the pages rendered again cost little more than
their Markdown. A Python module cannot be reloaded safely in place, so after an edit of the
checker (the installed `formulacheck` package, src/formulacheck) `mkdocs serve` starts itself
again, same command, same address: the browser reloads once the new server has built the site.
Under `mkdocs build` this hook does nothing.

>>> pages_to_render(["a.md", "coverage.md", "b.md"], modified={"a.md"}, whole_site=False)
['a.md']
>>> pages_to_render(["a.md", "coverage.md", "b.md"], modified=set(), whole_site=True)
['a.md', 'coverage.md', 'b.md']
"""

import hashlib
import logging
import os
import shutil
import sys
from pathlib import Path

import jinja2
from mkdocs.plugins import event_priority
from mkdocs.theme import Theme

from formulacheck.faces.site.plugin import OPTIONS, coverage_inputs

log = logging.getLogger("mkdocs.hooks.live_rebuild")

# Folders whose every change rebuilds every page (relative to mkdocs.yml).
WHOLE_SITE_INPUTS = ["src"]
POLL_SECONDS = 0.1
_state = {"serving": False, "serving_dirty": False, "inputs": None, "pages": None,
          "checker": None, "coverage": None, "rendering": False, "coverage_follows": None}
# src_uri -> anchor ids on the page, and src_uri -> {linked src_uri: {anchor: link as written}},
# as of each page's latest rendering.
_anchors: dict = {}
_links: dict = {}


def pages_to_render(pages, modified, whole_site):
    """The src_uris of ``pages`` a dirty build must render: all for ``whole_site``, else the
    ``modified`` ones (the coverage page is decided later, by ``on_nav``)."""
    if whole_site:
        return list(pages)
    return [page for page in pages if page in modified]


def _inputs_fingerprint(config):
    """Changes when mkdocs.yml or any file under WHOLE_SITE_INPUTS changes (name, size, mtime)."""
    base = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    digest = hashlib.sha256()
    paths = [Path(config.config_file_path or "mkdocs.yml")]
    for folder in WHOLE_SITE_INPUTS:
        paths += sorted(p for p in (base / folder).rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts)
    for path in paths:
        state = path.stat()
        digest.update(f"{path}\0{state.st_size}\0{state.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _checker_fingerprint():
    """Name, size and mtime of the checker's files, or None when it is not imported."""
    checker = sys.modules.get("formulacheck")
    if checker is None or not getattr(checker, "__file__", None):
        return None
    digest = hashlib.sha256()
    for path in sorted(Path(checker.__file__).parent.rglob("*.py")):
        state = path.stat()
        digest.update(f"{path}\0{state.st_size}\0{state.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _restart_if_the_checker_changed(config):
    fingerprint = _checker_fingerprint()
    if _state["checker"] is None or fingerprint == _state["checker"]:
        _state["checker"] = fingerprint
        return
    log.warning("the checker (formulacheck) changed: restarting `mkdocs serve` to load it")
    site_dir = Path(config.site_dir)
    if site_dir.name.startswith("mkdocs_"):  # serve's temporary folder, made again by the new one
        shutil.rmtree(site_dir, ignore_errors=True)
    logging.shutdown()
    os.execv(sys.executable, [sys.executable, *sys.argv])


def on_startup(command, dirty):
    _state["serving"] = command == "serve"
    _state["serving_dirty"] = command == "serve" and dirty
    if _state["serving"] and not getattr(Theme.get_env, "reuses_templates", False):
        Theme.get_env = _reusing_templates(Theme.get_env)


def _reusing_templates(make_environment):
    """Under serve, every Jinja environment of a rebuild (the theme's, the search plugin's) reuses
    the compiled templates and the list of the theme's files (about 14,000, walked for each
    rebuild otherwise) of the first build; the theme does not change while serving."""

    def get_env(theme):
        environment = make_environment(theme)
        environment.bytecode_cache = _templates  # keyed by template name and source checksum
        listed = environment.list_templates
        folders = tuple(getattr(environment.loader, "searchpath", ()))

        def list_templates(extensions=None, filter_func=None):
            # The callers' filters depend only on the theme and the config's static templates.
            key = (folders, tuple(extensions or ()), getattr(filter_func, "__qualname__", None))
            if key not in _template_lists:
                _template_lists[key] = listed(extensions=extensions, filter_func=filter_func)
            return list(_template_lists[key])

        environment.list_templates = list_templates
        return environment

    get_env.reuses_templates = True
    return get_env




def on_serve(server, config, builder):
    """Watch src/ as well as docs/ and mkdocs.yml (a `watch:` entry in mkdocs.yml would be
    relative to each config that INHERITs it). MkDocs polls the watched folders every 0.5 s (a
    native watcher would also see the build reading them); every 0.1 s takes 0.2 s off the
    average wait for a save to be noticed."""
    base = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    for folder in WHOLE_SITE_INPUTS:
        if (base / folder).is_dir():
            server.watch(str(base / folder))
    observer = server.observer
    for emitter in [observer, *observer.emitters]:
        if hasattr(emitter, "_timeout"):
            emitter._timeout = POLL_SECONDS
    return server


def on_files(files, config):
    if _state["serving"]:
        _restart_if_the_checker_changed(config)
    if not _state["serving_dirty"]:
        return files
    pages = [file for file in files.documentation_pages()]
    inputs = _inputs_fingerprint(config)
    names = sorted(file.src_uri for file in pages)
    whole_site = inputs != _state["inputs"] or names != _state["pages"]
    _state["inputs"], _state["pages"] = inputs, names
    modified = {file.src_uri for file in pages if not whole_site and file.is_modified()}
    render = set(pages_to_render(names, modified, whole_site))
    changed = [file for file in pages if file.src_uri in render]
    # whether the coverage page may wait for a rebuild of its own (see on_nav): other pages are
    # rendered, and it is not (it would show the results of this build anyway)
    _state["rendering"] = OPTIONS.coverage_page not in render and bool(changed)
    for file in changed:
        # MkDocs renders a page whose built file is older than its source (File.is_modified).
        if os.path.isfile(file.abs_dest_path):
            os.utime(file.abs_dest_path, (0, 0))
    if changed and not whole_site:
        log.info("rebuilding " + ", ".join(sorted(file.src_uri for file in changed)))
    return files


@event_priority(-50)  # after the checker's plugin has checked every page (its on_nav)
def on_nav(nav, config, files):
    """Render the coverage page again when what it shows changed."""
    if not _state["serving_dirty"]:
        return nav
    shown = coverage_inputs()
    if shown != _state["coverage"]:
        first = _state["coverage"] is None
        _state["coverage"] = shown
        coverage = files.get_file_from_path(OPTIONS.coverage_page)
        if coverage is None or not os.path.isfile(coverage.abs_dest_path):
            return nav  # rendered anyway: a first build
        source = coverage.abs_src_path
        if _state["rendering"] and source and os.path.isfile(source):
            _state["coverage_follows"] = source  # see on_post_build
            log.info(f"{coverage.src_uri} follows in the next rebuild: the checker's results "
                     "changed")
            return nav
        os.utime(coverage.abs_dest_path, (0, 0))
        if not first:
            log.info(f"rebuilding {coverage.src_uri}: the checker's results changed")
    return nav


def on_post_build(config):
    """Start the rebuild that renders the coverage page (see on_nav): its source, touched, is
    newer than its built page, so the server's watcher starts a dirty rebuild, which renders it."""
    source, _state["coverage_follows"] = _state["coverage_follows"], None
    if source is not None:
        os.utime(source, None)


def on_build_error(error):
    """A build that failed after on_nav deferred the coverage page: the next build decides again."""
    if _state["coverage_follows"] is not None:
        _state["coverage_follows"] = _state["coverage"] = None


def on_page_content(html, page, config, files):
    # Markdown pages only: MkDocs finds no anchors in a notebook (rendered by mkdocs-jupyter).
    if _state["serving_dirty"] and page.file.src_uri.endswith(".md"):
        anchors = page.present_anchor_ids
        _anchors[page.file.src_uri] = None if anchors is None else set(anchors)
        _links[page.file.src_uri] = {target.src_uri: dict(links) for target, links in
                                     (page.links_to_anchors or {}).items()}
    return html


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory for the next rebuild (each rebuild makes a
    new Jinja environment, which would compile all of them again: about a third of a second)."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_templates = _CompiledTemplates()
_template_lists: dict = {}


def on_env(env, config, files):
    """Give the pages this dirty build did not render their anchors and links of last time."""
    if not _state["serving_dirty"]:
        return env
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.content is not None or file.src_uri not in _anchors:
            continue
        if file.src_uri == OPTIONS.coverage_page and _state["coverage_follows"]:
            continue  # its links are to anchors of the pages as they were: checked once rendered
        anchors = _anchors[file.src_uri]
        page.present_anchor_ids = None if anchors is None else set(anchors)
        page.links_to_anchors = {
            target: dict(links) for target, links in (
                (files.get_file_from_path(uri), links) for uri, links in _links[file.src_uri].items())
            if target is not None}
    return env

