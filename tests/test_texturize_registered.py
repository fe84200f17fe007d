"""wptexturize() with shortcodes registered (as the_content runs it) against WordPress 6.1.9 (the oracle)."""
from __future__ import annotations

from pathlib import Path

from shortcodes.exports.wxr import read_wxr
from shortcodes.wordpress.formatting import wptexturize

CORE_TAGS = ("caption", "wp_caption", "gallery", "playlist", "audio", "video", "embed")


def corpus_texts(corpus_dir: Path) -> list[str]:
    texts = []
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            texts += [p.content for p in read_wxr(path, recover=True, on_warning=lambda w: None) if p.content]
        except Exception:  # noqa: BLE001 - refused exports are tested elsewhere
            continue
    return texts


def test_wptexturize_with_registered_shortcodes_matches_wordpress(corpus_dir: Path, wp) -> None:
    """wptexturize() with the core media tags (and [code]) registered, on 800 corpus posts and hand-picked
    shortcode shapes (escaped, multi-line, [code] pairs)."""
    texts = corpus_texts(corpus_dir)[:800]
    texts += ['[code]"x" -- y[/code] "z"', '[caption x="1"]"a"[/caption]', '[[gallery a="b"]] "c"', '[gallery\n"x"]']
    for tags in (CORE_TAGS, (*CORE_TAGS, "code")):
        expected = wp.wptexturize(texts, tags=list(tags))
        got = [wptexturize(t, tags) for t in texts]
        bad = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
        assert not bad, texts[bad[0]][:300]
    print(f"wptexturize: {2 * len(texts)} texts compared with registered shortcodes")
