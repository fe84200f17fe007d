#!/usr/bin/env python3
"""wp-shortcodes against WordPress's PHP and the Python/JavaScript peers, in one run.

Runs the shared peer benchmark (``shared/bench``: ``make_corpus.py`` and one
runner per peer, each timed in a fresh process, interleaved across peers)
with this checkout added (``PROJECT=...``), measures the peak memory of
``parse`` on the largest single document, optionally times ``shortcodes
convert`` (``bench_convert.py``), and prints a report in which every figure
is also a ratio to the other peers *of the same run* (absolute MB/s on a
shared VM are noise; ratios measured side by side are not).

    python bench/run_bench.py                               # REPS=3, SIZES="1 10", DOC_SIZES="1 10"
    python bench/run_bench.py --reps 5 --convert            # + shortcodes convert at 100 MB
    python bench/run_bench.py --from-log bench/results/run-*.log   # report from existing logs only

``shared/bench`` is read-only material: it is copied to
``bench/.work/peer-bench`` (git-ignored; ``--workdir`` to choose) and run
there; its ``setup.sh`` installs the peers into that folder from PyPI/npm.
Reports go to ``bench/results/`` (git-ignored); ``--report PATH`` writes a
copy elsewhere (e.g. ``bench/reports/YYYY-MM-DD.md`` to commit).
"""
from __future__ import annotations

import argparse
import collections
import datetime as _dt
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("WP_SHORTCODES_SHARED", ROOT.parent / "shared"))
DEFAULT_WORKDIR = HERE / ".work" / "peer-bench"
RESULTS = HERE / "results"

PROJECT_PEER = "wp-shortcodes"
WP_PEER = "wp-php-do_shortcode"
#: Targets of the issues ("Core" §9, "Bulk conversion" §5).
DOC_FRACTION = 0.5
MEMORY_LIMIT = 10.0
CONVERT_MBPS = 20.0
CONVERT_SCALING = 1.7
CONVERT_RSS_MB = 200.0

_LINE = re.compile(r"^(RESULT|MEMORY|CONVERT) (.*)$")
_REP = re.compile(r"^# rep (\d+)/\d+$")
#: Files of shared/bench that a copy needs (the rest is made by setup.sh / make_corpus.py).
_SKIP = {".venv", ".venv-project", "node_modules", "corpus", "results", "__pycache__", ".cache"}


# ----------------------------------------------------------------- log reading
def read_lines(paths: Iterable["str | Path"]) -> list[dict[str, str]]:
    """Every ``RESULT``/``MEMORY``/``CONVERT`` line of the files, as dicts (``kind`` = the first word).

    Other lines (comments, progress) are skipped; ``# `` header lines are
    kept as ``{"kind": "header", "text": ...}``.
    """
    rows: list[dict[str, str]] = []
    for i, p in enumerate(paths):
        rep = ""
        for line in Path(p).read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line.startswith("# ") and "host=" in line:
                rows.append({"kind": "header", "text": line[2:]})
                continue
            r = _REP.match(line)
            if r:
                rep = f"{i}:{r.group(1)}"  # run_all.sh's "# rep k/N": peers interleaved, close in time
                continue
            m = _LINE.match(line)
            if not m:
                continue
            d = dict(kv.split("=", 1) for kv in m.group(2).split(" ") if "=" in kv)
            d["kind"] = m.group(1)
            if rep and m.group(1) == "RESULT":
                d["_rep"] = rep
            rows.append(d)
    return rows


@dataclass
class Speed:
    """The runs of one (corpus, unit, peer, mode)."""

    corpus: str
    unit: str
    peer: str
    mode: str
    mbps: list[float] = field(default_factory=list)
    found: list[int] = field(default_factory=list)
    errors: int = 0
    failures: list[str] = field(default_factory=list)
    by_rep: dict[str, float] = field(default_factory=dict)

    @property
    def median(self) -> "float | None":
        return statistics.median(self.mbps) if self.mbps else None

    def ratio(self, other: "Speed | None") -> "float | None":
        """self ÷ other: the median of the per-repetition ratios when both ran in the same
        repetitions (the load of a shared VM changes between repetitions), else of the medians."""
        if other is None:
            return None
        common = sorted(set(self.by_rep) & set(other.by_rep))
        if common:
            return statistics.median(self.by_rep[r] / other.by_rep[r] for r in common)
        return _ratio(self.median, other.median)


