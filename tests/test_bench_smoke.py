"""Smoke tests of ``bench/``: the benchmark scripts run on a small corpus and print their tables.

Nothing here is timed or compared with a time: the scripts are run once, on
the shared benchmark's own generator output (``shared/bench/make_corpus.py``),
and what they *count* is checked against the generator's ground truth and
against the shared peer runner for this project.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
TINY_POSTS = 12


def _run(*args: object, cwd: "Path | None" = None, timeout: float = 300) -> str:
    # no __pycache__ beside the shared runners: shared/ is read-only material
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=env)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc.stdout


def _fields(line: str) -> dict[str, str]:
    return dict(kv.split("=", 1) for kv in line.split(" ")[1:] if "=" in kv)


def _lines(out: str, kind: str) -> list[dict[str, str]]:
    return [_fields(line) for line in out.splitlines() if line.startswith(kind + " ")]


@pytest.fixture(scope="module")
def peer_bench(shared_dir: Path) -> Path:
    path = shared_dir / "bench"
    if not (path / "make_corpus.py").is_file():
        pytest.skip(f"{path}/make_corpus.py is missing")
    return path


@pytest.fixture(scope="module")
def corpus(peer_bench: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """corpus-1mb.{jsonl,json,wxr} from the shared generator, plus the first posts as tiny.{jsonl,wxr}."""
    out = tmp_path_factory.mktemp("corpus")
    _run(peer_bench / "make_corpus.py", "--sizes", "1", "--out", out)
    lines = (out / "corpus-1mb.jsonl").read_text(encoding="utf-8").splitlines()[:TINY_POSTS]
    (out / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("shared_make_corpus", peer_bench / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)  # type: ignore[union-attr]
    posts = [json.loads(line) for line in lines]
    (out / "tiny.wxr").write_text(make_corpus.wxr(posts), encoding="utf-8")
    manifest = json.loads((out / "corpus-1mb.json").read_text(encoding="utf-8"))
    return {"dir": out, "manifest": manifest, "tiny_posts": [p["content"] for p in posts]}


@pytest.fixture(scope="module")
def speed_out(corpus: dict) -> str:
    return _run(BENCH / "bench_parse.py", "--corpus", corpus["dir"] / "corpus-1mb.jsonl",
                "--reps", "1", "--min-time", "0")


def test_bench_parse_counts_what_the_generator_wrote(speed_out: str, corpus: dict) -> None:
    results = {r["mode"]: r for r in _lines(speed_out, "RESULT")}
    assert set(results) == {"parse", "render"}
    expected = corpus["manifest"]["expected"]
    # do_shortcode calls one handler per registered shortcode, nested ones included
    assert int(results["render"]["found"]) == expected["shortcodes_all_depths"]
    assert expected["shortcodes_top_level"] <= int(results["parse"]["found"]) <= (
        expected["shortcodes_all_depths"] + expected["escaped_literals"])
    for r in results.values():
        assert r["peer"] == "wp-shortcodes" and r["unit"] == "posts" and r["errors"] == "0"
        assert int(r["bytes"]) == corpus["manifest"]["content_bytes"]
        assert float(r["mbps"]) > 0
    assert re.search(r"^\| mode \| median MB/s \|", speed_out, re.M)
    assert re.search(r"^\| render \| [\d.]+ \|", speed_out, re.M)


def test_memory_probe_reports_multiples_of_the_input(corpus: dict) -> None:
    out = _run(BENCH / "bench_parse.py", "--memory", "--corpus", corpus["dir"] / "tiny.jsonl", "--unit", "doc")
    rows = {r["probe"]: r for r in _lines(out, "MEMORY")}
    assert set(rows) == {"tracemalloc", "rss"}
    doc_bytes = len("\n\n".join(corpus["tiny_posts"]).encode("utf-8"))
    for r in rows.values():
        assert int(r["bytes"]) == doc_bytes
        assert float(r["times_input"]) == pytest.approx(int(r["peak"]) / doc_bytes, abs=0.01)
    # the Document keeps the text and its nodes: tracemalloc must see at least the input's size
    assert int(rows["tracemalloc"]["peak"]) >= doc_bytes
    assert "| tracemalloc peak |" in out


def test_shared_runner_agrees_with_bench_parse(peer_bench: Path, corpus: dict) -> None:
    """The peer benchmark's runner for this project runs against this checkout and counts the same."""
    tiny = corpus["dir"] / "tiny.jsonl"
    ours = {r["mode"]: r for r in _lines(_run(BENCH / "bench_parse.py", "--corpus", tiny, "--reps", "1",
                                              "--min-time", "0"), "RESULT")}
    for mode in ("parse", "render"):
        out = _run(peer_bench / "runners" / "py_wp_shortcodes.py", "--mode", mode, "--corpus", tiny,
                   "--unit", "posts")
        [r] = _lines(out, "RESULT")
        assert r["peer"] == "wp-shortcodes" and r["mode"] == mode and r["errors"] == "0"
        assert r["found"] == ours[mode]["found"] and r["bytes"] == ours[mode]["bytes"]


