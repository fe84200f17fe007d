"""Real-browser checks of WordPress's media shortcodes in a page: a caption and a gallery at 360 and 1280 px.

The page is ``Renderer().render_page()`` of a post with an html5 ``[caption]`` and two galleries (html5,
3 columns, and classic, 2 columns, with WordPress's own ``<style>`` block) over a site model whose images
are real PNG files beside the page.  Measured, never compared with fixed pixels: every image is inside its
gallery and its gallery inside the page, each gallery's items sit in rows of ``columns`` (the first row's
items share a top, left to right), and nothing overflows the viewport.  Screenshots go to the artifacts
folder; ``WP_SHORTCODES_UPDATE_SCREENSHOTS=1`` also rewrites ``docs/screenshots/media-1280.png``.
"""
from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import Any, Iterator

import pytest
from _browser import ROOT, SLACK, WIDTHS, artifacts_dir

from shortcodes import Renderer
from shortcodes.exports.site import Attachment, PostInfo, Site
from shortcodes.wordpress.theme import Theme

pytestmark = pytest.mark.browser

COLORS = ((0x79, 0x99, 0xaa), (0xdd, 0x88, 0x44), (0x44, 0x99, 0x66), (0x99, 0x55, 0xaa), (0xcc, 0x44, 0x55),
          (0x33, 0x66, 0xcc))


def _png(path: Path, width: int, height: int, rgb: tuple[int, int, int]) -> None:
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


POST = """<h1>Media shortcodes</h1>
[caption id="attachment_20" align="alignnone" width="300"]<img class="size-medium wp-image-20" src="{medium}" alt="A hill" width="300" height="225" /> A hill at dusk, with a caption long enough to wrap on a phone screen[/caption]

[gallery ids="20,21,22,23,24,25"]

[gallery ids="23,24,25" columns="2" size="medium" link="file" itemtag="dl" icontag="dt" captiontag="dd"]
"""


@pytest.fixture(scope="module")
def media_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media")
    up = folder / "up" / "2021" / "01"
    up.mkdir(parents=True)
    attachments = {}
    for i, rgb in enumerate(COLORS):
        name = f"photo{i}"
        _png(up / f"{name}.png", 800, 600, rgb)
        _png(up / f"{name}-150x150.png", 150, 150, rgb)
        _png(up / f"{name}-300x225.png", 300, 225, rgb)
        meta = {"width": 800, "height": 600, "file": f"2021/01/{name}.png",
                "sizes": {"thumbnail": {"file": f"{name}-150x150.png", "width": 150, "height": 150, "mime-type": "image/png"},
                          "medium": {"file": f"{name}-300x225.png", "width": 300, "height": 225, "mime-type": "image/png"}}}
        attachments[20 + i] = Attachment(20 + i, parent=3, menu_order=i, title=f"Photo {i}",
                                         caption="برج القاهرة" if i == 1 else (f"Caption {i}" if i % 2 == 0 else ""),
                                         alt=f"Photo {i}", url=f"{folder.as_posix()}/up/2021/01/{name}.png",
                                         attached_file=f"2021/01/{name}.png", metadata=meta, mime_type="image/png")
    site = Site(url="http://example.org", home="http://example.org", upload_url=f"{folder.as_posix()}/up",
                attachments=attachments, posts={3: PostInfo(3, status="publish")})
    post = POST.format(medium=f"{folder.as_posix()}/up/2021/01/photo0-300x225.png")
    html = Renderer(autop=True).use("media", site=site, theme=Theme(html5=("caption", "gallery", "style", "script"))
                                    ).render_page(post, post={"id": "3", "title": "Media shortcodes"})
    # the second gallery in the classic markup: its own <dl> tags and the inline <style> WordPress writes
    classic = Renderer(plugins=()).use("media", site=site, theme=Theme.classic()).render(
        '[gallery ids="23,24,25" columns="2" size="medium" link="file"]', post={"id": "3"})
    classic = classic.replace("gallery-1", "gallery-4")  # a render of its own numbers from 1: the page's 4th gallery
    html = html.replace("</main>", classic + "</main>") if "</main>" in html else html.replace("</body>", classic + "</body>")
    path = folder / "media.html"
    path.write_text(html, encoding="utf-8")
    return path




