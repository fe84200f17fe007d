"""[gallery] against WordPress 6.1.9's gallery_shortcode(), on every corpus gallery and generated ones.

Both sides read the same site (``media_kit.materialize``: the oracle's own
derivations written out as meta).  What is compared is what the post's author
sees (the default): WordPress's gallery is run for a logged-in reader on the
site with post passwords entered (cleared), since this project does not gate
on them; ``Theme(visitor=True)`` is compared with WordPress's logged-out view.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from media_kit import corpus_tags, materialize_many, render_here, run_cases, site_model, trim_site, wordpress_input

from shortcodes.wordpress.theme import Theme

pytestmark = pytest.mark.oracle
SCENARIOS = ("as-exported", "imported", "synthetic")


def _author_view(site: dict) -> dict:
    return {**site, "posts": [{**p, "post_password": ""} for p in site["posts"]]}


def _compare(media_oracle, jobs):
    cases = [t.oracle_case({"site": s if t.visitor else _author_view(s), "post_id": pid, "input": wordpress_input(src)})
             for s, _m, pid, src, t in jobs]
    bad = []
    unordered = 0
    for res, (_s, model, pid, src, t) in zip(run_cases(media_oracle, cases), jobs):
        html, _kinds = render_here(src, t, pid, model)
        expected = res.get("result", res.get("error")) or ""
        if res["ok"] and res.get("nondeterministic"):  # orderby=rand: the same images, in WordPress's random order
            unordered += 1
            if _items(expected) != _items(html):
                bad.append((src, pid, t, expected, html))
        elif not res["ok"] or expected != html:
            bad.append((src, pid, t, expected, html))
    if unordered:
        print(f"  ({unordered} of them orderby=rand: compared as sets of items)")
    return bad


def _items(html: str) -> list[str]:
    """A gallery's items, sorted (for orderby=rand), its row breaks removed."""
    html = html.replace('<br style="clear: both" />', "").replace("\n\t\t\t<br style='clear: both' />", "")
    html = html.removesuffix("\n\t\t</div>\n")
    head, *items = re.split(r"(?=<[a-z0-9:_-]+ class='gallery-item'>)", html)
    return [head, *sorted(items)]


def _report(bad):
    return "\n".join(f"{src!r} post {pid} {t}:\n WordPress: {exp!r}\n here:      {got!r}" for src, pid, t, exp, got in bad[:3])


def test_corpus_galleries_match_wordpress(corpus_dir, media_oracle) -> None:
    """Every [gallery] of every export × the three scenarios × html5/classic × content_width × RTL."""
    tags = list(corpus_tags(corpus_dir, ("gallery",)))
    assert len(tags) >= 36
    by_export = defaultdict(list)
    for ct in tags:
        by_export[ct.export].append(ct)
    bases, owners = [], []
    for export, cts in by_export.items():
        for scenario in SCENARIOS:
            full = media_oracle.site_from_wxr(export, scenario=scenario)
            bases.append(trim_site(media_oracle, full, [(ct.post_id, ct.source) for ct in cts]))
            owners.append(cts)
    # RTL changes only the classic markup's <style> (float: right): html5 galleries are not swept over it.
    themes = [t for t in Theme.sweep() if not (t.rtl and t.supports("gallery"))]
    jobs = []
    for base, cts in zip(materialize_many(media_oracle, bases), owners):
        for t in themes:
            site = t.oracle_site(base)
            model = site_model(site)
            jobs += [(site, model, ct.post_id, ct.source, t) for ct in cts]
    bad = _compare(media_oracle, jobs)
    print(f"[gallery] corpus cases compared with WordPress 6.1.9: {len(jobs)} ({len(tags)} tags), "
          f"disagreements: {len(bad)}")
    assert not bad, _report(bad)
