"""shortcodes.strategies: the generated text means what the strategies say it means.

* parse() gives back each generated shortcode's name, attributes and content
  (straight, texturized with entities, texturized and decoded);
* WordPress itself (the PHP oracle) gives a registered handler the same
  attributes for the straight forms, and its wptexturize() produces exactly
  the texturized forms;
* the wptexturize() port agrees with WordPress on real posts and on random
  quote-heavy text.

Oracle tests collect many generated examples and send them to PHP in one
batch (one PHP start-up, ~25 ms), then compare.
"""
from __future__ import annotations

import csv
import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes import parse
from shortcodes import strategies as sst

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _top(doc):
    return [n for n in doc.children if hasattr(n, "attributes")]


def _check_case(case: sst.ShortcodeCase, tags=None) -> None:
    doc = parse(case.text, tags)
    found = _top(doc)
    assert len(found) == 1, (case.text, found)
    sc = found[0]
    assert sc.name == case.name
    assert dict(sc.attrs) == dict(case.attrs)
    assert sc.positional == case.positional
    assert sc.content == case.content
    assert sc.self_closing == case.self_closing
    assert not sc.escaped
    assert doc.to_source() == case.text


# -- the parse property ----------------------------------------------------------

@FAST
@given(sst.shortcode_cases())
def test_parse_reads_straight_shortcodes(case):
    _check_case(case)
    _check_case(case, tags=[case.name])
    assert case.straight == case.text and case.texturized == ""


@FAST
@given(sst.shortcode_cases(texturized=True))
def test_parse_recovers_texturized_shortcodes(case):
    assert case.texturized in ("entities", "characters")
    _check_case(case)
    _check_case(case, tags=[case.name])


@settings(max_examples=60, deadline=None)
@given(sst.shortcode_cases(texturized="characters"))
def test_decoded_forms_hold_no_entities_and_no_straight_double_quotes(case):
    assert '"' not in case.text
    assert not re.search(r"&#\d+;", case.text)
    assert case.text == html.unescape(case.text)


@settings(max_examples=60, deadline=None)
@given(sst.shortcode_cases(texturized="entities"))
def test_entity_forms_need_recovery(case):
    assert '"' not in case.text
    # A value that was quoted comes out with entities around it: WordPress
    # itself (strict) reads them into the value; recovery gives it back.
    quoted = [a for a in _top(parse(case.straight))[0].attributes if a.quote]
    strict = _top(parse(case.text, strict=True))[0]
    if quoted:
        assert any("&#82" in v for v in [*strict.attrs.values(), *strict.positional]), case.text
    else:  # only bare values: the opening tag is unchanged (enclosed content may be texturized)
        assert case.text.split("]")[0] == case.straight.split("]")[0]


@FAST
@given(sst.shortcode_cases(enclosing=True))
def test_enclosing_true_gives_only_enclosing(case):
    assert case.enclosing and case.text.endswith(f"[/{case.name}]")


@FAST
@given(sst.shortcode_cases(enclosing=False, tags=["gallery", "wp_caption"]))
def test_enclosing_false_and_tags(case):
    assert not case.enclosing and case.name in ("gallery", "wp_caption")
    assert f"[/{case.name}]" not in case.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sst.document_cases())
def test_parse_finds_every_generated_shortcode_in_documents(case):
    doc = parse(case.text, case.tags)
    assert doc.to_source() == case.text
    top = _top(doc)
    found = [n for n in top if not n.escaped]
    assert [n.name for n in found] == [c.name for c in case.shortcodes]
    for node, expected in zip(found, case.shortcodes):
        assert dict(node.attrs) == dict(expected.attrs)
        assert node.positional == expected.positional
        assert node.content == expected.content
    assert [n.name for n in top if n.escaped] == list(case.escaped)


@settings(max_examples=40, deadline=None)
@given(sst.documents(tags=["gallery", "caption"]))
def test_documents_with_given_tags(text):
    doc = parse(text, ["gallery", "caption"])
    assert {n.name for n in doc.shortcodes} <= {"gallery", "caption"}


