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

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..php.numbers import absint, intval, php_round
from ..php.strings import php_array_key, php_empty, php_trim
from .escaping import esc_attr
from .functions import wp_check_filetype
from .theme import Theme
from .urls import esc_url, set_url_scheme

__all__ = ["wp_get_attachment_url", "wp_basename", "is_ssl", "get_attachment", "attachment_guid",
           "wp_get_attachment_metadata", "get_attached_file", "wp_attachment_is_image", "wp_constrain_dimensions",
           "image_constrain_size_for_editor", "image_get_intermediate_size", "image_downsize", "wp_image_matches_ratio",
           "wp_calculate_image_srcset", "wp_calculate_image_sizes", "image_hwstring", "strip_tags",
           "wp_get_attachment_image", "get_attachment_link", "wp_get_attachment_link", "wp_image_src_get_dimensions",
           "wp_img_tag_add_width_and_height_attr", "wp_image_add_srcset_and_sizes"]


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
    """``wp_basename()``: the last path component, multibyte-safe.

    WordPress URL-encodes the path, turns ``%2F`` and ``%5C`` into ``/``, takes
    ``basename()`` and decodes again: the last component, ``\\`` counting as a
    separator too (encoding and decoding give every other character back).

    >>> wp_basename("2021/01/برج.jpg"), wp_basename("a\\\\b.png"), wp_basename("dir/")
    ('برج.jpg', 'b.png', 'dir')
    """
    return _php_basename(path.replace("\\", "/"))


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


#: Memo of :func:`wp_get_attachment_url` (asked three times for each gallery image):
#: (id(site), id) -> (site, url); identity checked on use.
_URL_MEMO: dict[tuple[int, Any], tuple[Any, "str | bool"]] = {}
URL_MEMO_SIZE = 8192


def wp_get_attachment_url(site: Any, attachment_id: object) -> "str | bool":
    """``wp_get_attachment_url()`` (post.php): the file's URL, or ``False``.

    ``_wp_attached_file`` relative to the uploads base URL (a path holding
    ``wp-content/uploads`` is taken from there, pre-2.7 style), else the guid;
    ``https`` on an SSL front end.  The uploads *folder* of the original site
    is unknown, so no file is taken as an absolute path inside it.  Remembered
    (:data:`URL_MEMO_SIZE` entries) for the same site object: it depends on
    nothing else.
    """
    try:
        key = (id(site), attachment_id)
        hit = _URL_MEMO.get(key)
    except TypeError:  # an unhashable id: not remembered
        return _attachment_url(site, attachment_id)
    if hit is not None and hit[0] is site:
        return hit[1]
    url = _attachment_url(site, attachment_id)
    if len(_URL_MEMO) >= URL_MEMO_SIZE:
        _URL_MEMO.clear()
    _URL_MEMO[key] = (site, url)
    return url


def _attachment_url(site: Any, attachment_id: object) -> "str | bool":
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


# --------------------------------------------------------------------------- sizes
def wp_get_attachment_metadata(site: Any, attachment_id: object) -> "Mapping[Any, Any] | None":
    """``wp_get_attachment_metadata()``: the unserialized ``_wp_attachment_metadata`` (``None``: none or broken)."""
    att = get_attachment(site, attachment_id)
    meta = None if att is None else att.metadata
    return meta if isinstance(meta, Mapping) and meta else None


def get_attached_file(site: Any, attachment_id: object) -> str:
    """``get_attached_file()``: ``_wp_attached_file`` (relative to the unknown uploads folder), or ``''``."""
    att = get_attachment(site, attachment_id)
    return "" if att is None else (att.attached_file or "")


def wp_attachment_is_image(site: Any, attachment_id: object) -> bool:
    """``wp_attachment_is('image', $id)``: an attached file and an ``image/*`` mime type (or image extension)."""
    att = get_attachment(site, attachment_id)
    if att is None:
        return False
    file = att.attached_file or ""
    if php_empty(file):
        return False
    mime = att.mime_type or ""
    if mime.startswith("image/"):
        return True
    ext, _type = wp_check_filetype(file)
    if php_empty(ext if isinstance(ext, str) else ""):
        return False
    if mime != "import":
        return ext == "image"
    return ext in ("jpg", "jpeg", "jpe", "gif", "png", "webp")


