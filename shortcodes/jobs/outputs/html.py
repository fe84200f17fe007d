"""``--to html``: a static site, one whole page per post plus an ``index.html`` listing them.

Pages go to :func:`page_path`; the index is the overridable template
``_index.html`` (a theme folder given as ``templates`` replaces it).

The site is built in a hidden folder beside the target and moved into place
when complete (:class:`~shortcodes.jobs.writing.StagedSite`): an interrupted
or failed run leaves the previous site as it was, never half a site.  The
folder's manifest (``.shortcodes-site.json``) records what was written, so a
later run says how many pages of an earlier one it did not write again
(with an example) and ``clean`` (``--clean``) removes those, and only
those: files this tool did not write are never touched.
"""
from __future__ import annotations

import html as _html
import os
import re
import unicodedata
from typing import Sequence
from urllib.parse import quote, unquote

from markupsafe import Markup

from ...common.errors import InputError
from ...common.fileio import refuse_overwrite
from ...exports.post import TEXT_FORMATS, Post
from ...renderer.engine import Renderer
from ..writing import StagedSite
from . import OVERWRITE_HINT, Run

__all__ = ["write", "page_path", "index_page", "INDEX", "INDEX_TEMPLATE", "MAX_NAME_BYTES"]

#: The index's file name, and its template.
INDEX = "index.html"
INDEX_TEMPLATE = "_index.html"
#: The longest file name a page gets, in bytes of UTF-8 (file systems allow 255; the rest is room for
#: a ``-N`` that keeps names unique and for the temporary names outputs are written under).
MAX_NAME_BYTES = 200
_MAX_STEM_BYTES = MAX_NAME_BYTES - len("-99999.html")


def write(run: Run) -> None:
    """Write the site into the folder ``run.output`` (see the module docs)."""
    folder = run.output
    assert folder is not None
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: --to html writes a folder, and this is a file")
    used: set[str] = {INDEX}
    entries: list[tuple[str, str, str, str, bool]] = []
    with StagedSite(folder, clean=run.clean) as site:
        for post, result, _ in run.convert_inputs():
            run.step(post, result)
            if result.skipped:
                continue
            rel = page_path(post, used)
            target = folder.joinpath(*rel.split("/"))
            refuse_overwrite(target, run.originals, hint=OVERWRITE_HINT)
            site.write(rel, result.page if result.page is not None else result.content)
            run.report.posts_written += 1
            run.report.outputs.append(str(target))
            label = post.title.strip() or f"({post.label}, no title)"
            entries.append((rel, label, post.date, post.type, result.failed))
        index = folder / INDEX
        refuse_overwrite(index, run.originals, hint=OVERWRITE_HINT)
        site.write(INDEX, index_page(run.converter.renderer, entries, run.site_title))
        run.report.outputs.append(str(index))
        run.finish()
    run.report.notes.extend(_site_notes(site))


def _site_notes(site: StagedSite) -> list[str]:
    """What the run says about the pages it found in the folder."""
    out = []
    where = f"{site.target}{'/' if not str(site.target).endswith('/') else ''}"
    if site.removed:
        n = len(site.removed)
        out.append(f"--clean removed {n} file{'s' if n != 1 else ''} an earlier run wrote into {where} "
                   f"and this one did not (e.g. {site.removed[0]})")
    elif site.stale:
        n = len(site.stale)
        out.append(f"{where} holds {n} page{'s' if n != 1 else ''} from an earlier run that this run did not "
                   f"write (e.g. {site.stale[0]}); kept, and not in index.html: --clean removes them")
    if site.foreign:
        n = len(site.foreign)
        out.append(f"{where} holds {n} file{'s' if n != 1 else ''} that this tool did not write or that changed "
                   f"since it wrote {'them' if n != 1 else 'it'} (e.g. {site.foreign[0]}): never touched, not even "
                   "by --clean")
    return out


_SLUG_UNSAFE = re.compile(r"[^\w.\-]+")


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFC", unquote(text))
    text = _SLUG_UNSAFE.sub("-", text).strip("-._")
    text = re.sub(r"-{2,}", "-", text)
    return _cut_bytes(text[:80], _MAX_STEM_BYTES).rstrip("-._")


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, at a character boundary.

    >>> _cut_bytes("مصر", 5), len(_cut_bytes("日本語" * 30, 200).encode())
    ('مص', 198)
    """
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def page_path(post: Post, used: "set[str] | None" = None) -> str:
    """Where ``post``'s page goes in a site: ``YYYY/MM/slug.html`` (relative, ``/``-separated).

    The slug is ``wp:post_name`` (percent-encoding decoded), else the
    title, else ``<type>-<id>``; a post without a date goes under
    ``undated/``; a plain file keeps its relative path.  Names already in
    ``used`` get ``-2``, ``-3``… (and the new name is added to ``used``).

    >>> page_path(Post(id="5", type="post", slug="hello-world", date="2021-10-10 12:00:00"))
    '2021/10/hello-world.html'
    >>> page_path(Post(id="9", type="page", slug="%d9%85%d8%b5%d8%b1", date="2020-01-02 00:00:00"))
    '2020/01/مصر.html'
    >>> used = {"2021/10/a.html"}
    >>> page_path(Post(slug="a", date="2021-10-01"), used), page_path(Post(id="3", title="../../etc"), used)
    ('2021/10/a-2.html', 'undated/etc.html')
    """
    if post.fmt in TEXT_FORMATS:
        parts = [_slugify(p) for p in post.id.split("/")]
        parts = [p for p in parts if p] or ["post"]
        stem = "/".join(parts[:-1] + [os.path.splitext(parts[-1])[0] or "post"])
    else:
        slug = _slugify(post.slug) or _slugify(post.title) or _slugify(
            f"{post.type or 'post'}-{post.id}" if post.id else f"item-{post.item_index + 1}")
        m = re.match(r"(\d{4})-(\d{2})", post.date or "")
        folder = f"{m.group(1)}/{m.group(2)}" if m and m.group(1) != "0000" else "undated"
        stem = f"{folder}/{slug}"
    path = stem + ".html"
    if used is not None:
        n = 1
        while path.lower() in used or path in used:
            n += 1
            path = f"{stem}-{n}.html"
        used.add(path.lower())
    return path


def _html_escape(value: object) -> Markup:
    """Python's :func:`html.escape` as a Jinja filter (``&quot;``, ``&#x27;``)."""
    return Markup(_html.escape(str(value)))


def index_page(renderer: Renderer, entries: Sequence[tuple[str, str, str, str, bool]], title: str) -> str:
    """The index page: template ``_index.html`` with ``title`` and ``entries``.

    Each entry is ``(relative path, label, date, post type, failed)``; the
    template gets it as ``href`` (URL-quoted), ``label``, ``day``
    (``YYYY-MM-DD`` or ``""``), ``kind`` and ``failed``, and the filter
    ``html_escape``.
    """
    rows = []
    for path, label, date, kind, failed in entries:
        day = date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date or "") and not date.startswith("0000") else ""
        rows.append({"href": quote(path), "label": label, "day": day, "kind": kind, "failed": failed})
    env = renderer.env.overlay()
    env.filters["html_escape"] = _html_escape
    return env.get_template(INDEX_TEMPLATE).render(title=title, entries=rows) + "\n"
