"""shortcodes.exports.site: the site model read from an export, against the media oracle's reading and WordPress's own.

* every corpus export: ``read_site(wxr)`` equals ``Site.from_oracle_json(site_from_wxr(wxr, "as-exported"))``
  (URLs, uploads URL, every attachment field, every post's status/password/thumbnail/oEmbed cache);
* WordPress 6.1.9 itself (``wp_get_attachment_metadata``, ``get_post_mime_type``, ``get_post_meta``)
  on the oracle's site agrees with the model's metadata, mime types and alt texts, broken byte counts included;
* attachments after the posts give the same site; memory stays far below the export's size.
"""
from __future__ import annotations

import dataclasses
import json
import re
import tracemalloc
from pathlib import Path

from shortcodes.exports.readers import READERS
from shortcodes.exports.site import Attachment, PostInfo, Site, read_site, sort_attachments
from shortcodes.exports.wxr import wxr_cdata
from shortcodes.wordpress.images import wp_get_attachment_metadata

_ITEM = re.compile(r"<item>.*?</item>", re.S)


def corpus_exports(corpus_dir: Path) -> list[Path]:
    return sorted((corpus_dir / "wxr").glob("*.xml"))


def oracle_site(media_oracle, path: Path, **kw):
    """The oracle's site dict for ``path``, or None when its (strict) reader refuses the file."""
    try:
        return media_oracle.site_from_wxr(path, **kw)
    except Exception:  # noqa: BLE001 - ElementTree refuses malformed exports; our reader recovers them
        return None


def test_read_site_matches_the_oracle_on_every_corpus_export(corpus_dir: Path, media_oracle) -> None:
    compared = attachments = posts = refused = 0
    for path in corpus_exports(corpus_dir):
        d = oracle_site(media_oracle, path, scenario="as-exported")
        if d is None:
            refused += 1
            continue
        ours, theirs = read_site(path), Site.from_oracle_json(d)
        assert (ours.url, ours.home, ours.upload_url) == (theirs.url, theirs.home, theirs.upload_url), path.name
        for pid, info in [*theirs.attachments.items(), *theirs.posts.items()]:
            if pid == 0 or path.read_text("utf-8", "replace").count(f"<wp:post_id>{pid}</wp:post_id>") > 1:
                continue  # no ID, or an ID two items share (the importer renumbers the second)
            mine = ours.post(pid)
            if mine is not None and mine.date == "" and info.date == "2000-01-01 00:00:00":
                info = dataclasses.replace(info, date="")  # the oracle's stand-in for a missing date
            assert mine == info, (path.name, pid)
        compared += 1
        attachments += len(theirs.attachments)
        posts += len(theirs.posts)
    print(f"site model: {compared} exports compared ({attachments} attachments, {posts} posts), "
          f"{refused} refused by the oracle's strict XML reader")
    assert compared >= 50 and attachments >= 100


def _break_a_byte_count(xml: str) -> str:
    """The first ``_wp_attachment_metadata`` with its first string length off by one."""
    def one(m: re.Match) -> str:
        return re.sub(r's:(\d+):"', lambda n: f's:{int(n.group(1)) + 1}:"', m.group(0), count=1)
    return re.sub(r"<wp:meta_key>_wp_attachment_metadata</wp:meta_key>\s*<wp:meta_value><!\[CDATA\[.*?\]\]>",
                  one, xml, count=1, flags=re.S)


