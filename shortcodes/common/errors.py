"""Every exception the library raises on purpose, under one root: :class:`ShortcodesError`.

``except shortcodes.ShortcodesError`` catches all of them.  Where callers
already catch a standard exception, the class subclasses it too (a
:class:`NoData` is a :class:`LookupError`, a :class:`GalleryError` a
:class:`ValueError`, an :class:`OutputError` an :class:`OSError`).

===========================  =====================================================
class                        raised when
===========================  =====================================================
:class:`InputError`          an input or an argument cannot be used (the CLI's exit 2)
:class:`ExportError`         an export cannot be read; ``file:line:column`` first
:class:`WxrError`            a WXR file is malformed (an :class:`ExportError`)
:class:`UnsafeXmlError`      a WXR file uses a DTD or entities (refused)
:class:`OutputError`         an output cannot be written (disk full, a file where a folder must be)
:class:`WorkerError`         a worker process of ``--jobs N`` died before its work was done (a ``RuntimeError``)
:class:`RenderError`         rendering was refused (``unknown="error"``, ``strict=True``)
:class:`NoData`              no figures for a card's region and date
:class:`SourceUnavailable`   a figures source failed (a :class:`NoData`)
:class:`GalleryError`        a gallery cannot be built
:class:`PluginError`         a renderer plugin cannot be found or loaded
:class:`UnserializeError`    PHP's ``unserialize()`` would fail (a :class:`ValueError`)
:class:`NotPorted`           a WordPress code path the port does not cover (the tag is kept as written)
===========================  =====================================================

Parsing never raises on a ``str`` (problems become diagnostics), so there is
no parse error.

>>> issubclass(WxrError, ShortcodesError) and issubclass(NoData, LookupError)
True
>>> str(ExportError("mismatched tag", "x.xml", 90, 3))
'x.xml:90:3: mismatched tag'
"""
from __future__ import annotations

import datetime as _dt

__all__ = [
    "ShortcodesError",
    "InputError",
    "ExportError",
    "WxrError",
    "UnsafeXmlError",
    "OutputError",
    "WorkerError",
    "RenderError",
    "NoData",
    "SourceUnavailable",
    "GalleryError",
    "PluginError",
    "UnserializeError",
    "NotPorted",
    "place",
]


def place(file: str, line: "int | None", column: "int | None") -> str:
    """``file:line:column: `` (the parts that are known), the prefix of every located message.

    >>> place("a.xml", 3, 7), place("a.xml", None, None), place("", 2, 1)
    ('a.xml:3:7: ', 'a.xml: ', '2:1: ')
    """
    parts = [file] if file else []
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts) + ": " if parts else ""


class ShortcodesError(Exception):
    """The root of every error wp-shortcodes raises on purpose."""


class InputError(ShortcodesError):
    """An input or argument that cannot be used; the message names the file (and place)."""


class ExportError(InputError):
    """An export that cannot be read; the message starts with ``file:line:column``.

    ``file``, ``line`` and ``column`` (1-based; ``None`` when unknown) are
    also kept as attributes, and ``reason`` is the message without the place.

    >>> str(ExportError("unknown file type", "a.docx"))
    'a.docx: unknown file type'
    >>> e = ExportError("mismatched tag", "x.xml", 90, 3)
    >>> str(e), e.line, e.reason
    ('x.xml:90:3: mismatched tag', 90, 'mismatched tag')
    """

    def __init__(self, reason: str, file: str = "", line: "int | None" = None, column: "int | None" = None) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        self.column = column
        super().__init__(f"{place(file, line, column)}{reason}")


class WxrError(ExportError):
    """A WXR file that cannot be read (or rewritten); the message starts with ``file:line:column``.

    ``offset`` is the byte offset of the problem in the file when known.
    """

    def __init__(self, reason: str, file: str = "", line: "int | None" = None,
                 column: "int | None" = None, offset: "int | None" = None) -> None:
        super().__init__(reason, file, line, column)
        self.offset = offset


class UnsafeXmlError(WxrError):
    """The file uses a DTD, entity declaration or external entity: refused, even with ``recover=True``."""


