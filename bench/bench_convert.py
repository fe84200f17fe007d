#!/usr/bin/env python3
"""``shortcodes convert`` end to end on a generated WordPress export: MB/s, posts/s, peak RSS.

The export is ``corpus-<N>mb.wxr`` of the shared benchmark's
``make_corpus.py`` (made on first use); MB are 10^6 bytes of post content,
as for every peer.  Each run is a fresh ``python -m shortcodes convert
--mode render --jobs J --quiet`` (wall time from start to exit, start-up
included).  Memory: the largest RSS of any one process (``wait4`` rusage,
which covers the workers the command reaps) and the peak of the sum over
the whole process tree (sampled from ``/proc`` every 20 ms), and of its
proportional set size (PSS: pages the forked workers share with the parent
counted once).  The output of
each ``--jobs J`` is compared byte for byte with ``--jobs 1``.

The reference is npm ``wordpress-export-to-markdown`` (runner
``runners/cli_wordpress_export_to_markdown.py`` of the shared benchmark, on
``--peer-size`` MB; it converts no shortcode), timed the same way.

    python bench/bench_convert.py --workdir bench/.work/peer-bench              # 100 MB, --jobs 1 and 2
    python bench/bench_convert.py --workdir DIR --size 10 --jobs 1 2 --to html

Before each repetition a ``CALIBRATION`` line gives the machine's own
speed-up for two processes of a fixed pure-Python loop (2.0 on two free
cores; less when other work shares them), and after it a ``RATIO`` line
gives each ``--jobs J``'s speed-up over the first ``--jobs`` in that
repetition: read the two together.  CONVERT lines also give the CPU seconds
of the whole process tree (``cpu_s``, from ``wait4``) and ``mb_per_cpu_s``,
which a loaded machine disturbs much less than the wall time.
``--startup N``: ``STARTUP`` lines for ``shortcodes --version`` and a
one-post convert (best and median wall and CPU seconds of N runs, with the
bytecode cache written, as an installed package has it).

    python bench/bench_convert.py --workdir DIR --to jsonl wxr --jobs 1 2 --reps 3 --startup 7

``--media`` measures WordPress's media shortcodes with their site model: the
corpus (whose posts hold ``[caption]``, ``[gallery ids=…]``, ``[gallery]``,
``[audio]`` and ``[video]``, see ``make_corpus.py``) is copied to
``corpus-<N>mb-media.wxr`` with attachment items added (every id a gallery
names that is not a post, plus three images and an audio file attached to
each post with a bare ``[gallery]`` or ``[audio …]``; 800×600 images with
WordPress's thumbnail/medium/large sizes in ``_wp_attachment_metadata``),
and each run is done twice, one after the other: with the default plugins
(the media tags rendered from the site model) and with
``--no-default-plugins --plugin covid19`` (the media tags kept as text).  A
``MEDIA`` line gives the ratio of the median CPU seconds.

``--implementations compiled pure`` runs each conversion once with the
compiled twins of the scanner and the parser and once with the pure modules
(``SHORTCODES_PURE=1``), in rotated order, compares their outputs (one
reference per format: ``same_as_jobs1`` covers both) and prints an
``IMPL_RATIO`` line per repetition (wall and CPU seconds, pure ÷ compiled).

    python bench/bench_convert.py --size 100 --to jsonl --jobs 1 --reps 3 --implementations compiled pure --peer-size 0

Outputs are written to ``--out-dir`` (default: a folder of its own on
``/dev/shm`` when that is a RAM file system, else the scratch folder beside
the corpus), named in an ``OUTPUT`` line with its file system.  Each run
removes the previous run's output first: ``--to html``/``markdown`` write
some 17,000 files per 100 MB, and on ext4 the inode allocator then skips the
inodes deleted in the last minutes, scanning its bitmaps for each new file
(``recently_deleted`` in ``perf``).  Measured on this VM (2026-12-04): a
10 MB ``--to markdown`` run took 0.82–1.39 s of system time on ext4 right
after such deletions and 0.13 s on tmpfs, the 100 MB one 36.4 s against
30.1 s: a cost of repeating runs, not of converting a site once, so it is
kept out of the figures unless ``--out-dir`` says otherwise.

Prints one ``CONVERT`` line per run, then a table.  Nothing is asserted.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED_BENCH = Path(os.environ.get("WP_SHORTCODES_SHARED", ROOT.parent / "shared")) / "bench"
PEER = "wp-shortcodes"
REF = "cli-wordpress-export-to-markdown"


# ------------------------------------------------------------------ measuring
def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _pss_kib(pid: int) -> int:
    """Proportional set size: a page shared by n processes (a forked worker's) counts 1/n in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants (from /proc)."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.peak_one_kib = 0
        self.peak_pss_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            todo, total, pss = [self.pid], 0, 0
            while todo:
                p = todo.pop()
                rss = _rss_kib(p)
                total += rss
                pss += _pss_kib(p)
                self.peak_one_kib = max(self.peak_one_kib, rss)
                todo += _children(p)
            self.peak_kib = max(self.peak_kib, total)
            self.peak_pss_kib = max(self.peak_pss_kib, pss)
            self.stop.wait(self.interval)


def installed_env(**extra: str) -> dict[str, str]:
    """The environment of the measured runs: as an installed package runs, with its bytecode cached
    (``PYTHONDONTWRITEBYTECODE``, set on some machines, would have every run compile every module
    again, ~0.4 CPU-s per process that no installed copy pays), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def measure(cmd: list[str], cwd: "Path | None" = None, env: "dict[str, str] | None" = None, *,
            sample: bool = True) -> dict:
    """Run ``cmd`` (in :func:`installed_env` unless ``env`` is given); wall seconds, exit status, peak RSS
    (largest process and whole tree), output.

    ``sample=False``: no :class:`TreeSampler` (the whole tree's RSS and PSS are then 0, the largest
    process's RSS still comes from ``wait4``).  Reading ``/proc/PID/smaps_rollup`` of every process each
    20 ms takes CPU from the run on a 2-core machine, the more the more memory the processes hold: the
    timed runs of :func:`run_convert` are not sampled, and a run of its own gives the memory figures."""
    if env is None:
        env = installed_env()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    sampler = TreeSampler(proc.pid)
    if sample:
        sampler.start()
    # read the pipes in threads so that a chatty child cannot block on a full pipe
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    sec = time.perf_counter() - t0
    cpu = usage.ru_utime + usage.ru_stime  # the process and the children it reaped (the workers)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    sampler.stop.set()
    if sample:
        sampler.join()
    return {"sec": sec, "exit": proc.returncode, "cpu": cpu,
            "max_rss_mb": max(usage.ru_maxrss, sampler.peak_one_kib) * 1024 / 1e6,
            "tree_rss_mb": sampler.peak_kib * 1024 / 1e6,
            "tree_pss_mb": sampler.peak_pss_kib * 1024 / 1e6,
            "stdout": chunks.get("out", b"").decode("utf-8", "replace"),
            "stderr": chunks.get("err", b"").decode("utf-8", "replace")}


def digest(path: Path) -> str:
    """SHA-256 of a file, or of every file under a folder (relative names included)."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if f != path:
            h.update(str(f.relative_to(path)).encode() + b"\0")
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


# -------------------------------------------------------------------- corpus
def ensure_corpus(corpus_dir: Path, size: int, generator: Path) -> tuple[Path, dict]:
    """``corpus-<size>mb.wxr`` and its manifest, generated when missing."""
    wxr = corpus_dir / f"corpus-{size}mb.wxr"
    manifest = corpus_dir / f"corpus-{size}mb.json"
    if not (wxr.is_file() and manifest.is_file()):
        if not generator.is_file():
            raise SystemExit(f"{generator}: make_corpus.py not found (pass --workdir or set WP_SHORTCODES_SHARED)")
        print(f"generating {wxr} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(generator), "--sizes", str(size), "--out", str(corpus_dir)],
                       check=True, stdout=subprocess.DEVNULL)
    return wxr, json.loads(manifest.read_text(encoding="utf-8"))


def manifest_of(wxr: Path) -> dict:
    """Posts and content bytes of any export (what make_corpus.py's manifest says of its own)."""
    from shortcodes.exports.wxr import read_wxr

    posts = nbytes = 0
    for post in read_wxr(wxr):
        posts += 1
        nbytes += len(post.content.encode("utf-8"))
    return {"posts": posts, "content_bytes": nbytes}


# ---------------------------------------------------------------------- runs
def convert_line(corpus: str, to: str, jobs: "int | str", nbytes: int, posts: int, m: dict, extra: str = "",
                 peer: str = PEER) -> str:
    status = "ok" if m["exit"] in (0, 1) else f"failed(exit={m['exit']})"
    sec = m["sec"]
    return (f"CONVERT peer={peer} corpus={corpus} to={to} jobs={jobs} bytes={nbytes} posts={posts} "
            f"sec={sec:.3f} mbps={nbytes / 1e6 / sec:.3f} posts_per_s={posts / sec:.1f} "
            f"cpu_s={m.get('cpu', 0):.2f} mb_per_cpu_s={nbytes / 1e6 / max(m.get('cpu', 0), 1e-9):.2f} "
            f"max_rss_mb={m['max_rss_mb']:.1f} tree_rss_mb={m['tree_rss_mb']:.1f} "
            f"tree_pss_mb={m.get('tree_pss_mb', 0):.1f} exit={m['exit']} "
            f"status={status}{(' ' + extra) if extra else ''}")


#: ``--implementations``: the compiled twins (SHORTCODES_PURE unset) and the pure modules (SHORTCODES_PURE=1)
IMPLEMENTATIONS = ("compiled", "pure")


def _loop(n: int = 2_000_000) -> int:
    s = 0
    for i in range(n):
        s += i * i % 7
    return s


def calibration() -> str:
    """The machine's own speed-up for two processes of a fixed pure-Python loop, as a CALIBRATION line."""
    import multiprocessing

    t = time.perf_counter()
    _loop()
    one = time.perf_counter() - t
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_loop) for _ in range(2)]
    t = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    two = time.perf_counter() - t
    return f"CALIBRATION speedup={2 * one / two:.2f} one_sec={one:.3f} two_sec={two:.3f}"


