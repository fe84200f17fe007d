"""Byte-range units (issue 11): the plan, one unit's reading, and convert --jobs N by units, against the
sequential reader and --jobs 1, on the real exports and on exports broken on purpose."""
from __future__ import annotations

import dataclasses
import datetime
import random
from pathlib import Path

import pytest
from hostile_xml import BILLION_LAUGHS, EXTERNAL_ENTITY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wxr_kit import make_wxr

from shortcodes.common.errors import ShortcodesError
from shortcodes.exports.wxr import read_wxr
from shortcodes.exports.wxr import units as wxr_units
from shortcodes.exports.wxr.units import UnitPlanner, Unusual, read_unit
from shortcodes.jobs.convert import ConvertOptions, convert
from shortcodes.jobs.converter import Converter
from shortcodes.jobs.units import convert_unit


def _fields(post) -> tuple:
    """Every field of a post, the ones equality leaves out (positions, anchors) included."""
    return tuple(getattr(post, f.name) for f in dataclasses.fields(post))


def _by_units(path: Path, unit_bytes: int) -> "tuple[list | None, str | None]":
    planner = UnitPlanner(path, unit_bytes=unit_bytes)
    posts: list = []
    for unit in planner:
        try:
            posts.extend(read_unit(unit))
        except Unusual as exc:
            return None, exc.reason
    if planner.unusual is not None:
        return None, planner.unusual.reason
    return posts, None


def _sequential(path: Path) -> "list | None":
    try:
        return list(read_wxr(path, on_warning=lambda w: None))
    except ShortcodesError:
        return None


def _items(n: int, rng: random.Random) -> list[dict]:
    words = ["سلام", "naïve", "[gallery ids=”1,2”]", "[caption]x[/caption]", "&amp;", "]]>", "x\r\ny", "<p>a</p>"]
    return [{"id": i + 1, "title": f"t{i} {rng.choice(words[:5])}", "date": "2021-10-10 09:00:00",
             "content": " ".join(rng.choice(words) for _ in range(rng.randint(0, 30))),
             "excerpt": rng.choice(["", "[gallery]", "e"])} for i in range(n)]


# -- the plan and one unit ------------------------------------------------------------------------


@pytest.mark.parametrize("unit_bytes", [1, 4096, wxr_units.UNIT_BYTES])
def test_units_read_every_real_export_as_the_sequential_reader_does(corpus_dir, unit_bytes):
    usual = 0
    for path in sorted((corpus_dir / "wxr").iterdir()):
        posts, why = _by_units(path, unit_bytes)
        if posts is None:
            continue
        usual += 1
        ref = _sequential(path)
        assert ref is not None, f"{path.name}: the units read a file the reader refuses"
        assert [_fields(p) for p in posts] == [_fields(p) for p in ref], path.name
    assert usual >= 50  # most real exports take the fast path


def test_a_small_export_is_one_unit(tmp_path):
    path = tmp_path / "a.xml"
    path.write_text(make_wxr(_items(20, random.Random(1))), encoding="utf-8")
    planner = UnitPlanner(path)
    units = list(planner)
    assert planner.unusual is None and len(units) == 1
    first = next(read_wxr(path))
    assert (units[0].index, units[0].items, units[0].line, units[0].column) == (0, 20, 8, 2)
    assert (first.source_line, first.source_column) == (8, 2)
    assert planner.items == 20


def test_a_unit_is_a_pure_function_of_the_bytes(tmp_path):
    path = tmp_path / "a.xml"
    path.write_text(make_wxr(_items(30, random.Random(2))), encoding="utf-8")
    units = list(UnitPlanner(path, unit_bytes=500))
    assert len(units) > 3
    data = path.read_bytes()
    for unit in units:
        a = read_unit(unit)
        b = read_unit(unit, data[unit.start:unit.end])  # the bytes from elsewhere (a range read)
        assert [_fields(p) for p in a] == [_fields(p) for p in b]
    with pytest.raises(Unusual):
        read_unit(units[1], data[units[1].start:units[1].end - 1])
    conv = Converter(ConvertOptions(mode="normalize", tags=("gallery",)))
    res = convert_unit(conv, units[2])
    assert res.unusual is None and [p.content for p in res.posts] == [""] * units[2].items
    assert [r.content for r in res.results] == [conv.convert_post(p).content for p in read_unit(units[2])]


