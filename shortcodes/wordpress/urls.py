"""WordPress 6.1.9's URL helpers the media shortcodes use: ``esc_url``, ``add_query_arg`` and kin.

``esc_url()`` (formatting.php), ``add_query_arg()``/``remove_query_arg()``/``build_query()``
(functions.php, with PHP's ``parse_str()``/``urlencode()``) and ``set_url_scheme()``
(link-template.php), no filters registered.  Where WordPress calls PHP's
``parse_url()`` on a URL this port cannot split the way PHP does, or a query
string uses PHP's array syntax (``a[]=1``), :class:`NotPorted` is raised and the
caller keeps the tag as written.

>>> esc_url("http://x.org/a b?c=1&d='e'")
'http://x.org/a%20b?c=1&#038;d=&#039;e&#039;'
>>> esc_url("javascript:alert(1)"), esc_url("example.org/x")
('', 'http://example.org/x')
>>> add_query_arg("_", 1, "http://x.org/a.mp3"), add_query_arg("_", 2, "http://x.org/a.mp3?v=1#t")
('http://x.org/a.mp3?_=1', 'http://x.org/a.mp3?v=1&_=2#t')
"""
from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from ..common.errors import NotPorted
from ..php.strings import TRIM_CHARS
from .escaping import wp_kses_normalize_entities
from .kses import WP_ALLOWED_PROTOCOLS, wp_kses_bad_protocol

__all__ = ["esc_url", "add_query_arg", "remove_query_arg", "build_query", "set_url_scheme", "simple_parse_url",
           "NotPorted", "php_urlencode", "php_urldecode", "site_url_key", "query_post_id"]

A = re.ASCII
_URL_STRIP = re.compile(r"[^a-z0-9\-~+_.?#=!&;,/:%@$|*'()\[\]\x80-\U0010ffff]", re.I | A)
_PHP_FILE = re.compile(r"^[a-z0-9-]+?\.php", re.I | A)
_CRLF = ("%0d", "%0a", "%0D", "%0A")
# scheme://user:pass@host:port, the parts of parse_url() esc_url() rebuilds (simple URLs only).
_SIMPLE_URL = re.compile(r"^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?//(?:([^:@/?#\[\]]*)(?::([^@/?#\[\]]*))?@)?"
                         r"([^:/?#\[\]@]*)(?::(\d{1,5}))?(?=[/?#]|$)")


def _deep_replace(search: tuple[str, ...], subject: str) -> str:
    count = 1
    while count:
        count = 0
        for s in search:
            if s in subject:
                count += subject.count(s)
                subject = subject.replace(s, "")
    return subject


def simple_parse_url(url: str) -> dict[str, Any]:
    """PHP ``parse_url()``'s scheme/user/pass/host/port/path of an absolute ``scheme://host…`` URL.

    :class:`NotPorted` for anything else (PHP's parser has many special cases).
    """
    m = _SIMPLE_URL.match(url)
    if m is None or not m.group(4):
        raise NotPorted(f"parse_url() of {url!r}")
    scheme, user, password, host, port = m.groups()
    out: dict[str, Any] = {}
    if scheme:
        out["scheme"] = scheme
    out["host"] = host
    if port is not None:
        if int(port) > 65535:
            raise NotPorted(f"parse_url() of {url!r}")
        out["port"] = int(port)
    if user is not None:
        out["user"] = user
    if password is not None:
        out["pass"] = password
    rest = url[m.end():]
    path = re.split(r"[?#]", rest, maxsplit=1)[0]
    if path:
        out["path"] = path
    return out


def esc_url(url: str, protocols: "tuple[str, ...] | None" = None, context: str = "display") -> str:
    """``esc_url()`` (formatting.php): a URL safe to print in an attribute, or ``''``."""
    if url == "":
        return url
    url = url.lstrip(" \t\n\r\0\x0b").replace(" ", "%20")
    url = _URL_STRIP.sub("", url)
    if url == "":
        return url
    if not url.lower().startswith("mailto:"):
        url = _deep_replace(_CRLF, url)
    url = url.replace(";//", "://")
    if ":" not in url and url[0] not in "/#?" and _PHP_FILE.match(url) is None:
        url = "http://" + url
    if context == "display":
        url = wp_kses_normalize_entities(url)
        url = url.replace("&amp;", "&#038;").replace("'", "&#039;")
    if "[" in url or "]" in url:
        parsed = simple_parse_url(url) if url[0] != "/" else {}
        if url[0] == "/" and not url.startswith("//"):
            parsed = {}
        elif url[0] == "/":
            raise NotPorted(f"parse_url() of {url!r}")
        front = ""
        if "scheme" in parsed:
            front += parsed["scheme"] + "://"
        elif url[0] == "/":
            front += "//"
        if "user" in parsed:
            front += parsed["user"]
        if "pass" in parsed:
            front += ":" + parsed["pass"]
        if "user" in parsed or "pass" in parsed:
            front += "@"
        if "host" in parsed:
            front += parsed["host"]
        if "port" in parsed:
            front += f":{parsed['port']}"
        end_dirty = url.replace(front, "") if front else url
        end_clean = end_dirty.replace("[", "%5B").replace("]", "%5D")
        url = url.replace(end_dirty, end_clean) if end_dirty else url
    if url[0] == "/":
        return url
    allowed = WP_ALLOWED_PROTOCOLS if protocols is None else protocols
    good = wp_kses_bad_protocol(url, allowed)
    if good.lower() != url.lower():
        return ""
    return good


