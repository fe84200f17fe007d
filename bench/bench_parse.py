#!/usr/bin/env python3
"""Speed and peak memory of ``shortcodes.parse`` and ``shortcodes.do_shortcode``.

A quick, in-process look at the project alone (the peer comparison is
``run_bench.py``, which runs the shared peer benchmark).  The corpus is a
JSON Lines file of the shared benchmark's ``make_corpus.py`` (one object per
post, with a ``content`` field); the tags and handlers are the peers' ones
(``REGISTERED``; leaf tags return a marker, ``vc_row``/``vc_column`` call
``do_shortcode`` on their content, as page builders do).

Speed (one line per mode, in the shared ``RESULT`` format, then a table)::

    python bench/bench_parse.py --corpus corpus-1mb.jsonl               # posts, parse + render
    python bench/bench_parse.py --corpus corpus-10mb.jsonl --unit doc --mode parse

Memory (each probe in a fresh process: ``tracemalloc`` peak of the parse,
and the growth of the peak RSS, ``getrusage(RUSAGE_SELF).ru_maxrss``, over
the RSS just before it, as multiples of the UTF-8 input size)::

    python bench/bench_parse.py --memory --corpus corpus-10mb.jsonl     # whole corpus as one document

Compiled against pure (issue 11): ``--implementations compiled pure`` runs
each repetition as fresh processes, one per implementation (``SHORTCODES_PURE``
unset / ``=1``), in rotated order, next to the shared benchmark's
``baseline-re`` and, with ``--php``, WordPress's PHP ``do_shortcode``
(``runners/py_wp_oracle.py``, net of PHP start-up), and prints the ratios of
each repetition (``IMPL_RATIO`` lines) with a ``CALIBRATION`` line first::

    python bench/bench_parse.py --corpus corpus-10mb.jsonl --implementations compiled pure --php --reps 3

Nothing here asserts a time: it prints what it measured.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import shortcodes

#: The tags every peer registers (shared/bench/runners/common.py).
REGISTERED = ("caption", "gallery", "embed", "audio", "video",
              "covid19-ultimate-card", "vc_row", "vc_column", "vc_column_text")
CONTAINERS = ("vc_row", "vc_column")
MARK = "@@SC@@"
PEER = "wp-shortcodes"


def load_posts(path: "str | Path", limit: "int | None" = None) -> list[str]:
    """The ``content`` of each line of a corpus JSON Lines file (the first ``limit`` ones)."""
    posts: list[str] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                posts.append(json.loads(line)["content"])
            except (ValueError, KeyError) as exc:
                raise SystemExit(f"{path}:{lineno}: not a corpus line with a 'content' field ({exc})") from None
            if limit is not None and len(posts) >= limit:
                break
    if not posts:
        raise SystemExit(f"{path}: no posts")
    return posts


def units_of(posts: list[str], unit: str) -> list[str]:
    """Posts one by one (``posts``) or joined by blank lines into one document (``doc``)."""
    return ["\n\n".join(posts)] if unit == "doc" else posts


def make_processors() -> dict[str, Callable[[str], int]]:
    """``mode -> fn(text) -> shortcodes found``, exactly as the shared runner counts them."""
    calls = [0]

    def leaf(atts, content, tag):
        calls[0] += 1
        return MARK

    def container(atts, content, tag):
        calls[0] += 1
        return "<div>" + shortcodes.do_shortcode(content or "", handlers) + "</div>"

    handlers = {t: (container if t in CONTAINERS else leaf) for t in REGISTERED}

    def render(text: str) -> int:
        before = calls[0]
        shortcodes.do_shortcode(text, handlers)
        return calls[0] - before

    def parse(text: str) -> int:
        doc = shortcodes.parse(text, tags=REGISTERED)
        return sum(1 for n in doc.walk() if isinstance(n, shortcodes.Shortcode) and not n.escaped)

    return {"parse": parse, "render": render}


def time_mode(units: list[str], process: Callable[[str], int], min_time: float,
              cpu: "list[float] | None" = None) -> tuple[float, int, int]:
    """(seconds per pass, found, passes): whole passes after a 10 % warm-up, until ``min_time``.

    ``cpu``: gets the CPU seconds per pass appended (``time.process_time``; a loaded machine moves it less).
    """
    for u in units[: max(1, len(units) // 10)]:
        process(u)
    passes, elapsed, found, used = 0, 0.0, 0, 0.0
    while True:
        f = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for u in units:
            f += process(u)
        elapsed += time.perf_counter() - t0
        used += time.process_time() - c0
        passes += 1
        found = f
        if elapsed >= min_time:
            if cpu is not None:
                cpu.append(used / passes)
            return elapsed / passes, found, passes


def result_line(corpus: str, unit: str, mode: str, nbytes: int, sec: float, found: int, note: str) -> str:
    """One line in the shared benchmark's ``RESULT`` format."""
    mbps = nbytes / 1e6 / sec if sec > 0 else float("inf")
    return (f"RESULT peer={PEER} corpus={corpus} unit={unit} mode={mode} bytes={nbytes} sec={sec:.6f} "
            f"mbps={mbps:.3f} found={found} errors=0 note={note}")