_MUTATIONS = {
    "duplicate field": lambda t: t.replace("<wp:post_type>post</wp:post_type>",
                                           "<wp:post_type>post</wp:post_type><wp:post_type>x</wp:post_type>", 1),
    "hijacked prefix": lambda t: t.replace("<item>", '<item xmlns:wp="http://example.com/">', 1),
    "undeclared prefix": lambda t: t.replace("<title>", "<foo:bar>1</foo:bar><title>", 1),
    "bad number": lambda t: t.replace("<wp:post_id>", "<wp:post_parent>x1</wp:post_parent><wp:post_id>", 1),
    "element in a field": lambda t: t.replace("<title>", "<title><b>x</b>", 1),
    "malformed item": lambda t: t.replace("</title>", "</titel>", 1),
    "malformed channel": lambda t: t.replace("\t<item>", "\t<oops>\n\t<item>", 1),
    "nested item": lambda t: t.replace("<title>", "<item><title>x</title></item><title>", 1),
    "unclosed item": lambda t: t.replace("</item>", "", 1),
    "stray close": lambda t: t.replace("\t<item>", "\t</item>\n\t<item>", 1),
    "item in a comment": lambda t: t.replace("\t<item>", "\t<!-- <item> -->\n\t<item>", 1),
    "item in a PI": lambda t: t.replace("\t<item>", "\t<?pi <item> ?>\n\t<item>", 1),
    "close in CDATA": lambda t: t.replace("<![CDATA[", "<![CDATA[</item><item>", 1),
    "item not an item": lambda t: t.replace("<item>", '<item xmlns="http://example.com/">', 1),
    "item deeper": lambda t: t.replace("\t<item>", "\t<group><item>", 1).replace("</item>", "</item></group>", 1),
    "item outside the channel": lambda t: t.replace("</channel>", "</channel><item><title>x</title></item>"),
    "self-closing item": lambda t: t.replace("\t<item>", "\t<item/>\n\t<item>", 1),
    "form feed between items": lambda t: t.replace("</item>\n\t<item>", "</item>\n\x0c<item>", 3),
    "two items on a line": lambda t: t.replace("</item>\n\t<item>", "</item><item>", 1),
    "CRLF": lambda t: t.replace("\n", "\r\n"),
    "CR": lambda t: t.replace("\n", "\r"),
    "non-ASCII before an item": lambda t: t.replace("\n\t<item>", "\n é<item>", 2),
    "no version": lambda t: t.replace("<wp:wxr_version>1.2</wp:wxr_version>", ""),
    "one line": lambda t: t.replace("\n", " "),
    "a BOM": lambda t: "\ufeff" + t,
    "latin-1": lambda t: t.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
    "DOCTYPE": lambda t: t.replace("<rss", "<!DOCTYPE rss>\n<rss", 1),
    "not rss": lambda t: t.replace("<rss", "<rsx", 1).replace("</rss>", "</rsx>"),
    "namespace on the channel": lambda t: t.replace("<channel>", '<channel xmlns:dc="http://purl.org/dc/elements/1.1/">'),
    "empty namespace": lambda t: t.replace("<channel>", '<channel xmlns:x="">'),
    "channel after items": lambda t: t.replace("</channel>", "<wp:base_site_url>u</wp:base_site_url></channel>"),
    "truncated": lambda t: t[: len(t) * 2 // 3],
}


def _events(path: Path, jobs: int, to: str = "jsonl", options: "ConvertOptions | None" = None, **kw) -> tuple:
    """Everything a run says, in order: warnings, per-post problems, the error, the output bytes."""
    events: list = []
    out = path.with_name(f"out-{jobs}.{to}")
    if options is None:
        options = ConvertOptions(mode="render", tags=("gallery", "caption"))
    try:
        report = convert([path], out, to=to, jobs=jobs, options=options,
                         on_post=lambda p, r: events.append(("post", p.id, p.source_line, [str(x) for x in r.problems])),
                         on_warning=lambda w: events.append(("warning", str(w))), **kw)
        result = ("ok", report.summary(), report.exit_status)
    except ShortcodesError as exc:
        result = ("error", type(exc).__name__, str(exc))
    data = out.read_bytes() if out.is_file() else None
    if out.is_file():
        out.unlink()
    return events, result, data


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_jobs_give_the_output_and_messages_of_jobs_1_on_broken_exports(tmp_path, monkeypatch, mutation):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 700)
    path = tmp_path / "site.xml"
    text = _MUTATIONS[mutation](make_wxr(_items(12, random.Random(mutation))))
    path.write_bytes(text.encode("latin-1", "replace") if mutation == "latin-1" else text.encode("utf-8"))
    reference = _events(path, 1)
    for jobs in (2, 3):
        assert _events(path, jobs) == reference, (mutation, jobs)


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_hostile_xml_is_refused_the_same_way(tmp_path, doc):
    path = tmp_path / "evil.xml"
    path.write_text(doc, encoding="utf-8")
    ref = _events(path, 1)
    assert ref[1][0] == "error"
    assert _events(path, 2) == ref