def run_startup(args: argparse.Namespace, scratch: Path) -> list[str]:
    """STARTUP lines: ``shortcodes --version`` and a one-post convert, ``args.startup`` runs each."""
    one = scratch / "one-post.xml"
    one.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                   'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                   'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                   '<wp:wxr_version>1.2</wp:wxr_version>\n<item><title>One</title><wp:post_id>1</wp:post_id>'
                   '<content:encoded><![CDATA[<p>Hello [gallery ids="1,2"]</p>]]></content:encoded></item>\n'
                   '</channel>\n</rss>\n', encoding="utf-8")
    env = installed_env()
    lines = []
    for what, argv in (("version", ["--version"]),
                       ("convert-one-post", ["convert", str(one), "--to", "jsonl", "-o", str(scratch / "one.jsonl"),
                                             "-q"])):
        cmd = [args.python, "-m", "shortcodes", *argv]
        subprocess.run(cmd, cwd=scratch, env=env, capture_output=True, check=False)  # writes the bytecode cache
        walls, cpus = [], []
        for _ in range(args.startup):
            t = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - t)
            cpus.append(usage.ru_utime + usage.ru_stime)
        line = (f"STARTUP what={what} runs={args.startup} best_sec={min(walls):.3f} "
                f"median_sec={statistics.median(walls):.3f} best_cpu_s={min(cpus):.3f} "
                f"median_cpu_s={statistics.median(cpus):.3f}")
        print(line, flush=True)
        lines.append(line)
    return lines


