"""Build the site, serve it on 127.0.0.1 and look at it with headless Chromium.

Shared by the browser tests (tests/site) and benchmarks/page_speed.py, so both measure the same
site the same way. Nothing here downloads a browser: Chromium comes from the system (Debian's
`chromium` package) and Playwright only drives it.
"""

import functools
import gzip
import http.server
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
# Another config (e.g. one that INHERITs mkdocs.yml with a scratch docs folder) can be tested by
# setting MKDOCS_CONFIG; builds still run from the repository root, where snippet paths start.
MKDOCS_CONFIG = Path(os.environ.get("MKDOCS_CONFIG", REPO_ROOT / "mkdocs.yml")).resolve()

# Where a pytest session keeps {"dir": folder, "origin": "http://127.0.0.1:PORT"} of the one server
# of the site under test (tests/conftest.py starts it; tests/site/conftest.py builds into it).
SITE_UNDER_TEST = pytest.StashKey[dict]()

# Flags for a root user in a container with no network: no sandbox (root), no GPU, and none of the
# background services that would phone home and look like requests the site made.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Like GitHub Pages, text assets are sent gzip-compressed: transferred bytes are what a reader pays.
_COMPRESSIBLE_SUFFIXES = {".html", ".js", ".css", ".json", ".xml", ".svg", ".txt", ".map"}
_EXTRA_MIME_TYPES = {".woff": "font/woff", ".woff2": "font/woff2", ".js": "text/javascript"}


def load_module(path):
    """Import a Python file that is not on the import path (e.g. an MkDocs hook) as a module."""
    spec = importlib.util.spec_from_file_location(Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def find_chromium():
    """Path of the system Chromium (``$CHROMIUM`` first, then ``chromium`` on PATH), or None.

    >>> find_chromium() is None or Path(find_chromium()).is_file()
    True
    """
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def is_ci():
    """True under CI (``CI=true``), where a missing browser is a failure rather than a skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class _YamlLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its nav only: tags such as !ENV or !!python/name become None."""


_YamlLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_YamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_pages(config_path=MKDOCS_CONFIG):
    """Source files listed in the config's ``nav:`` (or its INHERITed parent's), in order,
    external links left out.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     config = Path(folder) / "mkdocs.yml"
    ...     _ = config.write_text(
    ...         "site_url: !ENV [SITE_URL, 'http://x/']\\n"
    ...         "nav:\\n  - Home: index.md\\n  - Part:\\n    - A: a.md\\n    - Out: https://example.org/\\n"
    ...         "  - nb.ipynb\\n")
    ...     nav_pages(config)
    ['index.md', 'a.md', 'nb.ipynb']
    """
    config = yaml.load(Path(config_path).read_text(encoding="utf-8"), Loader=_YamlLoader)
    if "nav" not in config and "INHERIT" in config:
        return nav_pages(Path(config_path).parent / config["INHERIT"])
    pages = []

    def walk(entries):
        for entry in entries or []:
            target = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(target, list):
                walk(target)
            elif isinstance(target, str) and "://" not in target:
                pages.append(target)

    walk(config.get("nav"))
    return pages


def page_url_path(source_path):
    """URL path of a page built from ``source_path`` with MkDocs' directory URLs.

    >>> [page_url_path(p) for p in ["index.md", "affine.md", "train.ipynb", "guide/index.md"]]
    ['/', '/affine/', '/train/', '/guide/']
    """
    stem = source_path.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return "/" + stem
    return f"/{stem}/"


def built_page(site_dir, source_path):
    """The built HTML of page ``source_path`` (``affine.md``), parsed with BeautifulSoup, each
    ``<mjx-container>`` kept with its attributes but emptied.

    What is inside a container is MathJax's typeset markup, three quarters of a math page's HTML:
    left out, a page parses five times faster. Tests of the typeset markup look at it in the
    browser (or at the file). Parsed once per process while the file is unchanged: callers only
    read it.
    """
    path = Path(site_dir) / page_url_path(source_path).lstrip("/") / "index.html"
    state = path.stat()
    return _parsed_html(str(path), state.st_mtime_ns, state.st_size)


@functools.lru_cache(maxsize=64)
def _parsed_html(path, modified_ns, size):
    from bs4 import BeautifulSoup

    html = _TYPESET_MATH.sub(r"\1\2", Path(path).read_text("utf-8"))
    return BeautifulSoup(html, "html.parser")


# MathJax never nests a container in a container.
_TYPESET_MATH = re.compile(r"(<mjx-container\b[^>]*>).*?(</mjx-container>)", re.DOTALL)


def sitemap_paths(site_dir, origin):
    """URL paths of every page in the built site's sitemap.xml, relative to ``origin``."""
    tree = ElementTree.parse(Path(site_dir) / "sitemap.xml")
    locations = [node.text for node in tree.iter() if node.tag.endswith("loc")]
    return sorted(urllib.parse.urlsplit(loc).path for loc in locations if loc.startswith(origin))


def longest_pages(site_dir, sources, count):
    """The ``count`` pages of ``sources`` with the most text in the built site, longest first."""

    def text_length(source):
        article = built_page(site_dir, source).find("article")
        return len(article.get_text()) if article else 0

    return sorted(sources, key=text_length, reverse=True)[:count]


def build_site(site_dir, site_url):
    """Run ``mkdocs build --strict`` into ``site_dir`` with ``site_url``; return its output.

    Raises RuntimeError carrying MkDocs' own output when the build fails.
    """
    environment = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(MKDOCS_CONFIG)]
    command += ["-d", str(site_dir)]
    result = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"`mkdocs build --strict` failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


class _SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **_EXTRA_MIME_TYPES}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts_gzip and path.suffix in _COMPRESSIBLE_SUFFIXES):
            return super().send_head()
        body = _gzip_file(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass  # the tests report failed requests themselves


@functools.lru_cache(maxsize=512)
def _gzip_file(path, modified_ns):
    return gzip.compress(path.read_bytes(), compresslevel=6)


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser may drop a connection mid-answer (a page closed while a preloaded font is still
    arriving): not an error of the site, so no traceback on the test output."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalSiteServer:
    """A threaded HTTP server on 127.0.0.1 with a free port, bound before the site is built.

    The port is known first because the build needs it: Material's instant navigation only works
    when ``site_url`` has the same origin, port included.

    >>> with LocalSiteServer(".") as server:
    ...     server.origin.startswith("http://127.0.0.1:")
    True
    """

    def __init__(self, site_dir):
        handler = functools.partial(_SiteRequestHandler, directory=str(site_dir))
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.host = "127.0.0.1"
        self.port = self._server.server_address[1]
        self.origin = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()


# Resolves no host name but the local server's address: a request to another host fails at once,
# inside the browser (for a measurement that must not intercept requests; see PageWatch).
OFFLINE_FLAG = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def launch_chromium(playwright, executable, *, offline=False):
    """Start headless Chromium from ``executable`` with the offline-safe flags; ``offline``: no
    host but 127.0.0.1 can be reached."""
    return playwright.chromium.launch(
        executable_path=executable, headless=True,
        args=list(CHROMIUM_FLAGS) + ([OFFLINE_FLAG] if offline else []),
    )
