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
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from media_kit import corpus_tags, materialize_many, render_here, run_cases, site_model, trim_site, wordpress_input

from shortcodes.wordpress.theme import Theme

pytestmark = pytest.mark.oracle
SCENARIOS = ("as-exported", "imported", "synthetic")
CAPPED = re.compile(r"\bsize\s*=\s*[\"']?(?:large|medium_large)\b")


def _author_view(site: dict) -> dict:
    return {**site, "posts": [{**p, "post_password": ""} for p in site["posts"]]}


def _compare(media_oracle, jobs):
    cases = [t.oracle_case({"site": s if t.visitor else _author_view(s), "post_id": pid, "input": wordpress_input(src)})
             for s, _m, pid, src, t in jobs]
    bad = []
    unordered = 0
    for res, (_s, model, pid, src, t) in zip(run_cases(media_oracle, cases), jobs):
        html, kinds = render_here(src, t, pid, model)
        expected = res.get("result", res.get("error")) or ""
        if "media-unresolved" in kinds and html == src:  # kept: WordPress printed nothing for it
            if res["ok"] and expected == "":
                continue
            bad.append((src, pid, t, expected, html))
        elif res["ok"] and res.get("nondeterministic"):  # orderby=rand: the same images, in WordPress's random order
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
    # Swept where it matters: RTL changes only the classic markup's <style> (float: right), and
    # $content_width only the sizes it caps (large, medium_large), so the other tags are not swept over them.
    themes = [t for t in Theme.sweep() if not (t.rtl and t.supports("gallery"))]
    jobs = []
    for base, cts in zip(materialize_many(media_oracle, bases), owners):
        for t in themes:
            site = t.oracle_site(base)
            model = site_model(site)
            jobs += [(site, model, ct.post_id, ct.source, t) for ct in cts
                     if t.content_width is None or CAPPED.search(ct.source)]
    bad = _compare(media_oracle, jobs)
    print(f"[gallery] corpus cases compared with WordPress 6.1.9: {len(jobs)} ({len(tags)} tags), "
          f"disagreements: {len(bad)}")
    assert not bad, _report(bad)


# ----------------------------------------------------------------------------- generated
TEXTS = st.sampled_from(("", "A view", 'A "quoted" view & more', "<a href='https://x.org'>linked</a> caption",
                         "برج القاهرة عند الغروب", "&amp; &hellip; it's", "  spaced  ", "Tom's 1970s -- x...", "0"))
FILES = ("a.jpg", "b-1200x800.jpg", "c-300x600.png", "d.gif", "e-3000x2000.jpeg", "f.webp", "g.mp3", "h.pdf", "i-150x150.jpg")


@st.composite
def gallery_site(draw) -> dict:
    home = draw(st.sampled_from(("https://example.org", "http://example.org")))
    posts = [{"ID": 10, "post_type": "post", "post_status": "publish", "post_title": "Post"},
             {"ID": 11, "post_type": "page", "post_status": draw(st.sampled_from(("publish", "private", "draft"))),
              "post_password": draw(st.sampled_from(("", "secret")))}]
    for i in range(draw(st.integers(1, 6))):
        f = draw(st.sampled_from(FILES))
        p = {"ID": 20 + i, "post_type": "attachment", "post_parent": draw(st.sampled_from((10, 10, 11, 0))),
             "menu_order": draw(st.integers(0, 2)), "post_title": draw(TEXTS), "post_excerpt": draw(TEXTS),
             "post_date": f"2020-01-0{draw(st.integers(1, 3))} 00:00:00",
             "attachment_url": f"{home}/wp-content/uploads/2021/02/{f}",
             "link": draw(st.sampled_from(("", f"{home}/photo-{i}/"))),
             "meta": {"_wp_attachment_image_alt": draw(st.sampled_from(("", "An <b>alt</b>", "alt text")))}}
        how = draw(st.sampled_from(("exported", "imported", "synthetic")))
        if how != "exported":
            p["derive_attached_file"] = True
        if how == "synthetic":
            p["synthesize_metadata"] = {"width": draw(st.sampled_from((800, 1200, 600, 3000))),
                                        "height": draw(st.sampled_from((600, 800, 1200, 2000)))}
        posts.append(p)
    return {"home": home, "siteurl": home, "upload_url_path": home + "/wp-content/uploads", "posts": posts}


