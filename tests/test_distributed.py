"""``convert --scheduler``: a real Dask LocalCluster (2 worker processes) gives the bytes of ``--jobs 1``.

The cluster tests need the ``dask`` extra (``pip install -e '.[dask]'``;
``.ci/run`` installs it) and the corpus of ``../shared``; they skip with a
reason otherwise.  The inputs are a handful of the corpus's WordPress exports
(one of them malformed: reported, the others converted) and the shared
benchmark's 10 MB export, made by its own generator into a temporary folder
when it is not there.  URL inputs are served by a small HTTP server with
``Range`` support, in this process, whose log says which bytes each request
got.  One cluster serves the whole module; about four minutes on the
2-core machine.
"""
from __future__ import annotations

import contextlib
import dataclasses
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SHARED, shared_path

from shortcodes.common.errors import InputError
from shortcodes.jobs import distributed as dist
from shortcodes.jobs.convert import ConvertOptions, convert

try:
    import distributed
except ImportError:  # pragma: no cover - the extra is not installed
    distributed = None

needs_dask = pytest.mark.skipif(distributed is None,
                                reason="Dask distributed is not installed: pip install -e '.[dask]'")
ROOT = Path(__file__).resolve().parents[1]
CORPUS_NAMES = (
    "WordPress__theme-test-data__themeunittestdata.wordpress.xml",
    "WordPress__wordpress-importer__malformed.xml",          # not readable: reported, the others converted
    "getpelican__pelican__wordpressexport.xml",
    "WordPress__wordpress-importer__wxr-utf-8-challenges.xml",
    "hexojs__hexo-migrator-wordpress__wordpress.xml",
)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    corpus = shared_path("corpus", "wxr")
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is missing (../shared/corpus)")
    found = [corpus / n for n in CORPUS_NAMES if (corpus / n).is_file()]
    if len(found) < 3:
        pytest.skip(f"{corpus} lacks the exports {CORPUS_NAMES}")
    bench = SHARED / "bench" / "corpus" / "corpus-10mb.wxr"
    if not bench.is_file():
        generator = shared_path("bench", "make_corpus.py")
        out = tmp_path_factory.mktemp("bench-corpus")
        subprocess.run([sys.executable, str(generator), "--sizes", "10", "--out", str(out)], check=True,
                       capture_output=True)
        bench = out / "corpus-10mb.wxr"
    return [str(p) for p in found] + [str(bench)]


@pytest.fixture(scope="module")
def client():
    yield from _cluster()


@pytest.fixture
def own_client():
    """A cluster of the test's own, for a test that restarts every worker (after a restart the shared
    cluster did not always get its two workers back within two minutes)."""
    yield from _cluster()


