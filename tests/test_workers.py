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

from shortcodes.exports.wxr import wxr_cdata

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _slow_export(path: Path, posts: int = 400) -> Path:
    items = "".join(f"<item><title>p{i}</title><wp:post_id>{i}</wp:post_id><wp:post_type>post</wp:post_type>"
                    f"<content:encoded>{wxr_cdata('a [slow] b')}</content:encoded></item>" for i in range(posts))
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                    'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>'
                    + items + "</channel></rss>", encoding="utf-8")
    return path


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


def _start(tmp_path: Path, to: str) -> tuple[subprocess.Popen[bytes], Path, list[int]]:
    src = _slow_export(tmp_path / "slow.xml")
    out = tmp_path / "out" / ("site" if to == "html" else "posts.jsonl")
    out.parent.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    proc = subprocess.Popen([sys.executable, "-m", "shortcodes", "convert", str(src), "--to", to, "-o", str(out),
                             "--jobs", "2", "--plugin", "slow_plugin:plugin", "-q"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert _wait(lambda: len(_children(proc.pid)) >= 2 or proc.poll() is not None), "no workers started"
    workers = _children(proc.pid)
    assert proc.poll() is None and len(workers) >= 2
    # wait until the run is writing (a temporary file or the staging folder exists)
    assert _wait(lambda: any(out.parent.iterdir()) or proc.poll() is not None)
    return proc, out, workers


@pytest.mark.parametrize("to", ["html", "jsonl"])
def test_sigterm_stops_the_workers_and_removes_temporary_files(tmp_path, to):
    proc, out, workers = _start(tmp_path, to)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, proc.stderr.read().decode() if proc.stderr else ""
    assert _wait(lambda: not any(_alive(w) for w in workers), 30), "workers outlived the parent"
    assert list(out.parent.iterdir()) == []  # no temporary file, no staging folder, no half output
    assert b"Traceback" not in (proc.stderr.read() if proc.stderr else b"")


def test_sigkill_of_the_parent_takes_the_workers_along(tmp_path):
    proc, out, workers = _start(tmp_path, "jsonl")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert _wait(lambda: not any(_alive(w) for w in workers), 30), "workers outlived the parent (SIGKILL)"
    assert not out.exists()  # never a partial file under the final name


def test_the_watchdog_ends_a_worker_whose_parent_is_gone(tmp_path):
    # Where PR_SET_PDEATHSIG is not available, a thread watches the parent: run that path on its own.
    code = ("import os, sys, time\n"
            "from shortcodes.jobs.parallel import _watch_parent\n"
            "import threading\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    parent = os.getppid()\n"
            "    t = threading.Thread(target=_watch_parent, args=(parent, 0.05), daemon=True)\n"
            "    t.start()\n"
            "    time.sleep(60)\n"
            "    os._exit(0)\n"
            "print(pid, flush=True)\n"
            "os._exit(0)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    child = int(done.stdout.strip())
    assert _wait(lambda: not _alive(child), 30), "the watchdog did not end the orphaned worker"
