"""The checker as a MkDocs plugin: `plugins: - formulacheck` in a site's mkdocs.yml.

Options (all optional)::

    plugins:
      - search
      - formulacheck:
          trials: 3                       # random instances per formula
          seed: 0                         # the first instance's seed (messages name it)
          coverage_page: coverage.md      # a page of docs/ the plugin fills with the counts
          stop_serve_on_failure: false    # `mkdocs serve` shows a failure in place by default

The work of each event is in faces/site/plugin.py. The plugin's events run after other plugins'
and hooks' (priority -10): a page is checked and marked as the reader will see it, after anything
that rewrites its Markdown or HTML; a hook that must run before the check (overrides/hooks/
check_ahead.py) says so with a higher priority. Its search-index rewrite (`on_post_build`) keeps
the default priority, before hooks that post-process the built site.
"""

from __future__ import annotations

from dataclasses import fields

from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from ...pages.check import check_trials
from . import plugin as events

AFTER_OTHERS = -10


class FormulacheckConfig(base.Config):
    """The options of mkdocs.yml; their defaults are those of `events.Options`."""

    trials = config_options.Type(int, default=events.Options.trials)
    seed = config_options.Type(int, default=events.Options.seed)
    coverage_page = config_options.Type(str, default=events.Options.coverage_page)
    stop_serve_on_failure = config_options.Type(bool, default=events.Options.stop_serve_on_failure)


class FormulacheckPlugin(BasePlugin[FormulacheckConfig]):
    """Checks every formula of the site's pages: marks them, fills the coverage page, and stops
    `mkdocs build` on a wrong one (naming `page:LINE:COL`)."""

    def on_startup(self, *, command, dirty):
        events.on_startup(command, dirty)

    @event_priority(AFTER_OTHERS)
    def on_config(self, config):
        try:
            check_trials(self.config.trials)
        except ValueError as problem:
            raise PluginError(f"formulacheck: in mkdocs.yml, {problem}") from None
        for option in fields(events.Options):
            setattr(events.OPTIONS, option.name, self.config[option.name])
        return events.on_config(config)

    def on_files(self, files, *, config):
        return events.on_files(files, config)

    @event_priority(AFTER_OTHERS)
    def on_nav(self, nav, *, config, files):
        return events.on_nav(nav, config, files)

    @event_priority(AFTER_OTHERS)
    def on_page_markdown(self, markdown, *, page, config, files):
        return events.on_page_markdown(markdown, page, config, files)

    @event_priority(AFTER_OTHERS)
    def on_page_content(self, html, *, page, config, files):
        return events.on_page_content(html, page, config, files)

    def on_post_build(self, *, config):
        events.on_post_build(config)