def _cluster():
    if distributed is None:
        pytest.skip("Dask distributed is not installed: pip install -e '.[dask]'")
    import logging

    import dask

    # a task that no worker can run fails after 2 minutes instead of waiting for one forever
    with dask.config.set({"distributed.scheduler.no-workers-timeout": "120s"}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
    c = distributed.Client(cluster)
    yield c
    with contextlib.suppress(Exception):
        c.wait_for_workers(2, timeout=20)  # a restart test ends with workers coming back
    c.close(timeout=30)
    # LocalCluster's status watcher can meet a worker the scheduler already forgot after restarts
    # (KeyError in SpecCluster._update_worker_status, Dask's own): the cluster is closed all the same.
    with contextlib.suppress(KeyError):
        cluster.close(timeout=30)


@pytest.fixture(autouse=True)
def _cluster_alive(request):
    """Each cluster test starts with both workers there (a clear failure, not a hang, if they are gone)."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").wait_for_workers(2, timeout=120)


def _run(inputs: list[str], out: Path, to: str, **kw):
    """(report, problems printed, failures printed) of one convert()."""
    said: list[str] = []
    failures: list[str] = []
    kw.setdefault("options", ConvertOptions(as_of="2021-10-10"))
    if "scheduler" in kw:
        kw["on_problem"] = lambda p: said.append(str(p))
    else:
        kw["on_post"] = lambda post, r: said.extend(str(p) for p in (*r.problems, *r.notes))
    report = convert(inputs, out, to=to, on_failure=lambda f: failures.append(str(f)), **kw)
    return report, said, failures


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_report(a, b) -> None:
    assert a.summary() == b.summary()
    assert a.exit_status == b.exit_status
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert [str(f) for f in a.input_failures] == [str(f) for f in b.input_failures]
    assert a.outputs == b.outputs and a.notes == b.notes


@needs_dask
@pytest.mark.parametrize("to", ["jsonl", "wxr", "html", "markdown"])
def test_cluster_output_is_jobs_1_byte_for_byte(client, exports, tmp_path, to):
    site = to in ("html", "markdown")
    inputs = exports if not site else exports[:-1]  # a site of 10 MB of pages adds little but time
    name = {"jsonl": "out.jsonl", "wxr": "out", "html": "site", "markdown": "site"}[to]
    local, local_said, local_failed = _run(inputs, tmp_path / "local" / name, to)
    remote, remote_said, remote_failed = _run(inputs, tmp_path / "dask" / name, to, scheduler=client)
    _same_report(remote, _relocated(local, tmp_path))
    assert remote_said == local_said and remote_failed == local_failed
    assert remote.input_failures  # the malformed export
    assert remote.posts_read > (1000 if not site else 100)  # the 10 MB export has 2,600 posts
    if to == "jsonl":
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    else:
        assert _tree(tmp_path / "dask" / name) == _tree(tmp_path / "local" / name)
    leftovers = [p.name for p in (tmp_path / "dask").iterdir() if p.name != name]
    assert not leftovers, leftovers  # the parts folder is gone


def _relocated(report, tmp_path: Path):
    """``report`` with its outputs named as the cluster run names them (``dask/`` for ``local/``)."""
    return dataclasses.replace(report, outputs=[o.replace(str(tmp_path / "local"), str(tmp_path / "dask"))
                                                for o in report.outputs],
                               notes=[n.replace(str(tmp_path / "local"), str(tmp_path / "dask"))
                                      for n in report.notes])


@needs_dask
def test_a_worker_killed_mid_run_leaves_the_output_complete(client, exports, tmp_path):
    big = exports[-1]
    inputs = [big, *exports[:3]]
    local, _, _ = _run(inputs, tmp_path / "local.jsonl", "jsonl")
    killed: list[int] = []
    stop = threading.Event()

    def kill_the_worker_on_the_big_export() -> None:
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                if any(str(k).endswith("-0-0-0") for k in keys):  # input 0 (the 10 MB export), first try
                    time.sleep(0.2)  # mid-task: its converter is made and posts are being converted
                    pid = client.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.05)

    before = set(client.run(os.getpid).values())
    killer = threading.Thread(target=kill_the_worker_on_the_big_export)
    killer.start()
    try:
        remote, _, _ = _run(inputs, tmp_path / "dask.jsonl", "jsonl", scheduler=client)
    finally:
        stop.set()
        killer.join()
    assert killed and killed[0] in before
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert remote.summary() == local.summary() and remote.exit_status == local.exit_status
    client.wait_for_workers(2, timeout=60)
    assert killed[0] not in set(client.run(os.getpid).values())  # the nanny started a new process


def _spoiled_plan(source: str, index: int, *, unit_bytes: int = 1 << 20) -> dist.Plan:
    """The real plan with its second unit's range moved by one byte (pickled by value to the workers)."""
    got = dist.plan(source, index, unit_bytes=unit_bytes)
    units = list(got.units)
    if len(units) > 1:
        span = units[1].span
        assert span is not None
        units[1] = dataclasses.replace(units[1], span=dataclasses.replace(span, start=span.start + 1))
    return dataclasses.replace(got, units=tuple(units))


@needs_dask
def test_exports_are_cut_into_byte_ranges_and_an_unusual_unit_sends_its_export_to_the_exact_reader(
        client, exports, tmp_path, monkeypatch):
    big = exports[-1]
    inputs = [*exports[:3], big]
    assert len(dist.plan(big, 0, unit_bytes=1 << 20).units) >= 8  # a 10 MB export, 1 MB units
    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 20)
    local, _, _ = _run(inputs, tmp_path / "local.jsonl", "jsonl")
    with distributed.get_task_stream(client) as stream:
        ranged, _, _ = _run(inputs, tmp_path / "dask.jsonl", "jsonl", scheduler=client)
    keys = [t["key"] for t in stream.data]
    assert sum(k.startswith("shortcodes-unit-") and "-3-" in k for k in keys) >= 8, keys  # the big one, by ranges
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert ranged.summary() == local.summary()

    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 14)  # the corpus exports in 16 KB units (28 for the theme's)
    _run(exports[:-1], tmp_path / "local" / "site", "html")
    with distributed.get_task_stream(client) as stream:
        _run(exports[:-1], tmp_path / "dask" / "site", "html", scheduler=client)
    assert sum(t["key"].startswith("shortcodes-unit-") for t in stream.data) >= 20
    assert _tree(tmp_path / "dask" / "site") == _tree(tmp_path / "local" / "site")
    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 20)

    cloudpickle = pytest.importorskip("cloudpickle")
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        monkeypatch.setattr(dist, "plan", _spoiled_plan)
        with distributed.get_task_stream(client) as stream:
            spoiled, _, _ = _run(inputs, tmp_path / "spoiled.jsonl", "jsonl", scheduler=client)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    keys = [t["key"] for t in stream.data]
    assert any(k.startswith("shortcodes-export-") and "-3-0-" in k for k in keys), keys  # read whole, once
    assert (tmp_path / "spoiled.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert spoiled.summary() == local.summary()


@needs_dask
def test_an_fsspec_url_is_read_on_the_workers(client, exports, tmp_path):
    path = exports[0]
    local, _, _ = _run([path], tmp_path / "local.jsonl", "jsonl")
    remote, _, _ = _run([Path(path).as_uri()], tmp_path / "dask.jsonl", "jsonl", scheduler=client)
    mine = [json.loads(line) for line in (tmp_path / "dask.jsonl").read_text(encoding="utf-8").splitlines()]
    theirs = [json.loads(line) for line in (tmp_path / "local.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in mine] == [Path(path).as_uri()] * len(theirs)
    def unnamed(r: dict) -> dict:  # the URL is the name of the input there: in "source" and each diagnostic
        return {**r, "source": "", "diagnostics": [{**d, "file": ""} for d in r["diagnostics"]]}

    assert all(d["file"] == Path(path).as_uri() for r in mine for d in r["diagnostics"])
    assert [unnamed(r) for r in mine] == [unnamed(r) for r in theirs]
    assert remote.counts == local.counts and remote.exit_status == local.exit_status


@needs_dask
def test_cli_scheduler_address_same_summary_and_status(client, exports, tmp_path):
    inputs = exports[:3]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "shortcodes", "convert", *inputs, "--to", "jsonl", "--as-of", "2021-10-10"]
    local = subprocess.run([*cmd, "-o", str(tmp_path / "l.jsonl")], capture_output=True, text=True, env=env)
    remote = subprocess.run([*cmd, "-o", str(tmp_path / "d.jsonl"), "--scheduler", client.scheduler_info()["address"]],
                            capture_output=True, text=True, env=env)
    assert remote.returncode == local.returncode == 1, remote.stderr  # the malformed export
    assert remote.stderr == local.stderr
    assert (tmp_path / "d.jsonl").read_bytes() == (tmp_path / "l.jsonl").read_bytes()


def test_cli_refusals(tmp_path, exports):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    base = [sys.executable, "-m", "shortcodes", "convert", exports[0], "-o", str(tmp_path / "x.jsonl")]
    for extra, words in ((["--scheduler", "local:2", "--jobs", "2"], "--jobs and --scheduler"),
                         (["--parts", str(tmp_path)], "--parts goes with --scheduler"),
                         (["--scheduler", "local:0"], "local:N")):
        if "local:0" in extra and distributed is None:
            continue
        run = subprocess.run([*base, *extra], capture_output=True, text=True, env=env)
        assert run.returncode == 2 and words in run.stderr, run.stderr
        assert not (tmp_path / "x.jsonl").exists()


def test_missing_extra_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(InputError, match=r"pip install 'wp-shortcodes\[dask\]'"):
        dist.require_dask()


@needs_dask
def test_plugin_unpacks_files_a_worker_cannot_see(tmp_path):
    from shortcodes.jobs.dask_plugin import ConverterPlugin, bundle_files

    theme = tmp_path / "theme"
    (theme / "sub").mkdir(parents=True)
    (theme / "gallery.html").write_text("<div class=g>{{ content }}</div>", encoding="utf-8")
    (theme / "sub" / "x.css").write_text("a{}", encoding="utf-8")
    options = ConvertOptions(templates=(str(theme),))
    here = ConverterPlugin(options, (bundle_files(str(theme)),))
    here.setup(None)
    assert here.options.templates == (str(theme),)  # the worker sees the same files: used where they are
    shipped = ConverterPlugin(options, (bundle_files(str(theme)),))
    (theme / "gallery.html").write_text("changed", encoding="utf-8")
    shipped.setup(None)
    try:
        (folder,) = shipped.options.templates
        assert folder != str(theme)
        assert (Path(folder) / "gallery.html").read_text(encoding="utf-8") == "<div class=g>{{ content }}</div>"
        assert (Path(folder) / "sub" / "x.css").read_text(encoding="utf-8") == "a{}"
        conv = shipped.converter()
        assert conv is shipped.converter()  # one per thread, kept
        assert conv.options.templates == (folder,)
    finally:
        shipped.teardown(None)
    assert not Path(folder).exists()


@needs_dask
@pytest.mark.parametrize("to", ["jsonl", "html"])
def test_client_restart_mid_run_resubmits_and_the_output_is_identical(own_client, exports, tmp_path, monkeypatch,
                                                                      to):
    client = own_client
    client.wait_for_workers(2, timeout=120)
    if to == "jsonl":
        inputs, out = [exports[-1], *exports[:3], exports[-1]], "out.jsonl"
    else:  # the site models, gathered before the site is written, are asked for again too
        monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 14)
        inputs, out = [exports[0], exports[2], exports[4], exports[0]], "site"
    local, _, _ = _run(inputs, tmp_path / "local" / out, to)
    restarted: list[float] = []

    def restart_once_busy() -> None:
        deadline = time.monotonic() + 60
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        client.restart()  # every worker: all the run's tasks are cancelled
        restarted.append(time.monotonic())

    thread = threading.Thread(target=restart_once_busy)
    thread.start()
    try:
        remote, _, _ = _run(inputs, tmp_path / "dask" / out, to, scheduler=client)
        finished = time.monotonic()
    finally:
        thread.join()
    assert restarted and restarted[0] < finished  # the restart came while the run was going on
    if to == "jsonl":
        assert (tmp_path / "dask" / out).read_bytes() == (tmp_path / "local" / out).read_bytes()
    else:
        assert _tree(tmp_path / "dask" / out) == _tree(tmp_path / "local" / out)
    assert remote.summary() == local.summary() and not any("cluster" in str(f) for f in remote.input_failures)


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder with ``Range: bytes=a-b`` (``http.server`` alone ignores it) and logs what it sent:
    ``(file name, first byte, bytes sent)`` in the server's ``sent``."""

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        path = Path(self.server.folder) / self.path.lstrip("/").split("?")[0]  # type: ignore[attr-defined]
        if not path.is_file():
            self.send_error(404)
            return
        size = path.stat().st_size
        start, end, status = 0, size, 200
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if m and self.server.ranges:  # type: ignore[attr-defined]
            start, end, status = int(m.group(1)), min(size, int(m.group(2)) + 1 if m.group(2) else size), 206
        self.send_response(status)
        self.send_header("Content-Length", str(end - start))
        if self.server.ranges:  # type: ignore[attr-defined]
            self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        self.end_headers()
        if body:
            with open(path, "rb") as f:
                f.seek(start)
                self.wfile.write(f.read(end - start))
            with self.server.lock:  # type: ignore[attr-defined]
                self.server.sent.append((path.name, start, end - start))  # type: ignore[attr-defined]


@pytest.fixture
def http_exports(exports, tmp_path):
    """A real HTTP server (with Range) in this process serving the big export and two corpus exports
    (links to them in a folder of their own); yields ({name: URL}, the server, {name: local path})."""
    served = tmp_path / "served"
    served.mkdir()
    files = {Path(p).name: p for p in (exports[-1], exports[0], exports[2])}
    for name, p in files.items():
        (served / name).symlink_to(p)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RangeHandler)
    server.folder, server.sent, server.lock = str(served), [], threading.Lock()  # type: ignore[attr-defined]
    server.ranges = True  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    urls = {name: f"http://127.0.0.1:{server.server_address[1]}/{name}" for name in files}
    yield urls, server, files
    server.shutdown()
    server.server_close()