@pytest.mark.parametrize("to", ["jsonl", "wxr"])
def test_a_warning_deep_in_a_large_export_comes_where_jobs_1_says_it(tmp_path, monkeypatch, to):
    """The sequential reader reads 1 MB at a time and reports a chunk's warnings before the posts that
    end in it; units must not have committed those posts already."""
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 64 << 10)
    rng = random.Random(5)
    items = _items(1, rng)
    big = "x" * 3000 + " [gallery ids=”1”] "
    items = [{"id": i + 1, "content": big + str(i), "date": "2021-10-10 09:00:00"} for i in range(1400)]
    text = make_wxr(items)
    for at in (300, 350, 700, 1100):  # warnings in several chunks, at various places in them
        marker = f"<wp:post_id>{at}</wp:post_id>"
        text = text.replace(marker, marker + f"<wp:post_id>{at}</wp:post_id>", 1)
    path = tmp_path / "big.xml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 4 * wxr_units.CHUNK_SIZE
    reference = _sequential_events(monkeypatch, path, to)
    assert sum(1 for e in reference[0] if e[0] == "warning") == 4
    assert _events(path, 1, to=to) == reference
    assert _events(path, 2, to=to) == reference


@pytest.mark.parametrize("to", ["jsonl", "wxr"])
def test_an_error_deep_in_a_large_export_is_the_same(tmp_path, monkeypatch, to):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 64 << 10)
    items = [{"id": i + 1, "content": "y" * 2500 + f" [caption]{i}[/caption]"} for i in range(1000)]
    text = make_wxr(items).replace("<wp:post_id>777</wp:post_id>", "<wp:post_id>777</wp:post_ix>")
    path = tmp_path / "broken.xml"
    path.write_text(text, encoding="utf-8")
    reference = _sequential_events(monkeypatch, path, to)
    assert reference[1][0] == "error" and ":" in reference[1][2]
    assert _events(path, 1, to=to) == reference
    assert _events(path, 2, to=to) == reference


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), cuts=st.lists(st.integers(0, 10**6), max_size=3),
       unit_bytes=st.sampled_from([1, 300, 2000]), junk=st.sampled_from(["<", "]]>", "&", "</item>", "<item>",
                                                                       "\r", "é", "<!--", "<![CDATA[", "\x00", ""]))
def test_mutated_exports_property(tmp_path_factory, seed, cuts, unit_bytes, junk):
    """Random bytes spliced into a generated export: units give the sequential posts or step aside."""
    rng = random.Random(seed)
    text = make_wxr(_items(rng.randint(0, 15), rng))
    for c in cuts:
        at = c % (len(text) + 1)
        text = text[:at] + junk + text[at:]
    path = tmp_path_factory.mktemp("m") / "m.xml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass") if "\x00" not in junk else \
        path.write_bytes(text.encode("utf-8"))
    posts, _ = _by_units(path, unit_bytes)
    if posts is not None:
        ref = _sequential(path)
        assert ref is not None
        assert [_fields(p) for p in posts] == [_fields(p) for p in ref]


def test_jobs_on_every_real_export(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 20_000)
    for src in sorted((corpus_dir / "wxr").iterdir()):
        path = tmp_path / src.name
        path.write_bytes(src.read_bytes())
        reference = _events(path, 1)
        assert _events(path, 2) == reference, src.name
        every = ConvertOptions(mode="render")  # every known tag: the workers share the card's renderings
        reference = _events(path, 1, options=every)
        for jobs in (2, 3):
            assert _events(path, jobs, options=every) == reference, (src.name, jobs)


