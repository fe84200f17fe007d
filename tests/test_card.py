"""[covid19-ultimate-card]: attributes, defaults, locales, colours, escaping, real figures."""
from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

import shortcodes
from shortcodes import cards
from shortcodes.cards import (
    DEFAULT_BG_COLOR,
    DEFAULT_FONT_COLOR,
    LABELS,
    contrast_ratio,
    date_only_format,
    format_number,
    format_percent,
    normalize_color,
    parse_color,
)
from shortcodes.cards.figures import Figures, NoData
from shortcodes.renderer import Renderer

CARD = "covid19-ultimate-card"
NS = "{http://www.w3.org/1999/xhtml}"


# -- reading a rendered card back --------------------------------------------------------------

def _text(el) -> str:
    return "".join(el.itertext())


def _classes(el) -> list[str]:
    return el.get("class", "").split()


def _find(el, cls: str):
    return [e for e in el.iter() if cls in _classes(e)]


def read_cards(html: str) -> list[dict]:
    """Every card in ``html`` as a dict: what a reader (or a test) sees."""
    parser = html5lib.HTMLParser(strict=False)
    root = parser.parse(html) if html.startswith("<!DOCTYPE") else parser.parseFragment(html, container="div")
    assert parser.errors == [], parser.errors
    out = []
    for sec in _find(root, "sc-covid-card"):
        rows = {}
        for row in _find(sec, "sc-covid-card__row"):
            key = next(c for c in _classes(row) if c.startswith("sc-covid-card__row--")).split("--", 1)[1]
            data = row.find(f".//{NS}data")
            rows[key] = {
                "label": _text(_find(row, "sc-covid-card__label")[0]),
                "text": _text(data) if data is not None else None,
                "value": data.get("value") if data is not None else None,
                "dir": data.get("dir") if data is not None else None,
                "unknown": bool(_find(row, "sc-covid-card__unknown")),
            }
        time = sec.find(f".//{NS}time")
        updated = _find(sec, "sc-covid-card__updated")
        out.append({
            "el": sec, "classes": _classes(sec), "dir": sec.get("dir"), "lang": sec.get("lang"),
            "style": sec.get("style"), "region": sec.get("data-region"),
            "title": _text(_find(sec, "sc-covid-card__title")[0]),
            "rows": rows, "order": list(rows),
            "time": None if time is None else (time.get("datetime"), _text(time), time.get("dir")),
            "updated_label": _text(_find(updated[0], "sc-covid-card__updated-label")[0]) if updated else None,
            "no_data": _text(_find(sec, "sc-covid-card__no-data")[0]) if _find(sec, "sc-covid-card__no-data") else None,
        })
    return out


def card(attrs: str = "", **options) -> tuple[dict, list]:
    """Render one card; return it read back, and the diagnostics."""
    options.setdefault("as_of", "2021-10-10")
    res = Renderer(**options).render_result(f"[{CARD} {attrs}]")
    (c,) = read_cards(res.html)
    return c, list(res.diagnostics)


class FakeProvider:
    """Figures given by the test (a source with a time of day, corrections…)."""

    def __init__(self, **fields):
        base = dict(region="EG", name="Egypt", date=dt.date(2021, 10, 10), updated=None, confirmed=1000,
                    deaths=20, recovered=None, active=None, new_confirmed=12, new_deaths=1, source="fake")
        base.update(fields)
        self.fields = base

    def figures(self, region, as_of=None):
        return Figures(**{**self.fields, "region": region})


# -- real figures, read from the shared data in the test ---------------------------------------

def _jhu(covid_data_dir: Path, name: str | None, day: dt.date) -> dict:
    """confirmed, deaths and the day's differences, straight from the CSVs."""
    if name is None:
        path, key = covid_data_dir / "worldwide-aggregate.csv", None
    else:
        path, key = covid_data_dir / "countries-aggregated.csv", name
    rows = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if key is None or row["Country"] == key:
                rows[row["Date"]] = row
    today, before = rows[day.isoformat()], rows[(day - dt.timedelta(days=1)).isoformat()]
    c, d = int(today["Confirmed"]), int(today["Deaths"])
    return {"confirmed": c, "deaths": d, "new_confirmed": c - int(before["Confirmed"]),
            "new_deaths": d - int(before["Deaths"]), "recovered": int(today["Recovered"])}