class OutputError(ShortcodesError, OSError):
    """An output that cannot be written; the message names the file.

    >>> str(OutputError("out/a.html", "No space left on device"))
    'out/a.html: cannot write: No space left on device'
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        ShortcodesError.__init__(self, f"{file}: cannot write: {reason}")

    def __str__(self) -> str:
        return f"{self.file}: cannot write: {self.reason}"


class WorkerError(ShortcodesError, RuntimeError):
    """A worker process ended before its work was done (killed by a signal: the kernel's out-of-memory
    killer, say); the run stopped and wrote no output.

    >>> str(WorkerError())  # doctest: +ELLIPSIS
    'a worker process ended before its work was done (killed by a signal, or for want of memory?): ...'
    """

    def __init__(self, reason: str = "a worker process ended before its work was done (killed by a signal, or "
                 "for want of memory?): the run stopped and wrote no output; run it again, with fewer --jobs "
                 "if memory is short") -> None:
        super().__init__(reason)


class RenderError(ShortcodesError):
    """Rendering was refused (``unknown="error"``, or ``strict=True``).

    ``line`` and ``column`` (1-based) and ``tag`` say where and what; the
    message starts with ``line:column:``.

    >>> str(RenderError("unknown shortcode [x]", line=3, column=7, tag="x"))
    '3:7: unknown shortcode [x]'
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 tag: str | None = None) -> None:
        self.line = line
        self.column = column
        self.tag = tag
        self.reason = message
        super().__init__(f"{line}:{column}: {message}" if line is not None else message)


class NoData(ShortcodesError, LookupError):
    """No figures for this region and date; ``str()`` says why in a sentence.

    >>> err = NoData("EG", _dt.date(2019, 12, 1), "the data begins on 2020-01-22")
    >>> str(err)
    'No COVID-19 figures for EG on or before 2019-12-01: the data begins on 2020-01-22.'
    >>> err.region, err.reason
    ('EG', 'the data begins on 2020-01-22')
    """

    def __init__(self, region: str | None, as_of: _dt.date | None, reason: str) -> None:
        self.region = region
        self.as_of = as_of
        self.reason = reason
        super().__init__(region, as_of, reason)

    def __str__(self) -> str:
        where = "the world" if self.region is None else self.region
        when = "" if self.as_of is None else f" on or before {self.as_of.isoformat()}"
        reason = self.reason.rstrip(".")
        return f"No COVID-19 figures for {where}{when}: {reason}."


class SourceUnavailable(NoData):
    """The source itself failed: unreachable, timed out, or not the expected data.

    ``.source`` is the URL or file path, ``.reason`` what went wrong.

    >>> str(SourceUnavailable("https://example.invalid/v3/covid-19/all", "timed out after 10 s"))
    'Cannot read COVID-19 figures from https://example.invalid/v3/covid-19/all: timed out after 10 s.'
    """

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        region: str | None = None,
        as_of: _dt.date | None = None,
    ) -> None:
        self.source = source
        super().__init__(region, as_of, reason)

    def __str__(self) -> str:
        return f"Cannot read COVID-19 figures from {self.source}: {self.reason.rstrip('.')}."


class GalleryError(ShortcodesError, ValueError):
    """A gallery cannot be built: an unusable variants file, or an output over the templates.

    The message names the file (and the variant: ``variant 2``).
    """


class PluginError(ShortcodesError, ValueError):
    """A renderer plugin that cannot be found or loaded; the message names it and lists the known ones."""


class UnserializeError(ShortcodesError, ValueError):
    """PHP-serialized text that PHP's ``unserialize()`` refuses (it would return ``false``).

    ``offset`` is the byte where PHP's parser stopped, ``length`` the text's length in bytes.

    >>> str(UnserializeError(5, 10))
    'unserialize(): error at offset 5 of 10 bytes'
    """

    def __init__(self, offset: int, length: int) -> None:
        self.offset = offset
        self.length = length
        super().__init__(f"unserialize(): error at offset {offset} of {length} bytes")


class NotPorted(ShortcodesError, ValueError):
    """A WordPress code path the ports of :mod:`shortcodes.wordpress` do not cover (PHP's ``parse_url()``
    on an unusual URL, ``parse_str()`` array syntax …); whoever renders keeps the tag as written."""
