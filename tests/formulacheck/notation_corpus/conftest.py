"""The corpus files are not pages: each `## ` entry is a page of its own, with a wrong variant that
must fail, checked by tests/formulacheck/test_fc_notation_corpus.py. Collected as one page by the
formula checker's pytest plugin, the wrong variants would fail there."""

collect_ignore_glob = ["*.md"]