def speeds(rows: Sequence[dict[str, str]]) -> dict[tuple[str, str, str, str], Speed]:
    """Group the ``RESULT`` rows by (corpus, unit, peer, mode)."""
    out: dict[tuple[str, str, str, str], Speed] = {}
    for r in rows:
        if r["kind"] != "RESULT":
            continue
        key = (r["corpus"], r["unit"], r["peer"], r["mode"])
        s = out.setdefault(key, Speed(*key))
        if r.get("status", "ok") != "ok":
            s.failures.append(r["status"])
            continue
        s.mbps.append(float(r["mbps"]))
        s.found.append(int(r["found"]))
        if r.get("_rep") and float(r["mbps"]) > 0:
            s.by_rep[r["_rep"]] = float(r["mbps"])
        s.errors = max(s.errors, int(r.get("errors", 0)))
    return out


def _size_key(corpus: str) -> int:
    digits = re.sub(r"\D", "", corpus)
    return int(digits) if digits else 0


def _fmt(x: "float | None", digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _ratio(a: "float | None", b: "float | None") -> "float | None":
    return None if a is None or not b else a / b


# ------------------------------------------------------------------- the report
def speed_tables(groups: dict[tuple[str, str, str, str], Speed]) -> list[str]:
    """One Markdown table per (corpus, unit): every peer, with wp-shortcodes ÷ peer ratios."""
    out: list[str] = []
    sections = sorted({(k[0], k[1]) for k in groups}, key=lambda x: (x[1] != "posts", _size_key(x[0]), x[1]))
    for corpus, unit in sections:
        keys = [k for k in groups if k[0] == corpus and k[1] == unit]
        ours = {m: groups.get((corpus, unit, PROJECT_PEER, m)) for m in ("render", "parse")}
        wp = groups.get((corpus, unit, WP_PEER, "render"))
        wp_found = wp.found[0] if wp and wp.found else None
        keys.sort(key=lambda k: (k[2] != PROJECT_PEER, -(groups[k].median or 0)))
        out += [f"### {corpus}, unit={unit}", "",
                "| peer | mode | median MB/s | min–max | runs | found | found / WP "
                "| wp-shortcodes render ÷ this | wp-shortcodes parse ÷ this |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for k in keys:
            s = groups[k]
            if not s.mbps:
                out.append(f"| {s.peer} | {s.mode} | {','.join(sorted(set(s.failures)))} | – | "
                           f"{len(s.failures)} | – | – | – | – |")
                continue
            founds = sorted(set(s.found))
            found = str(founds[0]) if len(founds) == 1 else f"{founds[0]}–{founds[-1]}"
            runs = str(len(s.mbps)) + (f" (+{len(s.failures)} {s.failures[0]})" if s.failures else "")
            ratios = []
            for m in ("render", "parse"):
                o = ours[m]
                ratios.append("–" if o is None or (s.peer == PROJECT_PEER and s.mode == m)
                              else _fmt(o.ratio(s)) + "×")
            out.append(f"| {s.peer} | {s.mode} | {_fmt(s.median)} | {_fmt(min(s.mbps))}–{_fmt(max(s.mbps))} "
                       f"| {runs} | {found}{' (errors: %d)' % s.errors if s.errors else ''} "
                       f"| {_fmt(_ratio(founds[0], wp_found))} | {ratios[0]} | {ratios[1]} |")
        out.append("")
    return out


def _verdict(ok: "bool | None") -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def target_rows(groups: dict[tuple[str, str, str, str], Speed], rows: Sequence[dict[str, str]]) -> list[str]:
    """The issues' targets, each with what this run measured and whether it is met."""
    out = ["| target | measured in this run | |", "|---|---|---|"]
    posts = sorted({k[0] for k in groups if k[1] == "posts"}, key=_size_key)
    docs = sorted({k[0] for k in groups if k[1] == "doc"}, key=_size_key)

    def med(corpus: str, unit: str, peer: str, mode: str) -> "float | None":
        s = groups.get((corpus, unit, peer, mode))
        return s.median if s else None

    def ratio(a: tuple[str, str, str, str], b: tuple[str, str, str, str]) -> "float | None":
        sa, sb = groups.get(a), groups.get(b)
        return sa.ratio(sb) if sa and sb and sa.mbps and sb.mbps else None

    for corpus in posts:
        wp = med(corpus, "posts", WP_PEER, "render")
        for mode, what in (("render", "`do_shortcode`"), ("parse", "`parse` (full AST)")):
            ours = med(corpus, "posts", PROJECT_PEER, mode)
            r = ratio((corpus, "posts", PROJECT_PEER, mode), (corpus, "posts", WP_PEER, "render"))
            out.append(f"| per post ({corpus}): {what} at least as fast as WordPress PHP `do_shortcode` "
                       f"| median {_fmt(ours)} vs {_fmt(wp)} MB/s; per-repetition ratio {_fmt(r)}× "
                       f"| {_verdict(None if r is None else r >= 1)} |")
    for corpus in docs[-1:]:
        if corpus not in posts:
            continue
        for mode, what in (("parse", "`parse`"), ("render", "`do_shortcode`")):
            d = med(corpus, "doc", PROJECT_PEER, mode)
            p = med(corpus, "posts", PROJECT_PEER, mode)
            r = ratio((corpus, "doc", PROJECT_PEER, mode), (corpus, "posts", PROJECT_PEER, mode))
            wp_r = ratio((corpus, "doc", WP_PEER, "render"), (corpus, "posts", WP_PEER, "render"))
            wp_note = f"; WordPress PHP: {_fmt(wp_r)}×" if wp_r else ""
            out.append(f"| {corpus} as one document: {what} at ≥ {DOC_FRACTION:g}× its per-post speed "
                       f"| median {_fmt(d)} vs {_fmt(p)} MB/s; per-repetition ratio {_fmt(r)}×{wp_note} "
                       f"| {_verdict(None if r is None else r >= DOC_FRACTION)} |")
    mem = [r for r in rows if r["kind"] == "MEMORY"]
    mem.sort(key=lambda r: (_size_key(r["corpus"]), r.get("probe", "")))
    if mem:
        top = _size_key(mem[-1]["corpus"])
        for r in (r for r in mem if _size_key(r["corpus"]) == top):
            t = float(r["times_input"])
            probe = "tracemalloc peak" if r.get("probe") == "tracemalloc" else "peak RSS growth"
            out.append(f"| peak memory of `parse` on {r['corpus']} ({r['unit']}) under {MEMORY_LIMIT:g}× the input "
                       f"| {probe}: {int(r['peak']) / 1e6:.1f} MB for {int(r['bytes']) / 1e6:.1f} MB = {t:.2f}× "
                       f"| {_verdict(t < MEMORY_LIMIT)} |")
    else:
        out.append(f"| peak memory of `parse` under {MEMORY_LIMIT:g}× the input | – | not measured |")
    out += convert_target_rows(rows)
    return out


def _main_format(conv: Sequence[dict[str, str]]) -> "str | None":
    """The output format the targets are judged on: wxr (the rewritten export) when measured."""
    formats = [r.get("to") for r in conv if r.get("peer") == PROJECT_PEER]
    return "wxr" if "wxr" in formats else (formats[0] if formats else None)


def convert_target_rows(rows: Sequence[dict[str, str]]) -> list[str]:
    """Targets of "Bulk conversion" §5 from the ``CONVERT`` lines (``bench_convert.py``)."""
    conv = [r for r in rows if r["kind"] == "CONVERT" and r.get("peer") == PROJECT_PEER and r.get("status", "ok") == "ok"]
    conv = [r for r in conv if r.get("to") == _main_format(conv)]
    if not conv:
        return [f"| `shortcodes convert` ≥ {CONVERT_MBPS:g} MB/s, `--jobs 2` ≥ {CONVERT_SCALING:g}× `--jobs 1`, "
                f"peak RSS < {CONVERT_RSS_MB:g} MB | – | not measured |"]
    by_jobs: dict[int, list[dict[str, str]]] = collections.defaultdict(list)
    for r in conv:
        by_jobs[int(r["jobs"])].append(r)
    corpus = conv[0]["corpus"]

    def med(jobs: int, key: str) -> "float | None":
        vals = [float(r[key]) for r in by_jobs.get(jobs, [])]
        return statistics.median(vals) if vals else None

    out = []
    one = med(1, "mbps")
    out.append(f"| `shortcodes convert` ({corpus} → {conv[0].get('to')}, render, `--jobs 1`) ≥ {CONVERT_MBPS:g} MB/s "
               f"| {_fmt(one)} MB/s | {_verdict(None if one is None else one >= CONVERT_MBPS)} |")
    two = med(2, "mbps")
    r = _ratio(two, one)
    out.append(f"| `--jobs 2` ≥ {CONVERT_SCALING:g}× `--jobs 1` | {_fmt(two)} vs {_fmt(one)} MB/s = {_fmt(r)}× "
               f"| {_verdict(None if r is None else r >= CONVERT_SCALING)} |")
    worst = max(float(r["max_rss_mb"]) for r in conv)
    tree = max(float(r.get("tree_rss_mb", 0)) for r in conv)
    out.append(f"| peak RSS < {CONVERT_RSS_MB:g} MB | largest process {worst:.0f} MB; all processes together "
               f"{tree:.0f} MB | {_verdict(worst < CONVERT_RSS_MB)} |")
    return out


def convert_table(rows: Sequence[dict[str, str]]) -> list[str]:
    conv = [r for r in rows if r["kind"] == "CONVERT"]
    if not conv:
        return []
    groups: dict[tuple[str, str, str, str], list[dict[str, str]]] = collections.defaultdict(list)
    for r in conv:
        groups[(r["corpus"], r["peer"], r.get("to", "?"), r.get("jobs", "1"))].append(r)
    first = _main_format(conv)
    ours = [float(r["mbps"]) for r in conv if r["peer"] == PROJECT_PEER and r.get("jobs") == "1"
            and r.get("to") == first and r.get("status", "ok") == "ok"]
    base = statistics.median(ours) if ours else None
    out = ["| corpus | converter | output | jobs | median MB/s | posts/s | wall s | largest process RSS "
           "| all processes RSS | runs | same output as `--jobs 1` | MB/s ÷ wp-shortcodes `--jobs 1` |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for (corpus, peer, to, jobs), rs in sorted(groups.items(), key=lambda kv: (kv[0][1] != PROJECT_PEER, kv[0])):
        ok = [r for r in rs if r.get("status", "ok") == "ok"]
        if not ok:
            out.append(f"| {corpus} | {peer} | {to} | {jobs} | {rs[0].get('status')} | – | – | – | – | {len(rs)} "
                       "| – | – |")
            continue
        same = ",".join(sorted({v for r in ok for k, v in r.items() if k.startswith("same_as_jobs")})) or "–"
        mb = statistics.median(float(r["mbps"]) for r in ok)
        ps = statistics.median(float(r["posts_per_s"]) for r in ok)
        sec = statistics.median(float(r["sec"]) for r in ok)
        rss = max(float(r["max_rss_mb"]) for r in ok)
        tree = max(float(r.get("tree_rss_mb", 0)) for r in ok)
        out.append(f"| {corpus} | {peer} | {to} | {jobs} | {mb:.2f} | {ps:.0f} | {sec:.1f} | {rss:.0f} MB "
                   f"| {tree:.0f} MB | {len(ok)} | {same} | {_fmt(_ratio(mb, base))}× |")
    return out + [""]


def build_report(rows: Sequence[dict[str, str]], *, title_date: "str | None" = None,
                 command: str = "") -> str:
    """The whole Markdown report for the rows of one run."""
    groups = speeds(rows)
    headers = [r["text"] for r in rows if r["kind"] == "header"]
    date = title_date or _dt.date.today().isoformat()
    lines = [f"# wp-shortcodes benchmark, {date}", ""]
    if headers:
        lines += [f"Run: `{headers[0]}`", ""]
    if command:
        lines += [f"Command: `{command}`", ""]
    lines += ["MB = 10^6 bytes of UTF-8 post content; medians over the repetitions, each in a fresh process. "
              "Ratios are the median of the per-repetition ratios (in each repetition the peers run one "
              "after the other, close in time). The VM has 2 cores shared with other work and is noisy: "
              "compare the ratios within this run, not absolute MB/s between runs or machines.", "",
              "## Targets", ""]
    lines += target_rows(groups, rows)
    lines += ["", "## Speed (`unit=posts`: each post parsed on its own; `unit=doc`: the whole corpus as one string)",
              ""]
    lines += speed_tables(groups)
    mem = [r for r in rows if r["kind"] == "MEMORY"]
    if mem:
        lines += ["## Peak memory of `parse`", "",
                  "| corpus | unit | probe | input (UTF-8) | peak during parse | × input | kept (the Document) | × input |",
                  "|---|---|---|---:|---:|---:|---:|---:|"]
        for r in sorted(mem, key=lambda r: (_size_key(r["corpus"]), r["unit"], r.get("probe", ""))):
            b = int(r["bytes"])
            lines.append(f"| {r['corpus']} | {r['unit']} | {r.get('probe')} | {b / 1e6:.1f} MB "
                         f"| {int(r['peak']) / 1e6:.1f} MB | {int(r['peak']) / b:.2f} "
                         f"| {int(r['retained']) / 1e6:.1f} MB | {int(r['retained']) / b:.2f} |")
        lines.append("")
    conv = convert_table(rows)
    if conv:
        lines += ["## `shortcodes convert` (render mode) and wordpress-export-to-markdown, end to end", ""] + conv
    return "\n".join(lines).rstrip() + "\n"


# -------------------------------------------------------------------- running
def prepare_workdir(shared: Path, workdir: "Path | None") -> Path:
    """A writable copy of the shared peer benchmark (never ``shared`` itself).

    ``shared/`` is read-only material for this project; as root, write
    permission bits do not stop a write, so the benchmark is always copied
    (its scripts only; ``setup.sh`` then installs the peers into the copy).
    """
    if not (shared / "run_all.sh").is_file():
        raise SystemExit(f"{shared}: not the shared peer benchmark (no run_all.sh); "
                         "set WP_SHORTCODES_SHARED or pass --shared")
    workdir = (workdir or DEFAULT_WORKDIR).resolve()
    if workdir == shared or shared in workdir.parents:
        raise SystemExit(f"--workdir {workdir} is inside {shared}, which must stay untouched")
    workdir.mkdir(parents=True, exist_ok=True)
    for src in shared.rglob("*"):
        rel = src.relative_to(shared)
        if rel.parts[0] in _SKIP or not src.is_file():
            continue
        dst = workdir / rel
        if dst.exists() and dst.stat().st_size == src.stat().st_size and dst.stat().st_mtime >= src.stat().st_mtime:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists():
            dst.chmod(0o644)
        shutil.copy2(src, dst)
        dst.chmod(0o755 if os.access(src, os.X_OK) else 0o644)
    return workdir


def run_peers(workdir: Path, args: argparse.Namespace, log_to: Path, results: Path) -> Path:
    """``run_all.sh`` with this checkout as PROJECT; returns the path of its RESULT log."""
    env = dict(os.environ, PROJECT=str(ROOT), REPS=str(args.reps), SIZES=args.sizes,
               DOC_SIZES=args.doc_sizes, CLI_SIZES=args.cli_sizes, TIMEOUT=str(args.timeout))
    oracle = SHARED / "oracle"
    if "WP_ORACLE_DIR" not in env and (oracle / "wp.py").is_file():
        env["WP_ORACLE_DIR"] = str(oracle)  # a copy has no ../oracle beside it
    print(f"running {workdir}/run_all.sh (output: {log_to}) ...", file=sys.stderr, flush=True)
    with open(log_to, "w", encoding="utf-8") as out:
        proc = subprocess.run(["bash", "run_all.sh"], cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    text = log_to.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"^log: (\S+)$", text, re.M)
    if proc.returncode != 0 or not m:
        tail = "\n".join(line for line in text.splitlines() if "is ignored" not in line)[-2000:]
        raise SystemExit(f"run_all.sh failed (exit {proc.returncode}); see {log_to}\n{tail}")
    log = workdir / m.group(1)
    copy = results / log.name
    shutil.copy2(log, copy)
    return copy


def project_python(workdir: Path) -> str:
    """The Python the project runners used (the project installed alone), else this one."""
    venv = workdir / ".venv-project" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


def run_memory(workdir: Path, size: str, out: Path) -> None:
    corpus = workdir / "corpus" / f"corpus-{size}mb.jsonl"
    cmd = [project_python(workdir), str(HERE / "bench_parse.py"), "--memory", "--corpus", str(corpus), "--unit", "doc"]
    print(f"memory: {' '.join(cmd)}", file=sys.stderr, flush=True)
    with open(out, "a", encoding="utf-8") as f:
        subprocess.run(cmd, check=True, stdout=f)


def run_convert(workdir: Path, args: argparse.Namespace, out: Path) -> None:
    cmd = [sys.executable, str(HERE / "bench_convert.py"), "--workdir", str(workdir),
           "--size", str(args.convert_size), "--reps", str(args.convert_reps)]
    print(f"convert: {' '.join(cmd)}", file=sys.stderr, flush=True)
    with open(out, "a", encoding="utf-8") as f:
        subprocess.run(cmd, check=True, stdout=f)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--reps", type=int, default=3, help="repetitions per peer (run_all.sh REPS; default 3)")
    ap.add_argument("--sizes", default="1 10", help="per-post corpus sizes in MB (default '1 10')")
    ap.add_argument("--doc-sizes", default="1 10", help="whole-document sizes in MB (default '1 10')")
    ap.add_argument("--cli-sizes", default="", help="WXR sizes for the CLI converter peer in run_all.sh "
                    "(default: none; --convert times it beside shortcodes convert)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per peer run (default 120)")
    ap.add_argument("--shared", type=Path, default=SHARED / "bench", help="the shared peer benchmark")
    ap.add_argument("--workdir", type=Path, default=None,
                    help=f"the copy to run it in (default {DEFAULT_WORKDIR})")
    ap.add_argument("--skip-peers", action="store_true", help="do not run run_all.sh")
    ap.add_argument("--skip-memory", action="store_true", help="do not measure peak memory")
    ap.add_argument("--convert", action="store_true", help="also time `shortcodes convert` (bench_convert.py)")
    ap.add_argument("--convert-size", type=int, default=100, help="WXR size in MB for --convert (default 100)")
    ap.add_argument("--convert-reps", type=int, default=1, help="repetitions for --convert (default 1)")
    ap.add_argument("--from-log", nargs="+", type=Path, metavar="LOG",
                    help="only build the report from these logs (RESULT/MEMORY/CONVERT lines)")
    ap.add_argument("--report", type=Path, help="also write the report here")
    ap.add_argument("--results", type=Path, default=RESULTS,
                    help=f"folder for logs and reports (default {RESULTS}, git-ignored)")
    return ap


def main(argv: "Sequence[str] | None" = None) -> int:
    args = build_parser().parse_args(argv)
    results = args.results
    results.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    if args.from_log:
        logs = list(args.from_log)
    else:
        workdir = prepare_workdir(args.shared.resolve(), args.workdir)
        logs = []
        extra = results / f"extra-{stamp}.log"
        extra.write_text("", encoding="utf-8")
        if not args.skip_peers:
            logs.append(run_peers(workdir, args, results / f"peers-{stamp}.out", results))
        if not args.skip_memory:
            sizes = (args.doc_sizes or args.sizes).split()
            size = max(sizes, key=int)
            if not (workdir / "corpus" / f"corpus-{size}mb.jsonl").is_file():
                subprocess.run([sys.executable, "make_corpus.py", "--sizes", size], cwd=workdir, check=True,
                               stdout=subprocess.DEVNULL)
            run_memory(workdir, size, extra)
        if args.convert:
            run_convert(workdir, args, extra)
        logs.append(extra)
    rows = read_lines(logs)
    if not any(r["kind"] != "header" for r in rows):
        raise SystemExit(f"no RESULT, MEMORY or CONVERT line in {', '.join(map(str, logs))}")
    command = "" if args.from_log else "python bench/run_bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    report = build_report(rows, command=command.strip())
    path = results / f"report-{stamp}.md"
    path.write_text(report, encoding="utf-8")
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(report, encoding="utf-8")
    print(report)
    print(f"report: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