def _country_names(covid_data_dir: Path) -> dict[str, str]:
    with (covid_data_dir / "countries.csv").open(encoding="utf-8") as f:
        return {row["iso2"]: row["country"] for row in csv.DictReader(f)}


def _signed(n: int, locale: str) -> str:
    text = format_decimal(n, locale=locale)
    return "+" + text if n > 0 else text


def test_seed_cards_show_the_real_figures(seed_text, covid_data_dir):
    day = dt.date(2021, 10, 10)
    page = Renderer(autop=True).render_page(seed_text, as_of=day)
    found = read_cards(page)
    names = _country_names(covid_data_dir)
    assert [c["region"] for c in found] == ["EG", "AE", "PS", None]
    assert names["PS"] == "West Bank and Gaza"
    for c, code in zip(found, ["EG", "AE", "PS", None]):
        want = _jhu(covid_data_dir, None if code is None else names[code], day)
        rows = c["rows"]
        # no locale, Arabic labels: the card is Arabic; Babel's "ar" groups with Western digits
        assert rows["confirmed"]["text"] == format_decimal(want["confirmed"], locale="ar")
        assert rows["confirmed"]["value"] == str(want["confirmed"])
        assert rows["deaths"]["text"] == format_decimal(want["deaths"], locale="ar")
        assert rows["confirmed-24h"]["text"] == _signed(want["new_confirmed"], "ar")
        assert rows["deaths-24h"]["text"] == _signed(want["new_deaths"], "ar")
        assert rows["deaths-rate"]["text"] == f"{want['deaths'] / want['confirmed'] * 100:.2f}%"
        # JHU stopped counting recoveries: the CSV says 0, the card says "unknown", never 0
        assert want["recovered"] == 0
        assert rows["recovered"]["unknown"] and rows["recovered"]["text"] is None
        assert rows["active"]["unknown"]
        assert c["time"] == ("2021-10-10", "2021-10-10", "ltr")  # "Y-m-d H:i" on a date-only source
        assert c["dir"] == "rtl" and c["lang"] == "ar"
        assert c["style"] == "--sc-covid-fg:#ffffff;--sc-covid-bg:#0c3278"
        assert "sc-covid-card--bg-right" in c["classes"]
        assert c["updated_label"] == "تم تحديث البيانات في :"
    assert [c["title"] for c in found] == ["مصر", "الإمارات العربية المتحدة", "فلسطين", "العالم"]
    assert found[0]["order"] == ["confirmed", "confirmed-24h", "deaths", "deaths-24h", "deaths-rate",
                                 "recovered", "active"]
    assert found[0]["rows"]["confirmed"]["label"] == "اجمالي الحالات"
    assert found[0]["rows"]["active"]["label"] == "حالات تحت العلاج"


def test_world_and_country_defaults(covid_data_dir):
    day = dt.date(2021, 10, 10)
    world, diags = card()
    assert world["title"] == "World" and world["region"] is None and diags == []
    assert world["rows"]["confirmed"]["value"] == str(_jhu(covid_data_dir, None, day)["confirmed"])
    eg, _ = card("region=eg")
    assert eg["title"] == "Egypt" and eg["region"] == "EG"
    assert eg["rows"]["confirmed"]["value"] == str(_jhu(covid_data_dir, "Egypt", day)["confirmed"])
    ar_world, _ = card("rtl=true")
    assert ar_world["title"] == "العالم"


def test_default_labels_english_and_arabic():
    en, _ = card("confirmed-24h=true deaths-24h=true deaths-rate=true")
    assert {k: r["label"] for k, r in en["rows"].items()} == {
        k: LABELS["en"][k] for k in ("confirmed", "confirmed-24h", "deaths", "deaths-24h", "deaths-rate",
                                     "recovered", "active")}
    assert en["updated_label"] == LABELS["en"]["last-update"]
    assert (en["dir"], en["lang"]) == ("ltr", "en")
    ar, _ = card("rtl=true deaths-rate=true")
    assert ar["rows"]["deaths-rate"]["label"] == LABELS["ar"]["deaths-rate"]
    assert (ar["dir"], ar["lang"]) == ("rtl", "ar")
    by_locale, _ = card(locale="ar")
    assert by_locale["rows"]["deaths"]["label"] == LABELS["ar"]["deaths"] and by_locale["dir"] == "rtl"


