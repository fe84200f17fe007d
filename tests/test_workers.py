"""``convert --jobs N`` under real signals: the workers die with their parent; SIGTERM cleans up.

Each test starts ``python -m shortcodes convert ... --jobs 2`` in a subprocess on an export whose posts
take a while to render (``tests/slow_plugin.py``), waits until the workers are running, signals the
parent, and checks the processes left and the files left.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from wxr_kit import write_wxr

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _slow_export(path: Path, posts: int = 400) -> Path:
    return write_wxr(path, [{"id": i, "content": "a [slow] b"} for i in range(1, posts + 1)])


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait(predicate, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def run_slow(tmp_path):
    """Start a slow ``convert --jobs 2``; afterwards, end whatever is left of it (the test has failed then)."""
    started: list[int] = []

    def start(to: str) -> tuple[subprocess.Popen[bytes], Path, list[int], Path]:
        src = _slow_export(tmp_path / "slow.xml")
        out = tmp_path / "out" / ("site" if to == "html" else "posts.jsonl")
        out.parent.mkdir()
        log = tmp_path / "stderr.txt"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
        with open(log, "wb") as err:  # a file, not a pipe: orphaned workers would hold a pipe open
            proc = subprocess.Popen([sys.executable, "-m", "shortcodes", "convert", str(src), "--to", to, "-o",
                                     str(out), "--jobs", "2", "--plugin", "slow_plugin:plugin", "-q"],
                                    env=env, stdout=subprocess.DEVNULL, stderr=err)
        started.append(proc.pid)
        assert _wait(lambda: len(_children(proc.pid)) >= 2 or proc.poll() is not None), "no workers started"
        workers = _children(proc.pid)
        started.extend(workers)
        assert proc.poll() is None and len(workers) >= 2
        # wait until the run is writing (a temporary file or the staging folder exists)
        assert _wait(lambda: any(out.parent.iterdir()) or proc.poll() is not None)
        return proc, out, workers, log

    yield start
    for pid in started:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("to", ["html", "jsonl"])
def test_sigterm_stops_the_workers_and_removes_temporary_files(run_slow, to):
    proc, out, workers, log = run_slow(to)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, log.read_text()
    assert _wait(lambda: not any(_alive(w) for w in workers), 30), "workers outlived the parent"
    assert list(out.parent.iterdir()) == []  # no temporary file, no staging folder, no half output
    assert "Traceback" not in log.read_text()


def test_sigkill_of_the_parent_takes_the_workers_along(run_slow):
    proc, out, workers, _ = run_slow("jsonl")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert _wait(lambda: not any(_alive(w) for w in workers), 30), "workers outlived the parent (SIGKILL)"
    assert not out.exists()  # never a partial file under the final name


def test_the_watchdog_ends_a_worker_whose_parent_is_gone(tmp_path):
    # Where PR_SET_PDEATHSIG is not available, a thread watches the parent: run that path on its own.
    code = ("import os, sys, time\n"
            "from shortcodes.jobs.parallel import _watch_parent\n"
            "import threading\n"
            "parent = os.getpid()  # as the pool passes it: taken before the fork\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    null = os.open(os.devnull, os.O_WRONLY)\n"
            "    os.dup2(null, 1); os.dup2(null, 2)  # let the parent's pipes close\n"
            "    t = threading.Thread(target=_watch_parent, args=(parent, 0.05), daemon=True)\n"
            "    t.start()\n"
            "    time.sleep(300)\n"
            "    os._exit(0)\n"
            "print(pid, flush=True)\n"
            "os._exit(0)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    child = int(done.stdout.strip())
    try:
        assert _wait(lambda: not _alive(child), 30), "the watchdog did not end the orphaned worker"
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


@pytest.mark.parametrize("to", ["html", "jsonl"])
def test_a_killed_worker_is_a_clear_error_and_no_output(run_slow, to):
    """A worker killed mid-run (SIGKILL, as the kernel's out-of-memory killer sends it): the run stops with
    ``shortcodes: error: ...`` and status 2, not a traceback; its other workers end; nothing is written."""
    proc, out, workers, log = run_slow(to)
    os.kill(workers[0], signal.SIGKILL)
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = log.read_text()
    assert proc.returncode == 2, said
    assert "shortcodes: error: a worker process ended before its work was done" in said
    assert "Traceback" not in said
    assert _wait(lambda: not any(_alive(w) for w in workers), 30), "workers outlived the run"
    assert list(out.parent.iterdir()) == []  # no temporary file, no staging folder, no half output
