"""The media and links of a site output (``--to html``, ``--to markdown``): ``--uploads DIR`` and the links
between posts.

:class:`SiteLinks` knows every export's site model (:class:`~shortcodes.exports.site.Site`: its site,
home and uploads URLs, every post's and attachment's old URL) and, as the posts are written, where each
went.  :meth:`SiteLinks.mark` reads a written post's HTML and replaces each reference it can place by a
token (``wpscref`` + the run's nonce + a number + ``z``: letters and digits only, so that the
HTML→Markdown conversion writes it through unchanged; the nonce, random letters drawn for each
:class:`SiteLinks`, keeps text that merely looks like a token, a post about this tool, from being taken
for one), and :meth:`SiteLinks.resolve` replaces the tokens of a written file by the URLs the site's
:class:`Layout` gives, once every page's path is known:

* a file of the old site's uploads (``src``, ``srcset`` candidates, ``poster``, ``href``, the sources in a
  ``[playlist]``'s JSON…), recognised by the export's uploads URL, its site and home URLs followed by
  ``/wp-content/uploads/``, every attachment's own URL and the sizes its metadata lists: with ``--uploads
  DIR``, the file ``DIR/<path under uploads>`` is copied into the site (into the staged folder, as the
  pages are: never fetched, never changed in ``DIR``) and the reference points at the copy; a file not in
  ``DIR`` is reported (a note per post, a summary line) and its reference left as it was;
* a link to a post (its old permalink, with or without the trailing ``/``, ``http``/``https``, ``www.``;
  ``?p=ID``, ``?page_id=ID``) that is written points at its new page; one to a post that is not written
  is left as it was and counted;
* a link to an attachment's page (``?attachment_id=ID``, the attachment's ``<link>``: a gallery's default
  ``link``) points at the attachment's page when attachment pages are written (``--post-type
  post,page,attachment``), else at the file itself (the copy, else its URL).

``--media-url OLD=NEW`` applies after: to what ``--uploads`` did not place (a file missing from ``DIR``,
an attachment's URL without ``--uploads``).

>>> from shortcodes.exports.site import Attachment, PostInfo, Site
>>> site = Site(url="https://old.example", home="https://old.example",
...             upload_url="https://old.example/wp-content/uploads",
...             posts={5: PostInfo(5, link="https://old.example/2021/10/hello/")},
...             attachments={9: Attachment(9, parent=5, url="https://old.example/wp-content/uploads/2021/10/a.jpg",
...                                        link="https://old.example/2021/10/hello/a/")})
>>> links = SiteLinks({"site.xml": site})
>>> links.post_target("http://www.old.example/2021/10/hello", "site.xml"), links.post_target("/?p=5", "site.xml")
(('site.xml', 5), ('site.xml', 5))
>>> links.upload_path("//old.example/wp-content/uploads/2021/10/a.jpg?w=300", "site.xml")
'2021/10/a.jpg'
>>> links.post_target("https://old.example/2019/01/hello/", "site.xml")  # the slug, another date
('site.xml', 5)
"""
from __future__ import annotations

import dataclasses
import html as _html
import os
import posixpath
import re
import secrets
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Protocol

from ...exports.post import Post
from ...exports.site import Attachment, Site
from ...markdown.flavour import relative_url
from ...wordpress.urls import query_post_id, site_url_key
from ..parallel import in_worker, worker_converter
from ..results import PostResult, Problem
from .site import Entry, SiteData

if TYPE_CHECKING:  # pragma: no cover
    from . import Run

__all__ = ["SiteLinks", "Layout", "HtmlLayout", "uploads_root", "attachment_page", "site_links", "mark_entry"]

Key = tuple[str, int]  # (the export's file name, the post's ID)

#: The tokens' common start; each :class:`SiteLinks` adds its nonce (:func:`new_nonce`).
_TOKEN_PREFIX = "wpscref"
#: URL-looking text: absolute or protocol-relative (also JSON's ``https:\/\/…``), or a root-relative uploads path.
_URL = re.compile(r"(?:https?:)?(?:\\?/){2}[A-Za-z0-9][A-Za-z0-9.-]*(?::\d+)?(?:\\?/[^\s\"'<>()\\]*)*"
                  r"|(?<![\w/.])/wp-content/uploads/[^\s\"'<>()\\]+")