PROBE = r"""
() => {
  const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const galleries = [...document.querySelectorAll('.gallery')].map(g => ({
    id: g.id, columns: +(g.className.match(/gallery-columns-(\d+)/) || [0, 0])[1], rect: rect(g),
    items: [...g.querySelectorAll('.gallery-item')].map(it => ({rect: rect(it),
      imgs: [...it.querySelectorAll('img')].map(i => ({rect: rect(i), loaded: i.complete && i.naturalWidth > 0}))}))}));
  const captions = [...document.querySelectorAll('.wp-caption')].map(c => ({rect: rect(c),
      imgs: [...c.querySelectorAll('img')].map(i => ({rect: rect(i), loaded: i.complete && i.naturalWidth > 0}))}));
  return {galleries, captions, scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth};
}
"""


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def loaded(browser: Any, media_page: Path, request: pytest.FixtureRequest) -> Iterator[tuple[int, dict, Any]]:
    width = request.param
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    try:
        page.goto(media_page.as_uri())
        page.wait_for_load_state("load")
        # WordPress marks gallery images loading="lazy": below the fold they load only when scrolled to,
        # so the "load" event does not wait for them. Ask for them now and wait until every image is done.
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=15000)
        data = page.evaluate(PROBE)
        page.screenshot(path=str(artifacts_dir() / f"media-{width}.png"), full_page=True)
        if width == 1280 and os.environ.get("WP_SHORTCODES_UPDATE_SCREENSHOTS"):
            target = ROOT / "docs" / "screenshots" / "media-1280.png"
            page.screenshot(path=str(target), full_page=True)
        yield width, data, page
    finally:
        page.close()


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (inner[0] >= outer[0] - SLACK and inner[1] >= outer[1] - SLACK and inner[2] <= outer[2] + SLACK
            and inner[3] <= outer[3] + SLACK)


def test_nothing_overflows(loaded) -> None:
    width, data, _page = loaded
    assert data["scrollWidth"] <= data["innerWidth"] + SLACK, f"page is {data['scrollWidth']} px wide at {width} px"
    for c in data["captions"]:
        assert c["rect"][2] <= width + SLACK
        for img in c["imgs"]:
            assert img["loaded"] and _inside(img["rect"], c["rect"]), (width, img, c["rect"])


def test_gallery_images_sit_in_their_grid(loaded) -> None:
    width, data, _page = loaded
    assert len(data["galleries"]) == 3
    for g in data["galleries"]:
        assert g["rect"][2] <= width + SLACK, (g["id"], g["rect"])
        items = g["items"]
        assert items and all(it["imgs"] and all(i["loaded"] for i in it["imgs"]) for it in items), g["id"]
        for it in items:
            assert _inside(it["rect"], g["rect"]), (width, g["id"], it["rect"], g["rect"])
            for img in it["imgs"]:
                assert _inside(img["rect"], it["rect"]) or _inside(img["rect"], g["rect"]), (width, g["id"], img)
        cols = g["columns"]
        first = items[:cols]
        tops = {round(it["rect"][1]) for it in first}
        assert len(tops) == 1, f"{g['id']} at {width} px: the first row is not one row: {tops}"
        lefts = [it["rect"][0] for it in first]
        assert lefts == sorted(lefts) and len(set(round(v) for v in lefts)) == len(first), (g["id"], lefts)
        rows = {round(it["rect"][1]) for it in items}
        assert len(rows) == -(-len(items) // cols), f"{g['id']} at {width} px: {len(rows)} rows of {len(items)} items"
