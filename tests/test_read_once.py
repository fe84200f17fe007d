"""One read of a small export on one process (issue 11): the site pass keeps its posts and what the reader
said (``shortcodes.jobs.sites.KeptRead``), and the conversion takes them instead of reading the file again.

Checked against reading twice (``READ_ONCE_BYTES`` set below every file) on every real export and on
exports broken on purpose: the same warnings, per-post problems, errors and output bytes, in the same
order; and the file is read once when it may be.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_units import _MUTATIONS, _events, _fields, _items
from wxr_kit import make_wxr

from shortcodes.common.errors import ShortcodesError
from shortcodes.exports.problems import ReadWarning
from shortcodes.exports.site import read_site
from shortcodes.exports.wxr import WxrReader
from shortcodes.jobs import inputs as job_inputs
from shortcodes.jobs import sites as job_sites
from shortcodes.jobs.convert import ConvertOptions
from shortcodes.jobs.sites import KeptRead, read_site_keeping


def _reads(monkeypatch) -> list:
    """The paths the conversion reads itself (``read_posts`` in ``Inputs.read_one``), recorded."""
    calls: list = []
    real = job_inputs.read_posts

    def spy(paths, **kw):
        calls.append([str(p) for p in paths])
        return real(paths, **kw)

    monkeypatch.setattr(job_inputs, "read_posts", spy)
    return calls


def _both(path: Path, monkeypatch, **kw) -> tuple:
    """``_events`` read once (the default), and read twice (nothing fits); and how many times each run's
    conversion read ``path`` itself."""
    calls = _reads(monkeypatch)
    once = _events(path, 1, **kw)
    read_once = sum(str(path) in c for c in calls)
    calls.clear()
    with monkeypatch.context() as mp:
        mp.setattr(job_sites, "READ_ONCE_BYTES", -1)
        twice = _events(path, 1, **kw)
    return once, twice, read_once, sum(str(path) in c for c in calls)


def test_read_site_keeping_is_read_site_and_the_reader(corpus_dir):
    for src in sorted((corpus_dir / "wxr").iterdir()):
        if src.name.endswith(".gz"):
            continue
        try:
            want = read_site(src, recover=True)
        except ShortcodesError as exc:  # not an export at all: so for both
            with pytest.raises(type(exc)):
                read_site_keeping(src)
            continue
        site, kept = read_site_keeping(src)
        assert site == want, src.name
        reader = WxrReader(src, recover=True, on_warning=lambda w: None)
        assert [_fields(p) for p in kept.posts] == [_fields(p) for p in reader], src.name
        assert [str(w) for _, w in kept.said] == [str(w) for w in reader.warnings], src.name
        assert kept.recovered == reader.recovered, src.name


def test_every_real_export_says_and_writes_what_two_reads_do(corpus_dir, tmp_path, monkeypatch):
    every = ConvertOptions(mode="render")
    once_read = 0
    for src in sorted((corpus_dir / "wxr").iterdir()):
        path = tmp_path / src.name
        path.write_bytes(src.read_bytes())
        for to in ("jsonl", "wxr"):
            for recover in (False, True):
                once, twice, reads_once, reads_twice = _both(path, monkeypatch, to=to, options=every,
                                                             recover=recover)
                assert once == twice, (src.name, to, recover)
                assert reads_once <= reads_twice, (src.name, to, recover)
                once_read += reads_once < reads_twice
    assert once_read >= 100  # most of the 66 exports x 4 runs took the posts from the site pass


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_broken_exports_say_and_write_what_two_reads_do(tmp_path, monkeypatch, mutation):
    path = tmp_path / "site.xml"
    text = _MUTATIONS[mutation](make_wxr(_items(12, random.Random(mutation))))
    path.write_bytes(text.encode("latin-1", "replace") if mutation == "latin-1" else text.encode("utf-8"))
    for recover in (False, True):
        once, twice, reads_once, reads_twice = _both(path, monkeypatch, recover=recover)
        assert once == twice, (mutation, recover)
        assert reads_once <= reads_twice


def test_a_recovered_read_is_not_used_without_recover(tmp_path, monkeypatch):
    """The site pass reads past an XML error; a run without ``--recover`` reads the file itself and stops at it."""
    path = tmp_path / "site.xml"
    text = make_wxr([{"id": i, "content": f"[gallery] {i}"} for i in range(1, 6)])
    cut = text.index("<title>p4</title>")
    path.write_text(text[:cut] + "<title>p4 & </title>" + text[cut + len("<title>p4</title>"):], encoding="utf-8")
    _, kept = read_site_keeping(path)
    assert kept.recovered and len(kept.posts) >= 3
    calls = _reads(monkeypatch)
    events, result, _ = _events(path, 1)
    assert result[0] == "error" and "malformed XML" in result[2]
    assert [c for c in calls if str(path) in c]  # read again, to the error
    calls.clear()
    events, result, _ = _events(path, 1, recover=True)
    assert result[0] == "ok" and not [c for c in calls if str(path) in c]  # taken from the site pass


def test_large_and_compressed_exports_are_read_twice(tmp_path, monkeypatch):
    import gzip

    text = make_wxr([{"id": i, "content": f"<p>{i}</p> [gallery]"} for i in range(1, 30)])
    path = tmp_path / "site.xml"
    path.write_text(text, encoding="utf-8")
    zipped = tmp_path / "site.xml.gz"
    zipped.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    monkeypatch.setattr(job_sites, "READ_ONCE_BYTES", path.stat().st_size - 1)
    for src in (path, zipped):
        calls = _reads(monkeypatch)
        _events(src, 1)
        assert [c for c in calls if str(src) in c], src.name
    monkeypatch.setattr(job_sites, "READ_ONCE_BYTES", path.stat().st_size)
    calls = _reads(monkeypatch)
    _events(path, 1)
    assert not [c for c in calls if str(path) in c]


def test_replay_says_each_warning_before_the_post_after_it_and_lets_the_posts_go():
    from shortcodes.exports.post import Post

    w = [ReadWarning("f.xml", i, 1, f"w{i}") for i in range(4)]
    kept = KeptRead([Post(id="1"), Post(id="2")], [(0, w[0]), (1, w[1]), (1, w[2]), (2, w[3])])
    out: list = []
    for post in kept.replay(lambda x: out.append(x.message)):
        out.append(post.id)
    assert out == ["w0", "1", "w1", "w2", "2", "w3"]
    assert kept.posts == [] and kept.said == []
    kept = KeptRead([Post(id="1"), Post(id="2"), Post(id="3")], [(1, w[1])])
    out = []
    for post in kept.replay(lambda x: out.append(x.message), skip=2):
        out.append(post.id)
    assert out == ["w1", "3"]  # the skipped posts' warnings are said, as reading them again says them


def test_the_exports_kept_add_up_to_the_budget(tmp_path, monkeypatch):
    """Every export kept waits for its turn, so the budget is the sum of the files kept, not each one's."""
    paths = []
    for n in range(3):
        path = tmp_path / f"site-{n}.xml"
        path.write_text(make_wxr([{"id": i, "content": f"<p>{n}.{i}</p> [gallery]"} for i in range(1, 20)]),
                        encoding="utf-8")
        paths.append(path)
    size = paths[0].stat().st_size
    monkeypatch.setattr(job_sites, "READ_ONCE_BYTES", 2 * size + size // 2)
    keep: dict = {}
    sites = job_sites.read_sites(paths, keep=keep)
    assert list(sites) == [str(p) for p in paths]
    assert list(keep) == [str(paths[0]), str(paths[1])]  # the third would go past the budget


def test_wxr_output_reads_by_byte_ranges_and_is_not_given_kept_posts(tmp_path, monkeypatch):
    """``--to wxr`` rewrites each export by its own byte-range reading: keeping its posts would only cost memory."""
    path = tmp_path / "site.xml"
    path.write_text(make_wxr([{"id": i, "content": f"<p>{i}</p> [gallery]"} for i in range(1, 6)]), encoding="utf-8")
    kept: list = []
    real = job_sites.read_site_keeping
    monkeypatch.setattr(job_sites, "read_site_keeping", lambda p: kept.append(p) or real(p))
    _events(path, 1, to="wxr")
    assert kept == []
    _events(path, 1, to="jsonl")
    assert kept == [path]


# -- with processes: the site pass's processes keep their units' posts (UnitPool with lanes) --------------


def _range_reads(monkeypatch, log: Path) -> None:
    """Record each byte range of an export read by units, in whichever process reads it: the spies are set
    before the processes fork, and each appends a line to ``log`` (one small ``O_APPEND`` write)."""
    import os

    from shortcodes.exports.wxr import units as wxr_units
    from shortcodes.jobs import units as job_units

    real = wxr_units._read_range

    def spy(path, start, end):
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {start} {end}\n")
        return real(path, start, end)

    monkeypatch.setattr(wxr_units, "_read_range", spy)
    monkeypatch.setattr(job_units, "_read_range", spy)


def _ranges(log: Path) -> list[tuple[int, int]]:
    lines = log.read_text(encoding="utf-8").split() if log.exists() else []
    got = [(int(lines[i + 1]), int(lines[i + 2])) for i in range(0, len(lines), 3)]
    log.unlink(missing_ok=True)
    return got


@pytest.mark.parametrize("to", ["jsonl", "html"])
def test_with_processes_each_unit_is_read_once(tmp_path, monkeypatch, to):
    """``--jobs 2``/``3`` on an export within the budget: each unit's bytes are read by one process, once,
    for the site model and the conversion; past the budget, twice (by the site pass and by the conversion);
    the same output and messages as ``--jobs 1`` either way."""
    from shortcodes.exports.wxr import units as wxr_units

    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 2000)
    path = tmp_path / "site.xml"
    path.write_text(make_wxr([{"id": i, "title": f"p{i}", "content": f"<p>{i}</p> [gallery] [caption]x[/caption]"}
                              for i in range(1, 60)]), encoding="utf-8")
    log = tmp_path / "reads.log"
    _range_reads(monkeypatch, log)
    reference = _events(path, 1, to=to)
    assert _ranges(log) == []  # one process: the sequential reader, not by ranges
    for jobs in (2, 3):
        assert _events(path, jobs, to=to) == reference, jobs
        once = _ranges(log)
        assert len(once) > 5 and len(set(once)) == len(once), jobs  # every unit read, none twice
        with monkeypatch.context() as mp:
            mp.setattr(job_sites, "READ_ONCE_BYTES", -1)
            assert _events(path, jobs, to=to) == reference, jobs
        twice = _ranges(log)
        assert sorted(twice) == sorted(once + once), jobs


