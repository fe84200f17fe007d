"""WordPress export files (WXR 1.0–1.2): stream posts out, write content back.

:func:`read_wxr` yields one :class:`~shortcodes.exports.Post` per ``<item>``
(posts, pages, attachments, menu items...), streaming: the file is fed to
expat in chunks and each item is dropped once yielded, so memory stays flat
whatever the size of the export.

:func:`rewrite_wxr` copies an export, replacing only the ``content:encoded``
(and ``excerpt:encoded``) of the items a callback changes, by splicing the
original bytes: every other byte (metadata, namespaces, comments, layout,
line ends) is kept, and an export nobody changed comes out byte-identical.

>>> import pathlib, tempfile
>>> src = pathlib.Path(tempfile.mkdtemp()) / "site.xml"
>>> _ = src.write_text('''<?xml version="1.0" encoding="UTF-8"?>
... <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
...      xmlns:wp="http://wordpress.org/export/1.2/">
... <channel><wp:wxr_version>1.2</wp:wxr_version>
...   <item><title>Hello</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>
...     <content:encoded><![CDATA[<p>[gallery ids="1,2"]</p>]]></content:encoded>
...   </item>
... </channel></rss>
... ''', encoding="utf-8")
>>> [post] = read_wxr(src)
>>> post.id, post.type, post.title, post.content, post.position(3)
('7', 'post', 'Hello', '<p>[gallery ids="1,2"]</p>', (6, 34))
>>> import dataclasses
>>> out = src.with_name("out.xml")
>>> rewrite_wxr(src, out, lambda p: dataclasses.replace(p, content=p.content.replace("1,2", "3]]>")))
RewriteResult(items=1, changed=1)
>>> print(out.read_text(encoding="utf-8").splitlines()[5].strip())
<content:encoded><![CDATA[<p>[gallery ids="3]]]]><![CDATA[>"]</p>]]></content:encoded>
>>> [p.content for p in read_wxr(out)]
['<p>[gallery ids="3]]>"]</p>']

API: :func:`read_wxr` (or :class:`WxrReader`, which also exposes the
channel's ``version`` and ``base_site_url``) reads; :func:`rewrite_wxr`
writes and returns a :class:`RewriteResult`; :func:`wxr_cdata` is
WordPress's ``wxr_cdata()``; errors are :class:`WxrError` and
:class:`UnsafeXmlError`, both :class:`~shortcodes.common.errors.ExportError`
(hence :class:`~shortcodes.common.errors.InputError`, which the CLI reports
without a traceback).

The modules: :mod:`.reader` (streaming, :class:`WxrReader`), :mod:`.parser`
(expat with Python callbacks, the strict item reader), :mod:`.recovery` (the
tolerant scanner after an XML error, with :mod:`.xmltext`'s hand decoding),
:mod:`.rewriter` (byte splicing), :mod:`.items` (an item → :class:`Post`),
:mod:`.schema` (namespaces and fields), :mod:`.encoding` (which encoding a
file is in), :mod:`.source` (opening, chunks).

Encodings: UTF-8, UTF-16 (little- or big-endian, found from the byte-order
mark or the first bytes, with or without a declaration) and the single-byte
encodings (ISO-8859-x, windows-125x, KOI8-R...) are read, and an alias such
as ``encoding="utf8"`` means what it says.  Any other encoding (an unknown
name, Shift_JIS, Big5, UTF-7, UTF-32) is refused in both modes with
:class:`WxrError` ``file:1:column: unsupported encoding …``, and so is a
declaration that contradicts the first bytes.  :func:`rewrite_wxr` splices
bytes, so it needs an encoding in which ASCII is one byte: a UTF-16 export
is refused before anything is written (save it as UTF-8 first).

Safety: a ``DOCTYPE`` (the door to entity expansion, "billion laughs", and
external entities) is refused with :class:`UnsafeXmlError`, as WordPress's
importer refuses it; the handlers raise defusedxml's exceptions.

Malformed XML raises :class:`WxrError` at ``file:line:column``.  With
``recover=True`` the reader behaves like WordPress's importer, which falls
back to a regular-expression parser when the XML parser fails: items before
the error are kept, and each later ``<item>…</item>`` block is parsed on its
own (strictly if it is well-formed, else by a tolerant scanner with
WordPress's CDATA rules); each skipped or guessed thing is reported as a
:class:`~shortcodes.exports.ReadWarning` with its line.

Namespaces are resolved by URI, not by prefix: ``wp:`` may be bound to
``http://`` or ``https://wordpress.org/export/1.0/``…``/1.2/`` (the theme
unit test data uses https), on the root or on an item; an element whose
prefix is ``wp`` but which is bound to another URI (a "hijacked" prefix) is
ignored with a warning, and an element bound to the WordPress URI under
another prefix counts.  When a field occurs twice the first one wins.
"""
from __future__ import annotations

from ...common.errors import UnsafeXmlError, WxrError
from .reader import WxrReader, read_wxr
from .rewriter import RewriteResult, rewrite_wxr, wxr_cdata
from .schema import is_wordpress_namespace

__all__ = [
    "read_wxr",
    "WxrReader",
    "rewrite_wxr",
    "RewriteResult",
    "WxrError",
    "UnsafeXmlError",
    "wxr_cdata",
    "is_wordpress_namespace",
]