@lru_cache(maxsize=4096, typed=True)  # pure; a site's images share a few dimensions
def wp_constrain_dimensions(current_width: float, current_height: float, max_width: float = 0,
                            max_height: float = 0) -> tuple[Any, Any]:
    """``wp_constrain_dimensions()``: the size scaled to fit the box, at least 1×1."""
    if not max_width and not max_height:
        return current_width, current_height
    width_ratio = height_ratio = 1.0
    did_width = did_height = False
    if max_width > 0 and current_width > 0 and current_width > max_width:
        width_ratio = max_width / current_width
        did_width = True
    if max_height > 0 and current_height > 0 and current_height > max_height:
        height_ratio = max_height / current_height
        did_height = True
    smaller, larger = min(width_ratio, height_ratio), max(width_ratio, height_ratio)
    if php_round(current_width * larger) > max_width or php_round(current_height * larger) > max_height:
        ratio = smaller
    else:
        ratio = larger
    w = max(1, php_round(current_width * ratio))
    h = max(1, php_round(current_height * ratio))
    if did_width and w == max_width - 1:
        w = int(max_width)
    if did_height and h == max_height - 1:
        h = int(max_height)
    return w, h


def image_constrain_size_for_editor(theme: Theme, width: float, height: float, size: str = "medium") -> tuple[Any, Any]:
    """``image_constrain_size_for_editor()`` on the front end (``display``): the size's box, ``large`` and
    ``medium_large`` capped at ``content_width``; an unknown size (or ``full``) is not constrained."""
    cw = theme.content_width or 0
    name = "thumbnail" if size == "thumb" else size
    box = theme.size(name) if isinstance(name, str) else None
    if box is None:
        max_w, max_h = width, height
    else:
        max_w, max_h = box.width, box.height
        if name == "thumbnail" and not max_w and not max_h:
            max_w, max_h = 128, 96
        if name in ("medium_large", "large") and cw > 0:
            max_w = min(cw, max_w)
    return wp_constrain_dimensions(width, height, max_w, max_h)