def test_workers_share_their_memo_of_pure_renderings(tmp_path):
    """What one copy of a renderer memoised (``memo_log``) another copy takes (``remember``) and then
    gives from memory, the same HTML, diagnostics and styles; a ``--jobs 3`` run with the card in every
    post renders it in fewer places than three processes would alone, with the output of ``--jobs 1``."""
    from shortcodes.jobs import units as job_units

    text = '[covid19-ultimate-card country="AE" date="2020-06-30"] and [covid19-ultimate-card country="ZZ"]'
    a = Converter(ConvertOptions(mode="render"))
    a.renderer.memo_log = log = []
    first = a.renderer.render_result(text)
    assert len(log) >= 1
    b = Converter(ConvertOptions(mode="render"))
    b.renderer.remember(log)
    b.renderer.memo_log = again = []
    second = b.renderer.render_result(text)
    assert again == [] and (second.html, second.diagnostics, second.counts) == (first.html, first.diagnostics,
                                                                              first.counts)
    made: list = []
    real = job_units.UnitPool.learn
    path = tmp_path / "cards.xml"
    # 100 renderings, each again every 100 posts (~16 units: more than the 8 units a pool of 3 has in flight,
    # so a unit is submitted once the units before it that rendered the same card have come back)
    days = [(datetime.date(2020, 4, 1) + datetime.timedelta(days=d)).isoformat() for d in range(100)]
    path.write_text(make_wxr([{"id": i + 1, "title": f"t{i}", "date": "2021-10-10 09:00:00",
                               "content": f'<p>{i}</p> [covid19-ultimate-card country="AE" date="{days[i % 100]}"]'}
                              for i in range(600)]), encoding="utf-8")
    every = ConvertOptions(mode="render")
    reference = _events(path, 1, options=every)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(wxr_units, "UNIT_BYTES", 2000)
        mp.setattr(job_units.UnitPool, "learn", lambda self, res: made.append(len(res.memo)) or real(self, res))
        assert _events(path, 3, options=every) == reference
    assert len(made) > 60 and 100 <= sum(made) < 150, made  # alone, each of the 3 would render about all 100


def test_jobs_2_converts_a_clean_export_by_units(tmp_path, monkeypatch):
    from shortcodes.jobs import units as job_units

    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 2000)
    submitted: list = []
    real = job_units.UnitPool.submit
    monkeypatch.setattr(job_units.UnitPool, "submit", lambda self, unit, *a: submitted.append(unit) or real(self, unit, *a))
    path = tmp_path / "site.xml"
    path.write_text(make_wxr(_items(40, random.Random(9))), encoding="utf-8")
    reference = _events(path, 1)
    assert _events(path, 2) == reference
    assert len(submitted) > 5 and sum(u.items for u in submitted) == 40
    assert [u.index for u in submitted] == sorted(u.index for u in submitted)


@pytest.mark.parametrize("to", ["jsonl", "wxr"])
def test_jobs_plan_each_export_once(tmp_path, monkeypatch, to):
    """In render mode the plan made for the site model is the conversion's too: one scan of the export."""
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 2000)
    scans: list = []
    real = UnitPlanner._plan
    monkeypatch.setattr(UnitPlanner, "_plan", lambda self: scans.append(self.path) or real(self))
    path = tmp_path / "site.xml"
    path.write_text(make_wxr(_items(40, random.Random(4))), encoding="utf-8")
    reference = _events(path, 1, to=to)
    scans.clear()
    assert _events(path, 2, to=to) == reference
    assert scans == [str(path)]


def test_a_plan_of_a_file_changed_since_is_not_used(tmp_path, monkeypatch):
    """:func:`convert_export` with the plan of a file that changed since (another size, time or inode)
    plans it again: the output is the new file's."""
    from shortcodes.jobs.outputs.jsonl import record_line
    from shortcodes.jobs.units import UnitPool, convert_export

    path = tmp_path / "site.xml"
    path.write_text(make_wxr(_items(30, random.Random(5))), encoding="utf-8")
    planner = UnitPlanner(path, unit_bytes=1500)
    plan = planner.complete(list(planner))
    assert plan is not None and len(plan.units) > 3 and plan.current() and plan.verified == path.stat().st_size
    conv = Converter(ConvertOptions(mode="render", tags=("gallery", "caption")))

    def lines() -> list:
        return [extra for _, _, extra in convert_export(str(path), conv, UnitPool(conv, 1), replay=lambda n: iter(()),
                                                        finish=record_line, plan=plan, unit_bytes=1500)]

    before = lines()
    assert len(before) == 30
    path.write_text(make_wxr(_items(31, random.Random(6))), encoding="utf-8")
    assert not plan.current()
    after = lines()
    assert len(after) == 31 and after != before
    bad = tmp_path / "bad.xml"
    bad.write_text(make_wxr(_items(3, random.Random(7))).replace("</item>", "", 1), encoding="utf-8")
    broken = UnitPlanner(bad, unit_bytes=100)
    assert broken.complete(list(broken)) is None and broken.unusual is not None