@needs_dask
@pytest.mark.parametrize("to", ["wxr", "jsonl"])
def test_an_http_export_is_read_by_byte_ranges_each_unit_its_own(client, http_exports, tmp_path, monkeypatch, to):
    urls, server, files = http_exports
    big = next(iter(files))  # the 10 MB export
    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 20)
    names = list(files)
    local_in = [files[n] for n in names]
    remote_in = [urls[n] for n in names]
    out = "out.jsonl" if to == "jsonl" else "out"
    local, _, _ = _run(local_in, tmp_path / "local" / out, to)
    server.sent.clear()
    remote, _, _ = _run(remote_in, tmp_path / "dask" / out, to, scheduler=client)
    if to == "wxr":  # (a) the bytes of --jobs 1 on the local files
        assert _tree(tmp_path / "dask" / out) == _tree(tmp_path / "local" / out)
    else:  # the same records, each naming its URL where the local run names the file
        mine = (tmp_path / "dask" / out).read_text(encoding="utf-8")
        theirs = (tmp_path / "local" / out).read_text(encoding="utf-8")
        for n in names:
            mine = mine.replace(json.dumps(urls[n])[1:-1], json.dumps(files[n])[1:-1])
        assert mine == theirs
    assert remote.summary() == local.summary() and remote.exit_status == local.exit_status
    # (b) each unit's task asked for its own range only: its cover (wxr) or span (jsonl), exactly once
    planned = dist.plan(files[big], 0, unit_bytes=1 << 20)
    planned = planned.covering() if to == "wxr" else planned
    assert len(planned.units) >= 8
    wanted = [(u.cover if to == "wxr" else (u.span.start, u.span.end)) for u in planned.units]
    sent = [(start, start + n) for name, start, n in server.sent if name == big]
    for lo, hi in wanted:
        assert sent.count((lo, hi)) == 1, (lo, hi)
    size = Path(files[big]).stat().st_size
    others = sum(hi - lo for lo, hi in sent) - sum(hi - lo for lo, hi in wanted)
    # the rest is the plan's scan and the site model's read (render mode), a pass over the file each; a
    # unit reading the whole export would add 10 MB for each of its 8+ units
    assert others <= 2 * size + (1 << 20), (others, size, sorted(set(sent) - set(wanted)))
    assert max(hi - lo for lo, hi in wanted) < 3 << 20