# ------------------------------------------------------------ media corpus
_IMAGE_META = ('a:5:{{s:5:"width";i:800;s:6:"height";i:600;s:4:"file";s:{flen}:"{file}";s:5:"sizes";a:3:{{'
               's:9:"thumbnail";a:4:{{s:4:"file";s:{tlen}:"{thumb}";s:5:"width";i:150;s:6:"height";i:150;'
               's:9:"mime-type";s:10:"image/jpeg";}}'
               's:6:"medium";a:4:{{s:4:"file";s:{mlen}:"{medium}";s:5:"width";i:300;s:6:"height";i:225;'
               's:9:"mime-type";s:10:"image/jpeg";}}'
               's:5:"large";a:4:{{s:4:"file";s:{llen}:"{large}";s:5:"width";i:1024;s:6:"height";i:768;'
               's:9:"mime-type";s:10:"image/jpeg";}}}}s:10:"image_meta";a:0:{{}}}}')


def _attachment(aid: int, parent: int, kind: str) -> str:
    name = f"media-{aid}"
    file = f"2020/03/{name}.{'jpg' if kind == 'image' else 'mp3'}"
    url = f"https://example.com/wp-content/uploads/{file}"
    meta = [("_wp_attached_file", file), ("_wp_attachment_image_alt", f"Picture {aid}")]
    if kind == "image":
        thumb, medium, large = f"{name}-150x150.jpg", f"{name}-300x225.jpg", f"{name}-1024x768.jpg"
        meta.append(("_wp_attachment_metadata", _IMAGE_META.format(
            flen=len(file), file=file, tlen=len(thumb), thumb=thumb, mlen=len(medium), medium=medium,
            llen=len(large), large=large)))
    postmeta = "".join(f"<wp:postmeta><wp:meta_key><![CDATA[{k}]]></wp:meta_key><wp:meta_value><![CDATA[{v}]]>"
                       f"</wp:meta_value></wp:postmeta>" for k, v in meta)
    return (f"<item><title>Picture {aid}</title><link>https://example.com/?attachment_id={aid}</link>"
            f"<guid isPermaLink=\"false\">{url}</guid><content:encoded><![CDATA[]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[{'A caption of ' + str(aid) if aid % 3 == 0 else ''}]]></excerpt:encoded>"
            f"<wp:post_id>{aid}</wp:post_id><wp:post_date><![CDATA[2020-03-01 10:00:00]]></wp:post_date>"
            f"<wp:status><![CDATA[inherit]]></wp:status><wp:post_parent>{parent}</wp:post_parent>"
            f"<wp:menu_order>{aid % 4}</wp:menu_order><wp:post_type><![CDATA[attachment]]></wp:post_type>"
            f"<wp:attachment_url><![CDATA[{url}]]></wp:attachment_url>{postmeta}</item>")