def _sequential_events(monkeypatch, path: Path, to: str) -> tuple:
    """:func:`_events` of ``--jobs 1`` with the units turned off: the sequential reader and rewriter."""
    from shortcodes.jobs.outputs import Run

    with monkeypatch.context() as m:
        m.setattr(Run, "by_units", lambda self, path, one_process=False: False)
        return _events(path, 1, to=to)


def _site(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("mutation", ["none", "duplicate field", "malformed item", "CRLF"])
def test_html_sites_are_the_same_for_every_jobs(tmp_path, monkeypatch, mutation):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 900)
    path = tmp_path / "site.xml"
    text = make_wxr(_items(25, random.Random(mutation)))
    path.write_text(text if mutation == "none" else _MUTATIONS[mutation](text), encoding="utf-8")
    sites, said = [], []
    for jobs in (1, 2, 3):
        events: list = []
        out = tmp_path / f"site{jobs}"
        try:
            report = convert([path], out, to="html", jobs=jobs,
                             on_post=lambda p, r, events=events: events.append((p.id, [str(x) for x in r.problems])),
                             on_warning=lambda w, events=events: events.append(str(w)))
            events.append(report.summary())
        except ShortcodesError as exc:
            events.append(str(exc))
        sites.append(_site(out) if out.is_dir() else None)
        said.append(events)
    assert sites[0] == sites[1] == sites[2] and said[0] == said[1] == said[2]


@pytest.mark.parametrize("to", ["html", "markdown"])
def test_site_outputs_by_units_keep_featured_images_and_alt_texts(corpus_dir, tmp_path, monkeypatch, to):
    """The theme's export (featured images, attachments with alt texts) in 16 KB units: the posts that
    come back from the workers keep their custom fields (``_thumbnail_id``, ``_wp_attachment_image_alt``),
    which the site outputs read, so ``--jobs 2`` writes the site of ``--jobs 1``."""
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 1 << 14)
    src = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    if not src.is_file():
        pytest.skip(f"{src} is missing")
    sites = []
    for jobs in (1, 2):
        out = tmp_path / f"site{jobs}"
        convert([src], out, to=to, jobs=jobs, flavor="jekyll", options=ConvertOptions(as_of="2021-10-10"))
        sites.append(_site(out))
    assert sites[0] == sites[1]
    featured = [text for text in sites[0].values() if b"featured-image-horizontal.jpg" in text]
    assert len(featured) >= 2  # the post that has it as its featured image, and more


@pytest.mark.parametrize("mutation", ["none", "duplicate field", "malformed item", "CRLF", "no version",
                                      "item not an item", "close in CDATA"])
def test_wxr_rewrites_are_the_same_for_every_jobs(tmp_path, monkeypatch, mutation):
    from shortcodes.jobs import units as job_units

    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 900)
    submitted: list = []
    real = job_units.UnitPool.submit
    monkeypatch.setattr(job_units.UnitPool, "submit", lambda self, unit, *a: submitted.append(unit) or real(self, unit, *a))
    path = tmp_path / "site.xml"
    text = make_wxr(_items(25, random.Random(mutation)))
    path.write_text(text if mutation == "none" else _MUTATIONS[mutation](text), encoding="utf-8")
    reference = _sequential_events(monkeypatch, path, "wxr")
    if mutation == "none":
        assert reference[2] is not None and reference[2] != path.read_bytes()  # posts changed
    for jobs in (1, 2, 3):
        assert _events(path, jobs, to="wxr") == reference, (mutation, jobs)
    assert submitted  # the units were tried (and, when they saw something unusual, the sequential path taken)


def test_wxr_by_units_on_every_real_export(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 20_000)
    changed = 0
    for src in sorted((corpus_dir / "wxr").iterdir()):
        path = tmp_path / src.name
        path.write_bytes(src.read_bytes())
        reference = _sequential_events(monkeypatch, path, "wxr")
        changed += reference[2] is not None and reference[2] != src.read_bytes()
        assert _events(path, 1, to="wxr") == reference, src.name
        assert _events(path, 2, to="wxr") == reference, src.name
    assert changed >= 5


