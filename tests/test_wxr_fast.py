"""The item reader's fast path (exports/wxr/fastitems.py) against the exact reader (expat and its callbacks):
the same posts (every field, anchors, positions, ranges), the same warnings in the same places among the posts,
the same errors, on every real export and on generated and mutated items; and unusual items take the exact
reader."""
from __future__ import annotations

import dataclasses
import io
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wxr_kit import make_wxr

from shortcodes.common.errors import ShortcodesError
from shortcodes.exports.wxr import WxrReader, fastitems, rewrite_wxr
from shortcodes.exports.wxr import reader as wxr_reader
from shortcodes.exports.wxr.parser import _ItemParser
from shortcodes.exports.wxr.units import UnitPlanner, Unusual, read_unit_ranges

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n\t<title>t</title>\n'
        '\t<wp:wxr_version>1.2</wp:wxr_version>\n')
TAIL = "</channel>\n</rss>\n"


def _fields(post) -> tuple:
    """Every field of a post, the ones equality leaves out (positions, anchors) included."""
    return tuple(getattr(post, f.name) for f in dataclasses.fields(post))


@pytest.fixture(autouse=True)
def _fresh_names(monkeypatch):
    """Each test learns its own templates (the shared Names would carry them over)."""
    monkeypatch.setattr(fastitems, "_NAMES", {})


def _events(data: bytes, fast: bool, monkeypatch, *, chunk_size: int = 1 << 20, recover: bool = False):
    """What WxrReader gives for ``data``: posts and warnings in the order they come, the channel, the error; and
    how many items the fast path read."""
    monkeypatch.setattr(_ItemParser, "fast", fast)
    parsers: list[_ItemParser] = []

    def make(*args, **kwargs):
        parser = _ItemParser(*args, **kwargs)
        parsers.append(parser)
        return parser

    monkeypatch.setattr(wxr_reader, "_ItemParser", make)
    out: list = []
    reader = WxrReader(io.BytesIO(data), recover=recover, chunk_size=chunk_size, name="x.xml",
                       on_warning=lambda w: out.append(("warning", str(w))))
    try:
        for post in reader:
            out.append(("post", _fields(post)))
    except ShortcodesError as exc:
        out.append(("error", type(exc).__name__, str(exc)))
    out.append(("channel", reader.version, reader.base_site_url, reader.channel))
    return out, sum(p.fast_items for p in parsers)


def _ranges(data: bytes, fast: bool, monkeypatch, chunk_size: int = 1 << 20):
    """What the parser with ranges (the rewriter's and the units' reader) gives, fed in chunks."""
    monkeypatch.setattr(_ItemParser, "fast", fast)
    held: list = []
    parser = _ItemParser("x.xml", held.append, ranges=True)
    out: list = []
    try:
        for i in range(0, max(len(data), 1), chunk_size):
            parser.feed(data[i:i + chunk_size], i + chunk_size >= len(data))
            out += [(_fields(p), dataclasses.astuple(r)) for p, r in parser.take()]
    except Exception as exc:  # noqa: BLE001 - the same exception either way
        out.append(("error", type(exc).__name__, str(exc)))
    return out, [str(w) for w in held], parser.fast_items


def _same(data: bytes, monkeypatch, *, chunk_sizes=(1 << 20, 97)) -> int:
    """Assert the fast path and the exact reader agree on ``data`` (every way it is read); the items read fast."""
    fast_items = 0
    for chunk_size in chunk_sizes:
        for recover in (False, True):
            ref, _ = _events(data, False, monkeypatch, chunk_size=chunk_size, recover=recover)
            got, n = _events(data, True, monkeypatch, chunk_size=chunk_size, recover=recover)
            assert got == ref, (chunk_size, recover)
            fast_items = max(fast_items, n)
        ref_r = _ranges(data, False, monkeypatch, chunk_size)
        got_r = _ranges(data, True, monkeypatch, chunk_size)
        assert got_r[:2] == ref_r[:2], chunk_size
        assert ref_r[2] == 0
    return fast_items


def _export(*items: str, head: str = HEAD) -> bytes:
    return (head + "".join(items) + TAIL).encode("utf-8")


