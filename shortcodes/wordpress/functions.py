"""WordPress 6.1.9's ``functions.php`` helpers the media shortcodes use: file types and booleans.

>>> wp_check_filetype("https://x.org/a/Song.MP3")
('MP3', 'audio/mpeg')
>>> wp_check_filetype("a.mp3?x=1"), wp_validate_boolean("FALSE"), wp_validate_boolean("0"), wp_validate_boolean("no")
((False, False), False, False, True)
"""
from __future__ import annotations

from typing import Iterable

from ..common.mimes import WP_MIME_TYPES, check_filetype

__all__ = ["WP_MIME_TYPES", "wp_check_filetype", "wp_validate_boolean", "wp_get_audio_extensions",
           "wp_get_video_extensions"]

def wp_check_filetype(filename: str, mimes: "Iterable[tuple[str, str]] | None" = None) -> "tuple[str | bool, str | bool]":
    """``wp_check_filetype()``: ``(ext, type)`` of the first type whose extension ends ``filename``, else ``(False, False)``.

    As in WordPress the whole string is matched, so a URL with a query string
    has no type.  ``mimes`` defaults to :data:`WP_MIME_TYPES` (``wp_get_mime_types()``;
    the media shortcodes pass it explicitly, as WordPress does).
    """
    found = check_filetype(filename, WP_MIME_TYPES if mimes is None else tuple(mimes))
    return (False, False) if found is None else found


def wp_validate_boolean(value: object) -> bool:
    """``wp_validate_boolean()``: ``'false'`` (any case) is false, else PHP's ``(bool)``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() == "false":
            return False
        return value not in ("", "0")
    return bool(value)


def wp_get_audio_extensions() -> list[str]:
    """``wp_get_audio_extensions()``: the ``[audio]`` fallback attributes, in WordPress's order."""
    return ["mp3", "ogg", "flac", "m4a", "wav"]


def wp_get_video_extensions() -> list[str]:
    """``wp_get_video_extensions()``: the ``[video]`` fallback attributes, in WordPress's order."""
    return ["mp4", "m4v", "webm", "ogv", "flv"]
