"""Exit statuses and messages: warnings are counted, not fatal; errors name their place; one rule for every command."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path
from wxr_kit import write_wxr

from shortcodes import Renderer
from shortcodes.cli import main
from shortcodes.common.status import ExitStatus
from shortcodes.exports import read_posts

CARD = "covid19-ultimate-card"


@pytest.fixture(scope="session")
def bench_wxr(tmp_path_factory) -> Path:
    """The shared bench generator's 1 MB WordPress export (deterministic; 170 posts, real-looking cards)."""
    script = shared_path("bench", "make_corpus.py")
    out = tmp_path_factory.mktemp("bench")
    subprocess.run([sys.executable, str(script), "--sizes", "1", "--out", str(out)], check=True,
                   capture_output=True, timeout=300)
    return out / "corpus-1mb.wxr"


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_warnings_do_not_fail_convert_unless_asked(bench_wxr, tmp_path, capsys):
    # The bench export's cards include white on white and white on light green: low-contrast warnings.
    out = tmp_path / "posts.jsonl"
    code, _, err = _run(capsys, "convert", bench_wxr, "--to", "jsonl", "-o", out)
    warnings = re.findall(r"^.*: warning: .*$", err, re.M)
    assert any(w.endswith("[low-contrast]") for w in warnings) and code == ExitStatus.OK, err[-2000:]
    assert re.search(rf"^problems: {len(warnings)} warnings \(in \d+ posts\)$", err, re.M)  # counted in the summary
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(list(read_posts(bench_wxr)))  # a complete conversion
    for flag in (["--fail-on", "warning"], ["--strict"]):
        code, _, err = _run(capsys, "convert", bench_wxr, "--to", "jsonl", "-o", out, "-q", *flag)
        assert code == ExitStatus.PROBLEMS, flag