def media_corpus(wxr: Path) -> Path:
    """``wxr`` with the attachments its media tags need, as ``<name>-media.wxr`` (made once)."""
    out = wxr.with_name(wxr.stem + "-media.wxr")
    if out.is_file() and out.stat().st_mtime >= wxr.stat().st_mtime:
        return out
    text = wxr.read_text(encoding="utf-8")
    posts = [int(x) for x in re.findall(r"<wp:post_id>(\d+)</wp:post_id>", text)]
    taken = set(posts)
    named = set()
    for ids in re.findall(r"\[gallery[^\]]*?\bids=[\"']?([\d,]+)", text):
        named.update(int(x) for x in ids.split(",") if x)
    items = [_attachment(aid, 0, "image") for aid in sorted(named - taken)]
    next_id = max([*taken, *named, 0]) + 1
    for m in re.finditer(r"<content:encoded><!\[CDATA\[(.*?)\]\]></content:encoded>\s*<excerpt:encoded>"
                         r".*?<wp:post_id>(\d+)</wp:post_id>", text, re.S):
        body, pid = m.group(1), int(m.group(2))
        if "[gallery]" in body or "[audio" in body:
            for kind in ("image", "image", "image", "audio"):
                items.append(_attachment(next_id, pid, kind))
                next_id += 1
    out.write_text(text.replace("</channel>", "\n".join(items) + "\n</channel>", 1), encoding="utf-8")
    return out


def write_bytecode(python: str, cwd: Path) -> None:
    """Compile the package's modules once (what ``pip install`` does), so no measured run pays for it."""
    subprocess.run([python, "-c", "import compileall, os, shortcodes; "
                    "compileall.compile_dir(os.path.dirname(shortcodes.__file__), quiet=1)"],
                   cwd=cwd, env=installed_env(), capture_output=True, check=False)


def file_system(path: Path) -> str:
    """The type of the file system holding ``path`` (``/proc/mounts``; ``"?"`` where there is none)."""
    best, kind = "", "?"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    target = str(path.resolve())
    for line in mounts:
        fields = line.split()
        if len(fields) >= 3 and (target == fields[1] or target.startswith(fields[1].rstrip("/") + "/")) \
                and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def output_dir(requested: "Path | None", scratch: Path, need_bytes: int) -> Path:
    """A new folder for the runs' outputs: in ``requested``, else on ``/dev/shm`` when it is a RAM file system
    with ``need_bytes`` free (see the module docs), else in ``scratch``."""
    shm = Path("/dev/shm")
    if requested is not None:
        parent = requested
    elif shm.is_dir() and os.access(shm, os.W_OK) and file_system(shm) in ("tmpfs", "ramfs") \
            and shutil.disk_usage(shm).free >= need_bytes:
        parent = shm
    else:
        parent = scratch
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="wp-shortcodes-bench-", dir=parent)).resolve()


