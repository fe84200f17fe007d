"""Item "the card memo": equal cards are rendered once, with output and diagnostics as without the memo.

The memo is a renderer feature (``add_templates(..., pure=[tag])``) that the
COVID-19 card plugin opts into; these tests compare every rendering with a
renderer that renders every card (``use("covid19", memo=False)``).
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shortcodes.cards import TAG
from shortcodes.cards.figures import default_provider
from shortcodes.cards.strategies import covid_cards
from shortcodes.renderer import Renderer, engine


def _pair(**options):
    with_memo = Renderer(**options)
    without = Renderer(plugins=(), **options).use("covid19", memo=False)
    return with_memo, without


def _same(a, b) -> None:
    assert a.html == b.html
    assert a.diagnostics == b.diagnostics
    assert {k: dict(v) for k, v in a.counts.items()} == {k: dict(v) for k, v in b.counts.items()}
    assert a.stylesheets == b.stylesheets


_PAIRS = {}


def _renderers(locale, as_of):
    key = (locale, as_of)
    if key not in _PAIRS:  # shared across examples, so that the memo fills up and is hit
        _PAIRS[key] = _pair(locale=locale, as_of=as_of)
    return _PAIRS[key]


_SEPARATORS = st.sampled_from([" ", "\n", "<p>", "</p>\n\n", ' <a title="', '">x</a> ', " [[", "]] "])


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(covid_cards(texturized=True) | covid_cards(), _SEPARATORS), min_size=1, max_size=5),
       st.sampled_from([None, "ar-EG", "en"]), st.sampled_from([None, "2021-10-10", "2020-05-01", "1999-01-01"]),
       st.booleans())
def test_card_memo_output_and_diagnostics_identical(cards, locale, as_of, page):
    text = "".join(case.text + sep for case, sep in cards)
    text = text + text                                          # every card at least twice
    memo, plain = _renderers(locale, as_of)
    for _ in range(2):                                          # second time: from the memo
        if page:
            _same(memo.render_page_result(text), plain.render_page_result(text))
        else:
            _same(memo.render_result(text), plain.render_result(text))
            _same(memo.render_result(text, inline_styles=False), plain.render_result(text, inline_styles=False))


def test_card_memo_on_the_seed(seed_text):
    for autop in (False, True):
        memo, plain = _pair(as_of="2021-10-10", autop=autop)
        for as_of in (None, "2020-05-01", "1999-01-01"):
            for _ in range(2):
                _same(memo.render_result(seed_text, as_of=as_of), plain.render_result(seed_text, as_of=as_of))
                _same(memo.render_page_result(seed_text, as_of=as_of),
                      plain.render_page_result(seed_text, as_of=as_of))


class _Counting:
    """The bundled figures, counting the cards that asked (the card asks once per rendering)."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls = 0
        self.fail_first = fail_first
        self.inner = default_provider()

    def figures(self, region, as_of=None):
        self.calls += 1
        if self.calls <= self.fail_first:
            raise RuntimeError("source down")
        return self.inner.figures(region, as_of)


def test_card_memo_renders_equal_cards_once(tmp_path):
    provider = _Counting()
    r = Renderer(provider=provider, as_of="2021-10-10")
    text = f"[{TAG} region=EG] [{TAG} region=”EG”] [{TAG} region=AE]"
    first = r.render_result(text)
    assert provider.calls == 3                      # EG with its <style>, EG without, AE without
    again = r.render_result(text)
    assert provider.calls == 3 and again == first   # all from the memo
    r.render(f"[{TAG} region=EG]", as_of="2021-10-09")
    assert provider.calls == 4                      # another date is another card


def test_card_memo_only_while_the_bundled_template_is_in_use(tmp_path):
    (tmp_path / f"{TAG}.html").write_text("<p>{{ ctx.provider.figures(attrs.region, ctx.as_of).confirmed }}</p>",
                                          encoding="utf-8")
    provider = _Counting()
    themed = Renderer(templates=[tmp_path], provider=provider, as_of="2021-10-10")
    themed.render(f"[{TAG} region=EG]")
    themed.render(f"[{TAG} region=EG]")
    assert provider.calls == 2                      # a theme's template is never memoised
    provider = _Counting()
    r = Renderer(provider=provider, as_of="2021-10-10")
    r.render(f"[{TAG} region=EG]")
    r.register(TAG, lambda node, ctx: str(ctx.provider.figures("EG", ctx.as_of).confirmed))
    assert r.render(f"[{TAG} region=EG]") == r.render(f"[{TAG} region=EG]")
    assert provider.calls == 3                      # nor is a handler


def test_card_memo_never_keeps_a_failure():
    provider = _Counting(fail_first=1)
    r = Renderer(provider=provider, as_of="2021-10-10")
    failed = r.render_result(f"[{TAG} region=EG]")
    assert failed.diagnostics[-1].kind == "render-failed"
    ok = r.render_result(f"[{TAG} region=EG]")
    assert '<section class="sc-covid-card' in ok.html and provider.calls == 2


def test_card_memo_replays_diagnostics_at_each_tag(tmp_path):
    r = Renderer(as_of="2021-10-10")
    text = f'[{TAG} region=EG bg-color="nope"]\n\n  [{TAG} region=EG bg-color="nope"]'
    res = r.render_result(text)
    assert [(d.kind, d.line, d.column) for d in res.diagnostics] == [("bad-color", 1, 1), ("bad-color", 3, 3)]
    res = Renderer(as_of="2021-10-10", autop=True).render_result(text)
    assert [(d.kind, d.line, d.column) for d in res.diagnostics] == [("bad-color", 1, 1), ("bad-color", 3, 3)]


def test_card_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(engine, "MEMO_SIZE", 8)
    r = Renderer(as_of="2021-10-10")
    for day in range(1, 30):
        r.render(f"[{TAG} region=EG]", as_of=dt.date(2021, 9, day))
        assert len(r._memo) <= 8


def test_card_memo_keeps_attribute_and_text_cards_apart():
    r = Renderer(as_of="2021-10-10")
    text = f'<a title="[{TAG} region=EG]">x</a> [{TAG} region=EG]'
    for _ in range(2):
        out = r.render(text)
        head, tail = out.split("</a>")
        assert "<style" not in head and tail.count("<style") == 1


@pytest.mark.parametrize("setting", ["provider", "refresh"])
def test_card_memo_forgets_when_the_renderer_changes(setting):
    r = Renderer(as_of="2021-10-10")
    r.render(f"[{TAG} region=EG]")
    assert r._memo
    if setting == "provider":
        r.provider = _Counting()
    else:
        r.refresh_templates()
    assert not r._memo
