"""[caption] / [wp_caption] against WordPress 6.1.9's img_caption_shortcode(), on every corpus caption."""
from __future__ import annotations

import pytest
from media_kit import corpus_tags, render_here, wordpress_input

from shortcodes import Renderer, parse
from shortcodes.wordpress.media import MediaRequest, img_caption_shortcode
from shortcodes.wordpress.theme import Theme

SITE = {"home": "http://example.org", "posts": []}


@pytest.mark.oracle
def test_corpus_captions_match_wordpress(corpus_dir, media_oracle) -> None:
    """Every [caption]/[wp_caption] of every export × html5/classic × content_width none/640 × RTL.

    Captions read no attachment (only the_content's image filter does, which is
    not part of the shortcode), so the export's scenario does not change them:
    one site serves all.  Tags with wptexturize-damaged quotes are compared with
    WordPress's output for the repaired tag (what the author wrote).
    """
    tags = list(corpus_tags(corpus_dir, ("caption", "wp_caption")))
    assert len(tags) >= 39
    themes = Theme.sweep()
    cases, mine = [], []
    for t in themes:
        site = t.oracle_site(SITE)
        for ct in tags:
            cases.append({"site": site, "post_id": ct.post_id, "input": wordpress_input(ct.source)})
            mine.append((ct, t, *render_here(ct.source, t, ct.post_id)))
    results = media_oracle.run(cases)
    disagreements = []
    for res, (ct, t, html, kinds) in zip(results, mine):
        if not res["ok"]:  # a PHP fatal error on WordPress's side: the source is kept, with a warning
            if not (html == ct.source and "wordpress-fatal" in kinds):
                disagreements.append((ct, t, res["error"], html))
            continue
        if html != res["result"]:
            disagreements.append((ct, t, res["result"], html))
    print(f"[caption] cases compared with WordPress 6.1.9: {len(cases)} ({len(tags)} tags x {len(themes)} themes), "
          f"disagreements: {len(disagreements)}")
    assert not disagreements, disagreements[:3]


def test_port_and_template_write_the_same(corpus_dir) -> None:
    """templates/media/caption.html writes exactly what the port's CaptionView.html() writes."""
    n = 0
    for ct in corpus_tags(corpus_dir, ("caption", "wp_caption")):
        for t in (Theme(), Theme.classic()):

            node = parse(ct.source).children[0]
            port = img_caption_shortcode(node.php_atts(), node.content or "", MediaRequest(theme=t))
            if isinstance(port, str):
                assert render_here(ct.source, t, ct.post_id)[0] == port
                n += 1
    assert n >= 78


def test_fatal_and_kses_cases_keep_the_source() -> None:
    r = Renderer(plugins=["media"])
    for src, kind in (("[caption]<img src=x> hi[/caption]", "wordpress-fatal"),
                      ('[caption width=300 caption="a <b>b</b>"]<img src=x>[/caption]', "caption-html")):
        res = r.render_result("x\n" + src)
        assert res.html == "x\n" + src
        (d,) = [d for d in res.diagnostics if d.kind == kind]
        assert (d.line, d.column) == (2, 1)
