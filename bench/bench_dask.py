#!/usr/bin/env python3
"""``shortcodes convert --scheduler``: throughput per worker on a Dask LocalCluster of 1, 2… workers.

Needs the ``dask`` extra (``pip install -e '.[dask]'``).  The inputs are
``--copies`` copies (hard links, each its own export) of the shared
benchmark's ``corpus-<N>mb.wxr`` (made by its ``make_corpus.py`` on first
use), converted with ``--mode render --to jsonl`` (``--to wxr|html|markdown``
for the other outputs; a site, html or markdown, is written by the submitting
process, so ``client_cpu`` grows with it).  MB are 10^6 bytes of post
content, as for every peer.

It prints first the **calibration line**: the machine's own speed-up for
two processes of a fixed pure-Python loop run at the same time, against one
(2.00 on two free cores; less when the cores are shared or hyper-threads).
Then one ``DASK`` line per run: ``--jobs 1`` in this process (the
reference), then a LocalCluster of W worker processes (one thread each),
``--reps`` runs each (the median is shown, with the spread), each timed
from the call to the last byte of the output: the options shipped, one
converter made per worker, every unit, the join.  ``worker_cpu`` is the CPU
time of all the workers' processes, ``client_cpu`` this process's.
``scaling`` is MB/s ÷ (W × the 1-worker MB/s): 1.00 is ideal, and on a
machine whose cores are shared it is bounded by the calibration: for 2
workers, ``of_calibration`` is ``scaling`` ÷ (the calibration's speed-up ÷ 2),
the share of what two processes of a plain loop got at that moment (about
1.00 means the cluster scaled as well as the machine let anything scale).
Every run's output is compared byte for byte with ``--jobs 1``.

    python bench/bench_dask.py                       # 10 MB export x 8 copies, 1 and 2 workers
    python bench/bench_dask.py --size 100 --copies 4 --workers 1 2 4
    python bench/bench_dask.py --to wxr --copies 4 --reps 1

Nothing is asserted; compare ratios from one run only.
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_convert import SHARED_BENCH, ensure_corpus  # noqa: E402

from shortcodes.jobs.convert import ConvertOptions, convert  # noqa: E402

LOOP = 6_000_000


def _loop(n: int = LOOP) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _timed_loop(_: int) -> float:
    t = time.perf_counter()
    _loop()
    return time.perf_counter() - t


def calibration() -> tuple[float, float, float]:
    """(one loop's seconds, two loops' wall seconds at once, the speed-up 2 x one / two)."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.map(_timed_loop, [0, 0])  # start-up, imports
        t = time.perf_counter()
        pool.map(_timed_loop, [0])
        one = time.perf_counter() - t
        t = time.perf_counter()
        pool.map(_timed_loop, [0, 1], chunksize=1)
        two = time.perf_counter() - t
    return one, two, 2 * one / two