@needs_dask
def test_a_server_without_ranges_gives_the_same_output(client, http_exports, tmp_path, monkeypatch):
    """A server that ignores ``Range`` (answers 200 with the whole file): the plan's one-byte probe gets
    more, so each export is one task reading it whole: the same output, and no unit downloading the
    whole file for its range."""
    urls, server, files = http_exports
    server.ranges = False
    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 16)
    names = [n for n in files if n != next(iter(files))]  # the two corpus exports
    local, _, _ = _run([files[n] for n in names], tmp_path / "local", "wxr")
    with distributed.get_task_stream(client) as stream:
        remote, _, _ = _run([urls[n] for n in names], tmp_path / "dask", "wxr", scheduler=client)
    keys = [t["key"] for t in stream.data]
    assert sum(k.startswith("shortcodes-plan-") for k in keys) == 2, keys
    assert not any(k.startswith("shortcodes-unit-") for k in keys), keys
    assert sum(k.startswith("shortcodes-export-") for k in keys) == 2, keys
    assert _tree(tmp_path / "dask") == _tree(tmp_path / "local")
    assert remote.summary() == local.summary()


@needs_dask
def test_a_lost_byte_range_of_a_wxr_rewrite_leaves_no_half_export(client, exports, tmp_path, monkeypatch):
    """One unit of the theme's export never comes back (as when its workers keep dying): that export is
    reported and not written (its other parts are not an export), the other input is."""
    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 14)
    real = dist._Runner.result

    def lose_one(self, unit, future):
        if unit.index == 0 and unit.part == 3:
            future.cancel()
            return self._lost(unit, "the workers running it died (a test)")
        return real(self, unit, future)

    monkeypatch.setattr(dist._Runner, "result", lose_one)
    inputs = [exports[0], exports[2]]
    report, _, failures = _run(inputs, tmp_path / "out", "wxr", scheduler=client)
    assert [p.name for p in (tmp_path / "out").iterdir()] == [Path(exports[2]).name]
    assert (tmp_path / "out" / Path(exports[2]).name).stat().st_size > 0
    assert len(failures) == 1 and "not converted on the cluster: the workers running it died" in failures[0]
    assert report.outputs == [str(tmp_path / "out" / Path(exports[2]).name)]
    assert report.exit_status != 0


