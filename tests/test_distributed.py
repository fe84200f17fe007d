"""``convert --scheduler``: a real Dask LocalCluster (2 worker processes) gives the bytes of ``--jobs 1``.

The cluster tests need the ``dask`` extra (``pip install -e '.[dask]'``;
``.ci/run`` installs it) and the corpus of ``../shared``; they skip with a
reason otherwise.  The inputs are a handful of the corpus's WordPress exports
(one of them malformed: reported, the others converted) and the shared
benchmark's 10 MB export, made by its own generator into a temporary folder
when it is not there.  About a minute on the 2-core machine.
"""
from __future__ import annotations

import dataclasses
import json
import os
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
    c.close(timeout=30)
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
@pytest.mark.parametrize("to", ["jsonl", "wxr", "html"])
def test_cluster_output_is_jobs_1_byte_for_byte(client, exports, tmp_path, to):
    inputs = exports if to != "html" else exports[:-1]  # a site of 10 MB of pages adds little but time
    name = {"jsonl": "out.jsonl", "wxr": "out", "html": "site"}[to]
    local, local_said, local_failed = _run(inputs, tmp_path / "local" / name, to)
    remote, remote_said, remote_failed = _run(inputs, tmp_path / "dask" / name, to, scheduler=client)
    _same_report(remote, _relocated(local, tmp_path))
    assert remote_said == local_said and remote_failed == local_failed
    assert remote.input_failures  # the malformed export
    assert remote.posts_read > (1000 if to != "html" else 100)  # the 10 MB export has 2,600 posts
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
def test_client_restart_mid_run_resubmits_and_the_output_is_identical(client, exports, tmp_path):
    inputs = [exports[-1], *exports[:3], exports[-1]]
    local, _, _ = _run(inputs, tmp_path / "local.jsonl", "jsonl")
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
        remote, _, _ = _run(inputs, tmp_path / "dask.jsonl", "jsonl", scheduler=client)
        finished = time.monotonic()
    finally:
        thread.join()
    assert restarted and restarted[0] < finished  # the restart came while the run was going on
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert remote.summary() == local.summary() and not any("cluster" in str(f) for f in remote.input_failures)
