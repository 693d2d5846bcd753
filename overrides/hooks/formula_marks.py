"""MkDocs hook: checker marks on every formula, the coverage page, no build with a wrong formula.
The code is in the installed checker, formulacheck/faces/site/plugin.py; this file only exposes it.

>>> sorted(name for name in dir() if name.startswith("on_"))
['on_config', 'on_nav', 'on_page_content', 'on_page_markdown', 'on_post_build', 'on_startup']
"""
from formulacheck.faces.site.plugin import *  # noqa: E402,F401,F403
