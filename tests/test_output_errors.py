"""Writing errors: a file too large (``ulimit -f``), a read-only folder, a file where a folder should be.

Every command ends with one line ``shortcodes: error: FILE: cannot write: reason``, exit status 2, no
traceback, nothing under the final name, and no temporary file left behind.  The commands run in real
subprocesses (the file-size limit is a real ``RLIMIT_FSIZE``).
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shortcodes.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "hasakah-article.txt"
THEME_UNIT = "WordPress__theme-test-data__themeunittestdata.wordpress.xml"


def _commands(corpus: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (arguments with OUT for the output, kind of output: file or folder)."""
    wxr = str(corpus / "wxr" / THEME_UNIT)
    return {
        "render": (["render", str(SEED), "--page", "--autop", "--as-of", "2021-10-10", "-o", "OUT"], "file"),
        "normalize": (["normalize", str(SEED), "-o", "OUT"], "file"),
        "inventory": (["inventory", wxr, "--format", "json", "-o", "OUT"], "file"),
        "gallery": (["gallery", "-o", "OUT", "--as-of", "2021-10-10"], "folder"),
        "convert-html": (["convert", wxr, "--to", "html", "-o", "OUT"], "folder"),
        "convert-jsonl": (["convert", wxr, "--to", "jsonl", "-o", "OUT"], "file"),
        "convert-wxr": (["convert", wxr, "--to", "wxr", "--mode", "normalize", "--all-tags", "-o", "OUT"], "file"),
    }


COMMANDS = list(_commands(Path("x")))


def _run(argv: list[str], out: Path, *, fsize: "int | None" = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    args = [str(out) if a == "OUT" else a for a in argv]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "shortcodes", *args], capture_output=True, text=True,
                          timeout=300, preexec_fn=limit, env=env, cwd=out.parent if out.parent.exists() else None)


def _one_error_line(proc: subprocess.CompletedProcess[str], name: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("shortcodes: error:")]
    assert len(errors) == 1, proc.stderr[-3000:]
    return errors[0]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("name", COMMANDS)
def test_file_too_large_is_one_clear_error(name, corpus_dir, tmp_path):
    argv, kind = _commands(corpus_dir)[name]
    out = tmp_path / ("out" if kind == "folder" else "out.txt")
    proc = _run(argv, out, fsize=2000)
    line = _one_error_line(proc, name)
    assert re.fullmatch(rf"shortcodes: error: {re.escape(str(out))}(/\S+)?: cannot write: File too large", line), line
    if name == "gallery":  # pages are written one by one; each that is there is complete
        for page in (out.glob("*.html") if out.exists() else ()):
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    else:
        assert not out.exists()
    assert _leftovers(tmp_path) == []  # no temporary file, no staging folder


def _read_only(folder: Path) -> None:
    if os.geteuid() == 0:  # root ignores permissions: make the folder immutable instead
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)],
                                                         capture_output=True).returncode:
            pytest.skip("running as root and chattr +i is not available here")
    else:
        folder.chmod(0o555)


def _writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


@pytest.mark.parametrize("name", COMMANDS)
def test_read_only_folder_is_one_clear_error(name, corpus_dir, tmp_path):
    argv, kind = _commands(corpus_dir)[name]
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / ("out" if kind == "folder" else "out.txt")
    _read_only(folder)
    try:
        proc = _run(argv, out)
    finally:
        _writable(folder)
    line = _one_error_line(proc, name)
    assert re.fullmatch(rf"shortcodes: error: {re.escape(str(out))}(/\S+)?: cannot write: "
                        r"(Permission denied|Operation not permitted|Read-only file system)", line), line
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_a_file_where_a_folder_should_be_is_one_clear_error(name, corpus_dir, tmp_path):
    argv, kind = _commands(corpus_dir)[name]
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    out = blocker / "sub" / ("out" if kind == "folder" else "out.txt")
    proc = _run(argv, out)
    line = _one_error_line(proc, name)
    assert re.fullmatch(rf"shortcodes: error: {re.escape(str(out))}(/\S+)?: cannot write: "
                        rf"{re.escape(str(blocker))} is a file, not a folder", line), line
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"
    assert _leftovers(tmp_path) == []


def test_a_deeply_nested_variants_file_is_a_gallery_error(tmp_path, capsys):
    templates = tmp_path / "theme"
    templates.mkdir()
    (templates / "badge.html").write_text("<b>{{ attrs.text }}</b>", encoding="utf-8")
    (templates / "badge.variants.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    out = tmp_path / "gallery"
    assert main(["gallery", "--templates", str(templates), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"shortcodes: error: {templates / 'badge.variants.json'}: not usable JSON: nested too deeply\n"
    assert not out.exists()
    (templates / "badge.variants.json").write_text(json.dumps([{"title": "x", "attrs": {"text": "1" * 5000}}]))
    assert main(["gallery", "--templates", str(templates), "-o", str(out), "-q"]) == 0  # a long value is fine