ITEM = ("\t<item>\n\t\t<title>Hello &amp; bye</title>\n\t\t<link>https://e.example/?p=1</link>\n"
        "\t\t<dc:creator><![CDATA[ann]]></dc:creator>\n\t\t<guid isPermaLink=\"false\">https://e.example/?p=1</guid>\n"
        "\t\t<description></description>\n"
        "\t\t<content:encoded><![CDATA[<p>[gallery ids=\"1,2\"]</p>\nsecond line]]></content:encoded>\n"
        "\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>\n\t\t<wp:post_id>1</wp:post_id>\n"
        "\t\t<wp:post_date><![CDATA[2020-01-02 03:04:05]]></wp:post_date>\n"
        "\t\t<wp:post_name><![CDATA[hello]]></wp:post_name>\n\t\t<wp:status><![CDATA[publish]]></wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n"
        "\t\t<wp:post_type><![CDATA[post]]></wp:post_type>\n\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n"
        "\t\t<category domain=\"category\" nicename=\"news\"><![CDATA[News]]></category>\n"
        "\t\t<wp:postmeta>\n\t\t\t<wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>\n"
        "\t\t\t<wp:meta_value><![CDATA[12]]></wp:meta_value>\n\t\t</wp:postmeta>\n"
        "\t\t<wp:comment>\n\t\t\t<wp:comment_id>3</wp:comment_id>\n"
        "\t\t\t<wp:comment_content><![CDATA[nice]]></wp:comment_content>\n\t\t</wp:comment>\n\t</item>\n")


# -- real exports -------------------------------------------------------------------------------------------


def test_every_real_export_reads_the_same_fast(corpus_dir, monkeypatch):
    fast = 0
    for path in sorted((corpus_dir / "wxr").glob("*.xml*")):
        data = path.read_bytes()
        if path.suffix == ".gz":
            import gzip
            data = gzip.decompress(data)
        fast += _same(data, monkeypatch)
    assert fast > 300  # most real items are of the plain shape


