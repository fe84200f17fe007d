"""WordPress 6.1.9's table of file types (``wp_get_mime_types()``), the one home for it.

Both the export reader (an attachment's type as WordPress's importer derives it,
:mod:`shortcodes.exports.site`) and the media shortcodes (:mod:`shortcodes.wordpress.functions`)
match file names against it, so it lives below both layers.

>>> ALLOWED_MIME_TYPES == tuple(t for t in WP_MIME_TYPES if t[0] not in ("swf", "exe", "htm|html", "js"))
True
>>> [mime for pattern, mime in mime_patterns(ALLOWED_MIME_TYPES) if pattern.search("Photo.JPG")]
['image/jpeg']
"""
from __future__ import annotations

import functools
import re

__all__ = ["WP_MIME_TYPES", "ALLOWED_MIME_TYPES", "mime_patterns", "check_filetype"]

#: ``wp_get_mime_types()`` with no filters (WordPress 6.1.9, functions.php), in its order: extension regex -> type.
WP_MIME_TYPES: tuple[tuple[str, str], ...] = (
    ('jpg|jpeg|jpe', 'image/jpeg'),
    ('gif', 'image/gif'),
    ('png', 'image/png'),
    ('bmp', 'image/bmp'),
    ('tiff|tif', 'image/tiff'),
    ('webp', 'image/webp'),
    ('ico', 'image/x-icon'),
    ('heic', 'image/heic'),
    ('asf|asx', 'video/x-ms-asf'),
    ('wmv', 'video/x-ms-wmv'),
    ('wmx', 'video/x-ms-wmx'),
    ('wm', 'video/x-ms-wm'),
    ('avi', 'video/avi'),
    ('divx', 'video/divx'),
    ('flv', 'video/x-flv'),
    ('mov|qt', 'video/quicktime'),
    ('mpeg|mpg|mpe', 'video/mpeg'),
    ('mp4|m4v', 'video/mp4'),
    ('ogv', 'video/ogg'),
    ('webm', 'video/webm'),
    ('mkv', 'video/x-matroska'),
    ('3gp|3gpp', 'video/3gpp'),
    ('3g2|3gp2', 'video/3gpp2'),
    ('txt|asc|c|cc|h|srt', 'text/plain'),
    ('csv', 'text/csv'),
    ('tsv', 'text/tab-separated-values'),
    ('ics', 'text/calendar'),
    ('rtx', 'text/richtext'),
    ('css', 'text/css'),
    ('htm|html', 'text/html'),
    ('vtt', 'text/vtt'),
    ('dfxp', 'application/ttaf+xml'),
    ('mp3|m4a|m4b', 'audio/mpeg'),
    ('aac', 'audio/aac'),
    ('ra|ram', 'audio/x-realaudio'),
    ('wav', 'audio/wav'),
    ('ogg|oga', 'audio/ogg'),
    ('flac', 'audio/flac'),
    ('mid|midi', 'audio/midi'),
    ('wma', 'audio/x-ms-wma'),
    ('wax', 'audio/x-ms-wax'),
    ('mka', 'audio/x-matroska'),
    ('rtf', 'application/rtf'),
    ('js', 'application/javascript'),
    ('pdf', 'application/pdf'),
    ('swf', 'application/x-shockwave-flash'),
    ('class', 'application/java'),
    ('tar', 'application/x-tar'),
    ('zip', 'application/zip'),
    ('gz|gzip', 'application/x-gzip'),
    ('rar', 'application/rar'),
    ('7z', 'application/x-7z-compressed'),
    ('exe', 'application/x-msdownload'),
    ('psd', 'application/octet-stream'),
    ('xcf', 'application/octet-stream'),
    ('doc', 'application/msword'),
    ('pot|pps|ppt', 'application/vnd.ms-powerpoint'),
    ('wri', 'application/vnd.ms-write'),
    ('xla|xls|xlt|xlw', 'application/vnd.ms-excel'),
    ('mdb', 'application/vnd.ms-access'),
    ('mpp', 'application/vnd.ms-project'),
    ('docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    ('docm', 'application/vnd.ms-word.document.macroEnabled.12'),
    ('dotx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.template'),
    ('dotm', 'application/vnd.ms-word.template.macroEnabled.12'),
    ('xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ('xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12'),
    ('xlsb', 'application/vnd.ms-excel.sheet.binary.macroEnabled.12'),
    ('xltx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.template'),
    ('xltm', 'application/vnd.ms-excel.template.macroEnabled.12'),
    ('xlam', 'application/vnd.ms-excel.addin.macroEnabled.12'),
    ('pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'),
    ('pptm', 'application/vnd.ms-powerpoint.presentation.macroEnabled.12'),
    ('ppsx', 'application/vnd.openxmlformats-officedocument.presentationml.slideshow'),
    ('ppsm', 'application/vnd.ms-powerpoint.slideshow.macroEnabled.12'),
    ('potx', 'application/vnd.openxmlformats-officedocument.presentationml.template'),
    ('potm', 'application/vnd.ms-powerpoint.template.macroEnabled.12'),
    ('ppam', 'application/vnd.ms-powerpoint.addin.macroEnabled.12'),
    ('sldx', 'application/vnd.openxmlformats-officedocument.presentationml.slide'),
    ('sldm', 'application/vnd.ms-powerpoint.slide.macroEnabled.12'),
    ('onetoc|onetoc2|onetmp|onepkg', 'application/onenote'),
    ('oxps', 'application/oxps'),
    ('xps', 'application/vnd.ms-xpsdocument'),
    ('odt', 'application/vnd.oasis.opendocument.text'),
    ('odp', 'application/vnd.oasis.opendocument.presentation'),
    ('ods', 'application/vnd.oasis.opendocument.spreadsheet'),
    ('odg', 'application/vnd.oasis.opendocument.graphics'),
    ('odc', 'application/vnd.oasis.opendocument.chart'),
    ('odb', 'application/vnd.oasis.opendocument.database'),
    ('odf', 'application/vnd.oasis.opendocument.formula'),
    ('wp|wpd', 'application/wordperfect'),
    ('key', 'application/vnd.apple.keynote'),
    ('numbers', 'application/vnd.apple.numbers'),
    ('pages', 'application/vnd.apple.pages'),
)

#: ``get_allowed_mime_types()`` for a user without ``unfiltered_html`` (as the importer runs):
#: :data:`WP_MIME_TYPES` without ``swf`` and ``exe`` (always removed) and ``htm|html`` and ``js``.
ALLOWED_MIME_TYPES: tuple[tuple[str, str], ...] = tuple(
    t for t in WP_MIME_TYPES if t[0] not in ("swf", "exe", "htm|html", "js"))


@functools.lru_cache(maxsize=64)
def mime_patterns(mimes: "tuple[tuple[str, str], ...]") -> "tuple[tuple[re.Pattern[str], str], ...]":
    """The patterns ``wp_check_filetype()`` tries, in order: ``!\\.(ext)$!i`` per row, compiled once per table."""
    return tuple((re.compile(rf"\.({ext})$", re.I | re.A), mime) for ext, mime in mimes)


_PLAIN_EXTENSIONS = re.compile(r"[a-z0-9]+(?:\|[a-z0-9]+)*")


@functools.lru_cache(maxsize=64)
def _extension_index(mimes: "tuple[tuple[str, str], ...]") -> "dict[str, str] | None":
    """Lower-case extension -> the type of the first row that lists it (``None``: a row is not a plain list)."""
    index: dict[str, str] = {}
    for ext, mime in mimes:
        if _PLAIN_EXTENSIONS.fullmatch(ext) is None:
            return None
        for one in ext.split("|"):
            index.setdefault(one, mime)
    return index


def check_filetype(filename: str, mimes: "tuple[tuple[str, str], ...]") -> "tuple[str, str] | None":
    """The first row of ``mimes`` whose ``!\\.(ext)$!i`` matches ``filename``: ``(ext as written, type)``, or ``None``.

    What trying :func:`mime_patterns` in order gives, found with one look-up:
    an extension without a dot can only follow the last ``.`` (``$`` also
    matches before one final newline; ``/i`` folds ASCII letters only).

    >>> check_filetype("Photo.JPG", WP_MIME_TYPES), check_filetype("a.tar.gz", WP_MIME_TYPES), check_filetype("a.mp3?x", WP_MIME_TYPES)
    (('JPG', 'image/jpeg'), ('gz', 'application/x-gzip'), None)
    """
    index = _extension_index(mimes)
    if index is None:
        for pattern, mime in mime_patterns(mimes):
            m = pattern.search(filename)
            if m is not None:
                return m.group(1), mime
        return None
    dot = filename.rfind(".")
    if dot < 0:
        return None
    tail = filename[dot + 1:]
    if tail.endswith("\n"):
        tail = tail[:-1]
    if not tail.isascii():
        return None
    found = index.get(tail.lower())
    return None if found is None else (tail, found)