def _digest(path: Path) -> str:
    """The SHA-256 of a file, or of a folder's files (their relative names and bytes, in order)."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for p in files:
        h.update(p.relative_to(path).as_posix().encode() if p != path else b"")
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _name(to: str, stem: str) -> str:
    """The output's name: a file for jsonl, a folder for the others (several exports: one file each)."""
    return f"{stem}.jsonl" if to == "jsonl" else stem


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def main(argv: "list[str] | None" = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--corpus-dir", type=Path, default=HERE / ".work" / "peer-bench" / "corpus",
                    help="where corpus-<N>mb.wxr is or goes (default: bench/.work/peer-bench/corpus)")
    ap.add_argument("--size", type=int, default=10, help="export size in MB of post content (default 10)")
    ap.add_argument("--copies", type=int, default=8, help="how many exports (copies of it) to convert (default 8)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="LocalCluster sizes (default: 1 2)")
    ap.add_argument("--reps", type=int, default=3, help="timed runs per cluster size; the median is shown (default 3)")
    ap.add_argument("--to", default="jsonl", choices=("jsonl", "wxr", "html", "markdown"),
                    help="the output format (default jsonl)")
    args = ap.parse_args(argv)
    try:
        import distributed
    except ImportError:
        raise SystemExit("bench_dask.py needs Dask distributed: pip install -e '.[dask]'") from None
    generator = SHARED_BENCH / "make_corpus.py"
    wxr, manifest = ensure_corpus(args.corpus_dir, args.size, generator)
    nbytes = manifest["content_bytes"] * args.copies
    posts = manifest["posts"] * args.copies
    cores = os.cpu_count() or 1
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()}: {cores} cores, "
          f"Python {platform.python_version()}, dask {distributed.__version__}; "
          f"{args.copies} x {wxr.name} ({nbytes / 1e6:.1f} MB of post content, {posts} posts), --mode render "
          f"--to {args.to}", flush=True)
    one, two, speedup = calibration()
    print(f"CALIBRATION two processes of a fixed pure-Python loop: 1 alone {one:.2f} s, 2 at once {two:.2f} s "
          f"-> speed-up {speedup:.2f} of 2.00", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-dask-", dir=args.corpus_dir))
    options = ConvertOptions(mode="render", as_of="2021-10-10")
    try:
        inputs = []
        for i in range(args.copies):
            copy = work / f"site-{i:02d}.wxr"
            try:
                os.link(wxr, copy)
            except OSError:
                shutil.copyfile(wxr, copy)
            inputs.append(str(copy))
        cpu0 = time.process_time()
        t = time.perf_counter()
        convert(inputs, work / _name(args.to, "jobs1"), to=args.to, options=options)
        base = time.perf_counter() - t
        base_cpu = time.process_time() - cpu0
        want = _digest(work / _name(args.to, "jobs1"))
        print(f"DASK run=jobs-1 workers=1 sec={base:.2f} mbps={nbytes / 1e6 / base:.2f} "
              f"per_worker={nbytes / 1e6 / base:.2f} posts_per_s={posts / base:.0f} cpu={base_cpu:.2f} "
              f"mb_per_cpu_s={nbytes / 1e6 / base_cpu:.2f}", flush=True)
        rates: dict[int, float] = {}
        for w in args.workers:
            if w > cores:
                print(f"# {w} workers: this machine has {cores} cores; run anyway, read the figure as such")
            cluster = distributed.LocalCluster(n_workers=w, threads_per_worker=1, processes=True,
                                               dashboard_address=":0", silence_logs=logging.ERROR)
            client = distributed.Client(cluster)
            runs = []
            try:
                for _ in range(args.reps):
                    cpu0 = sum(client.run(time.process_time).values())
                    here0 = time.process_time()
                    t = time.perf_counter()
                    out = work / _name(args.to, f"dask-{w}")
                    if out.is_dir():
                        shutil.rmtree(out)
                    convert(inputs, out, to=args.to, options=options, scheduler=client)
                    runs.append((time.perf_counter() - t, sum(client.run(time.process_time).values()) - cpu0,
                                 time.process_time() - here0))
            finally:
                client.close()
                cluster.close()
            sec, cpu, here = sorted(runs)[len(runs) // 2]  # the median run
            spread = f"{min(r[0] for r in runs):.2f}-{max(r[0] for r in runs):.2f}"
            same = _digest(work / _name(args.to, f"dask-{w}")) == want
            rates[w] = nbytes / 1e6 / sec
            scaling = rates[w] / (w * rates[args.workers[0]]) * args.workers[0] if args.workers[0] else 0.0
            calibrated = f" of_calibration={scaling / (speedup / 2):.2f}" if w == 2 and speedup > 0 else ""
            print(f"DASK run=cluster workers={w} sec={sec:.2f} (of {len(runs)}: {spread}) mbps={rates[w]:.2f} per_worker={rates[w] / w:.2f} "
                  f"posts_per_s={posts / sec:.0f} scaling={scaling:.2f}{calibrated} vs_jobs1={rates[w] * base / (nbytes / 1e6):.2f} "
                  f"worker_cpu={cpu:.2f} client_cpu={here:.2f} mb_per_worker_cpu_s={nbytes / 1e6 / cpu:.2f} "
                  f"identical={'yes' if same else 'NO'}", flush=True)
            _remove(work / _name(args.to, f"dask-{w}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
