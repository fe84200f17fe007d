"""Small WordPress exports made in a test (shared by the tests that need a WXR around real post text)."""
from __future__ import annotations

from pathlib import Path

from shortcodes.exports.wxr import wxr_cdata


def make_wxr(items: list[dict]) -> str:
    """A WordPress 1.2 export holding ``items``: ``id`` and ``content`` (required), ``title``
    (default ``p<id>``), ``date``, ``slug``, ``status`` (``publish``), ``type`` (``post``), ``excerpt``."""
    out = []
    for it in items:
        title = str(it.get("title", f"p{it['id']}"))
        out.append(
            f"\t<item>\n\t\t<title>{title.replace('&', '&amp;').replace('<', '&lt;')}</title>\n"
            f"\t\t<wp:post_id>{it['id']}</wp:post_id>\n\t\t<wp:post_date>{it.get('date', '')}</wp:post_date>\n"
            f"\t\t<wp:post_name>{it.get('slug', '')}</wp:post_name>\n\t\t<wp:status>{it.get('status', 'publish')}"
            f"</wp:status>\n\t\t<wp:post_type>{it.get('type', 'post')}</wp:post_type>\n"
            f"\t\t<content:encoded>{wxr_cdata(it['content'])}</content:encoded>\n"
            f"\t\t<excerpt:encoded>{wxr_cdata(it.get('excerpt', ''))}</excerpt:encoded>\n\t</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n'
            + "\n".join(out) + "\n</channel>\n</rss>\n")


def write_wxr(path: Path, items: list[dict]) -> Path:
    """:func:`make_wxr` written to ``path`` (UTF-8); returns ``path``."""
    path.write_text(make_wxr(items), encoding="utf-8")
    return path