GALLERY_ATTRS = {
    "ids": st.lists(st.sampled_from((20, 21, 22, 23, 24, 25, 99)), min_size=1, max_size=4).map(lambda v: ",".join(map(str, v))),
    "include": st.sampled_from(("20,21", "22 23", "99")),
    "exclude": st.sampled_from(("20", "21,22", "99")),
    "orderby": st.sampled_from(("", "menu_order ID", "title", "ID", "post__in", "date", "menu_order", "nonsense")),
    "order": st.sampled_from(("ASC", "DESC", "desc", "x")),
    "columns": st.sampled_from(("0", "1", "2", "4", "9", "abc", "-1")),
    "size": st.sampled_from(("thumbnail", "medium", "large", "full", "medium_large", "100x50", "")),
    "link": st.sampled_from(("", "file", "none", "post")),
    "itemtag": st.sampled_from(("div", "li", "script", "figure", "dl")),
    "icontag": st.sampled_from(("span", "dt", "iframe")),
    "captiontag": st.sampled_from(("p", "dd", "", "blink")),
    "id": st.sampled_from(("10", "11", "999")),
}


@st.composite
def gallery_tag(draw) -> str:
    names = draw(st.lists(st.sampled_from(sorted(GALLERY_ATTRS)), max_size=4, unique=True))
    parts = [f'{n}="{draw(GALLERY_ATTRS[n])}"' for n in names]
    return "[gallery" + "".join(" " + p for p in parts) + "]"


THEMES = st.builds(Theme, html5=st.sampled_from((frozenset({"caption", "gallery", "style", "script"}), frozenset())),
                   content_width=st.sampled_from((None, 640, 500)), rtl=st.booleans(), visitor=st.booleans())


@settings(max_examples=3, suppress_health_check=list(HealthCheck), deadline=None, phases=[Phase.reuse, Phase.generate])
@given(st.lists(st.tuples(gallery_site(), st.lists(gallery_tag(), min_size=1, max_size=2), THEMES), min_size=25,
                max_size=25))
def test_generated_galleries_match_wordpress(media_oracle, pages) -> None:
    """Generated [gallery] pages (ids present/missing/not images, include/exclude, orderings, sizes, links, tags,
    columns, captions with links, entities and Arabic text) over generated attachment sets, every theme setting."""
    jobs = []
    for site, (_raw, tags, theme) in zip(materialize_many(media_oracle, [p[0] for p in pages]), pages):
        for tag in tags:
            s = theme.oracle_site(site)
            jobs.append((s, site_model(s), 10, tag, theme))
    bad = _compare(media_oracle, jobs)
    print(f"generated [gallery] tags compared with WordPress 6.1.9: {len(jobs)}, disagreements: {len(bad)}")
    assert not bad, _report(bad)


def test_orderby_without_its_list_sorts_by_date_ascending(media_oracle) -> None:
    """``orderby="post__in"`` (or ``post_name__in``/``post_parent__in``) without ``include``: WP_Query drops the
    key *and* the direction, so the images come by date, ascending, whatever ``order`` says (a generated case
    found this; attachments with equal ``menu_order`` and different dates)."""
    home = "http://example.org"
    posts = [{"ID": 10, "post_type": "post", "post_status": "publish", "post_title": "Post"}]
    for i, (day, f) in enumerate(((3, "a.jpg"), (1, "b-1200x800.jpg"), (2, "c-300x600.png"))):
        posts.append({"ID": 20 + i, "post_type": "attachment", "post_parent": 10, "menu_order": 2,
                      "post_title": f"Photo {i}", "post_excerpt": f"Caption {i}", "post_date": f"2020-01-0{day} 00:00:00",
                      "attachment_url": f"{home}/wp-content/uploads/2021/02/{f}", "link": "",
                      "meta": {"_wp_attachment_image_alt": ""}, "derive_attached_file": True,
                      "synthesize_metadata": {"width": 800, "height": 600}})
    (site,) = materialize_many(media_oracle, [{"home": home, "siteurl": home,
                                               "upload_url_path": home + "/wp-content/uploads", "posts": posts}])
    tags = [f'[gallery orderby="{ob}" order="{order}"]' for ob in ("post__in", "post_name__in", "post_parent__in",
                                                                   "post__in ID", "date")
            for order in ("DESC", "ASC")]
    jobs = [(t.oracle_site(site), site_model(t.oracle_site(site)), 10, tag, t)
            for t in (Theme(), Theme(html5=frozenset())) for tag in tags]
    bad = _compare(media_oracle, jobs)
    print(f"[gallery] orderby without its list compared with WordPress 6.1.9: {len(jobs)}, disagreements: {len(bad)}")
    assert not bad, _report(bad)
