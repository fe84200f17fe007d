"""Real-browser checks of the rendered cards: Debian's Chromium, driven by Playwright.

The seed article (``examples/hasakah-article.txt``, rendered as
``shortcodes render … --page --autop --as-of 2021-10-10`` does) and the
card's gallery page are loaded at 360 px and 1280 px, and the layout is
measured, never compared with fixed pixels (fonts differ between machines):

* every card is laid out right to left where it says ``dir="rtl"`` (and
  left to right where it says ``ltr``);
* each label sits on the start side of its value: in a right-to-left card
  its right edge is the row's right edge and the value is below it, flush
  with the same edge (or to its left on the same line);
* nothing overflows: neither the page, nor a card, nor any element or text
  run outside its card or its row;
* dates and numbers read left to right: each is isolated (computed
  ``direction: ltr``, ``unicode-bidi`` an isolate) and its characters are
  drawn one after another from left to right (``Range.getBoundingClientRect``
  per character), so the year of ``2021-10-10`` is to the left of the day;
* the text has at least WCAG AA contrast against the card (except the
  gallery's deliberately low-contrast variant, which is warned about).

Screenshots go to ``$WP_SHORTCODES_ARTIFACTS`` (default ``test-artifacts/``).
``WP_SHORTCODES_UPDATE_SCREENSHOTS=1`` also rewrites the README's
``docs/screenshots/seed-1280.png`` and ``seed-360.png``.

One browser for the session; a page per width.  Skips with the reason when
Playwright or Chromium is missing (``scripts/install-browser.sh`` and
``pip install -e '.[test]'`` install them).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest
from _browser import CARD_PROBE, ROOT, SLACK, WIDTHS, artifacts_dir, describe, parse_rgb

from shortcodes.cards import MIN_CONTRAST, contrast_ratio
from shortcodes.jobs.gallery import build_gallery, page_filename
from shortcodes.renderer import Renderer

pytestmark = pytest.mark.browser

SEED_AS_OF = "2021-10-10"
SEED_CARDS = 4


# ---------------------------------------------------------------------------
# Fixtures: one browser per session, one loaded page per (document, width)
# ---------------------------------------------------------------------------



@pytest.fixture(scope="session")
def seed_page_file(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    """The seed article as a whole page, as `shortcodes render --page --autop --as-of 2021-10-10` writes it."""
    html = Renderer(autop=True, as_of=SEED_AS_OF).render_page(seed_text)
    path = tmp_path_factory.mktemp("seed") / "hasakah.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def gallery_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gallery")
    build_gallery(tags=["covid19-ultimate-card"]).write(folder)
    return folder / page_filename("covid19-ultimate-card")


class Loaded:
    """A page loaded at one width, with the probe's measurements."""

    def __init__(self, page: Any, width: int, name: str) -> None:
        self.page, self.width, self.name = page, width, name
        self.data: dict[str, Any] = page.evaluate(CARD_PROBE)
        self.cards: list[dict[str, Any]] = self.data["cards"]

    def screenshot(self, suffix: str = "") -> Path:
        path = artifacts_dir() / f"{self.name}-{self.width}{suffix}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _load(browser: Any, path: Path, width: int, name: str, *, screenshot: bool) -> Iterator[Loaded]:
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    try:
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        loaded = Loaded(page, width, name)
        if screenshot:
            loaded.screenshot()
        yield loaded
    finally:
        page.close()


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def seed(request: pytest.FixtureRequest, browser: Any, seed_page_file: Path) -> Iterator[Loaded]:
    yield from _load(browser, seed_page_file, request.param, "seed", screenshot=False)  # see test_seed_screenshots


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def gallery(request: pytest.FixtureRequest, browser: Any, gallery_file: Path) -> Iterator[Loaded]:
    yield from _load(browser, gallery_file, request.param, "gallery-covid19-ultimate-card", screenshot=True)


# ---------------------------------------------------------------------------
# The checks, shared by the seed page and the gallery
# ---------------------------------------------------------------------------