def php_urlencode(value: str) -> str:
    """PHP ``urlencode()``: all but ``A-Za-z0-9_.-`` percent-encoded (UTF-8), space as ``+``."""
    return quote_plus(value.encode("utf-8", "surrogateescape"), safe="").replace("~", "%7E")


def php_urldecode(value: str) -> str:
    """PHP ``urldecode()``: ``+`` is a space, ``%XX`` a byte (bytes that are not UTF-8 stay as surrogates)."""
    return unquote_plus(value, encoding="utf-8", errors="surrogateescape")


def _parse_str(query: str) -> dict[str, str]:
    """PHP ``parse_str()`` for flat names (array syntax raises :class:`NotPorted`)."""
    out: dict[str, str] = {}
    for pair in query.split("&"):
        if pair == "":
            continue
        name, _, value = pair.partition("=")
        name = php_urldecode(name)
        if "[" in name or "\0" in name:
            raise NotPorted(f"parse_str() of {query!r}")
        name = name.lstrip(" ")
        if name == "":
            continue
        name = name.replace(" ", "_").replace(".", "_")
        out[name] = php_urldecode(value)
    return out


def build_query(data: dict[str, Any]) -> str:
    """``build_query()``: ``k=v`` joined by ``&``, nothing encoded; ``None`` left out, ``False`` as ``0``."""
    parts = []
    for k, v in data.items():
        if v is None:
            continue
        if v is False:
            v = "0"
        parts.append(f"{k}={v}")
    return "&".join(parts)


def add_query_arg(key: str, value: Any, uri: str) -> str:
    """``add_query_arg($key, $value, $uri)`` (functions.php); ``value=False`` removes ``key``."""
    frag_at = uri.find("#")
    frag = ""
    if frag_at >= 0:  # strstr($uri, '#'): never falsy, it starts with '#'
        frag, uri = uri[frag_at:], uri[:frag_at]
    low = uri.lower()
    if low.startswith("http://"):
        protocol, uri = "http://", uri[7:]
    elif low.startswith("https://"):
        protocol, uri = "https://", uri[8:]
    else:
        protocol = ""
    if "?" in uri:
        base, query = uri.split("?", 1)
        base += "?"
    elif protocol or "=" not in uri:
        base, query = uri + "?", ""
    else:
        base, query = "", uri
    qs: dict[str, Any] = {k: php_urlencode(v) for k, v in _parse_str(query).items()}
    qs[key] = value if value is False else (str(value) if not isinstance(value, str) else value)
    qs = {k: v for k, v in qs.items() if v is not False}
    ret = build_query(qs).strip("?")
    ret = re.sub(r"=(&|$)", r"\1", ret)
    ret = (protocol + base + ret + frag).rstrip("?")
    return ret.replace("?#", "#")


def remove_query_arg(key: str, uri: str) -> str:
    """``remove_query_arg($key, $uri)``."""
    return add_query_arg(key, False, uri)


def set_url_scheme(url: str, scheme: str) -> str:
    """``set_url_scheme($url, 'http'|'https')``."""
    url = url.strip(TRIM_CHARS)
    if url.startswith("//"):
        url = "http:" + url
    return re.sub(r"^\w+://", scheme + "://", url, count=1, flags=A)


# -- recognising a site's own URLs (the site outputs' link rewriting) ------------------------------------

_QUERY_ID = re.compile(r"(?:^|&)(p|page_id|attachment_id)=(\d+)(?:&|$)")


@functools.lru_cache(maxsize=1 << 14)  # pure; a site's links name the same few pages and hosts again and again
def site_url_key(url: str) -> "tuple[str, str]":
    """``(host, path)`` of ``url`` as the same page's other spellings share it: no scheme, no ``www.``,
    host lowercased, no trailing ``/``, no query or fragment, percent-escapes decoded (``host`` is ``""``
    for a root-relative URL).

    >>> site_url_key("https://www.Example.org/2021/10/hello/?x=1#c")
    ('example.org', '/2021/10/hello')
    >>> site_url_key("http://example.org/2021/10/hello"), site_url_key("/about/")
    (('example.org', '/2021/10/hello'), ('', '/about'))
    """
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host, unquote(parts.path).rstrip("/")


def query_post_id(url: str, home_path: str = "") -> "tuple[str, int] | None":
    """``(key, id)`` of a WordPress "plain permalink": ``?p=ID`` (a post), ``?page_id=ID`` (a page),
    ``?attachment_id=ID`` (an attachment's page), on the site's front page (path ``/`` or
    ``index.php`` under ``home_path``, the path of a site installed in a folder); ``None`` for any other URL.

    >>> query_post_id("https://example.org/?p=12"), query_post_id("/index.php?page_id=3&x=1")
    (('p', 12), ('page_id', 3))
    >>> query_post_id("https://example.org/?attachment_id=7"), query_post_id("https://example.org/a/?p=1")
    (('attachment_id', 7), None)
    >>> query_post_id("https://example.org/blog/?p=1", "/blog")
    ('p', 1)
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip().replace("&amp;", "&").replace("&#038;", "&"))
    except ValueError:
        return None
    home = home_path.rstrip("/")
    if parts.path not in ("", "/", "/index.php", home, home + "/", home + "/index.php"):
        return None
    m = _QUERY_ID.search(parts.query)
    return (m.group(1), int(m.group(2))) if m else None
