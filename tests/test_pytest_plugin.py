"""The pytest plugin (shortcodes.pytest_plugin), tested with pytest's own pytester.

Each test writes a small test suite into a temporary folder and runs pytest on
it (in-process unless the point is a fresh interpreter), then checks the
outcome and the output a theme developer would see.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes.pytest_plugin import assert_html_equal, canonical_html

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "test_theme_example.py"
EXAMPLE_SNAPSHOTS = ROOT / "examples" / "__snapshots__" / "test_theme_example"

RENDER_TEST = """
def test_it(render_shortcode, html_snapshot):
    html_snapshot(render_shortcode('[hello who="{who}"]'))
"""


def _templates(pytester: pytest.Pytester, folder: str = "theme", body: str = "<p class=hi>Hello {{ attrs.who }}</p>") -> Path:
    path = pytester.mkdir(folder)
    (path / "hello.html").write_text(body, encoding="utf-8")
    return path


# -- registration and staying out of the way ------------------------------------

def test_plugin_is_registered_through_the_entry_point(pytester: pytest.Pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines([
        "*wp-shortcodes: rendering fixtures and HTML snapshots*",
        "*--shortcodes-templates=DIR*",
        "*--shortcodes-update-snapshots*",
        "*shortcodes_as_of*",
    ])


def test_unrelated_suites_are_untouched(pytester: pytest.Pytester):
    pytester.makepyfile("""
        import sys
        def test_plain():
            assert "shortcodes.render" not in sys.modules
            assert "jinja2" not in sys.modules
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert not any(line.startswith("shortcodes:") for line in result.outlines)  # no header line when unused


def test_plugin_can_be_disabled(pytester: pytest.Pytester):
    pytester.makepyfile("def test_x(render_shortcode): pass")
    result = pytester.runpytest("-p", "no:shortcodes")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'render_shortcode' not found*"])


# -- renderer options ---------------------------------------------------------------

def test_render_shortcode_uses_templates_from_the_command_line(pytester: pytest.Pytester):
    _templates(pytester)
    pytester.makepyfile("""
        def test_it(render_shortcode, assert_html_equal):
            assert_html_equal(render_shortcode('[hello who="<you>"]'), '<p class="hi">Hello &lt;you&gt;</p>')
    """)
    pytester.runpytest("--shortcodes-templates", "theme").assert_outcomes(passed=1)
    # without the folder, [hello] is unknown and kept as it is
    pytester.runpytest().assert_outcomes(failed=1)