@pytest.mark.parametrize("key", ["confirmed", "deaths", "recovered", "active",
                                 "confirmed-24h", "deaths-24h", "deaths-rate"])
def test_every_label_attribute(key):
    toggle = f"{key}=true " if key in ("confirmed-24h", "deaths-24h", "deaths-rate") else ""
    c, diags = card(f'{toggle}{key}-label="My <{key}> label"')
    assert c["rows"][key]["label"] == f"My <{key}> label" and diags == []


@pytest.mark.parametrize("key", ["confirmed-24h", "deaths-24h", "deaths-rate"])
@pytest.mark.parametrize("value, shown", [("true", True), ("false", False), ("TRUE", True), ("0", False),
                                          (None, False)])
def test_toggles(key, value, shown):
    c, diags = card("" if value is None else f"{key}={value}")
    assert (key in c["rows"]) is shown and diags == []
    assert {"confirmed", "deaths", "recovered", "active"} <= set(c["rows"])


def test_bad_toggle_is_reported_and_off():
    c, diags = card("deaths-rate=maybe")
    assert "deaths-rate" not in c["rows"]
    assert [d.kind for d in diags] == ["bad-attribute"] and "maybe" in diags[0].message


def test_region_name_and_rtl_and_lang():
    c, _ = card('region=AE region-name="Emirates"')
    assert c["title"] == "Emirates" and (c["dir"], c["lang"]) == ("ltr", "en")
    c, _ = card('region=AE region-name="الإمارات"')           # Arabic letters: an Arabic card
    assert (c["dir"], c["lang"]) == ("rtl", "ar")
    c, _ = card('region=AE region-name="الإمارات" rtl=false')
    assert (c["dir"], c["lang"]) == ("ltr", "ar")
    c, _ = card('rtl="true"')
    assert (c["dir"], c["lang"]) == ("rtl", "ar")
    c, _ = card('confirmed-label="اجمالي"', locale="en")       # English locale, Arabic label text
    assert c["lang"] == "ar"


@pytest.mark.parametrize("where", ["right", "left", "center", "LEFT"])
def test_bg_position(where):
    c, diags = card(f"bg-position={where}")
    assert f"sc-covid-card--bg-{where.lower()}" in c["classes"] and diags == []


def test_bg_position_default_and_bad_value():
    c, _ = card()
    assert "sc-covid-card--bg-right" in c["classes"]
    c, diags = card('bg-position="top;x"')
    assert "sc-covid-card--bg-right" in c["classes"] and [d.kind for d in diags] == ["bad-attribute"]


def test_bg_position_css_places_the_motif():
    text = Renderer().stylesheet_text(f"{CARD}.css")
    for where, x in (("right", "100%"), ("left", "0%"), ("center", "50%")):
        assert re.search(rf"\.sc-covid-card--bg-{where} \{{ --sc-covid-motif-x: {x}; \}}", text)
    assert "url(" not in text                                  # no external images


# -- numbers and locales -------------------------------------------------------------------------

def test_arabic_indic_digits_with_ar_eg(covid_data_dir):
    want = _jhu(covid_data_dir, "Egypt", dt.date(2021, 10, 10))
    c, _ = card("region=EG confirmed-24h=true deaths-rate=true", locale="ar-EG")
    text = c["rows"]["confirmed"]["text"]
    assert all(unicodedata.name(ch).startswith("ARABIC-INDIC DIGIT") or ch == "٬" for ch in text)
    western = text.translate({0x660 + i: str(i) for i in range(10)}).replace("٬", "")
    assert int(western) == want["confirmed"]
    assert c["rows"]["confirmed-24h"]["text"].startswith("+")
    assert c["rows"]["deaths-rate"]["text"].endswith("٪")
    assert c["time"][1] == "٢٠٢١-١٠-١٠" and c["time"][0] == "2021-10-10"
    assert c["lang"] == "ar-EG" and c["dir"] == "rtl"