def _num(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    return float(intval(value)) if not isinstance(value, str) or _NUMERIC.match(value) is None \
        else float(_NUMERIC.match(value).group(1))  # type: ignore[union-attr]


_NUMERIC = re.compile(r"[ \t\n\r\x0b\x0c]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)")


_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")


def _path_join(base: str, path: str) -> str:
    if path.startswith("/") or _DRIVE.match(path):
        return path
    return base.rstrip("/") + "/" + path


def _dirname(path: str) -> str:
    """PHP ``dirname()`` (for the URLs and relative paths seen here)."""
    stripped = path.rstrip("/")
    if "/" not in stripped:
        return "." if stripped else ("/" if path.startswith("/") else ".")
    head = stripped.rsplit("/", 1)[0].rstrip("/")
    return head or "/"


def image_get_intermediate_size(site: Any, attachment_id: object, size: str) -> "dict[str, Any] | None":
    """``image_get_intermediate_size()`` for a size name: the ``sizes`` entry, with its ``url``; ``None``: none."""
    meta = wp_get_attachment_metadata(site, attachment_id)
    if not size or meta is None:
        return None
    sizes = meta.get("sizes")
    if not isinstance(sizes, Mapping) or not sizes:
        return None
    data = sizes.get(size)
    if not isinstance(data, Mapping) or not data:
        return None
    out = dict(data)
    file = out.get("file")
    if php_empty(_s(out.get("path"))) and not php_empty(_s(file)) and not php_empty(_s(meta.get("file"))):
        file_url = wp_get_attachment_url(site, attachment_id)
        out["path"] = _path_join(_dirname(_s(meta.get("file"))), _s(file))
        out["url"] = _path_join(_dirname(file_url if isinstance(file_url, str) else ""), _s(file))
    return out


def _s(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return value if isinstance(value, str) else str(value)


def image_downsize(site: Any, theme: Theme, attachment_id: object, size: str = "medium"
                   ) -> "tuple[str, Any, Any, bool] | None":
    """``image_downsize()``: ``(url, width, height, is_intermediate)`` of the image at ``size``, or ``None``.

    An image without metadata (or whose metadata PHP could not unserialize)
    is the full file at 1×1, as WordPress prints it.
    """
    is_image = wp_attachment_is_image(site, attachment_id)
    img_url = wp_get_attachment_url(site, attachment_id)
    url = img_url if isinstance(img_url, str) else ""
    meta = wp_get_attachment_metadata(site, attachment_id) or {}
    width: Any = 0
    height: Any = 0
    intermediate_found = False
    basename = wp_basename(url)
    if not is_image:
        sizes = meta.get("sizes")
        full = sizes.get("full") if isinstance(sizes, Mapping) else None
        if isinstance(full, Mapping) and full:
            url = url.replace(basename, _s(full.get("file"))) if basename else url
            basename = _s(full.get("file"))
            width, height = full.get("width"), full.get("height")
        else:
            return None
    inter = image_get_intermediate_size(site, attachment_id, size)
    if inter is not None:
        url = url.replace(basename, _s(inter.get("file"))) if basename else url
        width, height = inter.get("width"), inter.get("height")
        intermediate_found = True
    if not width and not height and "width" in meta and "height" in meta \
            and meta["width"] is not None and meta["height"] is not None:
        width, height = meta["width"], meta["height"]
    if url:
        w, h = image_constrain_size_for_editor(theme, _num(width), _num(height), size)
        return url, w, h, intermediate_found
    return None


@lru_cache(maxsize=4096, typed=True)  # pure
def wp_image_matches_ratio(source_width: float, source_height: float, target_width: float, target_height: float) -> bool:
    """``wp_image_matches_ratio()``: the same aspect ratio within 1 px."""
    if source_width > target_width:
        constrained = wp_constrain_dimensions(source_width, source_height, target_width)
        expected = (target_width, target_height)
    else:
        constrained = wp_constrain_dimensions(target_width, target_height, source_width)
        expected = (source_width, source_height)
    return abs(float(constrained[0]) - float(expected[0])) <= 1 and abs(float(constrained[1]) - float(expected[1])) <= 1


_EDIT_HASH = re.compile(r"-e[0-9]{13}")


def wp_calculate_image_srcset(site: Any, size_array: tuple[int, int], image_src: str, image_meta: Mapping[Any, Any]
                              ) -> "str | None":
    """``wp_calculate_image_srcset()``: the ``srcset`` of the sizes with the image's aspect ratio (≤ 2048 px wide,
    the src's own size first), or ``None`` when fewer than two."""
    sizes = image_meta.get("sizes")
    file = image_meta.get("file")
    if not isinstance(sizes, Mapping) or not sizes or file is None or len(_s(file)) < 4:
        return None
    file = _s(file)
    image_sizes = list(sizes.items())
    image_width, image_height = int(size_array[0]), int(size_array[1])
    if image_width < 1:
        return None
    image_basename = wp_basename(file)
    thumb = sizes.get("thumbnail")
    thumb_mime = thumb.get("mime-type") if isinstance(thumb, Mapping) else None
    if thumb_mime is None or thumb_mime != "image/gif":
        image_sizes.append((len(image_sizes), {"width": image_meta.get("width"), "height": image_meta.get("height"),
                                               "file": image_basename}))
    elif file and image_src.find(file) > 0:
        return None
    dirname = _relative_dir(file)
    if dirname:
        dirname = dirname.rstrip("/\\") + "/"
    baseurl = (site.upload_url or "").rstrip("/\\") + "/" + dirname
    if is_ssl(site) and not baseurl.startswith("https"):
        m = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)", baseurl)
        home = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)", str(site.home or ""))
        if m is not None and home is not None and m.group(1) == home.group(1):
            baseurl = set_url_scheme(baseurl, "https")
    edited = _EDIT_HASH.search(wp_basename(image_src))
    sources: dict[Any, tuple[str, Any]] = {}
    src_matched = False
    for _name, image in image_sizes:
        if not isinstance(image, Mapping):
            continue
        is_src = False
        ifile = _s(image.get("file"))
        if not src_matched and (dirname + ifile) in image_src:
            src_matched = is_src = True
        if edited and ifile.find(edited.group()) <= 0:
            continue
        iw = image.get("width")
        if _num(iw) > 2048 and not is_src:
            continue
        if wp_image_matches_ratio(image_width, image_height, _num(iw), _num(image.get("height"))):
            key = php_array_key(_s(iw)) if not isinstance(iw, int) else iw
            source = (baseurl + ifile, iw)
            if is_src:
                sources = {key: source, **{k: v for k, v in sources.items() if k != key}}
            else:
                sources[key] = source
    if not src_matched or len(sources) < 2:
        return None
    return ", ".join(f"{u.replace(' ', '%20')} {_s(v)}w" for u, v in sources.values())


