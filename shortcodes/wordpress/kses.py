"""WordPress 6.1.9's ``kses.php``: the HTML filter ``do_shortcodes_in_html_tags()`` needs.

Attribute parsing (:func:`wp_kses_attr_parse`, :func:`wp_kses_hair_parse`),
checking one attribute against the ``post`` allowed-HTML list
(:func:`wp_kses_one_attr`), protocols (:func:`wp_kses_bad_protocol`, with
``functions.php``'s ``wp_allowed_protocols()``) and inline CSS
(:func:`safecss_filter_attr`), byte for byte as the real PHP.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from ..php.strings import php_empty, php_trim, strtolower
from .escaping import esc_attr

__all__ = [
    "wp_kses_attr_parse",
    "wp_kses_hair_parse",
    "wp_kses_one_attr",
    "wp_kses_attr_check",
    "wp_kses_no_null",
    "wp_kses_bad_protocol",
    "wp_kses_decode_entities",
    "safecss_filter_attr",
    "WP_ALLOWED_PROTOCOLS",
    "WP_KSES_URI_ATTRIBUTES",
]

A = re.ASCII  # PCRE without /u: \w \s \b and case folding are ASCII only.


_ATTR_PARSE = re.compile(r"^(<\s*)(/\s*)?([a-zA-Z0-9]+\s*)([^>]*)(>?)$", A)
_XHTML_SLASH = re.compile(r"\s*/\s*$", A)
_HAIR = (
    r"""(?:[_a-zA-Z][-_a-zA-Z0-9:.]*|\[\[?[^\[\]]+\]\]?)"""
    r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"']+(?:\s|$))|(?:\s|$))\s*"""
)
_HAIR_VALID = re.compile(f"^(?:{_HAIR})+$", A)
_HAIR_EXTRACT = re.compile(_HAIR, A)


def wp_kses_attr_parse(element: str) -> "list[str] | None":
    """``wp_kses_attr_parse()``: [front, attribute, ..., back], or ``None`` (PHP ``false``).

    >>> wp_kses_attr_parse('<a href="x" title=y />')
    ['<a ', 'href="x" ', 'title=y', ' />']
    """
    m = _ATTR_PARSE.match(element)
    if m is None:
        return None
    begin, slash, elname, attr, end = m.groups()
    if slash:
        return None  # closing elements are not parsed
    s = _XHTML_SLASH.search(attr)
    if s is not None:
        xhtml_slash = s.group()
        attr = attr[: -len(xhtml_slash)]
    else:
        xhtml_slash = ""
    attrarr = wp_kses_hair_parse(attr)
    if attrarr is None:
        return None
    return [begin + elname, *attrarr, xhtml_slash + end]


def wp_kses_hair_parse(attr: str) -> "list[str] | None":
    """``wp_kses_hair_parse()``: the attributes of an element, or ``None`` (PHP ``false``)."""
    if attr == "":
        return []
    if _HAIR_VALID.match(attr) is None:
        return None
    return _HAIR_EXTRACT.findall(attr)


#: wp_allowed_protocols() with no filters.
WP_ALLOWED_PROTOCOLS: tuple[str, ...] = (
    "http", "https", "ftp", "ftps", "mailto", "news", "irc", "irc6", "ircs", "gopher", "nntp", "feed",
    "telnet", "mms", "rtsp", "sms", "svn", "tel", "fax", "xmpp", "webcal", "urn",
)
#: wp_kses_uri_attributes() with no filters.
WP_KSES_URI_ATTRIBUTES: frozenset[str] = frozenset((
    "action", "archive", "background", "cite", "classid", "codebase", "data", "formaction", "href",
    "icon", "longdesc", "manifest", "poster", "profile", "src", "usemap", "xmlns",
))

