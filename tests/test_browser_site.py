"""A converted site (``convert --to html``) in a real browser: layout, direction, links that work.

The site is the seed article and two other posts of a small export, built by the command line; Chromium
loads a post page and the index at a phone's and a desktop's width.  Screenshots go to the artifacts
folder, and with ``WP_SHORTCODES_UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/site-post-1280.png`` and
``site-index-1280.png`` (the README's "Migrating a site").
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from _browser import ROOT, SLACK, WIDTHS, artifacts_dir

from shortcodes.cli import main
from shortcodes.exports.wxr import wxr_cdata

CHANNEL = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>أخبار الحسكة</title><language>ar</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>editor</wp:author_login><wp:author_display_name>فريق التحرير</wp:author_display_name></wp:author>
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><dc:creator>editor</dc:creator><wp:post_id>{id}</wp:post_id>
<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="syria"><![CDATA[سوريا]]></category>
<category domain="post_tag" nicename="covid-19"><![CDATA[COVID-19]]></category>
<content:encoded>{content}</content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded></item>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    folder = tmp_path_factory.mktemp("site")
    items = [
        ITEM.format(title="المرصد السوري: الحسكة", id=10, date="2021-10-10 09:00:00", slug="hasakah",
                    content=wxr_cdata(seed_text)),
        ITEM.format(title="إغلاق المدارس في الحسكة", id=11, date="2021-09-20 08:00:00", slug="schools",
                    content=wxr_cdata("أعلنت السلطات المحلية إغلاق المدارس لمدة أسبوعين.\n\nوقالت إن القرار مؤقت.")),
        ITEM.format(title="Weekly figures in English", id=12, date="2021-10-12 08:00:00", slug="weekly",
                    content=wxr_cdata("The weekly figures for the region.\n\n[covid19-ultimate-card region=\"SY\"]")),
    ]
    src = folder / "hasakah.xml"
    src.write_text(CHANNEL.format(items="\n".join(items)), encoding="utf-8")
    out = folder / "out"
    assert main(["convert", str(src), "--to", "html", "-o", str(out), "--as-of", "post-date", "-q"]) == 0
    return out




def _open(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def _overflow(page: Any) -> float:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_post_page_reads_right_to_left_without_overflow(browser, site, width):
    page = _open(browser, site / "2021/10/hasakah.html", width)
    try:
        assert _overflow(page) <= SLACK
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
        assert page.locator(".sc-covid-card").count() == 4
        box = page.locator("h1").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + SLACK
        assert page.locator("time").first.get_attribute("datetime") == "2021-10-10T09:00:00Z"
        assert page.locator("a[rel=author]").inner_text() == "فريق التحرير"
        assert page.locator("a[rel=category]").inner_text() == "سوريا"
        page.screenshot(path=str(artifacts_dir() / f"site-post-{width}.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_index_lists_newest_first_and_its_links_work(browser, site, width):
    page = _open(browser, site / "index.html", width)
    try:
        assert _overflow(page) <= SLACK
        titles = page.locator("main ol li a").all_inner_texts()
        assert titles == ["Weekly figures in English", "المرصد السوري: الحسكة", "إغلاق المدارس في الحسكة"]
        page.locator("main ol li a").nth(1).click()
        page.wait_for_load_state()
        assert page.url.endswith("/2021/10/hasakah.html") and page.locator("h1").inner_text() == titles[1]
        page.locator("a[rel=prev]").click()  # the older post
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == titles[2]
        page.locator("a[rel=category]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/category/syria/index.html")
        assert page.locator("main ol li a").count() == 3
        page.locator("a[rel=home]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/index.html") and "/category/" not in page.url
    finally:
        page.close()


def test_screenshots_of_a_converted_page_and_its_index(browser, site):
    """The README's pictures (artifacts; with WP_SHORTCODES_UPDATE_SCREENSHOTS=1 also docs/screenshots)."""
    shots = {"site-post-1280.png": site / "2021/10/hasakah.html", "site-index-1280.png": site / "index.html"}
    for name, path in shots.items():
        page = _open(browser, path, 1280)
        try:
            cards = page.locator(".sc-covid-card")
            # the post page: from its title down to its first card (the article's text in between)
            box = cards.first.bounding_box() if cards.count() else page.locator("main").bounding_box()
            assert box
            height = box["y"] + box["height"] + 16
            targets = [artifacts_dir() / name]
            if os.environ.get("WP_SHORTCODES_UPDATE_SCREENSHOTS"):
                targets.append(ROOT / "docs" / "screenshots" / name)
            for target in targets:
                page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1280, "height": height},
                                full_page=True)
                assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        finally:
            page.close()


def test_a_gallery_page_opened_from_disk_shows_its_copied_images(browser, corpus_dir, tmp_path):
    """``--uploads``: the block test data's galleries, their images copied into the site (the uploads folder
    built from the export's attachments), shown from disk by Chromium."""
    from test_site_html import BLOCKS
    from test_site_links import make_uploads

    src = corpus_dir / "wxr" / BLOCKS
    uploads = tmp_path / "uploads"
    assert make_uploads(src, uploads)
    out = tmp_path / "site"
    assert main(["convert", str(src), "--to", "html", "-o", str(out), "--uploads", str(uploads), "-q"]) == 0
    galleries = [p for p in sorted(out.rglob("*.html")) if "wp-block-gallery" in p.read_text(encoding="utf-8")
                 and "uploads/" in p.read_text(encoding="utf-8")]
    assert galleries
    page = _open(browser, galleries[0], 1280)
    try:
        images = page.locator(".wp-block-gallery img")
        assert images.count() >= 2
        page.wait_for_load_state("load")
        shown = page.evaluate("""() => [...document.querySelectorAll('.wp-block-gallery img')].map(
            img => [img.currentSrc || img.src, img.complete && img.naturalWidth])""")
        copied = [(src, width) for src, width in shown if src.startswith("file:") and "/uploads/" in src]
        assert len(copied) >= 2 and all(width > 0 for _, width in copied), shown
    finally:
        page.close()