@FAST
@given(sst.covid_cards(texturized=True))
def test_covid_cards_parse_back(case):
    assert case.name == sst.COVID_CARD_TAG
    _check_case(case)
    attrs = case.attrs
    assert set(attrs) <= set(sst.COVID_CARD_ATTRIBUTES)
    assert attrs.get("region", "EG") in sst.COVID_REGIONS
    for toggle in ("confirmed-24h", "deaths-24h", "deaths-rate", "rtl"):
        assert attrs.get(toggle, "true") in ("true", "false")
    assert attrs.get("bg-position", "left") in ("left", "right", "center")
    assert attrs.get("last-update", "c") in sst.PHP_DATE_FORMATS


@settings(max_examples=40, deadline=None)
@given(sst.covid_card_attributes(regions=[None]))
def test_covid_world_cards_have_no_region(attrs):
    assert "region" not in attrs
    assert attrs.get("region-name", "World") in ("World", "العالم")


def test_covid_regions_are_real_iso_codes(covid_data_dir):
    with open(covid_data_dir / "countries.csv", encoding="utf-8") as f:
        known = {row["iso2"] for row in csv.DictReader(f)}
    assert {"EG", "AE", "PS"} <= set(sst.COVID_REGIONS)
    assert set(sst.COVID_REGIONS) <= known, set(sst.COVID_REGIONS) - known


def test_seed_article_cards_use_only_known_attributes(seed_text):
    cards = list(parse(seed_text).find(sst.COVID_CARD_TAG))
    assert len(cards) == 4
    for card in cards:
        assert set(card.attrs) <= set(sst.COVID_CARD_ATTRIBUTES)
        assert card.get("region", "EG") in sst.COVID_REGIONS


# -- building blocks -----------------------------------------------------------

@FAST
@given(sst.tag_names())
def test_tag_names_are_what_add_shortcode_accepts(name):
    assert name.strip() and not set(name) & set("&/<>[]=")
    assert all(ord(c) > 0x20 for c in name)


@FAST
@given(sst.tag_names(realistic_only=True))
def test_realistic_tag_names_survive_texturize(name):
    assert re.fullmatch(r"[a-z0-9_-]+", name)
    assert sst.wptexturize(f"[{name}]") == f"[{name}]"


@FAST
@given(sst.attribute_names())
def test_attribute_names(name):
    assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert not re.fullmatch(r"0|-?[1-9][0-9]*", name)  # PHP would make it an integer key


@FAST
@given(sst.attribute_values())
def test_attribute_values_are_representable(value):
    assert "]" not in value and not ('"' in value and "'" in value)
    q = "'" if '"' in value else '"'
    assert dict(_top(parse(f"[x v={q}{value}{q}]", strict=True))[0].attrs) == {"v": value}


@FAST
@given(sst.attribute_values(texturizable=True))
def test_texturizable_values_survive_recovery(value):
    for form in (sst.wptexturize, lambda t: html.unescape(sst.wptexturize(t))):
        text = form(f'[x v="{value}" w="1"]')
        assert dict(_top(parse(text))[0].attrs) == {"v": value, "w": "1"}, text


@pytest.mark.parametrize("bad", ["", "a b", "a/b", "[x]", "a=b", "a&b"])
def test_invalid_tag_names_are_refused(bad):
    with pytest.raises(ValueError, match="tag name"):
        sst.shortcode_cases(tags=[bad] if bad else [])


def test_texturize_unstable_names_are_refused_for_texturized_cases():
    with pytest.raises(ValueError, match="wptexturize"):
        sst.shortcode_cases(tags=["a--b"], texturized=True)
    with pytest.raises(ValueError, match="wptexturize"):
        sst.shortcode_cases(tags=["مصر"], texturized="entities")
    sst.shortcode_cases(tags=["مصر"])  # fine when not texturized