def test_western_digits_by_default():
    c, _ = card("region=EG rtl=true")
    assert re.fullmatch(r"[0-9,]+", c["rows"]["confirmed"]["text"])


def test_format_number_properties():
    for n in (0, 7, 999, 1000, 1234567, -1, -45678):
        assert format_number(n, "en").replace(",", "") == str(n)
        signed = format_number(n, "en", signed=True)
        assert signed.replace(",", "") == (f"+{n}" if n > 0 else str(n))
    assert format_number(1234567, "de") == "1.234.567"
    assert format_percent(5.6634, "en") == "5.66%"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-10**12, max_value=10**12))
def test_ar_eg_digits_read_back(n):
    text = format_number(n, "ar-EG", signed=True)
    digits = "".join(str(unicodedata.digit(ch)) for ch in text if unicodedata.category(ch) == "Nd")
    assert int(digits) == abs(n)
    assert text.startswith("-") == (n < 0) and text.startswith("+") == (n > 0)


def test_negative_corrections_are_shown():
    c, _ = card("confirmed-24h=true deaths-24h=true", provider=FakeProvider(new_confirmed=-1234, new_deaths=-2))
    assert c["rows"]["confirmed-24h"]["text"] == "-1,234" and c["rows"]["confirmed-24h"]["value"] == "-1234"
    assert c["rows"]["deaths-24h"]["text"] == "-2"
    c, _ = card("confirmed-24h=true", provider=FakeProvider(new_confirmed=0))
    assert c["rows"]["confirmed-24h"]["text"] == "0"


def test_unknown_counts_are_never_zero():
    c, _ = card("confirmed-24h=true deaths-rate=true",
                provider=FakeProvider(recovered=None, active=None, new_confirmed=None, confirmed=0))
    for key in ("recovered", "active", "confirmed-24h", "deaths-rate"):
        assert c["rows"][key]["unknown"] and c["rows"][key]["text"] is None
    assert "—" in _text(_find(c["el"], "sc-covid-card__row--recovered")[0])
    c, _ = card(provider=FakeProvider(recovered=5, active=0))
    assert c["rows"]["recovered"]["text"] == "5" and c["rows"]["active"]["text"] == "0"


# -- last update ------------------------------------------------------------------------------

def test_last_update_with_a_time_of_day():
    when = dt.datetime(2021, 10, 10, 14, 5, tzinfo=dt.timezone.utc)
    c, _ = card('last-update="Y-m-d H:i" last-update-label="Updated"', provider=FakeProvider(updated=when))
    assert c["time"] == ("2021-10-10T14:05:00+00:00", "2021-10-10 14:05", "ltr")
    assert c["updated_label"] == "Updated"


def test_last_update_date_only_never_invents_a_time():
    c, _ = card('last-update="l, j F Y \\a\\t H:i"')
    assert c["time"][1] == "Sunday, 10 October 2021"
    c, _ = card('last-update="H:i"')
    assert c["time"][1] == "2021-10-10"
    c, _ = card()
    assert c["time"][1] == "2021-10-10"


@pytest.mark.parametrize("fmt, want", [("Y-m-d H:i", "Y-m-d"), ("H:i d/m/Y", "d/m/Y"), ("d.m.Y", "d.m.Y"),
                                       ("D, d M Y H:i:s O", "D, d M Y"), ("c", "Y-m-d"), ("\\H\\i Y", "\\H\\i Y"),
                                       ("j F Y, g:i a", "j F Y")])
def test_date_only_format(fmt, want):
    assert date_only_format(fmt) == want


# -- no data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("attrs, as_of", [("region=ZZ", "2021-10-10"), ("region=Atlantis", "2021-10-10"),
                                          ("region=EG", "2019-12-31"), ("", "2019-12-31")])