def no_overflow(loaded: Loaded) -> None:
    data = loaded.data
    assert data["scrollWidth"] <= data["clientWidth"], (
        f"the page scrolls sideways at {loaded.width}px: scrollWidth {data['scrollWidth']} > "
        f"clientWidth {data['clientWidth']}")
    problems = []
    for card in loaded.cards:
        if card["scrollWidth"] > card["clientWidth"]:
            problems.append(f"{describe(card)}: content {card['scrollWidth']}px wide in a "
                            f"{card['clientWidth']}px card")
        for item in card["outside"]:
            if item["over"] > SLACK:
                problems.append(f"{describe(card)}: {item['what']} is {item['over']:.1f}px outside its {item['frame']}")
        if card["box"][2] > data["clientWidth"] + SLACK or card["box"][0] < -SLACK:
            problems.append(f"{describe(card)}: the card itself sticks out of the page {card['box']}")
    assert not problems, f"overflow at {loaded.width}px:\n" + "\n".join(problems[:20])


def directions(loaded: Loaded) -> None:
    for card in loaded.cards:
        assert card["dirAttr"] in ("rtl", "ltr"), describe(card)
        assert card["direction"] == card["dirAttr"], (
            f"{describe(card)} says dir={card['dirAttr']} but is laid out {card['direction']}")


def labels_on_start_side(loaded: Loaded) -> None:
    """Label first in reading order: right of (or above and flush right with) the value in RTL; mirrored in LTR."""
    problems = []
    for card in loaded.cards:
        rtl = card["direction"] == "rtl"
        for row in card["rows"]:
            label, value, content = row["label"], row["value"], row["content"]
            where = f"{describe(card)} {row['key']}"
            # the label starts at the row's start edge
            start_gap = content[2] - label[2] if rtl else label[0] - content[0]
            if abs(start_gap) > 2:
                problems.append(f"{where}: the label is {start_gap:.1f}px from the row's start edge")
            # (text boxes include the font's tall ascent and descent, so compare centres)
            label_mid, value_mid = (label[1] + label[3]) / 2, (value[1] + value[3]) / 2
            same_line = label[1] < value_mid < label[3] and value[1] < label_mid < value[3]
            if same_line:
                beside = label[0] >= value[2] - SLACK if rtl else label[2] <= value[0] + SLACK
                if not beside:
                    problems.append(f"{where}: on one line the label is not on the "
                                    f"{'right' if rtl else 'left'} of the value (label {label}, value {value})")
            else:
                if label_mid >= value_mid:
                    problems.append(f"{where}: the value is above its label (label {label}, value {value})")
                flush = abs(label[2] - value[2]) if rtl else abs(label[0] - value[0])
                if flush > 2:
                    problems.append(f"{where}: label and value are not flush on the "
                                    f"{'right' if rtl else 'left'} ({flush:.1f}px apart)")
            # the value does not reach past the label's start side
            if (rtl and value[2] > label[2] + 2) or (not rtl and value[0] < label[0] - 2):
                problems.append(f"{where}: the value sticks out past the label's start edge")
    assert not problems, "\n".join(problems[:20])


def left_to_right(loaded: Loaded) -> None:
    """Dates and numbers are isolated left to right, and drawn in logical order from left to right."""
    problems = []
    seen_dates = 0
    for card in loaded.cards:
        for item in card["isolated"]:
            where = f"{describe(card)} <{item['tag']}> {item['text']!r}"
            if item["direction"] != "ltr" or "isolate" not in item["unicodeBidi"]:
                problems.append(f"{where}: direction {item['direction']}, unicode-bidi {item['unicodeBidi']}")
            chars = item["chars"]
            if item["tag"] == "time":
                seen_dates += 1
            # on each visual line, the characters go left to right in logical order
            for (c1, x1, y1), (c2, x2, y2) in zip(chars, chars[1:]):
                if abs(y1 - y2) <= SLACK and x2 < x1 - SLACK:
                    problems.append(f"{where}: {c2!r} is drawn left of {c1!r}, which comes before it "
                                    f"(x {x2:.1f} < {x1:.1f})")
                    break
            if item["tag"] == "time" and len({round(y) for _c, _x, y in chars}) > 1:
                problems.append(f"{where}: the date is broken over several lines")
    assert seen_dates, "no <time> element found in the cards"
    assert not problems, "\n".join(problems[:20])


