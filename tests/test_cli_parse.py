"""`shortcodes parse` and `shortcodes normalize` (also through `python -m shortcodes`)."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from shortcodes.cli import main


def run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_prints_the_ast_with_spans_and_diagnostics(tmp_path, capsys, seed_text):
    src = tmp_path / "post.txt"
    src.write_text(seed_text, encoding="utf-8")
    code, out, err = run(["parse", str(src)], capsys)
    assert code == 0 and err == ""  # recovered quotes are "info": not printed
    data = json.loads(out)
    assert data["file"] == str(src)
    cards = [c for c in data["children"] if c["type"] == "shortcode"]
    assert [c["attrs"].get("region") for c in cards] == ["EG", "AE", "PS", None]
    first = cards[0]
    assert seed_text[first["span"][0]:first["span"][1]].startswith("[covid19-ultimate-card region=”EG”")
    assert [d["kind"] for d in data["diagnostics"]] == ["quotes-recovered"] * 4
    assert data["diagnostics"][0]["line"] == 43 and data["diagnostics"][0]["column"] == 23


def test_parse_strict_and_tags_from_stdin(capsys, monkeypatch):
    code, out, _ = run(["parse", "-", "--strict", "--tags", "a", "--compact"], capsys, '[a x=”1″] [b]', monkeypatch)
    data = json.loads(out)
    assert code == 0 and out.count("\n") == 1
    assert data["children"][0]["attrs"] == {"x": "”1″"}
    assert [c["type"] for c in data["children"]] == ["shortcode", "text"]  # [b] is not registered


def test_parse_warnings_name_file_line_column(tmp_path, capsys):
    src = tmp_path / "bad.txt"
    src.write_text('ok\n[a x="open] [/b]', encoding="utf-8")
    code, _, err = run(["parse", str(src)], capsys)
    assert code == 0
    assert f"{src}:2:4: warning: quote in attribute" in err and f"{src}:2:13: warning: closing tag [/b]" in err


def test_parse_errors_name_the_file(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    code, _, err = run(["parse", str(missing)], capsys)
    assert code == 2 and str(missing) in err and "cannot read" in err
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("ok\nca\xe9".encode("latin-1"))
    code, _, err = run(["parse", str(bad)], capsys)
    assert code == 2 and f"{bad}:2:3: not UTF-8" in err


def test_normalize_writes_straight_quotes(tmp_path, capsys, seed_text):
    src = tmp_path / "post.txt"
    src.write_text(seed_text, encoding="utf-8")
    out_file = tmp_path / "out" / "fixed.txt"
    code, out, _ = run(["normalize", str(src), "-o", str(out_file)], capsys)
    assert code == 0 and out == ""
    fixed = out_file.read_text(encoding="utf-8")
    assert 'region="EG"' in fixed and "”" not in fixed[fixed.index("[covid19"):]
    assert src.read_text(encoding="utf-8") == seed_text  # the input is untouched
    # --check on the fixed file: nothing to do
    code, out, _ = run(["normalize", "--check", str(out_file)], capsys)
    assert (code, out) == (0, "")


def test_normalize_check_prints_a_diff_and_exits_1(tmp_path, capsys):
    src = tmp_path / "post.txt"
    src.write_text("a\n[x k=”v”]\nb\n", encoding="utf-8")
    code, out, _ = run(["normalize", "--check", str(src)], capsys)
    assert code == 1
    assert "-[x k=”v”]" in out and '+[x k="v"]' in out
    assert src.read_text(encoding="utf-8") == "a\n[x k=”v”]\nb\n"


def test_normalize_refuses_to_overwrite_its_input(tmp_path, capsys):
    src = tmp_path / "post.txt"
    src.write_text("[x k=”v”]", encoding="utf-8")
    code, _, err = run(["normalize", str(src), "-o", str(src)], capsys)
    assert code == 2 and "refusing to write over an input" in err
    assert src.read_text(encoding="utf-8") == "[x k=”v”]"


def test_normalize_stdin_to_stdout(capsys, monkeypatch):
    code, out, _ = run(["normalize", "-"], capsys, "[x k=&#8221;a b&#8221;]", monkeypatch)
    assert (code, out) == (0, '[x k="a b"]')


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "shortcodes", "normalize", "-"], input="[x k=”v”]",
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout == '[x k="v"]'


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["parse"])
    assert exc.value.code == 2