def test_wordpress_reads_the_attachments_as_the_model_does(corpus_dir: Path, media_oracle, tmp_path: Path) -> None:
    """WordPress's wp_get_attachment_metadata(), get_post_mime_type() and the alt meta on the oracle's
    site, for every attachment of every corpus export (plus one with a broken byte count)."""
    paths = [p for p in corpus_exports(corpus_dir) if "<wp:post_type><![CDATA[attachment]]>" in p.read_text("utf-8", "replace")
             or "<wp:post_type>attachment</wp:post_type>" in p.read_text("utf-8", "replace")]
    broken_src = next(p for p in paths if "_wp_attachment_metadata" in p.read_text("utf-8"))
    broken = tmp_path / "broken-count.xml"
    broken.write_text(_break_a_byte_count(broken_src.read_text("utf-8")), "utf-8")
    cases, checks = [], []
    for path in [*paths, broken]:
        d = oracle_site(media_oracle, path, scenario="as-exported")
        if d is None:
            continue
        site = read_site(path)
        ids = sorted(site.attachments)
        if not ids:
            continue
        for fn, args in (("wp_get_attachment_metadata", [ids]), ("get_post_mime_type", [ids])):
            cases.append({"site": d, "op": "call", "fn": "array_map", "args": [fn, *args]})
        cases.append({"site": d, "op": "call", "fn": "array_map",
                      "args": ["get_post_meta", ids, ["_wp_attachment_image_alt"] * len(ids), [True] * len(ids)]})
        checks.append((path, site, ids))
    results = media_oracle.run(cases)
    n = 0
    broken_seen = False
    for i, (path, site, ids) in enumerate(checks):
        meta, mime, alt = (r["result"] for r in results[3 * i: 3 * i + 3])
        for k, aid in enumerate(ids):
            a = site.attachments[aid]
            expected_meta = meta[k] if isinstance(meta[k], dict) else None
            found = wp_get_attachment_metadata(site, aid)  # the model's metadata, as the media ports read it
            ours = json.loads(json.dumps(dict(found))) if found is not None else None
            # JSON turns PHP's int keys into strings on both sides; a PHP list comes back as a JSON list
            if isinstance(expected_meta, dict) or expected_meta is None:
                assert _jsonish(ours) == _jsonish(expected_meta), (path.name, aid)
            assert a.mime_type == mime[k], (path.name, aid)
            assert a.alt == alt[k], (path.name, aid)
            n += 1
            if path == broken and aid in site.attachments and meta[k] is False and "_wp_attachment_metadata" in \
                    broken.read_text("utf-8"):
                broken_seen = True
    print(f"site model vs WordPress: {n} attachments compared (metadata, mime type, alt) in {len(checks)} exports")
    assert n >= 100 and broken_seen


def _jsonish(v):
    if isinstance(v, dict):
        items = {str(k): _jsonish(x) for k, x in v.items()}
        if list(items) == [str(i) for i in range(len(items))]:
            return list(items.values())  # PHP's list arrays are JSON lists
        return items
    if isinstance(v, list):
        return [_jsonish(x) for x in v]
    return v


def test_attachments_after_the_posts(corpus_dir: Path, tmp_path: Path) -> None:
    """The theme unit test export with its items reversed (every attachment after the posts
    that use it): the same site model."""
    src = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    xml = src.read_text("utf-8")
    items = _ITEM.findall(xml)
    first, last = xml.index(items[0]), xml.rindex(items[-1]) + len(items[-1])
    reversed_xml = xml[:first] + "\n".join(reversed(items)) + xml[last:]
    path = tmp_path / "reversed.xml"
    path.write_text(reversed_xml, "utf-8")
    a, b = read_site(src), read_site(path)
    assert dict(a.attachments) == dict(b.attachments) and dict(a.posts) == dict(b.posts)
    assert (a.url, a.home, a.upload_url, a.title, a.language) == (b.url, b.home, b.upload_url, b.title, b.language)
    assert [x.id for x in a.children(555)] == [x.id for x in b.children(555)] != []
    assert a.title == "Theme Unit Test Data" and a.language == "en" and not a.rtl
    assert a.posts[1168].password == "enter"


def _long_export(path: Path, posts: int) -> Path:
    body = "<p>" + "x" * 60_000 + "</p>"
    items = []
    for i in range(1, posts + 1):
        items.append(f"<item><title>p{i}</title><wp:post_id>{i}</wp:post_id><wp:post_type>post</wp:post_type>"
                     f"<wp:status>publish</wp:status><content:encoded>{wxr_cdata(body)}</content:encoded></item>")
    items.append("<item><title>a</title><wp:post_id>999999</wp:post_id><wp:post_type>attachment</wp:post_type>"
                 "<wp:status>inherit</wp:status><wp:post_parent>1</wp:post_parent><wp:attachment_url>http://s.org/wp-content/uploads/2020/01/a.png"
                 "</wp:attachment_url></item>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
                    'modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
                    "</wp:wxr_version><language>ar</language><link>http://s.org</link>" + "".join(items)
                    + "</channel></rss>", "utf-8")
    return path