def readable(loaded: Loaded) -> None:
    for card in loaded.cards:
        if card["lowContrastWarned"]:
            continue
        fg, bg = parse_rgb(card["color"]), parse_rgb(card["background"])
        assert bg[3] == 1.0, f"{describe(card)}: the background {card['background']} is not opaque"
        ratio = contrast_ratio(fg, bg)
        assert ratio >= MIN_CONTRAST, f"{describe(card)}: text {card['color']} on {card['background']} is {ratio:.2f}:1"


# ---------------------------------------------------------------------------
# The seed article
# ---------------------------------------------------------------------------

def test_seed_has_four_rtl_cards(seed: Loaded) -> None:
    assert len(seed.cards) == SEED_CARDS
    assert all(c["dirAttr"] == "rtl" for c in seed.cards)
    directions(seed)
    assert seed.page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def test_seed_labels_sit_right_of_values(seed: Loaded) -> None:
    assert all(len(c["rows"]) == 7 for c in seed.cards)  # the seed turns every optional row on
    labels_on_start_side(seed)


def test_seed_nothing_overflows(seed: Loaded) -> None:
    no_overflow(seed)


def test_seed_dates_and_numbers_read_left_to_right(seed: Loaded) -> None:
    left_to_right(seed)
    # the year is drawn to the left of the day in every "last updated" date
    for card in seed.cards:
        (date,) = [i for i in card["isolated"] if i["tag"] == "time"]
        assert date["text"] == SEED_AS_OF
        xs = [x for _c, x, _y in date["chars"]]
        assert max(xs[:4]) < min(xs[-2:]), f"{describe(card)}: year {xs[:4]} not left of day {xs[-2:]}"


def test_seed_contrast(seed: Loaded) -> None:
    readable(seed)


def test_seed_screenshots(seed: Loaded) -> None:
    """Screenshots of the cards (artifacts; with WP_SHORTCODES_UPDATE_SCREENSHOTS=1 also docs/screenshots)."""
    page = seed.page
    first = page.locator(".sc-covid-card").first.bounding_box()
    last = page.locator(".sc-covid-card").last.bounding_box()
    main = page.locator("main").bounding_box()
    assert first and last and main
    pad = 16
    if seed.width >= 1000:   # all four cards
        bottom = last["y"] + last["height"]
    else:                    # a phone: the first card
        bottom = first["y"] + first["height"]
    clip = {"x": max(0, main["x"] - pad), "y": max(0, first["y"] - pad),
            "width": min(seed.width, main["width"] + 2 * pad), "height": bottom - first["y"] + 2 * pad}
    targets = [artifacts_dir() / f"seed-cards-{seed.width}.png"]
    if os.environ.get("WP_SHORTCODES_UPDATE_SCREENSHOTS"):
        targets.append(ROOT / "docs" / "screenshots" / f"seed-{seed.width}.png")
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), clip=clip, full_page=True)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------
# The card's gallery page
# ---------------------------------------------------------------------------

def test_gallery_shows_every_variant(gallery: Loaded) -> None:
    from shortcodes.cards.variants import card_variants

    names = {c["variant"] for c in gallery.cards}
    assert names == {v.name for v in card_variants()}
    assert len(gallery.cards) == len(card_variants())


def test_gallery_directions(gallery: Loaded) -> None:
    directions(gallery)
    by_name = {c["variant"]: c for c in gallery.cards}
    assert by_name["rtl-arabic"]["direction"] == "rtl"
    assert by_name["ltr-english"]["direction"] == "ltr"
    assert by_name["ltr-card-rtl-page"]["direction"] == "ltr"   # inside a dir="rtl" page


def test_gallery_nothing_overflows(gallery: Loaded) -> None:
    no_overflow(gallery)
    # the variants' frames stay inside the page too
    widest = gallery.page.evaluate(
        "Math.max(...[...document.querySelectorAll('.gallery-variant')].map(f => f.getBoundingClientRect().right))")
    assert widest <= gallery.width + SLACK


def test_gallery_labels_and_dates(gallery: Loaded) -> None:
    labels_on_start_side(gallery)
    left_to_right(gallery)


def test_gallery_contrast(gallery: Loaded) -> None:
    readable(gallery)
    assert any(c["lowContrastWarned"] for c in gallery.cards)