def test_no_data_state(attrs, as_of):
    res = Renderer(as_of=as_of).render_result(f"before [{CARD} {attrs}] after")
    (c,) = read_cards(res.html)
    assert "sc-covid-card--no-data" in c["classes"] and c["rows"] == {}
    assert c["no_data"] and ("2019-12-31" in c["no_data"]) == (as_of == "2019-12-31")
    assert [d.kind for d in res.diagnostics] == ["no-data"]
    assert (res.diagnostics[0].line, res.diagnostics[0].column) == (1, 8)
    assert res.html.startswith("before ") and res.html.endswith("</section> after")


def test_no_data_in_arabic():
    c, _ = card("region=EG rtl=true", as_of="2019-01-01")
    assert c["no_data"].startswith("لا تتوفر بيانات عن مصر")


# -- colours ---------------------------------------------------------------------------------

VALID_COLORS = ["#fff", "#FFFF", "#0c3278", "#0c327880", "red", "RebeccaPurple", "transparent", "currentColor",
                "rgb(12, 50, 120)", "rgba(12,50,120,.5)", "rgb(10%, 20%, 30%)", "rgb(12 50 120)",
                "rgb(12 50 120 / 50%)", "rgb(none 50 120)", "hsl(120, 100%, 25%)", "hsla(120deg,100%,25%,0.3)",
                "hsl(0.5turn 50% 50%)", "hsl(200 60 40 / .5)", "hsl(3.14rad 50% 50%)"]
INVALID_COLORS = ["red;background:url(x)", "expression(alert(1))", "}", "#12", "#12345", "#ggg", "rgb(1,2)",
                  "rgb(1, 2%, 3)", "url(javascript:alert(1))", "red }", "red !important", "var(--x)",
                  "blue/**/", "\\72 ed", "rgb(1 2 3;)", "hsl(1, 2, 3)", "javascript:alert(1)", "#١٢٣",
                  "<script>", "\"red\"", "calc(1)", "inherit"]


@pytest.mark.parametrize("value", VALID_COLORS)
def test_valid_colors(value):
    assert parse_color(value) is not None
    c, diags = card(f'font-color="{value}"')
    assert c["style"] == f"--sc-covid-fg:{normalize_color(value)}"
    assert [d.kind for d in diags if d.kind != "low-contrast"] == []


@pytest.mark.parametrize("value", INVALID_COLORS)
def test_invalid_colors_are_refused(value):
    assert parse_color(value) is None
    quote = "'" if '"' in value else '"'
    c, diags = card(f"bg-color={quote}{value}{quote}")
    assert c["style"] is None
    assert [d.kind for d in diags] == ["bad-color"]


def test_color_values_parse_correctly():
    assert parse_color("#abc") == (170, 187, 204, 1.0)
    assert parse_color("rgb(100%, 0%, 0%)") == (255, 0, 0, 1.0)
    assert parse_color("hsl(240 100% 50%)") == (0, 0, 255, 1.0)
    assert parse_color("navy") == (0, 0, 128, 1.0)
    assert len(cards.colors.NAMED_COLORS) == 148


def test_default_colors_have_enough_contrast():
    ratio = contrast_ratio(parse_color(DEFAULT_FONT_COLOR), parse_color(DEFAULT_BG_COLOR))
    assert ratio >= 4.5
    css = Renderer().stylesheet_text(f"{CARD}.css")
    assert f"--sc-covid-fg: {DEFAULT_FONT_COLOR};" in css and f"--sc-covid-bg: {DEFAULT_BG_COLOR};" in css


def test_low_contrast_is_reported():
    _, diags = card('font-color="#777" bg-color="#888"')
    assert [d.kind for d in diags] == ["low-contrast"]
    _, diags = card('font-color="#ffffff" bg-color="#0c3278"')
    assert diags == []


# -- escaping, whatever the attributes hold --------------------------------------------------------

DANGEROUS = st.sampled_from(['<script>alert(1)</script>', '"', "'", '" onmouseover="x', "javascript:alert(1)",
                             "red;background:url(x)", "expression(alert(1))", "}", "</style>", "<!--", "&", "]",
                             "مصر", "EG", "true", "#fff", "Y-m-d H:i"])
ATTR_VALUES = st.lists(DANGEROUS, min_size=1, max_size=4).map("".join) | st.text(max_size=30)
CARD_ATTRS = st.dictionaries(st.sampled_from(sorted(cards.ATTRIBUTES)), ATTR_VALUES, max_size=6)