def test_strict_still_makes_a_failing_template_fail_its_post(tmp_path, capsys):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "boom.html").write_text("{{ 1 // 0 }}", encoding="utf-8")
    src = tmp_path / "post.txt"
    src.write_text("a [boom] b", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    # without --strict: the tag is kept and reported as an error (exit 1), the post converted
    code, _, err = _run(capsys, "convert", src, "--to", "jsonl", "-o", out, "--templates", templates)
    (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == ExitStatus.PROBLEMS and not rec["failed"] and rec["counts"] == {"boom": {"failed": 1}}
    # --strict: the post fails (written through unchanged)
    code, _, err = _run(capsys, "convert", src, "--to", "jsonl", "-o", out, "--templates", templates, "--strict")
    (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == ExitStatus.PROBLEMS and rec["failed"] and rec["content"] == "a [boom] b"


def test_render_follows_the_same_rule(tmp_path, capsys):
    src = tmp_path / "post.txt"
    src.write_text(f'[{CARD} region=EG font-color="#ffffff" bg-color="#ffffff"]', encoding="utf-8")
    out = tmp_path / "o.html"
    code, _, err = _run(capsys, "render", src, "--as-of", "2021-10-10", "-o", out)
    assert code == ExitStatus.OK and "[low-contrast]" in err and out.exists()
    assert err.splitlines()[-1] == f"wrote {out}: 1 shortcode rendered ({CARD} 1); 1 warning"
    for flag in (["--fail-on", "warning"], ["--strict"]):
        assert _run(capsys, "render", src, "--as-of", "2021-10-10", "-o", out, *flag)[0] == ExitStatus.PROBLEMS


def test_render_says_what_it_wrote_unless_quiet(seed_text, tmp_path, capsys):
    src = tmp_path / "hasakah.txt"
    src.write_text(seed_text, encoding="utf-8")
    out = tmp_path / "hasakah.html"
    code, stdout, err = _run(capsys, "render", src, "--page", "--autop", "--as-of", "2021-10-10", "-o", out)
    assert code == 0 and stdout == "" and err == f"wrote {out}: 4 shortcodes rendered ({CARD} 4)\n"
    assert _run(capsys, "render", src, "--as-of", "2021-10-10", "-o", out, "-q")[2] == ""


def test_inventory_follows_the_same_rule(corpus_dir, tmp_path, capsys):
    good = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    assert _run(capsys, "inventory", good, "--format", "json")[0] == ExitStatus.OK
    # an input that could be read only in part (what --recover skipped): 1
    bad = corpus_dir / "wxr" / "WordPress__wordpress-importer__malformed.xml"
    assert _run(capsys, "inventory", good, bad, "--recover", "--format", "json")[0] == ExitStatus.PROBLEMS


def _export(tmp_path: Path, cards: int) -> Path:
    body = "".join(f'<p>[{CARD} region="EG"]</p>' for _ in range(cards))
    return write_wxr(tmp_path / "cards.xml", [{"id": i, "content": body} for i in range(1, 5)])


@pytest.mark.parametrize("kind", ["missing", "not-json", "csv-shape"])
def test_unusable_stats_source_is_one_error_at_start(tmp_path, capsys, kind):
    stats = {"missing": tmp_path / "absent.json", "not-json": tmp_path / "broken.json",
             "csv-shape": tmp_path / "odd.csv"}[kind]
    if kind == "not-json":
        stats.write_text('{"cases": 1, ', encoding="utf-8")
    elif kind == "csv-shape":
        stats.write_text("when,where\n2021-10-10,EG\n", encoding="utf-8")
    src = _export(tmp_path, cards=12)  # 48 cards
    out = tmp_path / "out.jsonl"
    code, _, err = _run(capsys, "convert", src, "--to", "jsonl", "-o", out, "--stats", stats)
    assert code == ExitStatus.USAGE and not out.exists()
    assert err.count("\n") == 1 and err.startswith(f"shortcodes: error: --stats {stats}: ") and str(stats) in err
    post = tmp_path / "post.txt"
    post.write_text(f"[{CARD}] [{CARD} region=EG]", encoding="utf-8")
    code, _, err = _run(capsys, "render", post, "--stats", stats, "-o", tmp_path / "o.html")
    assert code == ExitStatus.USAGE and err.count("\n") == 1 and str(stats) in err
    assert not (tmp_path / "o.html").exists()


def test_a_filter_that_matches_no_post_says_which_values_exist(corpus_dir, tmp_path, capsys):
    src = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    out = tmp_path / "out.jsonl"
    code, _, err = _run(capsys, "convert", src, "--to", "jsonl", "-o", out, "--post-type", "posts")
    assert code == ExitStatus.USAGE and not out.exists()
    assert "no post has the type 'posts' (the inputs have: " in err
    assert re.search(r"\bpost \d+", err) and re.search(r"\bpage \d+", err) and re.search(r"\battachment \d+", err)
    code, _, err = _run(capsys, "convert", src, "--to", "html", "-o", tmp_path / "site", "--status", "published")
    assert code == ExitStatus.USAGE and "no post has the status 'published'" in err and "publish " in err
    assert not (tmp_path / "site").exists()
    code, _, err = _run(capsys, "inventory", src, "--post-type", "posts")
    assert code == ExitStatus.USAGE and "no post has the type 'posts'" in err
    # a value that matches nothing beside one that matches: converted, and said
    code, _, err = _run(capsys, "convert", src, "--to", "jsonl", "-o", out, "--post-type", "page,posts")
    assert code == ExitStatus.OK and "note: no post has the type 'posts'" in err and out.exists()


def test_figures_stale_names_the_region_and_both_dates(capsys, tmp_path):
    asked = dt.date(2022, 1, 1)  # the country rows end on 2021-10-10, the world's on 2022-04-16
    res = Renderer(as_of=asked).render_result(f'[{CARD} region="EG"] [{CARD}]')
    (stale,) = [d for d in res.diagnostics if d.kind == "figures-stale"]
    assert stale.severity == "info"
    assert "EG" in stale.message and "2022-01-01" in stale.message and "2021-10-10" in stale.message
    assert 'datetime="2021-10-10"' in res.html  # the card shows the date of its figures
    assert dict(res.counts[CARD])["rendered"] == 2
    assert not [d for d in Renderer(as_of="2021-10-10").render_result(f'[{CARD} region="EG"]').diagnostics
                if d.kind == "figures-stale"]
    post = tmp_path / "p.txt"
    post.write_text(f'[{CARD} region="EG"]', encoding="utf-8")
    code, _, err = _run(capsys, "render", post, "--as-of", "2022-01-01", "-o", tmp_path / "o.html", "-v", "-q")
    assert code == ExitStatus.OK and re.search(r":1:1: info: .*EG.*2022-01-01.*2021-10-10.*\[figures-stale\]", err)
