"""Posts read from exports: WordPress WXR, REST API JSON, and plain files.

Every reader yields :class:`Post` records, one per exported item, whatever the
input format; :func:`read_posts` takes a mix of files and folders and picks
the reader from each file's type (the table of readers is
:data:`~shortcodes.exports.readers.READERS`).  The modules:

* :mod:`.post`: the model (:class:`Post`, :class:`Term`, :class:`Meta`), a leaf;
* :mod:`.problems`: :class:`ReadWarning`, what readers report without stopping, and
  :class:`ReadError`, a file that could not be read when ``read_posts(on_error=...)`` goes on;
* :mod:`.readers`: the table of readers, :func:`detect_format`, :func:`read_posts`, :func:`read_folder`;
* :mod:`.wxr`: WordPress's WXR (reader, tolerant recovery reader, byte-splicing rewriter);
* :mod:`.rest`: REST API JSON, read as a stream by :mod:`.jsonstream` (JSON Lines line by
  line, arrays element by element); :mod:`.files`: plain files; :mod:`.streams`: opening (gzip).

Readers never print and never raise a traceback for bad input: a file that
cannot be read raises :class:`ExportError` (a :class:`~shortcodes.common.errors.InputError`)
whose message starts with ``file:line:column``; problems that do not stop the
reading are reported as :class:`ReadWarning` records to the ``on_warning``
callback (by default they are issued as Python warnings of category
:class:`ExportWarning`).  With an ``on_error`` callback, :func:`read_posts`
reports each file that cannot be read as a :class:`ReadError` and goes on
with the next one, so one bad input never sinks the others.  In folders,
special files (FIFOs, sockets, devices) and broken links are skipped with a
warning, and links are not followed out of the folder unless
``follow_links=True`` (see :func:`read_folder`).

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "about.html").write_text('<p>[gallery ids="1,2"]</p>', encoding="utf-8")
>>> _ = (folder / "posts.json").write_text(json.dumps([
...     {"id": 7, "type": "post", "title": {"rendered": "Hi"},
...      "content": {"raw": "[caption]x[/caption]", "rendered": "<p>x</p>"}}]))
>>> for post in read_posts([folder, folder / "posts.json"]):  # the folder gives its .html
...     print(post.fmt, repr(post.id), post.content_field, post.content)
html 'about.html' file <p>[gallery ids="1,2"]</p>
rest '7' content.raw [caption]x[/caption]
"""
from __future__ import annotations

from ..common.errors import ExportError, UnsafeXmlError, WxrError
from .files import TEXT_SUFFIXES, read_text_file
from .post import Anchor, Meta, PathLike, Post, Term
from .problems import ErrorHandler, ExportWarning, ReadError, ReadWarning, WarningHandler
from .readers import FORMATS, READERS, Reader, detect_format, folder_root, read_folder, read_posts
from .rest import read_rest_json

__all__ = [
    "Post",
    "Term",
    "Meta",
    "Anchor",
    "ReadWarning",
    "ReadError",
    "ExportWarning",
    "ExportError",
    "WxrError",
    "UnsafeXmlError",
    "WarningHandler",
    "ErrorHandler",
    "PathLike",
    "FORMATS",
    "TEXT_SUFFIXES",
    "READERS",
    "Reader",
    "detect_format",
    "read_posts",
    "read_rest_json",
    "read_text_file",
    "read_folder",
    "folder_root",
]