def _quote(value: str) -> str:
    value = value.replace('"', "&quot;").replace("[", "&#91;").replace("]", "&#93;")
    return f'"{value}"'


@settings(max_examples=150, deadline=None)
@given(CARD_ATTRS)
def test_attribute_values_never_escape_into_markup(attrs):
    text = f"[{CARD} " + " ".join(f"{k}={_quote(v)}" for k, v in attrs.items()) + "]"
    res = Renderer(as_of="2021-10-10").render_result(text)
    html = res.html
    if not res.counts.get(CARD, {}).get("rendered"):
        # A '<' that opens an HTML element (or a comment) running over the tag's ']': WordPress
        # does not see a shortcode there, and nor does the renderer; the text is left as it is.
        assert shortcodes.do_shortcode(text, {CARD: lambda atts, content, tag: "RUN"}) == (
            text.replace("&#91;", "&#091;").replace("&#93;", "&#093;"))
        assert html == text
        return
    parser = html5lib.HTMLParser(strict=False)
    root = parser.parseFragment(html, container="div")
    assert parser.errors == []
    tags = {el.tag.replace(NS, "") for el in root.iter() if isinstance(el.tag, str)} - {"DOCUMENT_FRAGMENT"}
    assert tags <= {"div", "style", "section", "h2", "dl", "dt", "dd", "data", "span", "p", "time", "bdi"}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert not [a for a in el.attrib if a.lower().startswith("on")]
        style = el.get("style")
        if style is not None:
            # only validated colours, as custom properties
            for decl in style.split(";"):
                name, _, value = decl.partition(":")
                assert name in ("--sc-covid-fg", "--sc-covid-bg")
                assert parse_color(value) is not None and not re.search(r"[;{}<>\"'\\]|url|expression", value)
    # the only <style> is ours
    styles = [el for el in root.iter() if el.tag == f"{NS}style"]
    assert len(styles) == 1 and styles[0].get("data-sc-style") == f"{CARD}.css"
    assert all(d.kind in {"bad-color", "bad-attribute", "no-data", "low-contrast", "quotes-recovered",
                          "unknown-attribute", "unclosed-html"} for d in res.diagnostics), res.diagnostics


def test_script_in_labels_is_text():
    c, _ = card("confirmed-label='<script>alert(1)</script>' region-name='\"><img src=x onerror=y>'")
    assert c["rows"]["confirmed"]["label"] == "<script>alert(1)</script>"
    assert c["title"] == '"><img src=x onerror=y>'


def test_unknown_attributes_are_reported():
    _, diags = card('regoin=EG "stray words"')
    assert [d.kind for d in diags] == ["unknown-attribute", "unknown-attribute"]
    assert "'regoin'" in diags[0].message


def test_a_failing_provider_keeps_the_source():
    class Broken:
        def figures(self, region, as_of=None):
            raise ConnectionError("offline")
    res = Renderer(provider=Broken()).render_result(f"[{CARD} region=EG]")
    assert res.html == f"[{CARD} region=EG]"
    assert res.diagnostics[0].kind == "render-failed" and "offline" in res.diagnostics[0].message


def test_no_data_source_unavailable_is_a_no_data_card():
    class Down:
        def figures(self, region, as_of=None):
            raise NoData(region, as_of, "the source is down")
    res = Renderer(provider=Down()).render_result(f"[{CARD} region=EG]")
    (c,) = read_cards(res.html)
    assert "sc-covid-card--no-data" in c["classes"] and "the source is down" in res.diagnostics[0].message


def test_card_markup_is_semantic():
    c, _ = card("region=EG deaths-rate=true")
    sec = c["el"]
    names = [el.tag.replace(NS, "") for el in sec.iter()]
    assert names[:2] == ["section", "h2"] and "dl" in names and "time" in names
    for row in _find(sec, "sc-covid-card__row"):
        assert [ch.tag.replace(NS, "") for ch in row] == ["dt", "dd"]
    assert all(r["dir"] == "ltr" for r in c["rows"].values() if not r["unknown"])
    assert ElementTree.tostring(sec)  # serialisable