def test_bad_texturized_argument():
    with pytest.raises(ValueError, match="texturized"):
        sst.shortcode_cases(texturized="curly")  # type: ignore[arg-type]


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown region 'XX'"):
        @given(sst.covid_card_attributes(regions=["XX"]))
        def inner(attrs):
            pass
        inner()


# -- against WordPress ---------------------------------------------------------

def _collect(strategy, n: int) -> list:
    """``n`` examples of ``strategy`` (generated by Hypothesis, not shrunk)."""
    out: list = []

    @settings(max_examples=n, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(strategy)
    def collect(x):
        out.append(x)

    collect()
    return out


@pytest.mark.oracle
def test_wordpress_hands_the_handler_the_expected_attributes(wp):
    cases = _collect(sst.shortcode_cases(), 300) + _collect(sst.covid_cards(), 50)
    cases = [c for c in cases if not re.search("[\ue000\ue001]", c.text)]  # the oracle's own sentinels
    calls = wp.do_shortcode([c.text for c in cases], tags=sorted({c.name for c in cases}))
    bad = []
    for case, out in zip(cases, calls):
        call = [c for c in out if not isinstance(c, str)]
        if len(call) != 1:
            bad.append((case.text, out))
            continue
        call = call[0]
        atts = call.atts if isinstance(call.atts, dict) else {}
        named = {k: v for k, v in atts.items() if isinstance(k, str)}
        positional = tuple(v for k, v in atts.items() if isinstance(k, int))
        content = call.content if case.enclosing else None
        if (call.tag, named, positional, content) != (case.name, dict(case.attrs), case.positional, case.content):
            bad.append((case.text, call))
    assert not bad, f"{len(bad)} of {len(cases)} differ, e.g. {bad[:3]}"


@pytest.mark.oracle
def test_texturized_forms_are_what_wordpress_produces(wp):
    cases = _collect(sst.shortcode_cases(texturized=True), 250) + _collect(sst.covid_cards(texturized=True), 40)
    produced = wp.wptexturize([c.straight for c in cases])
    bad = []
    for case, tex in zip(cases, produced):
        want = tex if case.texturized == "entities" else html.unescape(tex)
        if want != case.text:
            bad.append((case.straight, case.text, want))
    assert not bad, f"{len(bad)} of {len(cases)} differ, e.g. {bad[:3]}"


_TRICKY = st.lists(
    st.sampled_from(list("\"'`-.x0123456789 ab()[]{}<>/&;:,!?=\n\t") + ["\u00a0", "&nbsp;", "&lt;", "&gt;",
                                                                            "<code>", "</code>", "<b>", "<!--",
                                                                            "-->", "'tis", " (tm)", "مصر"]),
    max_size=40,
).map("".join)


@pytest.mark.oracle
def test_wptexturize_port_matches_wordpress_on_tricky_text(wp):
    texts = _collect(_TRICKY, 600)
    texts += ["", "'", '"', "'99'", "'99\"", "'1.5'", '"42"', "a -- b", "a---b", "xn--x", "0x70", "300x200",
              "1.5x2,0", "it's 5' 6\" tall", "<pre>\"x\"</pre> \"y\"", "<!-- \"c\" --> \"d\"", "a\n'", "a'\n"]
    produced = wp.wptexturize(texts)
    bad = [(t, sst.wptexturize(t), p) for t, p in zip(texts, produced) if sst.wptexturize(t) != p]
    assert not bad, f"{len(bad)} of {len(texts)} differ, e.g. {bad[:3]}"


@pytest.mark.oracle
def test_wptexturize_port_matches_wordpress_on_real_posts(wp, corpus_dir, seed_text):
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "posts").iterdir()) if p.is_file()]
    # the seed article, straightened: WordPress re-creates its curly quotes (§14)
    texts.append(re.sub("[\u201c\u201d\u2033]", '"', seed_text))
    produced = wp.wptexturize(texts)
    for text, want in zip(texts, produced):
        assert sst.wptexturize(text) == want
    assert html.unescape(sst.wptexturize(texts[-1])) == seed_text
