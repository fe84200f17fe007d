"""Testing a theme's shortcodes with wp-shortcodes' pytest plugin.

The plugin is active wherever wp-shortcodes is installed (with its ``test``
extra for Hypothesis):

    pytest examples/test_theme_example.py
    pytest examples/test_theme_example.py --shortcodes-update-snapshots   # after an intended change

This file is described step by step in docs/testing-your-theme.md, and the
project's own test suite runs it.
"""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings

from shortcodes import strategies as sst
from shortcodes.renderer import Renderer


# 1. The renderer.  The plugin builds `shortcode_renderer` from the options
#    --shortcodes-templates / --shortcodes-locale / --shortcodes-as-of (or the
#    ini keys shortcodes_templates / shortcodes_locale / shortcodes_as_of).
#    This theme also has a shortcode written in Python, so it overrides the
#    fixture (module scope, like the plugin's) to register its handler.  The
#    figures' date is fixed so that the output does not change with the data.
@pytest.fixture(scope="module")
def shortcode_renderer(shortcode_renderer_options):
    renderer = Renderer(**{"as_of": "2021-06-01", **shortcode_renderer_options})

    @renderer.handler("pullquote")
    def pullquote(node, ctx):
        align = ctx.escape(node.get("align", "left"))
        cite = node.get("cite")
        footer = f"<footer><cite>{ctx.escape(cite)}</cite></footer>" if cite else ""
        return f'<blockquote class="pullquote pullquote--{align}"><p>{ctx.content}</p>{footer}</blockquote>'

    return renderer


# 2. Examples, compared as HTML trees: whitespace between elements, attribute
#    order and the order of class names do not matter.
def test_pullquote(render_shortcode, assert_html_equal):
    out = render_shortcode('[pullquote cite="Ibn Khaldun" align=right]Geography shapes history.[/pullquote]')
    assert_html_equal(out, """
        <blockquote class="pullquote--right pullquote">
          <p>Geography shapes history.</p>
          <footer><cite>Ibn Khaldun</cite></footer>
        </blockquote>
    """)


# Text copied from a page where the theme was not active has curly quotes
# (cite=”Ibn Khaldun”); the parser reads them as WordPress authors meant.
def test_curly_quotes_give_the_same_html(render_shortcode, assert_html_equal):
    straight = render_shortcode('[pullquote cite="Ibn Khaldun"]x[/pullquote]')
    assert_html_equal(render_shortcode("[pullquote cite=”Ibn Khaldun”]x[/pullquote]"), straight)


# 3. A property, with a strategy: every valid COVID-19 card renders, in the
#    direction it asks for, with the title it asks for; straight or curly quotes.
@settings(max_examples=25, deadline=None)
@given(case=sst.covid_cards(texturized=True) | sst.covid_cards())
def test_every_card_renders(render_shortcode, case):
    out = render_shortcode(case.text)
    section = re.search(r"<section [^>]*>", out)
    assert section, out
    if "rtl" in case.attrs:
        direction = "rtl" if case.attrs["rtl"] == "true" else "ltr"
        assert f'dir="{direction}"' in section.group()
    if case.attrs.get("region-name"):
        assert f">{html.escape(case.attrs['region-name'], quote=False)}</h2>" in out


# 4. A snapshot: the first run with --shortcodes-update-snapshots writes
#    __snapshots__/test_theme_example/test_pullquote_snapshot.html; after
#    that, any change in the output fails the test with a diff.
def test_pullquote_snapshot(render_shortcode, html_snapshot):
    html_snapshot(render_shortcode(
        '<p>Before</p>\n[pullquote align="center" cite="ابن خلدون"]'
        "الجغرافيا تصنع التاريخ[/pullquote]\n<p>After</p>"
    ))