_GLOBAL_ATTRIBUTES = (
    "aria-describedby", "aria-details", "aria-label", "aria-labelledby", "aria-hidden", "class", "data-*",
    "dir", "id", "lang", "style", "title", "role", "xml:lang",
)
_POST_TAGS_SPEC = {
    "address": "", "a": "href rel rev name target download=valueless:y", "abbr": "", "acronym": "",
    "area": "alt coords href nohref shape target", "article": "align", "aside": "align",
    "audio": "autoplay controls loop muted preload src", "b": "", "bdo": "", "big": "",
    "blockquote": "cite", "br": "", "button": "disabled name type value", "caption": "align",
    "cite": "", "code": "", "col": "align char charoff span valign width",
    "colgroup": "align char charoff span valign width", "del": "datetime", "dd": "", "dfn": "",
    "details": "align open", "div": "align", "dl": "", "dt": "", "em": "", "fieldset": "",
    "figure": "align", "figcaption": "align", "font": "color face size", "footer": "align",
    "h1": "align", "h2": "align", "h3": "align", "h4": "align", "h5": "align", "h6": "align",
    "header": "align", "hgroup": "align", "hr": "align noshade size width", "i": "",
    "img": "alt align border height hspace loading longdesc vspace src usemap width",
    "ins": "datetime cite", "kbd": "", "label": "for", "legend": "align", "li": "align value",
    "main": "align", "map": "name", "mark": "", "menu": "type", "nav": "align",
    "object": "data=value_callback:pdf type=values:application/pdf", "p": "align", "pre": "width",
    "q": "cite", "rb": "", "rp": "", "rt": "", "rtc": "", "ruby": "", "s": "", "samp": "", "span": "align",
    "section": "align", "small": "", "strike": "", "strong": "", "sub": "", "summary": "align", "sup": "",
    "table": "align bgcolor border cellpadding cellspacing rules summary width",
    "tbody": "align char charoff valign",
    "td": "abbr align axis bgcolor char charoff colspan headers height nowrap rowspan scope valign width",
    "textarea": "cols rows disabled name readonly", "tfoot": "align char charoff valign",
    "th": "abbr align axis bgcolor char charoff colspan headers height nowrap rowspan scope valign width",
    "thead": "align char charoff valign", "title": "", "tr": "align bgcolor char charoff valign",
    "track": "default kind label src srclang", "tt": "", "u": "", "ul": "type",
    "ol": "start type reversed", "var": "",
    "video": "autoplay controls height loop muted playsinline poster preload src width",
}


def _build_allowed_post_tags() -> dict[str, dict[str, Any]]:
    """``$allowedposttags`` after ``_wp_add_global_attributes()``: attr -> True or {check: value}."""
    tags: dict[str, dict[str, Any]] = {}
    for element, spec in _POST_TAGS_SPEC.items():
        attrs: dict[str, Any] = {}
        for item in spec.split():
            if "=" in item:
                name, check = item.split("=", 1)
                kind, value = check.split(":", 1)
                attrs[name] = {"required": True, kind: value} if kind != "valueless" else {kind: value}
            else:
                attrs[item] = True
        for name in _GLOBAL_ATTRIBUTES:
            attrs[name] = True
        tags[element] = attrs
    return tags


_ALLOWED_POST_TAGS = _build_allowed_post_tags()
#: The element names of ``wp_kses_allowed_html('post')``.
ALLOWED_POST_TAGS: frozenset[str] = frozenset(_ALLOWED_POST_TAGS)
_DATA_ATTR = re.compile(r"^data(?:-[a-z0-9_]+)+$")
_LEAD_WS = re.compile(r"^\s*", A)
_TRAIL_WS = re.compile(r"\s*$", A)
_EQ_SPLIT = re.compile(r"\s*=\s*", A)


def wp_kses_one_attr(string: str, element: str) -> str:
    """``wp_kses_one_attr()``: one ``name="value"`` made safe for ``element``, or ``''``.

    >>> wp_kses_one_attr('title="a <b> & \\'c\\'"', 'a')
    'title="a &lt;b&gt; &amp; &#039;c&#039;"'
    >>> wp_kses_one_attr('href="javascript:alert(1)"', 'a'), wp_kses_one_attr('onclick="x"', 'a')
    ('href="alert(1)"', '')
    """
    string = wp_kses_no_null(string, keep_slash_zero=True)
    lead = _LEAD_WS.match(string).group()  # type: ignore[union-attr]
    trail = _TRAIL_WS.search(string).group()  # type: ignore[union-attr]
    string = string[len(lead):len(string) - len(trail)]  # PHP substr() gives '' on overlap
    split = _EQ_SPLIT.split(string, 1)
    name = split[0]
    if len(split) == 2:
        value = split[1]
        quote = value[:1]
        if quote == '"' or quote == "'":
            if value[-1:] != quote:
                return ""
            value = value[1:-1]
        else:
            quote = '"'
        value = esc_attr(value)
        if strtolower(name) in WP_KSES_URI_ATTRIBUTES:
            value = wp_kses_bad_protocol(value)
        string = f"{name}={quote}{value}{quote}"
        vless = "n"
    else:
        value = ""
        vless = "y"
    ok, name, value, string = wp_kses_attr_check(name, value, string, vless, element)
    return lead + string + trail


