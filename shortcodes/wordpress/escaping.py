"""Escaping as WordPress 6.1.9 does it: ``esc_attr()`` and the entity normaliser it relies on.

``esc_attr()``/``_wp_specialchars()`` come from ``formatting.php`` and
``wp_kses_normalize_entities()`` from ``kses.php``; they live together here
because each needs the other's file in PHP (one global namespace) and a
Python module cannot import in a circle.
"""
from __future__ import annotations

import re

from ..php.strings import SURROGATE, php_empty

__all__ = ["esc_attr", "wp_kses_normalize_entities"]

A = re.ASCII  # PCRE without /u: \w \s \b and case folding are ASCII only.


_ALLOWED_ENTITY_NAMES = frozenset("""
nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn acute
micro para middot cedil ordm raquo iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave
Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash
Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave
eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash
ugrave uacute ucirc uuml yacute thorn yuml quot amp lt gt apos OElig oelig Scaron scaron Yuml circ
tilde ensp emsp thinsp zwnj zwj lrm rlm ndash mdash lsquo rsquo sbquo ldquo rdquo bdquo dagger Dagger
permil lsaquo rsaquo euro fnof Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu
Xi Omicron Pi Rho Sigma Tau Upsilon Phi Chi Psi Omega alpha beta gamma delta epsilon zeta eta theta
iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega thetasym upsih
piv bull hellip prime Prime oline frasl weierp image real trade alefsym larr uarr rarr darr harr crarr
lArr uArr rArr dArr hArr forall part exist empty nabla isin notin ni prod sum minus lowast radic prop
infin ang and or cap cup int sim cong asymp ne equiv le ge sub sup nsub sube supe oplus otimes perp
sdot lceil rceil lfloor rfloor lang rang loz spades clubs hearts diams sup1 sup2 sup3 frac14 frac12
frac34 there4
""".split())
_NAMED_ENTITY = re.compile(r"&amp;([A-Za-z]{2,8}[0-9]{0,2});")
_DEC_ENTITY_AMP = re.compile(r"&amp;#(0*[0-9]{1,7});")
_HEX_ENTITY_AMP = re.compile(r"&amp;#[Xx](0*[0-9A-Fa-f]{1,6});")


def _valid_unicode(i: int) -> bool:
    return i in (0x9, 0xA, 0xD) or 0x20 <= i <= 0xD7FF or 0xE000 <= i <= 0xFFFD or 0x10000 <= i <= 0x10FFFF


def _named_entity(m: "re.Match[str]") -> str:
    name = m.group(1)
    return f"&{name};" if name in _ALLOWED_ENTITY_NAMES else f"&amp;{name};"


def _dec_entity(m: "re.Match[str]") -> str:
    i = m.group(1)
    if php_empty(i):
        return ""
    if _valid_unicode(int(i)):
        return "&#" + i.lstrip("0").rjust(3, "0") + ";"
    return f"&amp;#{i};"


def _hex_entity(m: "re.Match[str]") -> str:
    h = m.group(1)
    if php_empty(h):
        return ""
    if not _valid_unicode(int(h, 16)):
        return f"&amp;#x{h};"
    return "&#x" + h.lstrip("0") + ";"


def wp_kses_normalize_entities(string: str) -> str:
    """``wp_kses_normalize_entities()`` (HTML context): every ``&`` starts a valid entity after.

    >>> wp_kses_normalize_entities('AT&T &hellip; &#00058; &#XYZZY; &bogus; &#0;')
    'AT&amp;T &hellip; &#058; &amp;#XYZZY; &amp;bogus; '
    """
    if "&" not in string:
        return string
    string = string.replace("&", "&amp;")
    string = _NAMED_ENTITY.sub(_named_entity, string)
    string = _DEC_ENTITY_AMP.sub(_dec_entity, string)
    return _HEX_ENTITY_AMP.sub(_hex_entity, string)



_SPECIALCHARS = re.compile("[&<>\"']")
# Allowed by KSES but not in PHP's HTML 4.01 entity table, so htmlspecialchars()
# (double_encode=false) does not recognise them and encodes their '&'.
_NOT_HTML401 = re.compile("&(apos);")
_ESCAPE_ATTR = str.maketrans({"<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})


def esc_attr(text: str) -> str:
    """WordPress's ``esc_attr()`` (UTF-8 site, no filters).

    >>> esc_attr('a "b" <c> & &amp; &hellip; &#0058; \\'d\\'')
    'a &quot;b&quot; &lt;c&gt; &amp; &amp; &hellip; &#058; &#039;d&#039;'
    """
    if not text:
        return ""
    if not text.isascii() and SURROGATE.search(text):
        return ""  # wp_check_invalid_utf8() refuses invalid UTF-8
    if _SPECIALCHARS.search(text) is None:
        return text
    text = wp_kses_normalize_entities(text)
    if "&apos;" in text:
        text = _NOT_HTML401.sub(r"&amp;\1;", text)
    return text.translate(_ESCAPE_ATTR)