def wp_calculate_image_sizes(size_array: tuple[int, int]) -> "str | None":
    """``wp_calculate_image_sizes()`` for a width: ``(max-width: Wpx) 100vw, Wpx``."""
    width = absint(size_array[0])
    return f"(max-width: {width}px) 100vw, {width}px" if width else None


def image_hwstring(width: Any, height: Any) -> str:
    """``image_hwstring()``."""
    out = ""
    if width:
        out += f'width="{intval(width)}" '
    if height:
        out += f'height="{intval(height)}" '
    return out


_TAG = re.compile(r"<[^>]*>?")


def strip_tags(text: str) -> str:
    """PHP ``strip_tags()`` for text without quoted ``>`` inside tags (alt texts)."""
    return _TAG.sub("", text) if "<" in text else text


#: Memo of :func:`wp_get_attachment_image` (the same images recur across a site's galleries):
#: (id(site), id(theme), id, size, attributes) -> (site, theme, html); identity checked on use.
_IMAGE_MEMO: dict[tuple[Any, ...], tuple[Any, Any, str]] = {}
IMAGE_MEMO_SIZE = 8192


def wp_get_attachment_image(site: Any, theme: Theme, attachment_id: object, size: str = "thumbnail",
                            attr: "Mapping[str, str] | None" = None) -> str:
    """``wp_get_attachment_image()`` (not in ``the_content``: ``loading="lazy"``), or ``''``.

    Its output depends only on the site model, the theme and the arguments, so
    it is remembered (:data:`IMAGE_MEMO_SIZE` entries) for the same site and
    theme objects.
    """
    key = (id(site), id(theme), attachment_id, size, tuple(attr.items()) if attr else ())
    hit = _IMAGE_MEMO.get(key)
    if hit is not None and hit[0] is site and hit[1] is theme:
        return hit[2]
    html = _attachment_image(site, theme, attachment_id, size, attr)
    if len(_IMAGE_MEMO) >= IMAGE_MEMO_SIZE:
        _IMAGE_MEMO.clear()
    _IMAGE_MEMO[key] = (site, theme, html)
    return html


def _attachment_image(site: Any, theme: Theme, attachment_id: object, size: str,
                      attr: "Mapping[str, str] | None") -> str:
    image = image_downsize(site, theme, attachment_id, size)
    if image is None:
        return ""
    src, width, height, _inter = image
    att = get_attachment(site, attachment_id)
    attrs: dict[str, str] = {"src": src, "class": f"attachment-{size} size-{size}",
                             "alt": php_trim(strip_tags(att.alt or "")), "decoding": "async", "loading": "lazy"}
    attrs.update(attr or {})
    if php_empty(attrs.get("srcset", "")):
        meta = wp_get_attachment_metadata(site, attachment_id)
        if meta is not None:
            size_array = (absint(width), absint(height))
            srcset = wp_calculate_image_srcset(site, size_array, src, meta)
            sizes = wp_calculate_image_sizes(size_array)
            if srcset and (sizes or not php_empty(attrs.get("sizes", ""))):
                attrs["srcset"] = srcset
                if php_empty(attrs.get("sizes", "")):
                    attrs["sizes"] = sizes or ""
    html = ("<img " + image_hwstring(width, height)).rstrip()
    for name, value in attrs.items():
        html += f' {name}="{esc_attr(value)}"'
    return html + " />"


def get_attachment_link(site: Any, attachment_id: object) -> str:
    """The attachment page's URL: the WXR ``<link>`` (``get_permalink()`` on the exporting site), else
    ``home_url('/?attachment_id=N')`` (plain permalinks)."""
    att = get_attachment(site, attachment_id)
    link = getattr(att, "link", "") if att is not None else ""
    if link:
        return link
    home = str(getattr(site, "home", "") or "").rstrip("/")
    if is_ssl(site):
        home = set_url_scheme(home, "https")
    return f"{home}/?attachment_id={intval(attachment_id)}"


