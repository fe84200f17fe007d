"""Shared helpers of the media-shortcode tests: the corpus's core media tags, and rendering them here."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from shortcodes import Renderer, normalize
from shortcodes.exports import read_posts
from shortcodes.exports.site import Site
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


# ----------------------------------------------------------------------------- one site, both sides
def materialize(media_oracle: Any, site: dict) -> dict:
    """``site`` with what the oracle derives in PHP (``_wp_attached_file`` from the URL, synthetic
    metadata, the importer's mime type) written out as plain meta, so this project reads the same data."""
    return materialize_many(media_oracle, [site])[0]


def materialize_many(media_oracle: Any, sites: "list[dict]") -> "list[dict]":
    """:func:`materialize` for many sites in two oracle runs."""
    calls: list[dict] = []
    names = {f"s{i}": site for i, site in enumerate(sites)}
    for name, site in names.items():
        for p in site["posts"]:
            if p["post_type"] != "attachment":
                continue
            for fn, args in (("get_post_meta", [p["ID"], "_wp_attached_file", True]),
                             ("wp_get_attachment_metadata", [p["ID"], True]),
                             ("get_post_mime_type", [p["ID"]])):
                calls.append({"site": name, "op": "call", "fn": fn, "args": args})
    results = iter(media_oracle.run(calls, sites=names) if calls else [])
    found = []
    for site in sites:
        for p in site["posts"]:
            if p["post_type"] == "attachment":
                found.append((p, *(next(results)["result"] for _ in range(3))))
    todo = [m for _p, _f, m, _mime in found if isinstance(m, dict) and "_wp_attachment_metadata" not in p_meta(_p)]
    empty = {"e": {"home": "http://example.org", "posts": []}}
    serialized = iter(media_oracle.run([{"site": "e", "op": "call", "fn": "maybe_serialize", "args": [m]} for m in todo],
                                       sites=empty) if todo else [])
    by_id: dict[int, dict] = {}
    for p, file, meta, mime in found:
        q = {k: v for k, v in p.items() if k not in ("derive_attached_file", "synthesize_metadata")}
        q["meta"] = dict(p_meta(p))
        if file:
            q["meta"]["_wp_attached_file"] = file
        if isinstance(meta, dict) and "_wp_attachment_metadata" not in p_meta(p):
            q["meta"]["_wp_attachment_metadata"] = next(serialized)["result"]
        q["post_mime_type"] = mime or ""
        by_id[id(p)] = q
    return [{**site, "posts": [by_id.get(id(p), p) for p in site["posts"]]} for site in sites]


def p_meta(p: dict) -> dict:
    return p.get("meta") or {}


def run_cases(media_oracle: Any, cases: list[dict]) -> list[dict]:
    """``media_oracle.run`` with each distinct site dict sent once (cases name it)."""
    names: dict[int, str] = {}
    sites: dict[str, dict] = {}
    out = []
    for case in cases:
        site = case["site"]
        if isinstance(site, dict):
            name = names.setdefault(id(site), f"s{len(names)}")
            sites[name] = site
            case = {**case, "site": name}
        out.append(case)
    return media_oracle.run(out, sites=sites)


def site_model(site: dict) -> Any:
    """The project's site model of an oracle site description (``Site.from_oracle_json``)."""
    return Site.from_oracle_json(site)


def trim_site(media_oracle: Any, site: dict, uses: "list[tuple[int, str]]") -> dict:
    """``site`` with only the posts ``uses`` (post id, tag source) can read: those posts, their parents'
    rows and the attachments the oracle's ``relevant_attachments`` names (children, ids, include/exclude)."""
    keep: set[int] = set()
    for pid, source in uses:
        keep.add(pid)
        keep.update(a["ID"] for a in media_oracle.relevant_attachments(site, pid, source))
    m = [re.search(r"\bid\s*=\s*[\"']?(\d+)", src) for _pid, src in uses]
    keep.update(int(x.group(1)) for x in m if x)
    return {**site, "posts": [p for p in site["posts"] if p["ID"] in keep]}
