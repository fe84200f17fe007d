"""The site model's compact table of posts (PostTable): a mapping equal to the dict of PostInfo it replaces."""
from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes.common.errors import ShortcodesError
from shortcodes.exports.site import FrozenDict, PostInfo, PostRows, PostTable, Site, read_site, site_of

_text = st.text(st.characters(blacklist_categories=()), max_size=12)  # surrogates and NUL included
_ints = st.integers(-(2**63), 2**63 - 1)
_infos = st.builds(PostInfo, id=_ints, type=st.sampled_from(["post", "page", "nav_menu_item", "", "ü"]),
                   status=st.sampled_from(["publish", "draft", "private", ""]), parent=_ints, password=_text,
                   thumbnail_id=_ints, oembed=st.one_of(st.just(FrozenDict()), st.dictionaries(_text, _text, max_size=2)
                                                       .map(FrozenDict)),
                   link=_text, title=_text, date=_text, guid=_text)


def _same(table, posts: dict) -> None:
    assert list(table) == list(posts) and len(table) == len(posts)
    for key, info in posts.items():
        got = table[key]
        assert got == info and got.guid == info.guid and got.id == info.id and dict(got.oembed) == dict(info.oembed)
        assert key in table and table.get(key) == info
    assert table == posts and posts == table and FrozenDict(posts) == table
    assert hash(table) == hash(FrozenDict(posts))
    again = pickle.loads(pickle.dumps(table))
    assert again == table and list(again) == list(table) and [v.guid for v in again.values()] == [
        v.guid for v in posts.values()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_ints, _infos), max_size=20), st.lists(_ints, max_size=5))
def test_a_table_is_the_dict_it_replaces(pairs, missing):
    posts = dict(pairs)  # keys that are not the info's own ID too
    table = PostTable.from_items(posts)
    assert isinstance(table, PostTable)
    _same(table, posts)
    for key in missing:
        if key not in posts:
            assert key not in table and table.get(key, "no") == "no"


def test_keys_and_numbers_a_table_cannot_hold_keep_a_dict():
    for posts in ({2**64: PostInfo(1)}, {True: PostInfo(1)}, {1: PostInfo(1, parent=2**70)},
                  {"1": PostInfo(1)}):
        kept = PostTable.from_items(posts)
        assert isinstance(kept, FrozenDict) and kept == posts
    table = PostTable.from_items({1: PostInfo(1), 2: PostInfo(2)})
    assert "1" not in table and None not in table and 1.0 in table and table.get(b"x") is None
    rows = PostRows()
    assert not rows.add(1, PostInfo(1, thumbnail_id=-(2**63) - 1)) and len(rows.table()) == 0


def test_site_of_keeps_the_first_item_with_an_id_and_falls_back_to_a_dict():
    from shortcodes.exports.site import Attachment

    entries = [(1, PostInfo(1, title="a")), (1, PostInfo(1, title="b")), (2, Attachment(2)), (2, PostInfo(2)),
               (3, PostInfo(3, parent=2**70)), (4, PostInfo(4, title="d")), (3, Attachment(3))]
    site = site_of({}, entries)
    assert site.posts == {1: PostInfo(1, title="a"), 3: PostInfo(3, parent=2**70), 4: PostInfo(4, title="d")}
    assert list(site.posts) == [1, 3, 4] and list(site.attachments) == [2]
    assert site_of({}, entries[:2]).posts == {1: PostInfo(1, title="a")}
    assert isinstance(site_of({}, entries[:2]).posts, PostTable)


def test_every_real_export_reads_a_table_equal_to_the_dict(corpus_dir):
    from shortcodes.exports.site import site_entry
    from shortcodes.exports.wxr import read_wxr

    checked = 0
    for src in sorted((corpus_dir / "wxr").iterdir()):
        try:
            first: dict = {}
            for pid, e in filter(None, map(site_entry, read_wxr(src, recover=True, on_warning=lambda w: None))):
                first.setdefault(pid, e)
        except ShortcodesError:
            continue
        site = read_site(src)
        assert isinstance(site.posts, PostTable), src.name
        posts = {k: v for k, v in first.items() if isinstance(v, PostInfo)}
        assert site.posts == posts and list(site.posts) == list(posts), src.name
        assert [v.guid for v in site.posts.values()] == [v.guid for v in posts.values()]
        checked += 1
        assert site == Site(url=site.url, home=site.home, upload_url=site.upload_url, title=site.title,
                            language=site.language, attachments=site.attachments, posts=FrozenDict(site.posts))
        assert pickle.loads(pickle.dumps(site)) == site
    assert checked >= 5