def run_speed(args: argparse.Namespace) -> int:
    posts = load_posts(args.corpus, args.posts)
    units = units_of(posts, args.unit)
    nbytes = sum(len(u.encode("utf-8")) for u in units)
    processors = make_processors()
    modes = ["parse", "render"] if args.mode == "both" else [args.mode]
    rows = []
    for mode in modes:
        samples: list[float] = []
        cpus: list[float] = []
        found = 0
        for _ in range(args.reps):
            sec, found, passes = time_mode(units, processors[mode], args.min_time, cpus)
            samples.append(sec)
        sec = statistics.median(samples)
        print(result_line(Path(args.corpus).name, args.unit, mode, nbytes, sec, found,
                          f"in-process;reps={args.reps};passes={passes}") + f" cpu_sec={min(cpus):.6f}", flush=True)
        rows.append((mode, nbytes / 1e6 / sec, nbytes / 1e6 / max(samples), nbytes / 1e6 / min(samples), found))
    print()
    print(f"{Path(args.corpus).name}, unit={args.unit}, {len(units)} unit(s), {nbytes:,} bytes, "
          f"median of {args.reps} rep(s)")
    print()
    print("| mode | median MB/s | min–max MB/s | found |")
    print("|---|---:|---:|---:|")
    for mode, med, lo, hi, found in rows:
        print(f"| {mode} | {med:.2f} | {lo:.2f}–{hi:.2f} | {found} |")
    return 0