def wp_get_attachment_link(site: Any, theme: Theme, attachment_id: object, size: str = "thumbnail",
                           permalink: bool = False, attr: "Mapping[str, str] | None" = None) -> str:
    """``wp_get_attachment_link()``: the image (or title) linked to its file or its attachment page."""
    att = get_attachment(site, attachment_id)
    url = wp_get_attachment_url(site, attachment_id)
    if att is None or not url:
        return "Missing Attachment"
    href = get_attachment_link(site, attachment_id) if permalink else str(url)
    text = wp_get_attachment_image(site, theme, attachment_id, size, attr) if size and size != "none" else ""
    if php_trim(text) == "":
        text = att.title or ""
    if php_trim(text) == "":
        file = get_attached_file(site, attachment_id)
        base = wp_basename(file) if file else ""
        text = esc_attr(base.rsplit(".", 1)[0] if "." in base else base)
    return f"<a href='{esc_url(href)}'>{text}</a>"


def wp_image_src_get_dimensions(image_src: str, image_meta: "Mapping[Any, Any] | None") -> "tuple[int, int] | None":
    """``wp_image_src_get_dimensions()``: the size of the full image or of the intermediate size the URL names."""
    if not image_meta:
        return None
    if "file" in image_meta and image_meta["file"] is not None \
            and wp_basename(str(image_meta["file"])) in image_src:
        return intval(image_meta.get("width")), intval(image_meta.get("height"))
    sizes = image_meta.get("sizes")
    if sizes and isinstance(sizes, Mapping):
        src_filename = wp_basename(image_src)
        for data in sizes.values():
            if isinstance(data, Mapping) and src_filename == data.get("file"):
                return intval(data.get("width")), intval(data.get("height"))
    return None


_SRC = re.compile(r'src="([^"]+)"', re.ASCII)


def wp_img_tag_add_width_and_height_attr(site: Any, image: str, attachment_id: int) -> str:
    """``wp_img_tag_add_width_and_height_attr()``: ``width``/``height`` from the attachment's metadata."""
    m = _SRC.search(image)
    image_src = m.group(1).split("?")[0] if m else ""
    if not image_src:
        return image
    size = wp_image_src_get_dimensions(image_src, wp_get_attachment_metadata(site, attachment_id))
    if size:
        hw = image_hwstring(size[0], size[1]).strip(" \t\n\r\0\x0b")
        return image.replace("<img", f"<img {hw}")
    return image


_EDIT_HASH = re.compile(r"-e[0-9]{13}", re.ASCII)
_WIDTH = re.compile(r' width="([0-9]+)"', re.ASCII)
_HEIGHT = re.compile(r' height="([0-9]+)"', re.ASCII)
_SIZES = re.compile(r' sizes="([^"]+)"', re.ASCII)
_IMG_END = re.compile(r"<img ([^>]+?)[/ ]*>", re.ASCII)


def wp_image_add_srcset_and_sizes(site: Any, image: str, image_meta: "Mapping[Any, Any] | None") -> str:
    """``wp_image_add_srcset_and_sizes()``: ``srcset`` and ``sizes`` on an ``<img>`` of the attachment whose
    metadata is ``image_meta`` (:func:`wp_calculate_image_srcset` on ``site``)."""
    if not image_meta or not image_meta.get("sizes"):
        return image
    m = _SRC.search(image)
    image_src = m.group(1).split("?")[0] if m else ""
    if not image_src:
        return image
    edit = _EDIT_HASH.search(str(image_meta.get("file") or ""))
    if edit and edit.group() not in wp_basename(image_src):
        return image
    mw, mh = _WIDTH.search(image), _HEIGHT.search(image)
    width, height = (int(mw.group(1)) if mw else 0), (int(mh.group(1)) if mh else 0)
    size_array = (width, height) if width and height else wp_image_src_get_dimensions(image_src, image_meta)
    if not size_array:
        return image
    srcset = wp_calculate_image_srcset(site, size_array, image_src, image_meta)
    sizes: "str | None" = None
    if srcset:
        ms = _SIZES.search(image)
        sizes = ms.group(1) if ms else wp_calculate_image_sizes(size_array)
    if srcset and sizes:
        attr = ' srcset="%s" sizes="%s"' % (esc_attr(srcset), esc_attr(sizes))
        return _IMG_END.sub(lambda mm: "<img " + mm.group(1) + attr + " />", image)
    return image