@needs_dask
def test_a_gz_export_is_one_unit_and_the_summary_says_so_once(client, exports, tmp_path, monkeypatch):
    import gzip

    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 14)
    gz = [tmp_path / "a.xml.gz", tmp_path / "b.xml.gz"]
    for target, src in zip(gz, (exports[0], exports[2])):
        target.write_bytes(gzip.compress(Path(src).read_bytes(), mtime=0))
    inputs = [str(p) for p in gz]
    local, _, _ = _run(inputs, tmp_path / "local.jsonl", "jsonl")
    with distributed.get_task_stream(client) as stream:
        remote, _, _ = _run(inputs, tmp_path / "dask.jsonl", "jsonl", scheduler=client)
    keys = [t["key"] for t in stream.data]
    assert not any(k.startswith(("shortcodes-unit-", "shortcodes-plan-")) for k in keys), keys
    assert sum(k.startswith("shortcodes-export-") for k in keys) == 2
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    said = [n for n in remote.notes if "gzip" in n]
    assert said == ["2 compressed exports were read whole, by one task each (e.g. " f"{gz[0]}): a gzip stream "
                    "cannot be read by byte ranges; uncompressed exports are shared out among the workers"]
    assert [n for n in remote.notes if n not in said] == local.notes
    assert said[0] in remote.summary()