# ---------------------------------------------------------------------- memory
def _rss_kib() -> int:
    """Current resident set size (KiB) from /proc, or the peak when /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_probe(kind: str, corpus: str, unit: str, limit: "int | None") -> dict:
    """Measure one parse of the corpus in *this* process (call it in a fresh one)."""
    text = units_of(load_posts(corpus, limit), unit)
    shortcodes.parse('[gallery ids="1"] [x a=”b”]', tags=REGISTERED)  # build the regexes first
    nbytes = sum(len(u.encode("utf-8")) for u in text)
    out: dict = {"probe": kind, "bytes": nbytes, "units": len(text),
                 "str_bytes": sum(sys.getsizeof(u) for u in text)}
    if kind == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        docs = [shortcodes.parse(u, tags=REGISTERED) for u in text]
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out.update(peak_bytes=peak - base, retained_bytes=current - base)
    else:
        before = _rss_kib()
        docs = [shortcodes.parse(u, tags=REGISTERED) for u in text]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out.update(rss_before_bytes=before * 1024, peak_rss_bytes=peak * 1024,
                   peak_bytes=max(0, peak - before) * 1024, retained_bytes=max(0, _rss_kib() - before) * 1024)
    out["found"] = sum(1 for d in docs for n in d.walk() if isinstance(n, shortcodes.Shortcode))
    return out


def run_memory(args: argparse.Namespace) -> int:
    rows = []
    for kind in ("tracemalloc", "rss"):
        cmd = [sys.executable, os.path.abspath(__file__), "--memory-probe", kind, "--corpus", str(args.corpus),
               "--unit", args.unit] + (["--posts", str(args.posts)] if args.posts else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(f"memory probe {kind} failed (exit {proc.returncode})")
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    name = Path(args.corpus).name
    for r in rows:
        times = r["peak_bytes"] / r["bytes"]
        print(f"MEMORY peer={PEER} corpus={name} unit={args.unit} mode=parse probe={r['probe']} "
              f"bytes={r['bytes']} peak={r['peak_bytes']} retained={r['retained_bytes']} "
              f"times_input={times:.2f} str_bytes={r['str_bytes']}"
              + (f" peak_rss={r['peak_rss_bytes']}" if "peak_rss_bytes" in r else ""), flush=True)
    print()
    print(f"Peak memory of parse(), {name}, unit={args.unit}: {rows[0]['bytes']:,} bytes of UTF-8 input "
          f"({rows[0]['str_bytes']:,} bytes as Python str)")
    print()
    print("| probe | peak during parse | × input | kept after (the Document) | × input |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        label = ("tracemalloc peak" if r["probe"] == "tracemalloc"
                 else "peak RSS − RSS before")
        print(f"| {label} | {r['peak_bytes'] / 1e6:.1f} MB | {r['peak_bytes'] / r['bytes']:.2f} "
              f"| {r['retained_bytes'] / 1e6:.1f} MB | {r['retained_bytes'] / r['bytes']:.2f} |")
    return 0


# ------------------------------------------------------------- compiled vs pure
IMPL_ENV = {"compiled": "", "pure": "1"}  # the value of SHORTCODES_PURE (shortcodes.common.compiled)


def _result(line: str) -> dict:
    return dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)


def _run_results(cmd: list[str], env: dict, cwd: "str | None" = None) -> list[dict]:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd[:3])}... failed (exit {proc.returncode})")
    return [_result(line) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]


def _pure_parse() -> Callable[..., object]:
    """``parse`` of the pure sources, imported again beside the compiled twins (as tests/test_compiled.py does)."""
    import importlib.util

    core = Path(shortcodes.__file__).resolve().parent / "core"
    mods = {}
    for leaf in ("scanner", "parser"):
        spec = importlib.util.spec_from_file_location(f"shortcodes.core._{leaf}_bench_pure", core / f"{leaf}.py")
        assert spec is not None and spec.loader is not None
        mods[leaf] = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mods[leaf]
        spec.loader.exec_module(mods[leaf])
    mods["parser"].Scanner = mods["scanner"].Scanner  # type: ignore[attr-defined]
    return mods["parser"].parse  # type: ignore[attr-defined]


def in_process_ratio(args: argparse.Namespace, rounds: int = 7) -> str:
    """The compiled and the pure ``parse`` alternating in one process: CPU seconds per pass, best of ``rounds``."""
    import gc

    from shortcodes.common.compiled import implementation

    if set(implementation().values()) != {"compiled"}:
        return "IN_PROCESS skipped: the compiled twins are not in use here"
    units = units_of(load_posts(args.corpus, args.posts), args.unit)
    fns = {"compiled": shortcodes.parse, "pure": _pure_parse()}
    best = dict.fromkeys(fns, float("inf"))
    for r in range(rounds):
        for name in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
            fn = fns[name]
            for u in units[: max(1, len(units) // 10)]:
                fn(u, tags=REGISTERED)
            gc.collect()
            t = time.process_time()
            for u in units:
                fn(u, tags=REGISTERED)
            best[name] = min(best[name], time.process_time() - t)
    return (f"IN_PROCESS mode=parse rounds={rounds} compiled_cpu_sec={best['compiled']:.4f} "
            f"pure_cpu_sec={best['pure']:.4f} compiled_over_pure={best['pure'] / best['compiled']:.3f}")


def run_implementations(args: argparse.Namespace) -> int:
    """Each repetition: a fresh process per implementation (rotated), baseline-re and PHP; ratios per repetition."""
    from bench_convert import SHARED_BENCH, calibration

    print(calibration(), flush=True)
    runners = SHARED_BENCH / "runners"
    modes = ["parse", "render"] if args.mode == "both" else [args.mode]
    reps: list[dict] = []
    # (the PHP and re ratios are of wall times, as the shared runners measure them)
    for rep in range(args.reps):
        got: dict = {}
        order = args.implementations[rep % len(args.implementations):] + args.implementations[:rep % len(args.implementations)]
        for impl in order:
            env = {**os.environ, "SHORTCODES_PURE": IMPL_ENV[impl]}
            which = subprocess.run([sys.executable, "-m", "shortcodes", "--version"], capture_output=True,
                                   text=True, env=env).stdout.splitlines()[-1:]
            for mode in modes:
                cmd = [sys.executable, os.path.abspath(__file__), "--corpus", str(args.corpus), "--unit", args.unit,
                       "--mode", mode, "--reps", "3", "--min-time", str(args.min_time)]
                cmd += ["--posts", str(args.posts)] if args.posts else []
                (r,) = _run_results(cmd, env)
                got[impl, mode] = float(r["sec"])
                got[impl, mode, "cpu"] = float(r["cpu_sec"])
                print(f"RESULT impl={impl} rep={rep + 1} " + " ".join(f"{k}={v}" for k, v in r.items())
                      + f" which={which[0].replace(' ', '_') if which else '?'}", flush=True)
        if (runners / "py_baseline_re.py").is_file():
            (r,) = _run_results([sys.executable, str(runners / "py_baseline_re.py"), "--corpus", str(args.corpus),
                                 "--unit", args.unit], dict(os.environ))
            got["re"] = float(r["sec"])
            print(f"RESULT rep={rep + 1} " + " ".join(f"{k}={v}" for k, v in r.items()), flush=True)
        if args.php:
            php = SHARED_BENCH / ".venv" / "bin" / "python"
            (r,) = _run_results([str(php if php.is_file() else sys.executable), str(runners / "py_wp_oracle.py"),
                                 "--corpus", str(args.corpus), "--unit", args.unit], dict(os.environ))
            got["php"] = float(r["sec"])
            print(f"RESULT rep={rep + 1} " + " ".join(f"{k}={v}" for k, v in r.items()), flush=True)
        parts = []
        for mode in modes:
            if ("compiled", mode) in got and ("pure", mode) in got:
                parts.append(f"{mode}_compiled_over_pure={got['pure', mode] / got['compiled', mode]:.2f}")
                parts.append(f"{mode}_compiled_over_pure_cpu="
                             f"{got['pure', mode, 'cpu'] / got['compiled', mode, 'cpu']:.2f}")
            for impl in args.implementations:
                if "php" in got:
                    parts.append(f"{mode}_{impl}_over_php={got['php'] / got[impl, mode]:.2f}")
                if "re" in got and mode == "parse":
                    parts.append(f"parse_{impl}_times_re={got[impl, mode] / got['re']:.1f}")
        print(f"IMPL_RATIO rep={rep + 1} " + " ".join(parts), flush=True)
        reps.append(got)
    print(calibration(), flush=True)
    if "parse" in modes:
        print(in_process_ratio(args), flush=True)
        print(calibration(), flush=True)
    print()
    print(f"{Path(args.corpus).name}, unit={args.unit}: median over {args.reps} repetition(s) of the per-repetition "
          "ratios (speed; the re floor as a multiple of its time)")
    print()
    print("| | " + " | ".join(args.implementations) + " |")
    print("|---|" + "---:|" * len(args.implementations))
    for mode in modes:
        cells = [f"{statistics.median(r[impl, mode] for r in reps) * 1e3:.0f} ms" for impl in args.implementations]
        print(f"| `{mode}` time per pass | " + " | ".join(cells) + " |")
        cells = [f"{statistics.median(r[impl, mode, 'cpu'] for r in reps) * 1e3:.0f} ms"
                 for impl in args.implementations]
        print(f"| `{mode}` CPU time per pass (best of 3) | " + " | ".join(cells) + " |")
        if set(args.implementations) == set(IMPL_ENV):
            ratio = statistics.median(r["pure", mode, "cpu"] / r["compiled", mode, "cpu"] for r in reps)
            print(f"| `{mode}` compiled ÷ pure, CPU (speed) | {ratio:.2f}× | 1 |")
        if all("php" in r for r in reps):
            cells = [f"{statistics.median(r['php'] / r[impl, mode] for r in reps):.2f}×" for impl in args.implementations]
            print(f"| `{mode}` ÷ PHP `do_shortcode` | " + " | ".join(cells) + " |")
        if mode == "parse" and all("re" in r for r in reps):
            cells = [f"{statistics.median(r[impl, mode] / r['re'] for r in reps):.1f}×" for impl in args.implementations]
            print("| `parse` time ÷ `baseline-re` time | " + " | ".join(cells) + " |")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="corpus-<N>mb.jsonl of the shared benchmark")
    ap.add_argument("--unit", choices=["posts", "doc"], default="posts",
                    help="posts: each post on its own (default); doc: the whole corpus as one string")
    ap.add_argument("--mode", choices=["parse", "render", "both"], default="both",
                    help="parse: shortcodes.parse(tags=...); render: shortcodes.do_shortcode (default: both)")
    ap.add_argument("--posts", type=int, default=None, help="use only the first N posts")
    ap.add_argument("--reps", type=int, default=3, help="timed repetitions, median reported (default 3)")
    ap.add_argument("--min-time", type=float, default=0.5,
                    help="repeat passes until this many seconds were measured (default 0.5; 0 = one pass)")
    ap.add_argument("--memory", action="store_true", help="measure peak memory of parse (fresh processes)")
    ap.add_argument("--memory-probe", choices=["tracemalloc", "rss"], help=argparse.SUPPRESS)
    ap.add_argument("--implementations", nargs="+", choices=sorted(IMPL_ENV), default=None,
                    help="compare the compiled twins and the pure modules: fresh processes per repetition, "
                         "with baseline-re and a CALIBRATION line")
    ap.add_argument("--php", action="store_true",
                    help="with --implementations: also WordPress's PHP do_shortcode (the shared runner)")
    return ap


def main(argv: "list[str] | None" = None) -> int:
    args = build_parser().parse_args(argv)
    if args.reps < 1:
        raise SystemExit("--reps must be at least 1")
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.corpus, args.unit, args.posts)))
        return 0
    if args.memory:
        return run_memory(args)
    if args.implementations:
        return run_implementations(args)
    return run_speed(args)


if __name__ == "__main__":
    sys.exit(main())