def test_the_bench_export_reads_the_same_fast(shared_dir, tmp_path, monkeypatch):
    make_corpus = shared_dir / "bench" / "make_corpus.py"
    if not make_corpus.is_file():
        pytest.skip(f"{make_corpus} is missing")
    subprocess.run([sys.executable, str(make_corpus), "--sizes", "1", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    data = (tmp_path / "corpus-1mb.wxr").read_bytes()
    assert _same(data, monkeypatch, chunk_sizes=(1 << 20, 65536)) >= data.count(b"<item>") - 2


def test_units_and_rewrites_are_the_same_fast(corpus_dir, tmp_path, monkeypatch):
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        results = []
        for fast in (False, True):
            monkeypatch.setattr(_ItemParser, "fast", fast)
            units = []
            for unit in UnitPlanner(path, unit_bytes=4096):
                try:
                    units.append([(_fields(p), dataclasses.astuple(r), last) for p, r, last in read_unit_ranges(unit)])
                except Unusual as exc:
                    units.append(exc.reason)
            out = tmp_path / f"out-{fast}.xml"
            try:
                rewrite_wxr(path, out, lambda p: dataclasses.replace(p, content=p.content + "!", excerpt="e"))
                written: "bytes | str" = out.read_bytes()
            except ShortcodesError as exc:
                written = str(exc)
            results.append((units, written))
        assert results[0] == results[1], path.name


# -- the plain shape and what is not -------------------------------------------------------------------------


def test_a_plain_item_is_read_fast_and_the_same(monkeypatch):
    assert _same(_export(ITEM, ITEM.replace("<wp:post_id>1", "<wp:post_id>2")), monkeypatch) == 2


@pytest.mark.parametrize("variant", [
    ("<title>Hello &amp; bye</title>", "<title>a &lt;&gt;&quot;&apos; &#233;&#x1F600; &#13;</title>"),
    ("]]></content:encoded>", "]]]]><![CDATA[> more ]]></content:encoded>"),  # WordPress's split of ]]>
    ("<content:encoded><![CDATA[", "<content:encoded>text <![CDATA["),
    ("<description></description>", "<description/>"),
    ("<description></description>", "<description a='1' b=\"2\">x</description>"),
    ("<wp:post_parent>0</wp:post_parent>", "<wp:post_parent>x7</wp:post_parent>"),  # _build_post's warning
    ("\t\t<description></description>\n", "\t\t<dc:bar>x</dc:bar>\n<baz><qux>1</qux> </baz>\n"),
    ("<title>Hello &amp; bye</title>", "<title>سلام naïve 😀</title>"),
    ("<excerpt:encoded><![CDATA[]]></excerpt:encoded>", "<excerpt:encoded><![CDATA[e\r\nf\rg]]></excerpt:encoded>"),
    ("<content:encoded>", "<content:encoded\n>"),
    ("<category domain=\"category\" nicename=\"news\">", "<category domain=\"tag\">"),
    ("\t<item>\n", "\t<item >\n"),
])
def test_variants_read_the_same(monkeypatch, variant):
    old, new = variant
    assert old in ITEM
    text = ITEM.replace(old, new)
    assert _same(_export(ITEM, text, ITEM), monkeypatch) == 3


@pytest.mark.parametrize("variant", [
    ("<description></description>", "<description><!-- c --></description>"),  # a comment
    ("<description></description>", "<?pi x?>"),
    ("<title>Hello &amp; bye</title>", "<title>Hello &nbsp; bye</title>"),  # an undefined entity: an error
    ("<title>Hello &amp; bye</title>", "<title>a &#0; b</title>"),
    ("<title>Hello &amp; bye</title>", "<title>a ]]> b</title>"),
    ("<title>Hello &amp; bye</title>", "<title>a <b>x</b></title>"),  # an element in a field: a warning
    ("<wp:post_id>1</wp:post_id>", "<wp:post_id>1</wp:post_id><wp:post_id>2</wp:post_id>"),  # a second field
    ("<description></description>", "<zz:x>1</zz:x>"),  # an undeclared prefix
    ("<description></description>", "<d xmlns:wp=\"http://evil.example/\"><wp:x/></d>"),
    ("<guid isPermaLink=\"false\">", "<guid isPermaLink=\"a&amp;b\">"),
    ("<guid isPermaLink=\"false\">", "<guid a=\"1\" a=\"2\">"),  # an error
    ("<description></description>", "<description a=\"1\" a=\"1\"/>"),
    ("<description></description>", "<wp:x xmlns:wp=\"http://evil.example/\"/>"),
    ("<wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>", ""),  # postmeta without a key: a warning
    ("<title>Hello &amp; bye</title>", "<title>a\x01b</title>"),  # a character XML forbids
    ("<title>Hello &amp; bye</title>", "<title>a\ufffeb</title>"),
    ("</wp:comment>", "</wp:commentx>"),  # not well-formed
    ("<wp:status>", "<wp:status><item>"),
    ("\t<item>\n", "\t<item xmlns:wp=\"http://wordpress.org/export/1.1/\">\n"),
])
def test_unusual_items_take_the_exact_reader(monkeypatch, variant):
    old, new = variant
    assert old in ITEM
    text = ITEM.replace(old, new)
    assert _same(_export(ITEM, text, ITEM), monkeypatch) <= 2  # the two plain neighbours at most
    monkeypatch.setattr(_ItemParser, "fast", True)
    parser = _ItemParser("x.xml", lambda w: None)
    try:
        parser.feed(_export(text), True)
    except Exception:  # noqa: BLE001 - errors are the exact reader's (checked above)
        pass
    assert parser.fast_items == 0


@pytest.mark.parametrize("head", [
    HEAD.replace('xmlns:wp="http://wordpress.org/export/1.2/"', 'xmlns:wp="http://evil.example/"'),
    HEAD.replace("<rss ", '<rss xmlns="http://other.example/" '),
    HEAD.replace("<channel>", "<channel><!-- <item> -->"),
    HEAD.replace("<channel>", "<channel><![CDATA[ <item><title>x</title></item> ]]>"),
    HEAD.replace("<channel>", "<channel><foo>"),
    HEAD.replace("<channel>", ""),
])
def test_items_in_odd_places_are_the_exact_readers(monkeypatch, head):
    tail = "</foo>" if "<foo>" in head else ""
    data = (head + ITEM + tail + TAIL).encode("utf-8")
    _same(data, monkeypatch)


def test_crlf_and_latin_1_exports(monkeypatch):
    text = (HEAD + ITEM + ITEM + TAIL).replace("\n", "\r\n")
    assert _same(text.encode("utf-8"), monkeypatch) == 2
    latin = HEAD.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"') + ITEM.replace("bye", "b\xe9") + TAIL
    assert _same(latin.encode("latin-1"), monkeypatch) == 0  # only UTF-8 is read fast


def test_a_long_export_cut_in_chunks_everywhere(monkeypatch):
    rng = random.Random(7)
    words = ["سلام", "naïve", "[gallery]", "&amp;", "]]>", "x\r\ny", "<p>a</p>", "\t"]
    items = [{"id": i, "title": rng.choice(words[:4] + words[5:]), "content": " ".join(rng.choice(words) for _ in range(20)),
              "excerpt": rng.choice(["", "e]]>"])} for i in range(40)]
    data = make_wxr(items).encode("utf-8")
    assert _same(data, monkeypatch, chunk_sizes=(1 << 20, 1000, 333, 64)) == 40


def test_templates_read_the_same_as_the_scan(monkeypatch):
    """Items of one shape are read by a template after two of them; items that differ in one place (and the
    same shape with text a template does not take) are read the same."""
    twins = [ITEM.replace("<wp:post_id>1", f"<wp:post_id>{i}") for i in range(6)]
    odd = [ITEM.replace("<title>Hello &amp; bye</title>", "<title>a ] b</title>"),
           ITEM.replace("<wp:post_parent>0</wp:post_parent>", "<wp:post_parent/>"),
           ITEM.replace("<description></description>", "<description a=\"1\" a=\"1\"></description>"),
           ITEM.replace("<dc:creator><![CDATA[ann]]></dc:creator>", "<dc:creator><![CDATA[a]]>b</dc:creator>"),
           ITEM.replace("<wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>", "<wp:meta_key/>"),
           ITEM.replace("<wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>", ""),
           ITEM.replace('nicename="news"', 'nicename="n" nicename="m"'),
           ITEM.replace('nicename="news"', 'x="1"'),
           ITEM.replace("second line", "second\r\nline\rthird é"),
           ITEM.replace("</content:encoded>", "</content:encoded >")]
    for one in odd:
        _same(_export(*twins, one, *twins), monkeypatch, chunk_sizes=(1 << 20,))
    assert _same(_export(*twins, *twins), monkeypatch) == 12


# -- generated items -----------------------------------------------------------------------------------------

_TEXT = st.lists(st.sampled_from(list("ab <>&;#x]\r\n\t\"'é😀\x01") + [
    "&amp;", "&lt;", "&#233;", "&#x1F600;", "&#0;", "&nbsp;", "]]>", "<![CDATA[", "&#13;"]), max_size=12).map("".join)
_NAME = st.sampled_from(["title", "wp:post_id", "wp:post_parent", "content:encoded", "excerpt:encoded", "dc:creator",
                         "wp:post_type", "guid", "link", "wp:status", "category", "foo", "zz:x", "wp:postmeta",
                         "wp:meta_key", "wp:meta_value", "xml:lang", "p:q", "wp:comment", "item"])


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@st.composite
def _element(draw, depth: int = 0) -> str:
    name = draw(_NAME)
    attrs = "".join(draw(st.lists(st.sampled_from([' domain="category"', ' nicename="n"', " a='1'", ' a="&amp;"',
                                                   ' xmlns:wp="http://wordpress.org/export/1.1/"', ' b="x\ty"']),
                                  max_size=2)))
    kind = draw(st.sampled_from(["cdata", "text", "mixed", "empty", "children", "comment"] if depth < 2
                                else ["cdata", "text", "empty"]))
    ws = draw(st.sampled_from(["", "\n\t\t", " ", "\r\n"]))
    if kind == "empty":
        return f"{ws}<{name}{attrs}/>"
    if kind == "cdata":
        body = _cdata(draw(_TEXT))
    elif kind == "text":
        body = draw(_TEXT)
    elif kind == "mixed":
        body = draw(_TEXT) + _cdata(draw(_TEXT)) + draw(_TEXT)
    elif kind == "comment":
        body = "<!-- " + draw(_TEXT).replace("-", "") + " -->"
    else:
        body = "".join(draw(st.lists(_element(depth + 1), max_size=3))) + ws
    return f"{ws}<{name}{attrs}>{body}</{name}>"


@st.composite
def _item(draw) -> str:
    children = draw(st.lists(st.one_of(_element(), st.sampled_from(ITEM.splitlines(keepends=True)[1:-1])),
                             max_size=8))
    return "\t<item>" + "".join(children) + "\n\t</item>\n"


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          deadline=None)
@given(items=st.lists(_item(), min_size=1, max_size=3), plain=st.booleans())
def test_generated_items_read_the_same(monkeypatch, items, plain):
    parts = [ITEM] * 3 + items * 3 + [ITEM] if plain else items * 3  # shapes seen twice get a template
    _same(_export(*parts), monkeypatch, chunk_sizes=(1 << 20, 101))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          deadline=None)
@given(seed=st.integers(0, 2**32 - 1), cuts=st.integers(1, 4))
def test_mutated_items_read_the_same(monkeypatch, seed, cuts):
    rng = random.Random(seed)
    data = bytearray(_export(ITEM, ITEM, ITEM, ITEM))
    start = data.index(b"<item>")
    junk = [b"<", b">", b"&", b"]]>", b"<![CDATA[", b"</", b"\r\n", b"\x00", b"\xc3", b"\xef\xbf\xbe", b" x=\"1\"",
            b"<!--", b"-->", b"<wp:x/>", b"&amp;", b"&#1;", b"'", b'"', b"/", b"=", b"\n"]
    for _ in range(cuts):
        at = rng.randrange(start, len(data) - len(TAIL))
        if rng.random() < 0.3:
            del data[at:at + rng.randint(1, 8)]
        else:
            data[at:at] = rng.choice(junk)
    _same(bytes(data), monkeypatch, chunk_sizes=(1 << 20, 89))