@needs_dask
def test_markdown_by_ranges_with_media_url_and_featured_images_from_an_earlier_input(client, exports, tmp_path,
                                                                                     monkeypatch):
    """Small units (16 KB) cut the theme's export into many; a copy of it whose attachments moved comes
    second: its posts' featured images are the first export's attachments (seen before them, as on one
    machine), which the copy's workers cannot know: the site is written on the submitting machine, by the
    output's own writer."""
    theme = Path(exports[0])
    moved = tmp_path / "moved" / "theme-copy.xml"
    moved.parent.mkdir()
    moved.write_bytes(theme.read_bytes().replace(b"wpthemetestdata.files.wordpress.com", b"moved.example"))
    inputs = [str(theme), str(moved), exports[2]]
    media = [("https://wpthemetestdata.files.wordpress.com/", "/media/")]
    monkeypatch.setattr(dist, "UNIT_BYTES", 1 << 14)
    for flavor in ("hugo", "jekyll"):
        local, _, _ = _run(inputs, tmp_path / f"local-{flavor}", "markdown", flavor=flavor, media_urls=media)
        with distributed.get_task_stream(client) as stream:
            remote, _, _ = _run(inputs, tmp_path / f"dask-{flavor}", "markdown", scheduler=client, flavor=flavor,
                                media_urls=media)
        assert sum(t["key"].startswith("shortcodes-unit-") for t in stream.data) >= 40
        mine, theirs = _tree(tmp_path / f"dask-{flavor}"), _tree(tmp_path / f"local-{flavor}")
        assert mine == theirs
        assert remote.summary().replace("dask-", "local-") == local.summary()
        assert any(b"/media/" in text for text in mine.values())  # --media-url applied
    # Jekyll's front matter names the featured image: the copy's posts (the "-2" files) show the first
    # export's attachment, which the copy's workers could not see.
    images = {rel: line for rel, text in mine.items() for line in text.splitlines() if line.startswith(b"image: ")}
    copies = [rel for rel in images if rel.endswith("-2.md")]
    assert len(copies) >= 3, images
    assert all(line.startswith(b"image: /media/") for line in images.values()), images


@needs_dask
@pytest.mark.parametrize("to", ["html", "markdown"])
def test_a_site_with_media_url_and_uploads_on_the_cluster(client, exports, tmp_path, to):
    """``--uploads`` (a folder of the submitting machine, where the site is written) and ``--media-url``."""
    from test_site_links import make_uploads

    inputs = [exports[0], exports[2]]
    folder = tmp_path / "backup" / "wp-content" / "uploads"
    make_uploads(Path(exports[0]), folder)
    media = [("https://wpthemetestdata.files.wordpress.com/", "/media/")]
    kw = {"media_urls": media, "uploads": folder.parent.parent}
    local, _, _ = _run(inputs, tmp_path / "local" / "site", to, **kw)
    remote, _, _ = _run(inputs, tmp_path / "dask" / "site", to, scheduler=client, **kw)
    mine = _tree(tmp_path / "dask" / "site")
    assert mine == _tree(tmp_path / "local" / "site")
    _same_report(remote, _relocated(local, tmp_path))
    copied = [rel for rel in mine if not rel.endswith((".md", ".html", ".json", ".css"))]
    assert len(copied) >= 10, sorted(mine)[:20]  # the theme's attachment files, copied from the backup
    assert not any(b"wpthemetestdata.files.wordpress.com/20" in t for t in mine.values())


def test_in_place_with_a_scheduler_is_refused_saying_why(exports):
    with pytest.raises(InputError, match="--in-place is not available with --scheduler: replacing"):
        convert([exports[0]], to="wxr", in_place=True, scheduler="local:1")
