"""Start-up: what `shortcodes --version` and a one-post convert import (issue 11).  Which modules, not
how long: a timing on a shared machine proves nothing (bench/bench_convert.py --startup measures it)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from wxr_kit import write_wxr

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import json, sys
from shortcodes.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _imported(*argv: str) -> "tuple[int, set[str]]":
    proc = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["status"], set(out["modules"])


def _under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


def test_version_imports_no_sub_command_and_no_library_layer():
    status, modules = _imported("--version")
    assert status == 0
    # (``import shortcodes`` itself loads the AST nodes and the errors)
    assert not _under(modules, "jinja2", "lark", "babel", "multiprocessing", "shortcodes.core.parser",
                      "shortcodes.core.scanner", "shortcodes.core.grammar", "shortcodes.exports", "shortcodes.renderer", "shortcodes.jobs", "shortcodes.cards",
                      "shortcodes.cli.convert", "shortcodes.cli.render", "shortcodes.cli.parse")


def test_a_one_post_convert_imports_what_it_uses_only(tmp_path):
    src = write_wxr(tmp_path / "one.xml", [{"id": 1, "content": 'Hello [gallery ids="1,2"]'}])
    status, modules = _imported("convert", str(src), "--to", "jsonl", "-o", str(tmp_path / "out.jsonl"), "-q")
    assert status == 0 and (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert "shortcodes.cli.convert" in modules and "shortcodes.jobs.converter" in modules
    # the other sub-commands, processes, the cluster code, the HTTP figures client, Babel (no card here)
    assert not _under(modules, "shortcodes.cli.render", "shortcodes.cli.parse", "shortcodes.cli.inventory",
                      "shortcodes.cli.gallery", "multiprocessing", "concurrent.futures.process",
                      "shortcodes.jobs.distributed", "shortcodes.cards.figures.disease_sh", "http.client",
                      "babel", "distributed", "dask")


def test_babel_comes_with_the_first_card(tmp_path):
    src = write_wxr(tmp_path / "card.xml", [{"id": 1, "content": '[covid19-ultimate-card region="EG"]',
                                             "date": "2021-10-10 09:00:00"}])
    status, modules = _imported("convert", str(src), "--to", "jsonl", "-o", str(tmp_path / "out.jsonl"), "-q")
    assert status == 0 and "babel" in modules


def test_help_still_lists_every_sub_command():
    proc = subprocess.run([sys.executable, "-m", "shortcodes", "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    for name in ("parse", "render", "convert", "inventory", "gallery"):
        assert name in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "shortcodes", "convrt"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "convert" in bad.stderr