@pytest.mark.parametrize("mutation", ["none", "duplicate field", "malformed item", "unclosed item", "no version",
                                      "bad number"])
def test_the_posts_path_says_things_where_jobs_1_does(tmp_path, mutation):
    """Inputs that are not split into units (here: gzip) are read ahead of their conversion on processes;
    warnings, a failed input and its error still come where --jobs 1 puts them."""
    import gzip

    text = make_wxr(_items(60, random.Random(mutation)))
    path = tmp_path / "site.xml.gz"
    path.write_bytes(gzip.compress((text if mutation == "none" else _MUTATIONS[mutation](text)).encode("utf-8")))
    reference = _events(path, 1)
    for jobs in (2, 3):
        assert _events(path, jobs) == reference, (mutation, jobs)


def test_a_folder_with_a_broken_export_says_things_where_jobs_1_does(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, mutation in (("a.xml", "none"), ("b.xml", "malformed item"), ("c.xml", "duplicate field")):
        text = make_wxr(_items(30, random.Random(name)))
        (folder / name).write_text(text if mutation == "none" else _MUTATIONS[mutation](text), encoding="utf-8")
    reference = _events(folder, 1)
    assert any("error" in str(e) for e in reference[0]) or reference[1][0] == "ok"
    for jobs in (2, 3):
        assert _events(folder, jobs) == reference, jobs


def test_small_exports_are_shared_out_by_posts_on_processes(tmp_path, monkeypatch):
    from shortcodes.jobs import units as job_units

    submitted: list = []
    real = job_units.UnitPool.submit
    monkeypatch.setattr(job_units.UnitPool, "submit", lambda self, unit, *a: submitted.append(unit) or real(self, unit, *a))
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"s{i}.xml")
        paths[-1].write_text(make_wxr(_items(10, random.Random(i))), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    convert(paths, out, to="jsonl", jobs=2)
    one = out.read_bytes()
    convert(paths, out, to="jsonl", jobs=1)
    assert out.read_bytes() == one and not submitted  # each is smaller than a unit per process


# -- a unit's posts summed up in the worker (no on_post: --to jsonl gets only lines and reports back) ---------


def _said(path: Path, jobs: int, options: "ConvertOptions | None" = None, **kw) -> tuple:
    """What a run without ``on_post`` says, in order (warnings, each post's problems and notes), its report
    in full, its error and its output bytes: with ``jobs`` > 1 its units come back summed up."""
    events: list = []
    out = path.with_name(f"said-{jobs}.jsonl")
    if options is None:
        options = ConvertOptions(mode="render", tags=("gallery", "caption"))
    try:
        r = convert([path], out, to="jsonl", jobs=jobs, options=options,
                    on_problem=lambda p: events.append(("problem", str(p))),
                    on_warning=lambda w: events.append(("warning", str(w))), **kw)
        result = ("ok", r.summary(), r.exit_status, r.posts_read, r.posts_converted, r.posts_written,
                  r.posts_changed, r.posts_failed, r.posts_with_problems, r.counts, [str(p) for p in r.problems],
                  r.problem_count, r.error_count, r.warning_count, [str(w) for w in r.read_warnings],
                  [str(f) for f in r.input_failures], r.notes)
    except ShortcodesError as exc:
        result = ("error", type(exc).__name__, str(exc))
    data = out.read_bytes() if out.is_file() else None
    if out.is_file():
        out.unlink()
    return events, result, data


def _count_batches(monkeypatch) -> list:
    from shortcodes.jobs.outputs import Run

    seen: list = []
    real = Run.step_batch
    monkeypatch.setattr(Run, "step_batch", lambda self, batch: seen.append(batch.count) or real(self, batch))
    return seen


def test_batches_on_every_real_export(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 20_000)
    seen = _count_batches(monkeypatch)
    for src in sorted((corpus_dir / "wxr").iterdir()):
        path = tmp_path / src.name
        path.write_bytes(src.read_bytes())
        for options in (None, ConvertOptions(mode="render"), ConvertOptions(mode="render", statuses=("draft",)),
                        ConvertOptions(mode="normalize", post_types=("page", "nothing"))):
            reference = _said(path, 1, options=options)
            for jobs in (2, 3):
                assert _said(path, jobs, options=options) == reference, (src.name, jobs, options)
            # the per-post path (on_post) says the same
            assert _events(path, 2, options=options)[2] == reference[2]
    assert seen and sum(seen) > 100


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_batches_on_broken_exports(tmp_path, monkeypatch, mutation):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 2000)
    text = _MUTATIONS[mutation](make_wxr(_items(40, random.Random(mutation))))
    path = tmp_path / "site.xml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    reference = _said(path, 1)
    for jobs in (2, 3):
        assert _said(path, jobs) == reference, (mutation, jobs)