def test_with_processes_a_recover_run_and_wxr_output_keep_nothing(tmp_path, monkeypatch):
    """``--recover`` converts nothing by units and ``--to wxr`` rewrites from its own byte ranges: the
    site pass keeps no posts for them (the plain pool reads it), and the output is ``--jobs 1``'s."""
    from shortcodes.exports.wxr import units as wxr_units
    from shortcodes.jobs import units as job_units

    monkeypatch.setattr(wxr_units, "UNIT_BYTES", 2000)
    path = tmp_path / "site.xml"
    path.write_text(make_wxr([{"id": i, "content": f"<p>{i}</p> [gallery]"} for i in range(1, 40)]),
                    encoding="utf-8")
    kept: list = []
    monkeypatch.setattr(job_units.UnitPool, "read_for_site", lambda self, unit: kept.append(unit))
    for to, recover in (("wxr", False), ("jsonl", True)):
        assert _events(path, 2, to=to, recover=recover) == _events(path, 1, to=to, recover=recover), to
    assert kept == []


def test_lanes_are_asked_only_with_lanes():
    from shortcodes.jobs.converter import Converter
    from shortcodes.jobs.units import UnitPool

    pool = UnitPool(Converter(ConvertOptions()), 2)
    try:
        with pytest.raises(ValueError, match="lanes"):
            pool.read_for_site(None)  # type: ignore[arg-type]
    finally:
        pool.close()