def _peak(path: Path) -> "tuple[int, Site]":
    tracemalloc.start()
    site = read_site(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, site


def test_memory_is_bounded_by_the_attachments_not_the_export(tmp_path: Path) -> None:
    """Exports of 100 and 400 long posts (6 and 24 MB): the site model's peak memory does not grow
    with the export (post bodies are not kept), and stays well under the smaller file's size."""
    small, big = _long_export(tmp_path / "small.xml", 100), _long_export(tmp_path / "big.xml", 400)
    (p_small, _), (p_big, site) = _peak(small), _peak(big)
    print(f"site model: peak {p_small / 1e6:.2f} MB for {small.stat().st_size / 1e6:.0f} MB, "
          f"{p_big / 1e6:.2f} MB for {big.stat().st_size / 1e6:.0f} MB")
    assert p_big < 1.3 * p_small and p_big < big.stat().st_size / 4
    assert len(site.posts) == 400 and site.children(1)[0].id == 999999 and site.rtl
    assert site.upload_url == "http://s.org/wp-content/uploads"


def test_rest_json_gives_its_media_and_plain_files_nothing(tmp_path: Path) -> None:
    """REST: a /wp/v2/media object and a post's _embedded featured media become attachments,
    media_details the metadata; a plain file's site is empty."""
    media = {"id": 7, "date": "2021-10-10T10:00:00", "slug": "tower", "type": "attachment", "status": "inherit",
             "link": "https://s.org/tower/", "title": {"rendered": "Tower"}, "post": 3,
             "caption": {"rendered": "<p>At dusk</p>\n"}, "alt_text": "برج القاهرة", "mime_type": "image/jpeg",
             "source_url": "https://s.org/wp-content/uploads/2021/10/tower.jpg",
             "media_details": {"width": 800, "height": 600, "file": "2021/10/tower.jpg",
                               "sizes": {"thumbnail": {"file": "tower-150x150.jpg", "width": 150, "height": 150,
                                                       "mime_type": "image/jpeg", "source_url": "https://s.org/x"}}}}
    post = {"id": 3, "type": "post", "status": "publish", "link": "https://s.org/p/", "title": {"rendered": "P"},
            "content": {"rendered": "x"}, "featured_media": 8, "_embedded": {"wp:featuredmedia": [
                {**media, "id": 8, "source_url": "https://s.org/wp-content/uploads/2021/10/b.png", "mime_type": ""}]}}
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([post, media]), "utf-8")
    site = read_site(path)
    assert sorted(site.attachments) == [7, 8]
    a = site.attachments[7]
    assert (a.parent, a.alt, a.attached_file, a.caption) == (3, "برج القاهرة", "2021/10/tower.jpg", "<p>At dusk</p>\n")
    assert a.metadata == {"width": 800, "height": 600, "file": "2021/10/tower.jpg",
                          "sizes": {"thumbnail": {"file": "tower-150x150.jpg", "width": 150, "height": 150,
                                                  "mime-type": "image/jpeg"}}}
    assert site.attachments[8].mime_type == "image/png" and site.posts[3].thumbnail_id == 8
    assert site.upload_url == "https://s.org/wp-content/uploads" and site.home == "https://s.org"
    (tmp_path / "a.html").write_text("[gallery]", "utf-8")
    assert read_site(tmp_path / "a.html") == Site.empty()
    assert READERS["html"].site is None and READERS["wxr"].site_reader() is not None


def test_children_and_ordering() -> None:
    atts = {i: Attachment(i, parent=1, menu_order=m, mime_type=t, title=n, status=s)
            for i, m, t, n, s in [(4, 1, "image/png", "b", "inherit"), (2, 1, "IMAGE/jpeg", "a", "inherit"),
                                  (3, 0, "image/gif", "c", "inherit"), (5, 0, "video/mp4", "d", "inherit"),
                                  (6, 0, "image/png", "e", "private")]}
    site = Site(attachments=atts)
    assert [a.id for a in site.children(1)] == [3, 2, 4]
    assert [a.id for a in site.children(1, orderby="title", order="DESC")] == [3, 4, 2]
    assert [a.id for a in site.children(1, "video")] == [5]
    assert [a.id for a in site.children(1, "", status=None)] == [3, 5, 6, 2, 4]
    assert [a.id for a in site.children(1, exclude=[2])] == [3, 4]
    assert [a.id for a in sort_attachments(atts.values(), "nonsense")] == [2, 3, 4, 5, 6]  # date DESC, ties by ID
    assert PostInfo(1).status == "publish"