def wp_kses_attr_check(name: str, value: str, whole: str, vless: str, element: str
                       ) -> tuple[bool, str, str, str]:
    """``wp_kses_attr_check()`` against ``$allowedposttags``.

    PHP changes ``$name``, ``$value`` and ``$whole`` by reference; here they
    come back with the verdict: ``(allowed, name, value, whole)``.
    """
    name_low = strtolower(name)
    allowed_attr = _ALLOWED_POST_TAGS.get(strtolower(element))
    if allowed_attr is None:
        return False, "", "", ""
    rule = allowed_attr.get(name_low)
    if rule is None:
        if name_low.startswith("data-") and allowed_attr.get("data-*") and _DATA_ATTR.match(name_low):
            rule = allowed_attr["data-*"]
        else:
            return False, "", "", ""
    if name_low == "style":
        new_value = safecss_filter_attr(value)
        if php_empty(new_value):
            return False, "", "", ""
        if value:
            whole = whole.replace(value, new_value)
        value = new_value
    if isinstance(rule, dict):
        for checkname, checkvalue in rule.items():
            if not _kses_check_attr_val(value, vless, checkname, checkvalue):
                return False, "", "", ""
    return True, name, value, whole


def _kses_check_attr_val(value: str, vless: str, checkname: str, checkvalue: str) -> bool:
    if checkname == "valueless":
        return strtolower(checkvalue) == vless
    if checkname == "values":
        return strtolower(value) == checkvalue
    if checkname == "value_callback":  # _wp_kses_allow_pdf_objects()
        if "?" in value or "#" in value or not value.endswith(".pdf"):
            return False
        # Safe only on the site's own upload host, which a site-less port does not have.
        return False
    return True  # 'required' is not a check


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SLASH_ZERO = re.compile(r"\\+0+")


def wp_kses_no_null(string: str, *, keep_slash_zero: bool = False) -> str:
    """``wp_kses_no_null()``: removes control characters (and ``\\0`` unless kept)."""
    string = _CONTROL.sub("", string)
    if not keep_slash_zero and "\\" in string:
        string = _SLASH_ZERO.sub("", string)
    return string


_COLON_ENTITY_FIX = re.compile(r"(&#0*58(?![;0-9])|&#x0*3a(?![;a-f0-9]))", re.I | A)
_COLON_SPLIT = re.compile(r":|&#0*58;|&#x0*3a;|&colon;", re.I | A)
_WS_RE = re.compile(r"\s", A)


@lru_cache(maxsize=64)
def _lowered(protocols: tuple[str, ...]) -> tuple[str, ...]:
    """The allowed protocols lower-cased, once per tuple (``esc_url()`` passes the same one every time)."""
    return tuple(strtolower(p) for p in protocols)


def wp_kses_bad_protocol(string: str, allowed_protocols: Iterable[str] = WP_ALLOWED_PROTOCOLS) -> str:
    """``wp_kses_bad_protocol()``: strips URL schemes that are not allowed.

    >>> wp_kses_bad_protocol('javascript:alert(1)'), wp_kses_bad_protocol('HTTP://x.org/')
    ('alert(1)', 'http://x.org/')
    """
    allowed = _lowered(allowed_protocols) if isinstance(allowed_protocols, tuple) \
        else tuple(strtolower(p) for p in allowed_protocols)
    string = wp_kses_no_null(string)
    iterations = 0
    while True:
        original = string
        string = _bad_protocol_once(string, allowed)
        iterations += 1
        if not (original != string and iterations < 6):
            break
    if original != string:
        return ""
    return string


def _bad_protocol_once(string: str, allowed: tuple[str, ...], count: int = 1) -> str:
    if "&" in string:
        string = _COLON_ENTITY_FIX.sub(r"\1;", string)
    parts = _COLON_SPLIT.split(string, 1)
    if len(parts) == 2 and "/?" not in parts[0]:
        rest = php_trim(parts[1])
        protocol = _bad_protocol_once2(parts[0], allowed)
        if protocol == "feed:":
            if count > 2:
                return ""
            count += 1
            rest = _bad_protocol_once(rest, allowed, count)
            if php_empty(rest):
                return rest
        string = protocol + rest
    return string


def _bad_protocol_once2(scheme: str, allowed: tuple[str, ...]) -> str:
    s = wp_kses_decode_entities(scheme)
    s = _WS_RE.sub("", s)
    s = wp_kses_no_null(s)
    s = strtolower(s)
    return s + ":" if s in allowed else ""


_DEC_ENTITY = re.compile(r"&#([0-9]+);")
_HEX_ENTITY = re.compile(r"&#[Xx]([0-9A-Fa-f]+);")


def wp_kses_decode_entities(string: str) -> str:
    """``wp_kses_decode_entities()``: ``&#NN;``/``&#xHH;`` to PHP ``chr()`` (a byte).

    Bytes above 127 come back as the Latin-1 character of that byte (PHP
    would give a lone byte); they only ever take part in comparisons.
    """
    if "&#" not in string:
        return string
    string = _DEC_ENTITY.sub(lambda m: chr(int(m.group(1)) & 0xFF), string)
    return _HEX_ENTITY.sub(lambda m: chr(int(m.group(1), 16) & 0xFF), string)



