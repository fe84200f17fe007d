"""Shared helpers of the media-shortcode tests: the corpus's core media tags, and rendering them here."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from shortcodes import Renderer, normalize
from shortcodes.exports import read_posts
from shortcodes.wordpress import get_shortcode_regex
from shortcodes.wordpress.theme import Theme

#: WordPress's core media shortcodes.
CORE_MEDIA = ("caption", "wp_caption", "gallery", "audio", "video", "playlist", "embed")


class CorpusTag(NamedTuple):
    """One top-level core media tag of a corpus post: the export, the post, the tag's source."""

    export: Path
    post_id: int
    post_type: str
    tag: str
    source: str


def corpus_tags(corpus: Path, tags: tuple[str, ...]) -> Iterator[CorpusTag]:
    """Every top-level occurrence of ``tags`` in every WXR export of ``corpus/wxr`` (read as the project reads them)."""
    rx = re.compile(get_shortcode_regex(list(tags)), re.S)
    for export in sorted((corpus / "wxr").glob("*.xml")):
        try:
            posts = list(read_posts(export, recover=True, on_warning=lambda w: None))
        except Exception:  # noqa: BLE001 - an export the reader refuses has no tags to compare
            continue
        for post in posts:
            for m in rx.finditer(post.content or ""):
                if m.group(1) == "[" and m.group(6) == "]":
                    continue  # [[escaped]]
                try:
                    pid = int(post.id)
                except (TypeError, ValueError):
                    pid = 0
                yield CorpusTag(export, pid, post.type or "post", m.group(2), m.group(0))


def render_here(source: str, theme: Theme, post_id: int, site: Any = None) -> tuple[str, list[str]]:
    """This project's rendering of one tag (media plugin only) and its diagnostics' kinds."""
    r = Renderer(plugins=()).use("media", theme=theme, site=site)
    res = r.render_result(source, post={"id": str(post_id)})
    return res.html, [d.kind for d in res.diagnostics]


def wordpress_input(source: str) -> str:
    """What WordPress is given for ``source``: the quotes repaired (what the author wrote), else unchanged."""
    return normalize(source)
