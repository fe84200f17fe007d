"""The front matter's own YAML writer (:mod:`shortcodes.markdown.yamlblock`) against PyYAML's safe dumper.

:func:`block_yaml` must write byte for byte what :func:`pyyaml_dump` (the reference) writes, or
``None`` (then PyYAML writes it): on generated mappings of hostile strings (Hypothesis) and on the
front matter of every post of the real exports in ../shared/corpus and of the bench's export, in
every flavour.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shortcodes.markdown import MarkdownOptions, Page, Term, get_flavour
from shortcodes.markdown.frontmatter import _LIBYAML, dump_yaml, front_matter, pyyaml_dump
from shortcodes.markdown.page import wp_datetime
from shortcodes.markdown.yamlblock import block_yaml

pytestmark = pytest.mark.skipif(not _LIBYAML, reason="block_yaml mirrors libyaml's emitter (PyYAML without it: unused)")

ROOT = Path(__file__).resolve().parent.parent
BENCH_EXPORT = ROOT / "bench" / ".work" / "corpus" / "corpus-1mb.wxr"

#: Characters that decide a scalar's style in YAML, and some that libyaml escapes.
_HARD = list(" :#-?,[]{}&*!|>'\"%@`.~<=+_0123456789eEtTfFyYnNoOxX\u00e9\u0639\u05d0\u200f\u202e\u00a0")
_ODD = list("\t\n\r\x00\x07\x7f\x85\x9f\u2028\u2029\ufeff\ufffe\U0001f600\ud7ff\ue000")
_WORDS = ["yes", "No", "null", "~", "true", "False", "on", "OFF", "1.5", ".inf", "-.5", "0x1F", "0o17", "1_000",
          "2021-10-10", "2021-10-10T12:00:00+00:00", "2021-10-10 12:00:00 +0000", "<<", "=", "---", "...", "- x",
          "? x", ": x", "a: b", "a #b", "a#b", "x:", "-", "?", ":", "", " ", "it's", "@home", "%x", "12:30", "1:2:3"]

strings = st.one_of(
    st.text(st.sampled_from(_HARD), max_size=12),
    st.text(st.sampled_from(_HARD + _ODD), max_size=12),
    st.sampled_from(_WORDS),
    st.builds(lambda a, b: a + b, st.sampled_from(_WORDS), st.text(st.sampled_from(_HARD), max_size=4)),
    st.text(max_size=20),
)
scalars = st.one_of(strings, st.booleans(), st.integers(-10**20, 10**20), st.none(), st.floats(allow_nan=False))
keys = st.one_of(st.sampled_from(["title", "date", "tags", "params", "wordpress_id", "y", "on", "null", "a b"]), strings)
leaves = st.one_of(scalars, st.lists(scalars, max_size=3))
mappings = st.dictionaries(keys, st.one_of(leaves, st.dictionaries(keys, leaves, max_size=4)), max_size=6)


@settings(max_examples=1500)
@given(mappings)
@example({"title": "Q: #1 @home", "tags": ["a", "نعم"], "draft": False})
@example({"t": "x", "u": [], "v": {}})
@example({"a": "\u2028", "b": "\x85"})
@example({"x" * 200: "long key"})
def test_block_yaml_is_pyyaml_or_unsure(data: dict) -> None:  # type: ignore[type-arg]
    fast = block_yaml(data)
    if fast is not None:
        assert fast == pyyaml_dump(data)
        assert yaml.safe_load(fast) == data


@settings(max_examples=500)
@given(st.dictionaries(st.sampled_from(["title", "slug", "summary", "lang"]),
                       st.one_of(st.text(st.sampled_from(_HARD), max_size=16), st.sampled_from(_WORDS)),
                       min_size=1))
def test_block_yaml_writes_every_printable_mapping(data: dict) -> None:  # type: ignore[type-arg]
    """Strings of printable characters are never left to PyYAML: the fast path is the usual one."""
    assert block_yaml(data) == pyyaml_dump(data)


def test_front_matter_uses_either_writer() -> None:
    data = {"title": "emoji \U0001f600", "n": 1.5}
    assert block_yaml(data) is None
    assert front_matter(data) == "---\n" + pyyaml_dump(data) + "---\n"
    assert dump_yaml({"title": "x"}) == "title: x\n"


def _exports() -> list[Path]:
    from conftest import SHARED

    found = sorted((SHARED / "corpus" / "wxr").glob("*.xml"))
    if BENCH_EXPORT.is_file():
        found.append(BENCH_EXPORT)
    if not found:
        pytest.skip("no export: ../shared/corpus and bench/.work/corpus are missing")
    return found


def _pages(path: Path) -> list[Page]:
    from shortcodes.exports import read_posts

    pages = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            posts = list(read_posts([path], recover=True))
        except Exception:  # noqa: BLE001 - unusable exports are the WXR tests' business
            return []
    for post in posts:
        pages.append(Page(
            id=post.id, title=post.title.strip(), html="", type="page" if post.type == "page" else "post",
            excerpt=" ".join(post.excerpt.split()), date=wp_datetime(post.date), date_gmt=wp_datetime(post.date_gmt),
            modified_gmt=wp_datetime(post.modified_gmt), status=post.status or "publish", slug=post.slug,
            link=post.link, categories=tuple(Term(t.name or t.nicename, t.nicename) for t in post.categories),
            tags=tuple(Term(t.name or t.nicename, t.nicename) for t in post.tags), author=post.author or "",
            featured_image=post.link, menu_order=post.menu_order, lang="ar", dir="rtl"))
    return pages


@pytest.mark.parametrize("flavour", ["hugo", "jekyll", "astro", "commonmark"])
def test_block_yaml_on_the_real_exports(flavour: str) -> None:
    fl = get_flavour(flavour)
    checked = fast = 0
    for path in _exports():
        for page in _pages(path):
            for opts in (MarkdownOptions(), MarkdownOptions(old_urls="keep")):
                data = fl.front_matter(page, opts)
                got = block_yaml(data)
                checked += 1
                if got is not None:
                    fast += 1
                    assert got == pyyaml_dump(data), (path.name, page.id)
    assert checked > 100
    assert fast > 0.9 * checked  # the fast path is the usual one on real titles
