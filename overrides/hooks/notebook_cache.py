"""MkDocs hook: an executed notebook is taken from mkdocs-jupyter's cache only while the code it
ran is unchanged.

mkdocs-jupyter keeps each executed notebook (`.cache/mkdocs-jupyter`), filed under a hash of the
notebook's text and the plugin's settings. The site's notebooks import `backprop` (src/backprop)
and run on the pinned packages, which that hash does not see: after an edit of src/backprop a
build would show the outputs of the old code, and would not notice a notebook that now fails
(`allow_errors: false`). This hook files the executed notebooks in a folder of the plugin's cache
named by a hash of what they run on too: the files of the packages in NOTEBOOK_PACKAGES, the pinned
requirements and the Python version. After a build, the folders of other code are removed but for
the KEEP_OTHER_CODE most recent (the plugin removes the unused entries of its own folder; the
entries of builds without this hook, directly in the plugin's folder, are theirs and stay).

>>> cache_folder(".cache/mkdocs-jupyter", "ab" * 32)
'.cache/mkdocs-jupyter/abababababababababababababababababababababababababababababababab'
>>> cache_folder(".cache/mkdocs-jupyter/" + "cd" * 32, "ab" * 32)  # a config set by this hook
'.cache/mkdocs-jupyter/abababababababababababababababababababababababababababababababab'
"""

import hashlib
import logging
import re
import shutil
import sys
from pathlib import Path

from formulacheck.pages.cache import package_digest

log = logging.getLogger("mkdocs.hooks.notebook_cache")

PLUGIN = "mkdocs-jupyter"
# The packages of this project that the notebooks import.
NOTEBOOK_PACKAGES = ["backprop"]
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.lock"
_CODE_FOLDER = re.compile(r"[0-9a-f]{64}")
# Folders of other code kept after a build (the most recently written).
KEEP_OTHER_CODE = 2


def code_digest(packages=NOTEBOOK_PACKAGES, requirements=REQUIREMENTS):
    """Hash of the packages' files, the pinned requirements and the Python version."""
    hashed = hashlib.sha256(sys.version.encode())
    hashed.update(requirements.read_bytes() if requirements.is_file() else b"")
    for package in packages:
        hashed.update(package.encode() + b"\0" + package_digest(package).encode())
    return hashed.hexdigest()


def cache_folder(configured, digest):
    """The folder for code ``digest`` in the plugin's cache ``configured`` (which may already name
    the folder of a digest, when MkDocs hands this hook a config it set before)."""
    base = Path(configured)
    if _CODE_FOLDER.fullmatch(base.name):
        base = base.parent
    return (base / digest).as_posix()


def on_config(config):
    plugin = config.plugins.get(PLUGIN)
    if plugin is not None and plugin.config.get("cache"):
        plugin.config["cache_dir"] = cache_folder(plugin.config["cache_dir"], code_digest())
    return config


def on_post_build(config):
    plugin = config.plugins.get(PLUGIN)
    if plugin is None or not plugin.config.get("cache"):
        return
    current = Path(plugin.config["cache_dir"])
    others = sorted((entry for entry in current.parent.iterdir()
                     if entry != current and entry.is_dir() and _CODE_FOLDER.fullmatch(entry.name)),
                    key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    # The newest few stay: a build of other code may be running now (a test, a second checkout).
    for folder in others[KEEP_OTHER_CODE:]:
        shutil.rmtree(folder, ignore_errors=True)
        log.info(f"notebook_cache: removed notebooks executed with other code ({folder})")
