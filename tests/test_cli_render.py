"""``shortcodes render``: the README's first command, outputs, diagnostics, exit statuses."""
from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import html5lib
import pytest

from shortcodes.cli import main
from shortcodes.renderer import Renderer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "hasakah-article.txt"
CARD = "covid19-ultimate-card"


@pytest.fixture
def seed_file(tmp_path: Path, seed_text: str) -> Path:
    path = tmp_path / "hasakah-article.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


def test_readme_first_command(seed_file, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status = main(["render", str(seed_file), "--page", "--autop", "--as-of", "2021-10-10", "-o", "hasakah.html"])
    out, err = capsys.readouterr()
    assert status == 0 and out == ""
    assert err == "wrote hasakah.html: 4 shortcodes rendered (covid19-ultimate-card 4)\n"  # says what it wrote
    page = (tmp_path / "hasakah.html").read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(page)
    assert page == Renderer(autop=True, as_of="2021-10-10").render_page(seed_file.read_text(encoding="utf-8"))
    assert page.count('<section class="sc-covid-card ') == 4


def test_readme_command_on_the_project_copy(tmp_path, capsys):
    if not SEED.exists():
        pytest.skip(f"{SEED} is missing")
    out_file = tmp_path / "hasakah.html"
    assert main(["render", str(SEED), "--page", "--autop", "--as-of", "2021-10-10", "-o", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_fragment_to_stdout(capsys):
    text = f'<p>x [{CARD} region=EG]</p> [other]'
    sys_stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "stdin", sys_stdin)
        status = main(["render", "-", "--as-of", "2021-10-10", "--locale", "ar-EG"])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    assert out == Renderer(as_of="2021-10-10", locale="ar-EG").render(text)
    assert "٣١٢٬٤١٣" in out and out.endswith("[other]")


def test_problems_are_reported_with_file_line_column(tmp_path, capsys):
    src = tmp_path / "post.txt"
    src.write_text(f'first\n  [{CARD} region=EG bg-color="red;x"]\n', encoding="utf-8")
    status = main(["render", str(src), "--as-of", "2019-01-01", "-o", str(tmp_path / "out.html"), "-q"])
    _out, err = capsys.readouterr()
    assert status == 0  # warnings are reported, and do not fail the run
    lines = err.strip().splitlines()
    assert lines and all(re.match(rf"{re.escape(str(src))}:2:3: warning: ", line) for line in lines), lines
    assert any("[bad-color]" in line for line in lines) and any("[no-data]" in line for line in lines)
    assert (tmp_path / "out.html").exists()                   # problems are reported, output still written


def test_info_diagnostics_only_with_verbose(seed_file, tmp_path, capsys):
    assert main(["render", str(seed_file), "--as-of", "2021-10-10", "-o", str(tmp_path / "a.html"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["render", str(seed_file), "--as-of", "2021-10-10", "-o", str(tmp_path / "b.html"), "-v"]) == 0
    assert "[quotes-recovered]" in capsys.readouterr().err


@pytest.mark.parametrize("policy, expected", [("keep", "a [x y=1] b"), ("strip", "a  b"),
                                              ("comment", "a <!-- [x y=1] --> b")])
def test_unknown_policies(tmp_path, capsys, policy, expected):
    src = tmp_path / "p.txt"
    src.write_text("a [x y=1] b", encoding="utf-8")
    assert main(["render", str(src), "--unknown", policy]) == 0
    assert capsys.readouterr().out == expected


def test_unknown_error_writes_nothing(tmp_path, capsys):
    src = tmp_path / "p.txt"
    src.write_text("line one\nand [mystery id=1] here [citation needed]", encoding="utf-8")
    out_file = tmp_path / "out.html"
    assert main(["render", str(src), "--unknown", "error", "-o", str(out_file)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{src}:2:5: error: unknown shortcode [mystery]")
    assert not out_file.exists()


def test_user_templates(tmp_path, capsys):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "note.html").write_text('<aside class="note">{{ content }}</aside>', encoding="utf-8")
    src = tmp_path / "p.txt"
    src.write_text("[note]<b>hi</b>[/note]", encoding="utf-8")
    assert main(["render", str(src), "--templates", str(folder)]) == 0
    assert capsys.readouterr().out == '<aside class="note"><b>hi</b></aside>'


def test_stats_from_a_csv(tmp_path, capsys, covid_data_dir):
    csv_file = tmp_path / "worldwide-aggregate.csv"
    shutil.copyfile(covid_data_dir / "worldwide-aggregate.csv", csv_file)
    src = tmp_path / "p.txt"
    src.write_text(f"[{CARD}]", encoding="utf-8")
    # the bundled world series and the shared CSV are the same JHU figures
    assert main(["render", str(src), "--stats", str(csv_file), "--as-of", "2022-04-16"]) == 0
    via_csv = capsys.readouterr().out
    assert main(["render", str(src), "--as-of", "2022-04-16"]) == 0
    bundled = capsys.readouterr().out
    numbers = re.findall(r'<data class="sc-covid-card__number" value="(-?\d+)"', via_csv)
    assert numbers and numbers == re.findall(r'<data class="sc-covid-card__number" value="(-?\d+)"', bundled)


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2021-13-40"], "not a date"),
    (["--locale", "xx-QQ"], "not a known locale"),
    (["--stats", "figures.txt"], "cannot tell what kind of source"),
    (["--templates", "/nonexistent/folder"], "not a folder"),
])
def test_unusable_arguments_exit_2(seed_file, capsys, args, message):
    assert main(["render", str(seed_file), *args]) == 2
    assert message in capsys.readouterr().err


def test_refuses_to_overwrite_the_input(seed_file, capsys):
    before = seed_file.read_bytes()
    assert main(["render", str(seed_file), "-o", str(seed_file)]) == 2
    assert "refusing to write over an input file" in capsys.readouterr().err
    assert seed_file.read_bytes() == before


def test_unreadable_input_exits_2(tmp_path, capsys):
    assert main(["render", str(tmp_path / "missing.txt")]) == 2
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff")
    assert main(["render", str(bad)]) == 2
    assert f"{bad}:2:1: not UTF-8" in capsys.readouterr().err


def test_page_title_option(tmp_path, capsys):
    src = tmp_path / "p.txt"
    src.write_text("hello", encoding="utf-8")
    assert main(["render", str(src), "--page", "--title", "My <page>"]) == 0
    assert "<title>My &lt;page&gt;</title>" in capsys.readouterr().out
