"""The corpus files are read entry by entry by ../test_fc_notation_corpus.py (each entry a page of
its own, with a wrong variant that must fail); collected whole as pages they would fail."""

collect_ignore_glob = ["*.md"]