#: Where references are: a start tag (its attributes, quoted values may hold ``>``) or a script (a playlist's JSON).
_MARKUP = re.compile(r"<script\b[^>]*>.*?</script\s*>|<[a-zA-Z][^\s/>]*\s(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S | re.I)
#: The host of an absolute URL, for the quick "another site's" test (no match with user info, ``ann@host``:
#: those go to the full parse, :func:`~shortcodes.wordpress.urls.site_url_key`).
_HOST = re.compile(r"\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//([^/:?#\s@]*+)(?!@)")
_HREF = re.compile(r"(\shref\s*=\s*)(\"[^\"]*\"|'[^']*')", re.I)
_UPLOADS = "/wp-content/uploads/"


def new_nonce() -> str:
    """Ten random lowercase letters: what a :class:`SiteLinks`'s tokens hold after ``wpscref``.

    A post's text cannot hold a token it has never seen (1 in 26**10 by chance), so a post that writes
    ``wpscref000012z`` keeps those letters.  The tokens never reach a written file, so the output does not
    depend on the draw.

    >>> a, b = new_nonce(), new_nonce()
    >>> len(a), a.isalpha() and a.islower(), a != b
    (10, True, True)
    """
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


class Layout(Protocol):
    """Where a site output puts the files a page uses, and how its pages link (a Markdown
    :class:`~shortcodes.markdown.Flavour` is one; :class:`HtmlLayout` is the HTML site's)."""

    def asset_path(self, page_path: str, upload: str) -> str: ...
    def asset_url(self, page_path: str, asset: str) -> str: ...
    def front_matter_url(self, page_path: str, asset: str) -> str: ...
    def page_url(self, page_path: str, target: str) -> str: ...


class HtmlLayout:
    """The HTML site's: the uploads under ``uploads/`` (their paths under ``wp-content/uploads`` kept),
    every link relative to the page, so the site works opened from disk and served.

    >>> HtmlLayout().asset_url("2021/10/a.html", HtmlLayout().asset_path("2021/10/a.html", "2021/10/a b.jpg"))
    '../../uploads/2021/10/a%20b.jpg'
    """

    def asset_path(self, page_path: str, upload: str) -> str:
        return f"uploads/{upload}"

    def asset_url(self, page_path: str, asset: str) -> str:
        return relative_url(page_path, asset)

    def front_matter_url(self, page_path: str, asset: str) -> str:
        return self.asset_url(page_path, asset)

    def page_url(self, page_path: str, target: str) -> str:
        return relative_url(page_path, target)


def uploads_root(folder: Path) -> Path:
    """The uploads folder ``--uploads`` names: ``folder`` itself, or its ``wp-content/uploads`` (a backup
    of the whole site) when it has one."""
    inner = folder / "wp-content" / "uploads"
    return inner if inner.is_dir() else folder


@dataclass(frozen=True)
class _Ref:
    kind: str  # "upload" (value: the path under uploads) or "post" (target: the post)
    value: str
    fragment: str = ""
    target: "Key | None" = None
    original: str = ""  # the reference as written, for a post that is not written
    escaped: bool = False  # inside JSON: "/" written "\/"
    source: "Key | None" = None
    label: str = ""  # the page that links, for the note


@dataclass(frozen=True)
class Marks:
    """What :meth:`SiteLinks.mark` found in one text, kept apart (:meth:`SiteLinks.mark_apart`): the
    references of its tokens (numbered from 0) and the uploads it found missing (with the label of the
    post that uses each), in order."""

    refs: tuple[_Ref, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()


@dataclass
class _Export:
    site: Site
    hosts: set[str] = field(default_factory=set)  # its site's, home's and posts' hosts (where ?p=ID is this export's)
    old_hosts: set[str] = field(default_factory=set)  # hosts only its guids name (an earlier domain)
    bases: list[tuple[str, str]] = field(default_factory=list)  # (host, path) of the uploads URLs
    fronts: set[str] = field(default_factory=set)  # the paths of its front pages (?p=ID under them)


class SiteLinks:
    """See the module documentation: ``sites`` by export file name, ``uploads`` the folder of
    ``--uploads`` (``None``: no copying), ``attachment_pages`` whether attachments are written as pages."""

    def __init__(self, sites: Mapping[str, Site], uploads: "Path | None" = None, *,
                 attachment_pages: bool = False, nonce: "str | None" = None) -> None:
        #: the letters every token of these links holds (a worker's links take the writing process's)
        self.nonce = new_nonce() if nonce is None else nonce
        if not self.nonce.isalpha() or not self.nonce.isascii():
            raise ValueError(f"a SiteLinks nonce is ASCII letters only, not {self.nonce!r}")
        self._prefix = _TOKEN_PREFIX + self.nonce
        self._token_rx = re.compile(re.escape(self._prefix) + r"(\d{6,})z")
        self.uploads = uploads_root(uploads) if uploads is not None else None
        self.attachment_pages = attachment_pages
        self.exports: dict[str, _Export] = {}
        self.pages: dict[tuple[str, str], Key] = {}  # (host, path) -> the post or attachment there
        self.files: dict[tuple[str, str], str] = {}  # (host, path) of an attachment's file or size -> upload path
        self.attachment_of: dict[Key, Attachment] = {}
        self._slugs: dict[str, "Key | None"] = {}  # the last part of each old URL -> its post (None: two)
        self._queries: dict[tuple[str, str, str, int], Key] = {}  # a guid's ?p=ID, as written -> its post
        for name, site in sites.items():
            ex = self.exports[name] = _Export(site)
            for url in (site.url, site.home):
                if url:
                    ex.hosts.add(site_url_key(url)[0])
            for url in (site.upload_url, site.url and site.url + "/wp-content/uploads",
                        site.home and site.home + "/wp-content/uploads"):
                if url:
                    ex.bases.append(site_url_key(url))
            for pid, info in site.posts.items():
                self._page(info.link, (name, pid), ex)
                if info.guid and info.guid != info.link:  # its first address (before a move to another domain)
                    self._page(info.guid, (name, pid), ex, primary=False)
            for aid, att in site.attachments.items():
                self.attachment_of[(name, aid)] = att
                self._page(att.link, (name, aid), ex)
                upload = self._attachment_upload(att, ex)
                if upload:
                    self.files.setdefault(site_url_key(att.url), upload)
                    folder = site_url_key(att.url)
                    sizes = (att.metadata or {}).get("sizes") if isinstance(att.metadata, Mapping) else None
                    for size in (sizes.values() if isinstance(sizes, Mapping) else ()):
                        if isinstance(size, Mapping) and isinstance(size.get("file"), str) and size["file"]:
                            here = (folder[0], posixpath.dirname(folder[1]) + "/" + size["file"])
                            self.files.setdefault(here, posixpath.join(posixpath.dirname(upload), size["file"]))
            ex.old_hosts = ex.old_hosts - ex.hosts - {""}
            ex.hosts.discard("")
        self._hosts = set().union(*(ex.hosts | ex.old_hosts for ex in self.exports.values()))
        #: what was written: the post -> the page's path in the site
        self.written: dict[Key, str] = {}
        self._refs: list[_Ref] = []
        self.copies: dict[str, Path] = {}  # site path -> the file in the uploads folder
        self.missing: dict[str, list[str]] = {}  # upload path -> the posts that use it (labels)
        self.unwritten: dict[Key, list[str]] = {}  # a post linked to but not written -> the pages linking it
        self._assets: dict[tuple[str, str], str] = {}  # (page, upload) -> site path
        self._last_missing: list[str] = []

    def _page(self, link: str, key: Key, ex: _Export, *, primary: bool = True) -> None:
        """Index ``link``, an old URL of ``key`` (``primary``: its permalink; else its guid, which may
        name an earlier domain, and whose ``?p=ID`` may be another site's ID)."""
        if not link:
            return
        host, path = site_url_key(link)
        (ex.hosts if primary else ex.old_hosts).add(host)
        if "?" in link:  # a plain permalink (?p=ID): by its ID under this front page, else as written
            front = path.removesuffix("/index.php")
            if primary:
                ex.fronts.add(front)
            query = query_post_id(link, front)
            if query is not None:
                self._queries.setdefault((host, front, *query), key)
            return
        self.pages.setdefault((host, path), key)
        slug = path.rsplit("/", 1)[-1]
        if slug and "?" not in link:
            self._slugs[slug] = key if self._slugs.get(slug, key) == key else None  # two posts: no guess

    def _attachment_upload(self, att: Attachment, ex: _Export) -> str:
        if att.attached_file:
            return att.attached_file.lstrip("/")
        return self._under_base(site_url_key(att.url), ex) or ""

    def _under_base(self, key: tuple[str, str], ex: _Export) -> "str | None":
        host, path = key
        for bhost, bpath in ex.bases:
            if (host == bhost or (not host and bhost in ex.hosts)) and path.startswith(bpath + "/"):
                return path[len(bpath) + 1:]
        if _UPLOADS in path + "/" and (not host or host in ex.hosts or host in ex.old_hosts):
            return path.split(_UPLOADS, 1)[1] if _UPLOADS in path else None
        return None

    def _exports_for(self, source: str) -> Iterable[_Export]:
        first = self.exports.get(source)
        if first is not None:
            yield first
        yield from (ex for name, ex in self.exports.items() if name != source)

    # -- recognising --------------------------------------------------------------------------------

    def upload_path(self, url: str, source: str) -> "str | None":
        """The path under ``wp-content/uploads`` of the file ``url`` names (``None``: not an upload of the
        sites), as the post of the export ``source`` uses it."""
        key = site_url_key(url)
        if not key[1]:
            return None
        found = self.files.get(key)
        if found is not None:
            return found
        for ex in self._exports_for(source):
            rel = self._under_base(key, ex)
            if rel:
                return rel
        return None

    def post_target(self, url: str, source: str) -> "Key | None":
        """The post or attachment whose old page ``url`` is (an export's permalink, ``?p=ID``,
        ``?page_id=ID``, ``?attachment_id=ID``), ``None`` when it is none of the sites'."""
        key = site_url_key(url)
        exports = list(self._exports_for(source))
        if "=" in url:
            for ex in exports:  # on a host of the export's own: its post of that ID
                query = next(filter(None, (query_post_id(url, front) for front in
                                           (site_url_key(ex.site.home)[1], *sorted(ex.fronts)))), None)
                if query is None or (key[0] and key[0] not in ex.hosts):
                    continue
                name = next(n for n, e in self.exports.items() if e is ex)
                if query[1] in ex.site.posts or query[1] in ex.site.attachments:
                    return (name, query[1])
            front = key[1].removesuffix("/index.php")
            exact = query_post_id(url, front)
            if exact is not None:  # a guid's, as written (another site's ID), else no post of the inputs
                return self._queries.get((key[0], front, *exact))
        if not key[1] and not key[0]:
            return None
        if key[0]:
            found = self.pages.get(key)
        else:
            found = next((self.pages[(host, key[1])] for ex in exports  # the linking post's own site first
                          for host in sorted(ex.hosts) if (host, key[1]) in self.pages), None)
        if found is None and (not key[0] or key[0] in self._hosts):
            found = self._guess(key[1])
        return found

    def _guess(self, path: str) -> "Key | None":
        """The post a permalink of the site names that no post has (a changed date, another permalink
        structure): the one post whose old URL ends with the same slug, as WordPress's
        ``redirect_guess_404_permalink()`` finds it; never for an uploads, admin, feed or archive path."""
        parts = path.strip("/").split("/")
        slug = parts[-1]
        if (not slug or "." in slug or parts[0] in ("wp-content", "wp-admin", "wp-includes", "feed", "category",
                                                     "tag", "author", "page", "comments")):
            return None
        return self._slugs.get(slug)

    # -- marking a post's text ----------------------------------------------------------------------

    def _token(self, ref: _Ref) -> str:
        self._refs.append(ref)
        return f"{self._prefix}{len(self._refs) - 1:06d}z"

    def _upload_token(self, url: str, source: str, post: Post, escaped: bool = False) -> "str | None":
        """The token of the upload ``url``, or ``None`` (not an upload; no ``--uploads``; missing: noted)."""
        if self.uploads is None:
            return None
        rel = self.upload_path(url, source)
        if rel is None:
            return None
        file = self._find(rel)
        if file is None:
            self.missing.setdefault(rel, []).append(post.label + (f" ({post.title!r})" if post.title else ""))
            self._last_missing.append(rel)
            return None
        fragment = url.partition("#")[2]
        return self._token(_Ref("upload", rel, fragment, escaped=escaped))

    def _find(self, rel: str) -> "Path | None":
        assert self.uploads is not None
        parts = [p for p in rel.split("/") if p not in ("", ".")]
        if not parts or ".." in parts:
            return None
        path = self.uploads.joinpath(*parts)
        return path if path.is_file() and os.access(path, os.R_OK) else None  # one it cannot read: as missing

    def mark(self, text: str, post: Post) -> str:
        """``text`` (a written post's HTML) with the references this site places replaced by tokens."""
        source = post.source_file
        me = (source, _int(post.id))

        def href(m: re.Match[str]) -> str:
            quote, value = m.group(2)[0], m.group(2)[1:-1]
            url = _html.unescape(value)
            if not url or url.startswith("#") or self._token_rx.fullmatch(url):
                return m.group()
            host = _HOST.match(url)
            if host is not None and host.group(1).lower().removeprefix("www.") not in self._hosts:
                return m.group()  # another site's: the common case, decided without parsing the URL
            target = self.post_target(url, source)
            if target is None:
                return m.group()
            fragment = url.partition("#")[2]
            att = self.attachment_of.get(target)
            if att is not None and not self.attachment_pages:
                # the attachment's page is not written: the file itself (the copy, else its URL)
                token = self._upload_token(att.url, target[0], post)
                return f"{m.group(1)}{quote}{token or _html.escape(att.url, quote=True)}{quote}"
            token = self._token(_Ref("post", "", fragment, target=target, original=value, source=me,
                                     label=post.label))
            return f"{m.group(1)}{quote}{token}{quote}"

        def upload(m: re.Match[str]) -> str:
            raw = m.group()
            trail = len(raw) - len(raw.rstrip(",;."))
            url = raw[: len(raw) - trail] if trail else raw
            escaped = "\\/" in url
            token = self._upload_token(_html.unescape(url.replace("\\/", "/")), source, post, escaped)
            return raw if token is None else token + raw[len(url):]

        def markup(m: re.Match[str]) -> str:  # tags (every attribute) and scripts, never the text between
            found = m.group()
            if self.exports and "href" in found:
                found = _HREF.sub(href, found)
            return _URL.sub(upload, found) if self.uploads is not None else found

        return _MARKUP.sub(markup, text) if self.exports or self.uploads is not None else text

    def tokens(self) -> int:
        """How many tokens :meth:`mark` (and :meth:`featured`) have handed out: the next one's number."""
        return len(self._refs)

    def mark_apart(self, text: str, post: Post) -> "tuple[str, Marks]":
        """:meth:`mark` of ``text`` with nothing recorded here: the text, its tokens numbered from 0, and
        what marking it found (:class:`Marks`) for :meth:`adopt`.  A worker process marks and converts a
        post's text so; the process that writes the site adopts the marks instead of marking it again."""
        kept = self._refs, self.missing, self._last_missing
        self._refs, self.missing, self._last_missing = [], {}, []
        try:
            marked = self.mark(text, post)
            # each missing file with its label, in the order found (this text's own lists, used up here)
            missing = tuple((rel, self.missing[rel].pop(0)) for rel in self._last_missing)
            return marked, Marks(tuple(self._refs), missing)
        finally:
            self._refs, self.missing, self._last_missing = kept

    def adopt(self, marks: "Marks") -> int:
        """Record ``marks`` (:meth:`mark_apart`'s) as :meth:`mark` records what it finds; returns the number of
        their first token here (raise the text's tokens by it: :meth:`renumber`)."""
        start = len(self._refs)
        self._refs.extend(marks.refs)
        for rel, label in marks.missing:
            self.missing.setdefault(rel, []).append(label)
            self._last_missing.append(rel)
        return start

    def renumber(self, text: str, start: int) -> str:
        """``text`` with every token's number raised by ``start`` (see :meth:`mark_apart`)."""
        if not start or self._prefix not in text:
            return text
        return self._token_rx.sub(lambda m: f"{self._prefix}{int(m.group(1)) + start:06d}z", text)

    def featured(self, url: str, post: Post) -> "str | None":
        """The token of a featured image ``url`` (resolve it with ``front_matter=True``), ``None`` when it
        is not placed (then ``--media-url`` applies)."""
        return self._upload_token(url, post.source_file, post)

    # -- resolving ----------------------------------------------------------------------------------

    def wrote(self, post: Post, path: str = "") -> None:
        """Note that ``post`` is written, at ``path`` (a site path; ``""``: not yet known)."""
        self.written[self.key(post)] = path

    @staticmethod
    def key(post: Post) -> Key:
        return (post.source_file, _int(post.id))

    def attachment(self, post: Post) -> "Attachment | None":
        return self.attachment_of.get(self.key(post))

    def site(self, post: Post) -> Site:
        ex = self.exports.get(post.source_file)
        return ex.site if ex is not None else Site.empty()

    def has_links(self, text: str) -> bool:
        """Whether ``text`` holds tokens (of any kind)."""
        return self._prefix in text and self._token_rx.search(text) is not None

    def resolve(self, text: str, page_path: str, layout: Layout, *, front_matter: bool = False) -> str:
        """``text`` (written at ``page_path``) with its tokens replaced by the layout's URLs (``front_matter``:
        its :meth:`~Layout.front_matter_url`): call it when every page linked to is written (:meth:`wrote`)."""
        if self._prefix not in text:
            return text

        def one(m: re.Match[str]) -> str:
            ref = self._refs[int(m.group(1))]
            if ref.kind == "upload":
                asset = self._asset(page_path, ref.value, layout)
                url = (layout.front_matter_url if front_matter else layout.asset_url)(page_path, asset)
            else:
                assert ref.target is not None
                target = self.written.get(ref.target)
                if not target:
                    self.unwritten.setdefault(ref.target, []).append(ref.label)
                    return ref.original
                url = layout.page_url(page_path, target)
            url += f"#{ref.fragment}" if ref.fragment else ""
            return url.replace("/", "\\/") if ref.escaped else url

        return self._token_rx.sub(one, text)

    def _asset(self, page_path: str, upload: str, layout: Layout) -> str:
        """The site path of the copy of ``upload`` for the page at ``page_path`` (copied once per path; two
        files of one name in a bundle get ``-2``…)."""
        known = self._assets.get((page_path, upload))
        if known is not None:
            return known
        file = self._find(upload)
        assert file is not None
        dest = layout.asset_path(page_path, upload)
        stem, dot, ext = dest.rpartition(".")
        if not dot or "/" in ext:
            stem, dot, ext = dest, "", ""
        n = 1
        while dest in self.copies and self.copies[dest] != file:
            n += 1
            dest = f"{stem}-{n}{dot}{ext}"
        self.copies[dest] = file
        self._assets[(page_path, upload)] = dest
        return dest

    # -- what the run says --------------------------------------------------------------------------

    def post_notes(self, post: Post) -> list[Problem]:
        """A note for ``post`` naming the files it uses that the uploads folder does not have (those found
        missing since the last call)."""
        mine, self._last_missing = list(dict.fromkeys(self._last_missing)), []
        if not mine:
            return []
        shown = ", ".join(mine[:5]) + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
        return [Problem(file=post.source_file, line=post.source_line, column=post.source_column, post_id=post.id,
                        title=post.title, severity="info", kind="upload-missing", label=post.label,
                        message=f"{len(mine)} file{'s' if len(mine) != 1 else ''} not in --uploads "
                                f"{self.uploads}: {shown}; left as {'their' if len(mine) != 1 else 'its'} URL")]

    def missing_count(self) -> int:
        return sum(len(v) for v in self.missing.values())

    def notes(self) -> list[str]:
        """The summary lines: files copied, files missing, links to posts not written."""
        out = []
        if self.uploads is not None:
            out.append(f"copied {len(self.copies)} file{'s' if len(self.copies) != 1 else ''} the posts use "
                       f"from {self.uploads}")
        if self.missing:
            rel, users = next(iter(self.missing.items()))
            n = len(self.missing)
            out.append(f"{n} file{'s' if n != 1 else ''} the posts use {'are' if n != 1 else 'is'} not in "
                       f"{self.uploads} (e.g. {rel}, used by {users[0]}): left as their URL (--media-url moves "
                       "them; -v names them per post)")
        if self.unwritten:
            links = sum(len(v) for v in self.unwritten.values())
            (name, pid), users = next(iter(self.unwritten.items()))
            info = self.exports[name].site.post(pid) if name in self.exports else None
            what = f"{getattr(info, 'type', 'post')} {pid}" + (f" ({info.title!r})" if info and info.title else "")
            out.append(f"{links} link{'s' if links != 1 else ''} to {len(self.unwritten)} post"
                       f"{'s' if len(self.unwritten) != 1 else ''} that {'are' if len(self.unwritten) != 1 else 'is'}"
                       f" not written (drafts, left out) kept as written (e.g. {what}, linked from {users[0]})")
        return out

    def copy_into(self, write: Callable[[str, Path], object]) -> None:
        """Copy every file placed (``write(site path, file)``: the staged site's ``copy``)."""
        for dest, file in sorted(self.copies.items()):
            write(dest, file)


def attachment_page(post: Post, content: str, att: "Attachment | None", site: Site, *, parent_written: bool) -> str:
    """The text of an attachment's page: the file (an image, a player, else a link), its caption, its
    description (``content``) and the post it belongs to: a link by its old URL (which
    :meth:`SiteLinks.mark` then points at the new page) when ``parent_written``, else its title."""
    url = att.url if att is not None else post.attachment_url
    mime = att.mime_type if att is not None else ""
    caption = att.caption if att is not None else post.excerpt
    alt = att.alt if att is not None else ""
    e = _html.escape
    if mime.startswith("image/"):
        media = f'<img src="{e(url)}" alt="{e(alt)}" />'
    elif mime.startswith(("audio/", "video/")):
        tag = mime.split("/", 1)[0]
        media = f'<{tag} controls src="{e(url)}"></{tag}>'
    else:
        media = f'<a href="{e(url)}">{e(posixpath.basename(url.split("?", 1)[0]) or url)}</a>'
    out = [f'<figure class="sc-attachment">{media}']
    if caption.strip():
        out.append(f"<figcaption>{caption.strip()}</figcaption>")
    out.append("</figure>")
    if content.strip():
        out.append(content)
    parent = site.post(post.parent) if post.parent else None
    if parent is not None and parent.link and parent_written:
        out.append(f'<p class="sc-attachment__parent">Attached to: <a href="{e(parent.link)}">'
                   f"{e(parent.title or parent.link)}</a></p>")
    elif parent is not None and parent.title:
        out.append(f'<p class="sc-attachment__parent">Attached to: {e(parent.title)}</p>')
    return "\n".join(out)


def site_links(run: "Run") -> SiteLinks:
    """The :class:`SiteLinks` of a site output's run: the inputs' site models (read here when the run did
    not read them), ``--uploads``, and attachment pages when the run's filter takes attachments."""
    sites = run.converter.sites
    if not sites:
        from ..convert import read_sites  # reason: jobs.convert imports the outputs

        sites = read_sites(run.paths)
    pages = run.converter.options.filter.accepts(Post(type="attachment", status="inherit"))
    return SiteLinks(sites, run.uploads, attachment_pages=pages)


@dataclass(frozen=True)
class MarkJob:
    """What a worker process needs to mark the texts of the posts it converts as the process that writes
    the site marks them (:func:`mark_in_worker`): the tokens' nonce (the writing process renumbers and
    resolves the tokens the workers hand out), ``--uploads``, whether attachments are pages, ``--media-url``."""

    nonce: str
    uploads: "str | None" = None
    attachment_pages: bool = False
    media_urls: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, run: "Run", links: SiteLinks) -> "MarkJob":
        return cls(links.nonce, None if run.uploads is None else str(run.uploads), links.attachment_pages,
                   tuple(run.media_urls))


@dataclass(frozen=True)
class Marked:
    """A post's text as a worker marked it (:func:`mark_in_worker`): ``text`` (its tokens numbered from 0,
    ``--media-url`` applied; ``None`` when the worker kept only what it made of it) and ``marks``."""

    text: "str | None"
    marks: Marks


#: In a worker: the last :class:`MarkJob` and its links (built from the worker's site models).
_WORKER_LINKS: "list[tuple[MarkJob, SiteLinks, SiteData]]" = []


def mark_in_worker(job: MarkJob, post: Post, result: PostResult) -> "tuple[str, Marks] | None":
    """In a worker process (:func:`~shortcodes.jobs.parallel.in_worker`): the text of ``post`` converted as
    ``result``, marked as :func:`mark_entry` marks it (:meth:`SiteLinks.mark_apart`: its tokens from 0),
    and its marks.  ``None`` where the writing process marks the text itself: not a worker, a post left
    out, an attachment page (marked once the posts are written), a worker without site models."""
    if not in_worker() or result.skipped or (post.type == "attachment" and job.attachment_pages):
        return None
    sites = worker_converter().sites
    if not sites:
        return None
    if not _WORKER_LINKS or _WORKER_LINKS[0][0] != job:
        links = SiteLinks(sites, None if job.uploads is None else Path(job.uploads),
                          attachment_pages=job.attachment_pages, nonce=job.nonce)
        _WORKER_LINKS[:] = [(job, links, SiteData(media_urls=job.media_urls))]
    _, links, data = _WORKER_LINKS[0]
    marked, marks = links.mark_apart(Entry.of(post, result).content, post)
    return data.media(marked), marks


def mark_entry(links: SiteLinks, data: SiteData, entry: Entry, model: Site,
               result: "PostResult | None", marked: "Marked | None" = None) -> "PostResult | None":
    """Mark ``entry``'s text and featured image (:meth:`SiteLinks.mark`, then ``--media-url``), and return
    ``result`` with a note naming the files the uploads folder lacks.  ``marked``: the text as a worker
    marked it (:func:`mark_in_worker`), whose marks are adopted instead (:meth:`SiteLinks.adopt`; the
    entry's text becomes the worker's, renumbered, or stays as it is when the worker kept none)."""
    post = entry.post
    first = links.tokens()
    if marked is None:
        entry.content = data.media(links.mark(entry.content, post))
    else:
        links.adopt(marked.marks)
        if marked.text is not None:
            entry.content = links.renumber(marked.text, first)
    entry.first_token = first
    found = data.featured_source(post, model)
    if found is not None:
        token = links.featured(found[0], post)
        entry.featured = (token or data.media(found[0]), found[1])
    notes = links.post_notes(post)
    if result is not None and notes:
        result = dataclasses.replace(result, notes=result.notes + tuple(notes))
    return result


def _int(value: str) -> int:
    return int(value) if value.isdigit() else -1