def run_convert(wxr: Path, manifest: dict, args: argparse.Namespace, scratch: Path, outputs: Path) -> list[str]:
    """The ``CONVERT`` (``RATIO``, ``IMPL_RATIO``, ``CALIBRATION``) lines; the runs start in ``scratch`` and
    write into ``outputs`` (:func:`output_dir`)."""
    write_bytecode(args.python, scratch)
    lines: list[str] = []
    reference: dict[str, str] = {}
    memory: dict[tuple[str, int, str], dict] = {}  # (to, jobs, variant) -> its sampled run
    variants: list[tuple[str, list[str]]] = [("", [])]
    if args.media:
        variants = [("media", []), ("no-media", ["--no-default-plugins", "--plugin", "covid19"])]
    elif args.implementations:  # the compiled twins or the pure modules (shortcodes.common.compiled)
        variants = [(impl, []) for impl in args.implementations]
    for rep in range(args.reps):
        print(calibration(), flush=True)
        secs: dict[tuple[str, int], float] = {}
        impl: dict[tuple[str, int, str], tuple[float, float]] = {}
        turn = rep % len(variants)  # rotated order: neither variant always runs first
        for jobs in args.jobs:
            for to, (label, variant) in itertools.product(args.to, variants[turn:] + variants[:turn]):
                out = outputs / f"out-{to}-{jobs}"
                if out.exists():
                    shutil.rmtree(out) if out.is_dir() else out.unlink()
                target = out if to in ("html", "markdown") else out.with_suffix(".xml" if to == "wxr" else ".jsonl")
                cmd = [args.python, "-m", "shortcodes", "convert", str(wxr), "--to", to, "-o", str(target),
                       "--mode", "render", "--jobs", str(jobs), "--quiet"] + args.convert_arg + variant
                env = installed_env(SHORTCODES_PURE="1" if label == "pure" else "") if args.implementations \
                    else installed_env()
                # in the scratch folder: `python -m` run from a checkout would import that checkout, not the
                # one --python has installed (or PYTHONPATH names)
                m = measure(cmd, cwd=scratch, env=env, sample=False)
                extra = f"rep={rep + 1}"
                if m["exit"] in (0, 1):  # the memory of every process, from a run of its own (once)
                    if (to, jobs, label) not in memory:
                        memory[to, jobs, label] = measure(cmd, cwd=scratch, env=env)
                    mem = memory[to, jobs, label]
                    m.update(tree_rss_mb=mem["tree_rss_mb"], tree_pss_mb=mem["tree_pss_mb"],
                             max_rss_mb=max(m["max_rss_mb"], mem["max_rss_mb"]))
                if label in IMPLEMENTATIONS:
                    impl[to, jobs, label] = (m["sec"], m.get("cpu", 0.0))
                if m["exit"] in (0, 1) and target.exists():
                    d = digest(target)
                    key = to if label in IMPLEMENTATIONS else f"{to}/{label}"  # compiled and pure: one output
                    if jobs == args.jobs[0] and key not in reference:
                        reference[key] = d
                    extra += f" same_as_jobs{args.jobs[0]}={'yes' if reference.get(key) == d else 'no'}"
                    problems = len([x for x in m["stderr"].splitlines() if re.search(r": (warning|error): ", x)])
                    extra += f" problem_lines={problems}"
                elif m["exit"] not in (0, 1):
                    sys.stderr.write(m["stderr"][-3000:])
                name = f"{wxr.name}[{label}]" if label else wxr.name
                line = convert_line(name, to, jobs, manifest["content_bytes"], manifest["posts"], m, extra)
                print(line, flush=True)
                lines.append(line)
                if label not in ("no-media", "pure"):
                    secs[(to, jobs)] = m["sec"]
                if target.exists():
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
        for to in args.to:
            base = secs.get((to, args.jobs[0]))
            for jobs in args.jobs[1:]:
                if base and secs.get((to, jobs)):
                    print(f"RATIO rep={rep + 1} to={to} jobs={jobs} vs_jobs={args.jobs[0]} "
                          f"speedup={base / secs[(to, jobs)]:.2f}", flush=True)
            for jobs in args.jobs:
                c, p = impl.get((to, jobs, "compiled")), impl.get((to, jobs, "pure"))
                if c and p:
                    print(f"IMPL_RATIO rep={rep + 1} to={to} jobs={jobs} compiled_over_pure_wall={p[0] / c[0]:.3f} "
                          f"compiled_over_pure_cpu={p[1] / max(c[1], 1e-9):.3f}", flush=True)
        print(calibration(), flush=True)
    return lines


