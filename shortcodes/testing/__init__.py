"""The testing kit for theme developers: Hypothesis strategies, HTML comparison, the pytest plugin.

* :mod:`.strategies`: shortcodes and posts, including the curly-quoted forms
  ``wptexturize`` makes (``shortcodes.strategies`` adds the card's);
* :mod:`.html_compare`: :func:`~.html_compare.assert_html_equal`, :func:`~.html_compare.canonical_html`;
* :mod:`.pytest_plugin`: the fixtures and options (entry point ``pytest11``: ``shortcodes``).
"""