def test_ini_options_are_relative_to_the_ini_file(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    _templates(pytester, "ini_theme", "<p>ini {{ attrs.who }}</p>")
    _templates(pytester, "cli_theme", "<p>cli {{ attrs.who }}</p>")
    pytester.makeini("""
        [pytest]
        shortcodes_templates = ini_theme
        shortcodes_locale = ar-EG
        shortcodes_as_of = 2021-06-01
    """)
    pytester.makepyfile("""
        import datetime, os

        def test_options(shortcode_renderer_options, shortcode_renderer):
            opts = dict(shortcode_renderer_options)
            assert opts["locale"] == "ar-EG"
            assert opts["as_of"] == datetime.date(int(os.environ.get("YEAR", 2021)), int(os.environ.get("MONTH", 6)), 1)
            assert shortcode_renderer.as_of == opts["as_of"]
            assert str(shortcode_renderer.locale) == "ar_EG"

        def test_template_order(render_shortcode):
            assert render_shortcode('[hello who=x]') == "<p>" + os.environ.get("FIRST", "ini") + " x</p>"
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["shortcodes: templates=*ini_theme, locale=ar-EG, as-of=2021-06-01"])
    # command-line folders come first; the command line wins for the date
    monkeypatch.setenv("FIRST", "cli")
    monkeypatch.setenv("YEAR", "2020")
    monkeypatch.setenv("MONTH", "4")
    result = pytester.runpytest("--shortcodes-templates", "cli_theme", "--shortcodes-as-of", "2020-04-01")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["shortcodes: templates=*cli_theme*ini_theme, locale=ar-EG, as-of=2020-04-01"])


@pytest.mark.parametrize(("args", "ini", "message"), [
    (["--shortcodes-templates", "nowhere"], "", "*--shortcodes-templates nowhere: *nowhere is not a folder*"),
    ([], "shortcodes_templates = missing", "*shortcodes_templates in *tox.ini: *missing is not a folder*"),
    (["--shortcodes-as-of", "01/06/2021"], "", "*--shortcodes-as-of: '01/06/2021' is not a date (use YYYY-MM-DD)*"),
    ([], "shortcodes_as_of = yesterday", "*shortcodes_as_of in *tox.ini: 'yesterday' is not a date*"),
])
def test_bad_options_are_usage_errors_that_name_the_option(pytester: pytest.Pytester, args, ini, message):
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_x(): pass")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_a_bad_locale_fails_the_tests_that_use_the_renderer_only(pytester: pytest.Pytester):
    pytester.makepyfile("""
        def test_uses(render_shortcode): pass
        def test_does_not(): pass
    """)
    result = pytester.runpytest("--shortcodes-locale", "xx-notalocale")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*cannot build the renderer*xx-notalocale*"])


def test_renderer_fixture_works_with_hypothesis(pytester: pytest.Pytester):
    pytester.makepyfile("""
        from hypothesis import given, settings
        from shortcodes import strategies as sst

        @settings(max_examples=10, deadline=None)
        @given(text=sst.shortcodes(tags=["unknown-tag"], enclosing=False))
        def test_unknown_tags_are_kept(render_shortcode, text):
            assert render_shortcode(text) == text
    """)
    pytester.runpytest().assert_outcomes(passed=1)


# -- assert_html_equal ------------------------------------------------------------

def test_assert_html_equal_failure_shows_a_diff(pytester: pytest.Pytester):
    pytester.makepyfile("""
        def test_it(assert_html_equal):
            assert_html_equal('<ul><li class="a b">one</li><li>two</li></ul>',
                              '<ul><li class="b a">one</li><li>three</li></ul>')
    """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*HTML differs (canonical forms; - expected, + actual):*",
        "*--- expected",
        "*+++ actual",
        '*   <li class="a b">one</li>',
        "*-  <li>three</li>",
        "*+  <li>two</li>",
    ])


@pytest.mark.parametrize(("a", "b"), [
    ('<p id="x" class="a  b">Hi</p>', "<p class='b a' id=x>\n  Hi\n</p>"),
    ("<div>\n  <b>x</b>\n  <i>y</i>\n</div>", "<div><b>x</b><i>y</i></div>"),
    ("<br><img src=a.png alt=''>", "<br/><img alt=\"\" src=\"a.png\" />"),
    ("<p>a &amp; b&nbsp;c</p>", "<p>a &#038; b\u00a0c</p>"),
    ('<p style="color:red;margin : 0;">x</p>', '<p style="color: red; margin: 0">x</p>'),
    ("<input disabled>", '<input disabled="">'),
    ("<p>one<p>two", "<p>one</p><p>two</p>"),
    ("<table><tr><td>1<td>2</table>", "<table><tr><td>1</td><td>2</td></tr></table>"),
])
def test_equal_fragments(a, b):
    assert_html_equal(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("<p>x</p>", "<p>y</p>"),
    ("<p>x</p>", "<div>x</div>"),
    ('<p class="a">x</p>', '<p class="a b">x</p>'),
    ('<p style="margin:0;color:red">x</p>', '<p style="color:red;margin:0">x</p>'),
    ("<pre>a  b</pre>", "<pre>a b</pre>"),
    ("<b>x</b>", "<b><i>x</i></b>"),
    ("<p>x</p>", "<p>x</p></div>"),
    ("<!-- a -->", "<!-- b -->"),
])
def test_different_fragments(a, b):
    with pytest.raises(AssertionError, match="HTML differs"):
        assert_html_equal(a, b)


def test_class_order_can_be_made_to_matter():
    assert_html_equal('<p class="a b"></p>', '<p class="b a"></p>')
    with pytest.raises(AssertionError):
        assert_html_equal('<p class="a b"></p>', '<p class="b a"></p>', ignore_class_order=False)


_PIECES = st.sampled_from([
    "<p>", "</p>", "<div class='b a'>", "</div>", "<br>", "<img src=x alt=\"a b\">", "text", "  ", "\n",
    "مصر", "&amp;", "&nbsp;", "<!-- c -->", "<pre>  x\n y</pre>", "<b>", "</b>", "<li>", "<ul>", "</ul>",
    "<script>if (a < b) x();</script>", "<style>p{}</style>", "</span>", "<td>", "<table>", "</table>",
    "a < b", "<textarea> t </textarea>", '<a href="?a=1&b=2">', "</a>",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=15).map("".join))
def test_canonical_form_is_a_fixed_point(fragment):
    once = canonical_html(fragment)
    assert canonical_html(once) == once
    assert_html_equal(once, fragment)


@settings(max_examples=100, deadline=None)
@given(st.lists(_PIECES, max_size=12), st.sampled_from(["\n", "  ", "\n    "]))
def test_whitespace_next_to_tags_does_not_matter(pieces, ws):
    if any(p.startswith(("<pre", "<textarea", "<script", "<style")) for p in pieces):
        return  # whitespace inside these is content
    spaced = pieces[:1]
    for before, after in zip(pieces, pieces[1:]):
        if before.startswith("<") or after.startswith("<"):  # not between two pieces of text
            spaced.append(ws)
        spaced.append(after)
    assert_html_equal("".join(pieces), "".join(spaced))


# -- snapshots ------------------------------------------------------------------------

def test_snapshot_flow(pytester: pytest.Pytester):
    _templates(pytester)
    pytester.makepyfile(test_plugin_flow_card=RENDER_TEST.replace("{who}", "you"))
    golden = pytester.path / "__snapshots__" / "test_plugin_flow_card" / "test_it.html"

    # 1. no golden file yet: a clear failure that says what to do
    result = pytester.runpytest("--shortcodes-templates", "theme")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*HTML snapshot __snapshots__/test_plugin_flow_card/test_it.html does not exist.*",
        "*Run pytest with --shortcodes-update-snapshots to create it, then review and commit it.*",
    ])
    assert not golden.exists()

    # 2. --shortcodes-update-snapshots writes it, passes, and says so
    result = pytester.runpytest("--shortcodes-templates", "theme", "--shortcodes-update-snapshots")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*created: __snapshots__/test_plugin_flow_card/test_it.html*",
                                 "*1 snapshot(s) created, 0 updated*"])
    assert golden.read_text(encoding="utf-8") == '<p class="hi">Hello you</p>\n'

    # 3. same output: passes; a reformatted golden file still matches
    pytester.runpytest("--shortcodes-templates", "theme").assert_outcomes(passed=1)
    golden.write_text('<p\n   class="hi">\n  Hello   you\n</p>', encoding="utf-8")
    pytester.runpytest("--shortcodes-templates", "theme").assert_outcomes(passed=1)

    # 4. the output changes: a failure with a diff and the way out
    pytester.makepyfile(test_plugin_flow_card=RENDER_TEST.replace("{who}", "them"))
    result = pytester.runpytest("--shortcodes-templates", "theme")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*rendered HTML differs from snapshot __snapshots__/test_plugin_flow_card/test_it.html (- snapshot, + rendered):*",
        "*--- snapshot",
        "*+++ rendered",
        '*-<p class="hi">Hello you</p>',
        '*+<p class="hi">Hello them</p>',
        "*If the change is intended, run pytest with --shortcodes-update-snapshots and commit the file.*",
    ])

    # 5. update rewrites it
    result = pytester.runpytest("--shortcodes-templates", "theme", "--shortcodes-update-snapshots")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*updated: __snapshots__/test_plugin_flow_card/test_it.html*"])
    assert golden.read_text(encoding="utf-8") == '<p class="hi">Hello them</p>\n'
    # an update run with nothing to change writes nothing
    result = pytester.runpytest("--shortcodes-templates", "theme", "--shortcodes-update-snapshots")
    result.assert_outcomes(passed=1)
    assert "snapshot(s) created" not in result.stdout.str()


def test_snapshot_names(pytester: pytest.Pytester):
    pytester.makepyfile(test_plugin_snapshot_names="""
        import pytest

        class TestCards:
            @pytest.mark.parametrize("region", ["EG", "a/b"])
            def test_region(self, html_snapshot, region):
                html_snapshot(f"<p>{region}</p>")
                html_snapshot(f"<p>second {region}</p>")
                html_snapshot("<p>named</p>", name="rtl view")
                assert html_snapshot.path_for().name.endswith("-3.html")
    """)
    pytester.runpytest("--shortcodes-update-snapshots").assert_outcomes(passed=2)
    folder = pytester.path / "__snapshots__" / "test_plugin_snapshot_names"
    assert sorted(p.name for p in folder.iterdir()) == [
        "TestCards.test_region[EG]-2.html", "TestCards.test_region[EG]-rtl_view.html",
        "TestCards.test_region[EG].html",
        "TestCards.test_region[a_b]-2.html", "TestCards.test_region[a_b]-rtl_view.html",
        "TestCards.test_region[a_b].html",
    ]
    assert (folder / "TestCards.test_region[a_b]-2.html").read_text(encoding="utf-8") == "<p>second a/b</p>\n"
    pytester.runpytest().assert_outcomes(passed=2)


# -- the documented example ----------------------------------------------------------

def test_the_documented_example_passes(pytester: pytest.Pytester):
    """examples/test_theme_example.py, with its committed snapshot, passes as it is."""
    shutil.copy(EXAMPLE, pytester.path / EXAMPLE.name)
    shutil.copytree(EXAMPLE_SNAPSHOTS, pytester.path / "__snapshots__" / EXAMPLE.stem)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_the_documentation_shows_the_example_file():
    doc = (ROOT / "docs" / "testing-your-theme.md").read_text(encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8").strip() in doc