def test_run_bench_builds_the_report_from_logs(speed_out: str, corpus: dict, tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    wp_like = [line.replace("peer=wp-shortcodes", "peer=wp-php-do_shortcode")
               for line in speed_out.splitlines() if line.startswith("RESULT ") and "mode=render" in line]
    log.write_text("\n".join([*speed_out.splitlines(), *wp_like]) + "\n", encoding="utf-8")
    report = tmp_path / "report.md"
    out = _run(BENCH / "run_bench.py", "--from-log", log, "--report", report, "--results", tmp_path / "results")
    text = report.read_text(encoding="utf-8")
    assert text == out.rstrip("\n") + "\n"
    assert "## Targets" in text and "### corpus-1mb.jsonl, unit=posts" in text
    # the same render figure under two peer names: a ratio of exactly 1.00 either way
    assert re.search(r"^\| per post \(corpus-1mb\.jsonl\): `do_shortcode` .* ratio 1\.00× \| \*\*met\*\* \|$", text, re.M)
    assert re.search(r"^\| wp-php-do_shortcode \| render \| .* \| 1\.00× \| [\d.]+× \|$", text, re.M)
    # what was not measured is said, never guessed
    assert re.search(r"peak memory of `parse` .* \| – \| not measured \|", text)
    assert re.search(r"`shortcodes convert` .* \| – \| not measured \|", text)


def test_bench_convert_runs_jobs_1_and_2_with_identical_output(corpus: dict) -> None:
    if importlib.util.find_spec("shortcodes.cli.convert") is None:
        pytest.skip("shortcodes convert is not in this checkout yet")
    wxr = corpus["dir"] / "tiny.wxr"
    out = _run(BENCH / "bench_convert.py", "--wxr", wxr, "--jobs", "1", "2", "--peer-size", "0")
    rows = {r["jobs"]: r for r in _lines(out, "CONVERT")}
    assert set(rows) == {"1", "2"}
    content = sum(len(p.encode("utf-8")) for p in corpus["tiny_posts"])
    for r in rows.values():
        assert r["status"] == "ok", r
        assert r["posts"] == str(TINY_POSTS) and int(r["bytes"]) == content
        assert float(r["max_rss_mb"]) > 0
        assert r["same_as_jobs1"] == "yes"
    assert float(rows["2"]["tree_rss_mb"]) > 0
    assert "| wp-shortcodes | tiny.wxr | wxr | 2 |" in out



def test_bench_dask_prints_the_calibration_and_identical_cluster_runs(corpus: dict) -> None:
    if importlib.util.find_spec("distributed") is None:
        pytest.skip("Dask distributed is not installed: pip install -e '.[dask]'")
    out = _run(BENCH / "bench_dask.py", "--corpus-dir", corpus["dir"], "--size", "1", "--copies", "2",
               "--workers", "1", "--reps", "1")
    assert re.search(r"^CALIBRATION .* -> speed-up [\d.]+ of 2\.00$", out, re.M), out
    rows = _lines(out, "DASK")
    assert [r["run"] for r in rows] == ["jobs-1", "cluster"], out
    assert rows[1]["workers"] == "1" and rows[1]["identical"] == "yes" and float(rows[1]["mbps"]) > 0
