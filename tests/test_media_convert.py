"""`shortcodes convert` of the theme unit test export to HTML: every core media tag rendered, none left raw."""
from __future__ import annotations

import re

from conftest import shared_path

from shortcodes.cli import main

THEME_UNIT_TEST = ("corpus", "wxr", "WordPress__theme-test-data__themeunittestdata.wordpress.xml")
RAW = re.compile(r"\[(caption|wp_caption|gallery|audio|video)[\s\]]")


def test_theme_unit_test_converts_with_no_raw_media_tag(tmp_path, capsys) -> None:
    wxr = shared_path(*THEME_UNIT_TEST)
    out = tmp_path / "site"
    status = main(["convert", str(wxr), "--to", "html", "-o", str(out)])
    summary = capsys.readouterr()
    assert status == 0, summary.err
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    raw = {p.name: RAW.findall(p.read_text(encoding="utf-8")) for p in pages}
    assert not {k: v for k, v in raw.items() if v}
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert text.count("class='gallery galleryid-") == 12 and text.count('<figure id="attachment_') >= 10
    assert text.count("<audio class=\"wp-audio-shortcode\"") == 1
    report = summary.out + summary.err
    for tag, n in (("caption", 12), ("gallery", 12), ("audio", 1)):
        assert re.search(rf"\b{tag}\s+rendered {n}\b", report), report