def _same_site(a: Site, b: Site) -> bool:
    """Equal models, field by field, the attachments' and posts' order and their guids included."""
    return (a == b and list(a.attachments) == list(b.attachments) and list(a.posts) == list(b.posts)
            and [p.guid for p in a.posts.values()] == [p.guid for p in b.posts.values()])


def test_the_site_read_by_units_is_read_sites(corpus_dir: Path, tmp_path: Path) -> None:
    """``--jobs N`` reads each export's site model by byte-range units on N processes: the model is
    ``read_site``'s on every corpus export (cut into units of 256 bytes: one item each, mostly), on one with a
    taken ID in a later unit and on one whose channel fields follow the items; a unit or plan that is unusual
    (a malformed export) falls back to the sequential pass (``None`` here)."""
    from concurrent.futures import ThreadPoolExecutor

    from shortcodes.jobs.sites import read_site_by_units, read_sites

    exports = sorted((corpus_dir / "wxr").glob("*.xml"))
    theme = corpus_dir / "wxr" / "WordPress__theme-test-data__themeunittestdata.wordpress.xml"
    xml = theme.read_text("utf-8")
    items = _ITEM.findall(xml)
    first, last = xml.index(items[0]), xml.rindex(items[-1]) + len(items[-1])
    dup = tmp_path / "taken-id.xml"  # the first item again at the end, retitled: the first one wins
    dup.write_text(xml[:last] + "\n" + items[0].replace("<title>", "<title>Later ", 1) + xml[last:], "utf-8")
    late = tmp_path / "channel-after-items.xml"  # the site's language only after the items
    late.write_text(re.sub(r"<language>[^<]*</language>", "", xml[:first], count=1) + xml[first:last]
                    + "\n<language>el</language>" + xml[last:], "utf-8")
    by_units = fallbacks = 0
    with ThreadPoolExecutor(2) as pool:
        for path in [*exports, dup, late]:
            got = read_site_by_units(path, pool, unit_bytes=256)
            if got is None:
                fallbacks += 1
                continue
            by_units += 1
            assert _same_site(got, read_site(path, recover=True)), path.name
        assert all(read_site_by_units(p, pool, unit_bytes=256) is not None for p in (theme, dup, late))
    assert by_units >= 25 and fallbacks >= 2, (by_units, fallbacks)  # 1-item exports and malformed ones fall back
    assert read_site(late).language == "el" and read_site(dup).posts == read_site(theme).posts
    sites = read_sites([theme, dup], jobs=2)  # processes, as --jobs 2 runs it
    assert _same_site(sites[str(theme)], read_site(theme)) and _same_site(sites[str(dup)], read_site(dup))


def test_attachment_metadata_is_unserialized_when_first_read(corpus_dir: Path) -> None:
    """Reading a site leaves every ``_wp_attachment_metadata`` as its text: a conversion reads few of them
    (the galleries' images), and a site's export holds them all."""
    from shortcodes.php.serialize import SerializedArray

    sites = [read_site(p) for p in corpus_exports(corpus_dir)
             if "_wp_attachment_metadata" in p.read_text("utf-8", "replace")]
    metas = [a.metadata for s in sites for a in s.attachments.values() if a.metadata is not None]
    assert len(metas) >= 5 and all(isinstance(m, SerializedArray) and m._value is None for m in metas)
    site, aid = next((s, a.id) for s in sites for a in s.attachments.values() if a.metadata)  # parses them
    assert isinstance(wp_get_attachment_metadata(site, aid), SerializedArray)
    assert wp_get_attachment_metadata(site, aid)["file"]  # type: ignore[index]