def run_reference(workdir: Path, size: int, reps: int) -> list[str]:
    runner = workdir / "runners" / "cli_wordpress_export_to_markdown.py"
    if not (workdir / "node_modules" / "wordpress-export-to-markdown").is_dir() or not runner.is_file():
        print(f"note: {workdir} has no wordpress-export-to-markdown (run its setup.sh): reference skipped",
              file=sys.stderr)
        return []
    wxr, manifest = ensure_corpus(workdir / "corpus", size, workdir / "make_corpus.py")
    python = workdir / ".venv" / "bin" / "python"
    lines = []
    for rep in range(reps):
        cmd = [str(python if python.is_file() else sys.executable), str(runner),
               "--corpus", str(wxr.with_suffix(".jsonl")), "--unit", "wxr"]
        m = measure(cmd, cwd=workdir)
        res = re.search(r"^RESULT .*\bsec=([\d.]+)", m["stdout"], re.M)
        if res:  # the runner's own timing: the node CLI alone, without the Python wrapper's start-up
            m["sec"] = float(res.group(1))
        else:
            m["exit"] = m["exit"] or 2
            sys.stderr.write(m["stderr"][-2000:])
        line = convert_line(wxr.name, "markdown", 1, manifest["content_bytes"], manifest["posts"], m,
                            f"rep={rep + 1}", peer=REF)
        print(line, flush=True)
        lines.append(line)
    return lines


