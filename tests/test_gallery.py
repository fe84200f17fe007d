"""``shortcodes.gallery`` and ``shortcodes gallery``, without a browser (see test_browser.py for the layout).

The files exist and are valid HTML5 (html5lib, strict); every variant is on
its page, rendered from the source shown beside it; each card variant's
rows, direction and colours follow from its attributes; user templates get
the default variants and those of ``<tag>.variants.json``; bad variants
files are refused with the file and the variant named, before anything is
written.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortcodes.cards import TAG as CARD_TAG
from shortcodes.cards.variants import card_variants
from shortcodes.cli import main
from shortcodes.core.parser import parse
from shortcodes.jobs.gallery import (
    INDEX,
    GalleryError,
    build_gallery,
    check_output,
    default_variants,
    load_variants_file,
    page_filename,
    write_gallery,
)
from shortcodes.strategies import tag_names

CARD_PAGE = page_filename(CARD_TAG)
OPTIONAL_ROWS = ("confirmed-24h", "deaths-24h", "deaths-rate")
BASE_ROWS = ("confirmed", "deaths", "recovered", "active")


def parse_html(text: str) -> ET.Element:
    """Parse as HTML5, failing on any parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def find_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in classes(el)]


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


@pytest.fixture(scope="module")
def card_gallery(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("gallery")
    paths = write_gallery(out, plugins=["covid19"])
    return out, paths


@pytest.fixture(scope="module")
def figures(card_gallery) -> dict[str, ET.Element]:
    out, _paths = card_gallery
    root = parse_html((out / CARD_PAGE).read_text(encoding="utf-8"))
    return {f.get("data-variant"): f for f in root.iter("figure")}


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    """A small theme: a template that uses content, one that does not (with variants), one that fails."""
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "pullquote.html").write_text(
        '<blockquote class="pq"{% if attrs.cite %} cite="{{ attrs.cite }}"{% endif %}>{{ content }}</blockquote>',
        encoding="utf-8")
    (folder / "badge.html").write_text('<span class="badge" style="color:{{ attrs.color|default("black") }}">'
                                       '{{ attrs.text|default("badge") }}</span>', encoding="utf-8")
    (folder / "badge.variants.json").write_text(json.dumps({"variants": [
        {"name": "red", "title": "Red", "attrs": {"color": "red", "text": "جديد"}, "dir": "rtl"},
        {"title": "As texturized", "source": "[badge text=”new”]", "section": "Damaged quotes"},
    ]}, ensure_ascii=False), encoding="utf-8")
    (folder / "broken.html").write_text("{{ attrs.missing.deeper }}", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------
# The card's gallery
# ---------------------------------------------------------------------------

def test_files_written_atomically_and_valid_html5(card_gallery) -> None:
    out, paths = card_gallery
    assert [p.name for p in paths] == [INDEX, CARD_PAGE]
    assert sorted(p.name for p in out.iterdir()) == sorted([INDEX, CARD_PAGE])  # no temporary files left
    for path in paths:
        root = parse_html(path.read_text(encoding="utf-8"))
        assert root.get("lang") == "en"
        assert root.find("head/title") is not None and text_of(root.find("head/title")).strip()
    index = parse_html((out / INDEX).read_text(encoding="utf-8"))
    assert [a.get("href") for a in index.iter("a")] == [CARD_PAGE]


def test_every_variant_present_with_its_source(figures) -> None:
    variants = card_variants()
    assert list(figures) == [v.name for v in variants]   # every variant, in order, once
    for v in variants:
        fig = figures[v.name]
        assert fig.get("id") == f"v-{v.name}"
        assert [text_of(c) for c in find_class(fig, "gallery-source")] == [v.source]
        assert len(find_class(fig, "sc-covid-card")) == 1, v.name
        assert "[covid19-ultimate-card" not in text_of(find_class(fig, "gallery-render")[0]), v.name


def test_the_stylesheet_is_in_head_once(card_gallery) -> None:
    out, _paths = card_gallery
    root = parse_html((out / CARD_PAGE).read_text(encoding="utf-8"))
    card_styles = [s for s in root.iter("style") if s.get("data-sc-style") == "covid19-ultimate-card.css"]
    assert len(card_styles) == 1
    assert card_styles[0] in list(root.find("head"))


def _card_language_rtl(attrs: dict[str, str], locale: str | None) -> bool:
    if "rtl" in attrs:
        return attrs["rtl"] == "true"
    return bool(locale and locale.startswith("ar"))


def test_each_card_follows_its_attributes(figures) -> None:
    """Rows, direction, colours and region of each rendered card follow from the variant's attributes."""
    for v in card_variants():
        card = find_class(figures[v.name], "sc-covid-card")[0]
        (sc,) = [n for n in parse(v.source).children if getattr(n, "name", None) == CARD_TAG]
        attrs = dict(sc.attrs)
        where = f"variant {v.name}"
        assert card.get("dir") == ("rtl" if _card_language_rtl(attrs, v.locale) else "ltr"), where
        assert card.get("data-region") == attrs.get("region"), where
        given = [f"--sc-covid-{k}:{attrs[a].lower()}" for a, k in (("font-color", "fg"), ("bg-color", "bg"))
                 if a in attrs and ";" not in attrs[a]]
        assert (card.get("style") or "") == ";".join(given), where
        if "sc-covid-card--no-data" in classes(card):
            assert card.find(".//dl") is None and find_class(card, "sc-covid-card__no-data"), where
            continue
        rows = [c.split("--", 1)[1] for row in find_class(card, "sc-covid-card__row")
                for c in classes(row) if c.startswith("sc-covid-card__row--")]
        wanted = {r for r in OPTIONAL_ROWS if attrs.get(r) == "true"}
        assert set(rows) == set(BASE_ROWS) | wanted, where
        if "region-name" in attrs:
            assert text_of(find_class(card, "sc-covid-card__title")[0]) == attrs["region-name"], where


def test_the_variants_cover_what_a_theme_must_survive(figures) -> None:
    cards = {name: find_class(fig, "sc-covid-card")[0] for name, fig in figures.items()}
    dirs = {c.get("dir") for c in cards.values()}
    assert dirs == {"rtl", "ltr"}
    assert any(c.get("style") for c in cards.values()) and any(not c.get("style") for c in cards.values())
    assert any(c.get("data-region") is None for c in cards.values())          # the world
    assert any(c.get("data-region") == "EG" for c in cards.values())          # a country
    for row in OPTIONAL_ROWS:                                                  # each toggle on and off
        with_row = [n for n, c in cards.items() if find_class(c, f"sc-covid-card__row--{row}")]
        assert with_row and len(with_row) < len(cards), row

    def unknown(card: ET.Element, key: str) -> bool:
        (row,) = find_class(card, f"sc-covid-card__row--{key}")
        return bool(find_class(row, "sc-covid-card__unknown"))
    assert unknown(cards["figures-recovered-unknown"], "recovered")
    assert unknown(cards["figures-recovered-unknown"], "active")
    assert not any(unknown(cards["figures-known"], k) for k in BASE_ROWS)
    no_data = [n for n, c in cards.items() if "sc-covid-card--no-data" in classes(c)]
    assert "no-data-unknown-region" in no_data and len(no_data) >= 3
    long_name = text_of(find_class(cards["long-arabic-name"], "sc-covid-card__title")[0])
    assert len(long_name) > 40 and all(not ch.isascii() for ch in long_name.replace(" ", ""))
    # Arabic-Indic digits under locale ar-EG, including the date
    eg = cards["rtl-locale-ar-eg"]
    assert "٣" in text_of(find_class(eg, "sc-covid-card__number")[0])
    assert text_of(find_class(eg, "sc-covid-card__date")[0]).startswith("٢٠٢١")


def test_diagnostics_are_shown_beside_the_variant(figures) -> None:
    kinds = {name: {li.get("data-kind") for li in find_class(fig, "gallery-diagnostic")}
             for name, fig in figures.items()}
    assert kinds["colours-low-contrast"] == {"low-contrast"}
    assert kinds["colours-invalid"] == {"bad-color"}
    assert kinds["no-data-unknown-region"] == {"no-data"}
    assert kinds["seed-texturized"] == {"quotes-recovered"}
    assert kinds["rtl-arabic"] == set()


def test_the_gallery_is_deterministic() -> None:
    assert build_gallery().files() == build_gallery().files()


# ---------------------------------------------------------------------------
# User templates and <tag>.variants.json
# ---------------------------------------------------------------------------

def test_user_templates_get_default_and_file_variants(theme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery = build_gallery([theme], plugins=["covid19"])
    pages = {p.tag: p for p in gallery.pages}
    assert set(pages) == {"badge", "broken", "pullquote", CARD_TAG}
    assert [v.variant.name for v in pages["pullquote"].variants] == ["bare", "bare-content"]
    assert [v.variant.name for v in pages["badge"].variants] == ["bare", "red", "file-2"]
    assert pages["badge"].origin == str(theme / "badge.html") and pages[CARD_TAG].origin == "bundled"
    assert pages["broken"].failures == 1 and gallery.failures == 1      # broken.html ignores content: bare only
    gallery.write(out)
    badge = parse_html((out / "badge.html").read_text(encoding="utf-8"))
    figs = {f.get("data-variant"): f for f in badge.iter("figure")}
    assert text_of(find_class(figs["red"], "badge")[0]) == "جديد"
    assert find_class(figs["red"], "gallery-render")[0].get("dir") == "rtl"
    assert text_of(find_class(figs["file-2"], "badge")[0]) == "new"          # curly quotes recovered
    pq = parse_html((out / "pullquote.html").read_text(encoding="utf-8"))
    quotes = [text_of(b) for b in pq.iter("blockquote")]
    assert quotes == ["", "An example sentence, with markup."]
    broken = parse_html((out / "broken.html").read_text(encoding="utf-8"))
    failed = [f for f in broken.iter("figure") if "gallery-variant--failed" in classes(f)]
    assert len(failed) == 1 and all(find_class(f, "gallery-diagnostic--error") for f in failed)
    index = parse_html((out / INDEX).read_text(encoding="utf-8"))
    assert sorted(a.get("href") for a in index.iter("a")) == sorted(p.filename for p in gallery.pages)


@pytest.mark.parametrize("content, problem", [
    ("{", "not JSON"),
    ('{"items": []}', "expected a list of variants"),
    ("[1]", "variant 1: expected an object"),
    ('[{"title": "ok"}, {"attrs": {}}]', "variant 2: a title is required"),
    ('[{"title": "t", "atrs": {}}]', "variant 1: unknown key 'atrs'"),
    ('[{"title": "t", "attrs": {"n": 1}}]', "variant 1: attrs must be an object of strings"),
    ('[{"title": "t", "source": "[badge]", "attrs": {}}]', "variant 1: give either source, or attrs"),
    ('[{"title": "t", "as_of": "10/10/2021"}]', "variant 1: as_of '10/10/2021' is not a date"),
    ('[{"title": "t", "dir": "up"}]', "variant 1: variant file-1: dir='up'"),
    ('[{"title": "t", "name": "a b"}]', "variant 1: variant name 'a b'"),
    ('[{"title": "t", "name": "bare"}]', "two variants are named 'bare'"),
    ('[{"title": "t", "locale": "xx-nope"}]', "variant 1: locale 'xx-nope' is not a known locale"),
])
def test_bad_variants_files_are_refused_before_writing(theme: Path, tmp_path: Path, content: str,
                                                       problem: str) -> None:
    (theme / "badge.variants.json").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(GalleryError) as info:
        write_gallery(out, [theme])
    assert problem in str(info.value)
    assert str(info.value).startswith(str(theme / "badge.variants.json"))
    assert not out.exists()


def test_load_variants_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(GalleryError, match=r"nowhere\.variants\.json: cannot read"):
        load_variants_file(tmp_path / "nowhere.variants.json", "x")
    bad = tmp_path / "x.variants.json"
    bad.write_bytes(b'[{"title": "\xff"}]')
    with pytest.raises(GalleryError, match="not UTF-8"):
        load_variants_file(bad, "x")


def test_refuses_to_write_into_a_template_folder(theme: Path) -> None:
    with pytest.raises(GalleryError, match="template folder"):
        check_output(theme, [theme])
    with pytest.raises(GalleryError, match="template folder"):
        write_gallery(theme, [theme])
    assert (theme / "badge.html").read_text(encoding="utf-8").startswith('<span class="badge"')


def test_unknown_tag_is_refused() -> None:
    with pytest.raises(GalleryError, match="no template or handler for nope"):
        build_gallery(tags=["nope"])


def test_handlers_get_pages() -> None:
    gallery = build_gallery(tags=["shout"], handlers={"shout": lambda node, ctx: f"<b>{ctx.content}!</b>"})
    (page,) = gallery.pages
    assert page.origin == "handler"
    assert [v.html for v in page.variants] == ["<b>!</b>", "<b>An example sentence, with <em>markup</em>.!</b>"]


def test_default_variants_are_parseable_tags() -> None:
    for uses in (False, True):
        for v in default_variants("pull-quote", uses_content=uses):
            (sc,) = parse(v.source).children
            assert sc.name == "pull-quote" and not sc.attrs


@settings(max_examples=100, deadline=None)
@given(st.lists(tag_names(), min_size=1, max_size=8, unique=True))
def test_page_filenames_are_distinct_and_safe(tags: list[str]) -> None:
    names = [page_filename(t) for t in tags]
    assert len({n.lower() for n in names}) == len(tags)      # distinct even where case is ignored
    for name in names:
        assert name != INDEX and name.endswith(".html")
        assert all(ch in "abcdefghijklmnopqrstuvwxyz0123456789_-~." for ch in name), name


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def test_cli_writes_and_lists_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g"
    assert main(["gallery", "-o", str(out), "--tag", CARD_TAG]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / INDEX), str(out / CARD_PAGE)]
    assert (out / CARD_PAGE).read_text(encoding="utf-8") == build_gallery(tags=[CARD_TAG]).files()[CARD_PAGE]


def test_cli_exit_1_when_a_variant_fails(theme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gallery", "-q", "-o", str(tmp_path / "g"), "--templates", str(theme)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "1 variant(s) failed to render: broken.html (1)" in captured.err
    assert (tmp_path / "g" / "broken.html").is_file()


@pytest.mark.parametrize("extra", [["--as-of", "yesterday"], ["--tag", "nope"], ["--templates", "/nonexistent"]])
def test_cli_exit_2_and_nothing_written(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]) -> None:
    out = tmp_path / "g"
    assert main(["gallery", "-o", str(out), *extra]) == 2
    assert capsys.readouterr().err.startswith("shortcodes: error: ")
    assert not out.exists()


def test_cli_refuses_a_template_folder_as_output(theme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gallery", "-o", str(theme), "--templates", str(theme)]) == 2
    assert "refusing to write the gallery into a template folder" in capsys.readouterr().err