def test_batches_are_used_without_on_post_only(tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 2000)
    seen = _count_batches(monkeypatch)
    path = tmp_path / "site.xml"
    path.write_text(make_wxr(_items(40, random.Random(3))), encoding="utf-8")
    reference = _said(path, 1)
    assert not seen
    assert _events(path, 2)[2] == reference[2] and not seen  # on_post: each post comes back
    assert _said(path, 2) == reference
    assert len(seen) > 5 and sum(seen) == 40


def test_batches_say_a_deep_warning_and_error_where_jobs_1_does(tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 64 << 10)
    big = "x" * 3000 + " [gallery ids=”1”] "
    text = make_wxr([{"id": i + 1, "content": big + str(i), "date": "2021-10-10 09:00:00"} for i in range(1400)])
    for at in (300, 1100):
        marker = f"<wp:post_id>{at}</wp:post_id>"
        text = text.replace(marker, marker + marker, 1)
    path = tmp_path / "big.xml"
    path.write_text(text, encoding="utf-8")
    reference = _said(path, 1)
    assert sum(1 for e in reference[0] if e[0] == "warning") == 2
    assert _said(path, 2) == reference
    path.write_text(text.replace("<wp:post_id>777</wp:post_id>", "<wp:post_id>777</wp:post_ix>"), encoding="utf-8")
    reference = _said(path, 1)
    assert reference[1][0] == "error"
    assert _said(path, 2) == reference


def test_warming_a_converter_changes_nothing_it_gives(corpus_dir):
    """``Converter.warm`` (run in the parent before the workers fork) converts a post with every known tag
    and drops it: the warmed converter gives what a fresh one gives."""
    from shortcodes.exports.wxr import read_wxr

    src = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    posts = list(read_wxr(src, on_warning=lambda w: None))[:120]
    options = ConvertOptions(mode="render")
    warmed = Converter(options)
    warmed.warm()
    fresh = Converter(options)
    assert [warmed.convert_post(p) for p in posts] == [fresh.convert_post(p) for p in posts]
    Converter(ConvertOptions(mode="keep")).warm()  # nothing to load



class _Recorder:
    """A ``submit`` for :func:`~shortcodes.jobs.parallel.in_order`: futures that finish when their result is
    asked for, and how many were in flight (submitted, not taken) as each one was submitted."""

    def __init__(self) -> None:
        self.futures: list = []
        self.taken = 0
        self.in_flight: list[int] = []

    def __call__(self, task: int):
        from concurrent.futures import Future

        class Lazy(Future):
            def result(self, timeout=None):
                if not self.done():
                    self.set_result(task * 10)
                return super().result(timeout)

        future = Lazy()
        self.futures.append(future)
        self.in_flight.append(len(self.futures) - self.taken)
        return future


@given(st.integers(0, 40), st.integers(1, 4), st.integers(1, 45))
def test_in_order_keeps_the_order_and_a_window_and_cancels_what_is_left(n: int, workers: int, stop: int) -> None:
    """Results in task order; at most the window (plus the one just submitted) in flight; ``when_busy`` once,
    before the first result (when the window fills, or after the last task); closing early cancels the rest."""
    from shortcodes.jobs.parallel import in_order, window_of

    submit, busy = _Recorder(), []
    results = in_order(submit, iter(range(n)), workers, when_busy=lambda: busy.append(len(submit.futures)))
    got = []
    for value in results:
        assert busy, "when_busy comes before the first result"
        got.append(value)
        submit.taken += 1
        if len(got) == stop:
            results.close()
            break
    window = window_of(workers)
    assert got == [10 * i for i in range(min(n, stop))]
    assert busy == [min(n, window)]
    assert max(submit.in_flight, default=0) <= window + 1
    assert all(f.cancelled() for f in submit.futures[len(got):])
