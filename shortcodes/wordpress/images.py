"""WordPress 6.1.9's attachment and image functions (``post.php``, ``media.php``), over the export's site model.

The site model (:class:`shortcodes.exports.site.Site`) stands for the database:
``site.attachments[id]`` has what ``get_post()`` and ``get_post_meta()`` would
give for an attachment (``url`` = the WXR's ``attachment_url``, ``guid``,
``attached_file`` = ``_wp_attached_file``, ``metadata`` = the unserialized
``_wp_attachment_metadata``), ``site.upload_url`` the uploads base URL
(``wp_upload_dir()['baseurl']``) and ``site.home`` the home URL (an
``https`` home means an SSL front end, as ``is_ssl()`` on that site).

>>> from types import SimpleNamespace as NS
>>> att = NS(id=5, url="http://x.org/up/2020/01/a.mp3", guid="", attached_file="2020/01/a.mp3", mime_type="audio/mpeg")
>>> site = NS(home="https://x.org", upload_url="http://x.org/up", attachments={5: att}, posts={})
>>> wp_get_attachment_url(site, 5), wp_get_attachment_url(site, 6)
('https://x.org/up/2020/01/a.mp3', False)
"""
from __future__ import annotations

from typing import Any

from ..php.strings import php_empty
from .urls import php_urldecode, php_urlencode, set_url_scheme

__all__ = ["wp_get_attachment_url", "wp_basename", "is_ssl", "get_attachment", "attachment_guid"]


def is_ssl(site: Any) -> bool:
    """``is_ssl()`` on the site's front end: its home URL is ``https``."""
    return site is not None and str(getattr(site, "home", "") or "").lower().startswith("https:")


def get_attachment(site: Any, attachment_id: object) -> Any:
    """``get_post($id)`` for an attachment of ``site`` (``None`` when there is none)."""
    if site is None:
        return None
    try:
        key = int(attachment_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return site.attachments.get(key)


def attachment_guid(att: Any) -> str:
    """The attachment's ``guid`` column (WordPress's importer stores the attachment URL when there is none)."""
    guid = getattr(att, "guid", None)
    return guid if guid else (att.url or "")


def _php_basename(path: str) -> str:
    path = path.rstrip("/")
    return path.rsplit("/", 1)[-1] if path else ""


def wp_basename(path: str) -> str:
    """``wp_basename()``: the last path component, multibyte-safe."""
    return php_urldecode(_php_basename(php_urlencode(path).replace("%2F", "/").replace("%5C", "/")))


def _relative_dir(file: str) -> str:
    """``_wp_get_attachment_relative_path()``."""
    dirname = file.rsplit("/", 1)[0] if "/" in file.rstrip("/") else "."
    if dirname == "":
        dirname = "/"
    if dirname == ".":
        return ""
    at = dirname.find("wp-content/uploads")
    if at >= 0:
        dirname = dirname[at + 18:].lstrip("/")
    return dirname


def wp_get_attachment_url(site: Any, attachment_id: object) -> "str | bool":
    """``wp_get_attachment_url()`` (post.php): the file's URL, or ``False``.

    ``_wp_attached_file`` relative to the uploads base URL (a path holding
    ``wp-content/uploads`` is taken from there, pre-2.7 style), else the guid;
    ``https`` on an SSL front end.  The uploads *folder* of the original site
    is unknown, so no file is taken as an absolute path inside it.
    """
    att = get_attachment(site, attachment_id)
    if att is None:
        return False
    url = ""
    file = att.attached_file or ""
    if not php_empty(file):
        baseurl = site.upload_url or ""
        if "wp-content/uploads" in file:
            rel = _relative_dir(file)
            url = (baseurl + "/" + rel).rstrip("/\\") + "/" + wp_basename(file)
        else:
            url = f"{baseurl}/{file}"
    if not url:
        url = attachment_guid(att)
    if is_ssl(site):
        url = set_url_scheme(url, "https")
    return url if url else False