def table(lines: list[str]) -> list[str]:
    rows: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
    for line in lines:
        d = dict(kv.split("=", 1) for kv in line.split(" ")[1:] if "=" in kv)
        rows.setdefault((d["peer"], d["corpus"], d["to"], d["jobs"]), []).append(d)
    out = ["| converter | corpus | output | jobs | median MB/s | posts/s | wall s | largest process RSS "
           "| all processes RSS | same output as jobs 1 |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for (peer, corpus, to, jobs), rs in rows.items():
        ok = [r for r in rs if r["status"] == "ok"]
        if not ok:
            out.append(f"| {peer} | {corpus} | {to} | {jobs} | {rs[0]['status']} | – | – | – | – | – |")
            continue
        same = {r.get("same_as_jobs1", r.get("same_as_jobs" + jobs, "–")) for r in ok}  # (and as the other implementation)
        out.append(f"| {peer} | {corpus} | {to} | {jobs} | {statistics.median(float(r['mbps']) for r in ok):.2f} "
                   f"| {statistics.median(float(r['posts_per_s']) for r in ok):.0f} "
                   f"| {statistics.median(float(r['sec']) for r in ok):.1f} "
                   f"| {max(float(r['max_rss_mb']) for r in ok):.0f} MB "
                   f"| {max(float(r['tree_rss_mb']) for r in ok):.0f} MB | {','.join(sorted(same))} |")
    return out


def main(argv: "list[str] | None" = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="the (copied) shared benchmark folder: its corpus/ and, for the reference, its "
                         "node_modules (default: bench/.work/peer-bench when it exists)")
    ap.add_argument("--corpus-dir", type=Path, help="where corpus-<N>mb.wxr is or goes (default: WORKDIR/corpus)")
    ap.add_argument("--size", type=int, default=100, help="export size in MB of post content (default 100)")
    ap.add_argument("--wxr", type=Path, help="convert this export instead of corpus-<SIZE>mb.wxr")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values (default: 1 2)")
    ap.add_argument("--to", nargs="+", choices=["wxr", "html", "jsonl", "markdown"], default=["wxr"],
                    help="output formats (default: wxr, the rewritten export)")
    ap.add_argument("--reps", type=int, default=1, help="repetitions (default 1)")
    ap.add_argument("--peer-size", type=int, default=1,
                    help="MB for wordpress-export-to-markdown (0.2 MB/s: default 1; 0 = skip)")
    ap.add_argument("--python", default=sys.executable, help="the Python that has the project installed")
    ap.add_argument("--media", action="store_true",
                    help="the corpus with attachments; each run with and without the media plugin (see above)")
    ap.add_argument("--implementations", nargs="+", choices=IMPLEMENTATIONS, default=None,
                    help="each run once per implementation: the compiled twins and/or the pure modules "
                         "(SHORTCODES_PURE=1), outputs compared, an IMPL_RATIO line per repetition")
    ap.add_argument("--convert-arg", action="append", default=[], metavar="ARG",
                    help="an extra argument for shortcodes convert (repeatable)")
    ap.add_argument("--out-dir", type=Path, default=None, metavar="DIR",
                    help="where the outputs are written, in a folder of their own (default: /dev/shm when it is "
                         "a RAM file system, else beside the corpus; see above)")
    ap.add_argument("--startup", type=int, default=0, metavar="N",
                    help="also time the start-up (--version, a one-post convert), N runs each (default: 0, no)")
    args = ap.parse_args(argv)
    if args.reps < 1 or any(j < 1 for j in args.jobs):
        raise SystemExit("--reps and --jobs must be at least 1")
    workdir = (args.workdir or (HERE / ".work" / "peer-bench")).resolve()
    corpus_dir = args.corpus_dir or workdir / "corpus"
    generator = workdir / "make_corpus.py"
    if not generator.is_file():
        generator = SHARED_BENCH / "make_corpus.py"
    if args.wxr:
        wxr, manifest = args.wxr, manifest_of(args.wxr)
        corpus_dir = args.corpus_dir or wxr.parent
    else:
        wxr, manifest = ensure_corpus(corpus_dir, args.size, generator)
    if args.media:
        wxr = media_corpus(wxr)
    wxr = wxr.resolve()  # the runs are in the scratch folder
    # every run of the package is in the scratch folder: `python -m shortcodes` (or -c) run from inside a
    # checkout imports that checkout, not the copy --python has installed or PYTHONPATH names
    scratch = Path(tempfile.mkdtemp(prefix="convert-", dir=corpus_dir)).resolve()
    check = subprocess.run([args.python, "-m", "shortcodes", "convert", "--help"], cwd=scratch, capture_output=True,
                           text=True)
    if check.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise SystemExit(f"`{args.python} -m shortcodes convert` is not available here:\n{check.stderr[-1000:]}")
    outputs = output_dir(args.out_dir, scratch, 4 * wxr.stat().st_size)  # one output at a time: ≤ 3× the export
    print(f"OUTPUT dir={outputs} fs={file_system(outputs)}", flush=True)
    try:
        if args.startup:
            run_startup(args, scratch)
        lines = run_convert(wxr, manifest, args, scratch, outputs)
    finally:
        shutil.rmtree(outputs, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    if args.peer_size:
        lines += run_reference(workdir, args.peer_size, args.reps)
    print()
    print(f"{wxr.name}: {manifest['posts']} posts, {manifest['content_bytes']:,} bytes of post content "
          f"({wxr.stat().st_size:,} bytes of WXR)")
    print()
    print("\n".join(table(lines)))
    if args.media:
        for to, jobs in itertools.product(args.to, args.jobs):
            cpu = {}
            for label in ("media", "no-media"):  # CPU seconds: the shared machine's wall time is too noisy
                runs = [float(d["cpu_s"]) for d in (dict(kv.split("=", 1) for kv in x.split(" ")[1:] if "=" in kv)
                                                    for x in lines) if d["corpus"].endswith(f"[{label}]")
                        and d["to"] == to and d["jobs"] == str(jobs) and d["status"] == "ok"]
                cpu[label] = statistics.median(runs) if runs else float("nan")
            print(f"MEDIA to={to} jobs={jobs} media_cpu_s={cpu['media']:.2f} no_media_cpu_s={cpu['no-media']:.2f} "
                  f"throughput_ratio={cpu['no-media'] / cpu['media']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