# ------------------------------------------------------------------- safecss_filter_attr
_SAFE_STYLE_CSS = frozenset("""
background background-color background-image background-position background-size background-attachment
background-blend-mode border border-radius border-width border-color border-style border-right
border-right-color border-right-style border-right-width border-bottom border-bottom-color
border-bottom-left-radius border-bottom-right-radius border-bottom-style border-bottom-width border-left
border-left-color border-left-style border-left-width border-top border-top-color border-top-left-radius
border-top-right-radius border-top-style border-top-width border-spacing border-collapse caption-side
columns column-count column-fill column-gap column-rule column-span column-width color filter font
font-family font-size font-style font-variant font-weight letter-spacing line-height text-align
text-decoration text-indent text-transform height min-height max-height width min-width max-width
margin margin-right margin-bottom margin-left margin-top margin-block-start margin-block-end
margin-inline-start margin-inline-end padding padding-right padding-bottom padding-left padding-top
padding-block-start padding-block-end padding-inline-start padding-inline-end flex flex-basis
flex-direction flex-flow flex-grow flex-shrink flex-wrap gap row-gap grid-template-columns
grid-auto-columns grid-column-start grid-column-end grid-column-gap grid-template-rows grid-auto-rows
grid-row-start grid-row-end grid-row-gap grid-gap justify-content justify-items justify-self
align-content align-items align-self clear cursor direction float list-style-type object-fit
object-position overflow vertical-align --*
""".split())
_CSS_URL_TYPES = frozenset(("background", "background-image", "cursor", "list-style", "list-style-image"))
_CSS_GRADIENT_TYPES = frozenset(("background", "background-image"))
_CSS_VAR_NAME = re.compile(r"^--[a-zA-Z0-9_-]+$")
_CSS_URL = re.compile(r"url\([^)]+\)")
_CSS_URL_PIECES = re.compile(r"^url\(\s*(['\"]?)(.*)(\1)\s*\)$", A)
_CSS_GRADIENT = re.compile(r"^(repeating-)?(linear|radial|conic)-gradient\(([^()]|rgb[a]?\([^()]*\))*\)$")
_CSS_FUNCTION = re.compile(r"\b(?:var|calc|min|max|minmax|clamp)\(", A)
_CSS_FORBIDDEN = re.compile(r"[\\(&=}]|/\*")


def _strip_css_functions(s: str) -> str:
    r"""``preg_replace('/\b(?:var|calc|min|max|minmax|clamp)(\((?:[^()]|(?1))*\))/', '', $s)``."""
    out: list[str] = []
    pos = 0  # where the next search starts
    done = 0  # how much of s has been copied or dropped
    while True:
        m = _CSS_FUNCTION.search(s, pos)
        if m is None:
            break
        depth = 0
        end = -1
        for k in range(m.end() - 1, len(s)):
            c = s[k]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    end = k + 1
                    break
        if end < 0:
            pos = m.start() + 1
            continue
        out.append(s[done:m.start()])
        done = pos = end
    out.append(s[done:])
    return "".join(out)


def safecss_filter_attr(css: str) -> str:
    """``safecss_filter_attr()``: keeps the declarations KSES allows in a ``style``.

    >>> safecss_filter_attr('color: red; position: fixed; width: calc(100% - 2px); background: url(javascript:x)')
    'color: red;width: calc(100% - 2px)'
    """
    css = wp_kses_no_null(css)
    css = css.replace("\n", "").replace("\r", "").replace("\t", "")
    result = ""
    for item in php_trim(css).split(";"):
        if item == "":
            continue
        item = php_trim(item)
        test = item
        found = url_attr = gradient_attr = False
        value_part = ""
        if ":" not in item:
            found = True
        else:
            selector, value_part = item.split(":", 1)
            selector = php_trim(selector)
            is_custom_var = _CSS_VAR_NAME.match(selector) is not None
            if is_custom_var or selector in _SAFE_STYLE_CSS:
                found = True
                url_attr = selector in _CSS_URL_TYPES
                gradient_attr = selector in _CSS_GRADIENT_TYPES
            if is_custom_var:
                css_value = php_trim(value_part)
                url_attr = css_value.startswith("url(")
                gradient_attr = "-gradient(" in css_value
        if found and url_attr:
            for url_match in _CSS_URL.findall(value_part):
                pieces = _CSS_URL_PIECES.match(url_match)
                inner = pieces.group(2) if pieces else ""
                if php_empty(inner):
                    found = False
                    break
                url = php_trim(inner)
                if php_empty(url) or wp_kses_bad_protocol(url) != url:
                    found = False
                    break
                test = test.replace(url_match, "")
        if found and gradient_attr:
            css_value = php_trim(value_part)
            if _CSS_GRADIENT.match(css_value):
                test = test.replace(css_value, "")
        if found:
            if "(" in test:
                test = _strip_css_functions(test)
            if _CSS_FORBIDDEN.search(test) is None:
                if result != "":
                    result += ";"
                result += item
    return result

