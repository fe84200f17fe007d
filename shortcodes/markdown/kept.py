"""Kept shortcodes: plugin shortcodes written through to the Markdown, for a later pass or the generator.

**Interface (independent of the renderer).**  For each shortcode to keep,
the caller puts :func:`placeholder` ``(key)`` in the HTML where the
shortcode was, an ``<md-shortcode data-key="key"></md-shortcode>`` element
that any HTML tool (``wpautop`` included) leaves alone, and passes
``{key: KeptShortcode(...)}`` to :func:`shortcodes.markdown.write_markdown`.
A shortcode alone in its paragraph is written as a block of its own
(blank line before and after); one inside a sentence goes on a line of its
own inside the paragraph (a soft line break each side, so the text reads
the same).  Nothing is escaped into ``\\[…\\]``.

**Styles** (one per tag name, :class:`ShortcodeRule`):

* ``verbatim``: the shortcode's own source, ``[gallery ids="1,2"]``
  (for MDX, ``{`` ``}`` ``<`` get a backslash, since MDX would read them as code);
* ``hugo``: ``{{< gallery ids="1,2" >}}``; enclosed content passed raw
  (``{{< x >}}…{{< /x >}}``); ``hugo-markdown``: ``{{% x %}}…{{% /x %}}``
  with the content converted to Markdown (Hugo renders it);
* ``mdx``: ``<Gallery ids="1,2" />``, content as Markdown children;
* ``liquid``: ``{% include gallery.html ids="1,2" %}`` (Jekyll), content as ``content=``;
* ``component``: the flavour's own (Hugo → ``hugo``, Astro → ``mdx``,
  Jekyll → ``liquid``, CommonMark → ``verbatim``);
* a template, ``{"template": "{{< youtube $_0 >}}"}``: :class:`string.Template`
  with ``$name`` for each attribute (``-`` written ``_``: ``$bg_color``),
  ``$_0``… for positional values, ``$content`` (HTML), ``$markdown``,
  ``$tag`` and ``$source``.

**Mapping file** (:func:`load_rules`), TOML or JSON::

    [shortcodes]
    gallery = "verbatim"
    contact-form-7 = "component"
    button = { style = "mdx", component = "Button", import = "../../components/Button.astro" }
    youtube = { template = "{{< youtube $_0 >}}" }

>>> sc = KeptShortcode("gallery", (("ids", "1,2"),), source='[gallery ids="1,2"]')
>>> write_shortcode(sc, ShortcodeRule("hugo")), write_shortcode(sc, ShortcodeRule("mdx"))
('{{< gallery ids="1,2" >}}', '<Gallery ids="1,2" />')
"""
from __future__ import annotations

import json
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "STYLES",
    "KeptShortcode",
    "ShortcodeRule",
    "Style",
    "component_name",
    "load_rules",
    "placeholder",
    "rules_from",
    "write_shortcode",
]

Style = Literal["verbatim", "hugo", "hugo-markdown", "mdx", "liquid", "component", "template"]
STYLES: tuple[str, ...] = ("verbatim", "hugo", "hugo-markdown", "mdx", "liquid", "component", "template")


@dataclass(frozen=True, slots=True)
class KeptShortcode:
    """One shortcode to write through: ``name``, named ``attrs`` (in order), ``positional`` values,
    ``content`` (the enclosed HTML, ``None`` when it encloses nothing) and ``source`` (its text).

    Built from the project's AST with ``KeptShortcode(node.name, tuple(node.attrs.items()),
    node.positional, node.content, node.to_source())`` or by hand.
    """

    name: str
    attrs: tuple[tuple[str, str], ...] = ()
    positional: tuple[str, ...] = ()
    content: str | None = None
    source: str = ""

    def text(self) -> str:
        """The source, or (when none was given) ``[name a="v" p]content[/name]`` rebuilt."""
        if self.source:
            return self.source
        parts = [self.name] + [f'{k}="{v}"' for k, v in self.attrs] + [
            f'"{p}"' if " " in p else p for p in self.positional]
        head = "[" + " ".join(parts) + "]"
        return head if self.content is None else f"{head}{self.content}[/{self.name}]"


@dataclass(frozen=True, slots=True)
class ShortcodeRule:
    """How to write one tag: ``style``; ``component`` (MDX name, default PascalCase of the tag);
    ``import_from`` (an MDX ``import``); ``template`` (for ``style="template"``)."""

    style: Style = "verbatim"
    component: str = ""
    import_from: str = ""
    template: str = ""

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"shortcode style {self.style!r}: expected one of {', '.join(STYLES)} or a template")
        if self.style == "template" and not self.template:
            raise ValueError("style 'template' needs a template")


def placeholder(key: str) -> str:
    """The element that stands for a kept shortcode in the HTML.

    >>> placeholder("sc-3")
    '<md-shortcode data-key="sc-3"></md-shortcode>'
    """
    safe = key.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<md-shortcode data-key="{safe}"></md-shortcode>'


def _rule(value: Any, where: str) -> ShortcodeRule:
    if isinstance(value, ShortcodeRule):
        return value
    if isinstance(value, str):
        if value not in STYLES:
            raise ValueError(f"{where}: unknown style {value!r} (expected one of {', '.join(STYLES)})")
        return ShortcodeRule(value)  # type: ignore[arg-type]
    if isinstance(value, Mapping):
        unknown = set(value) - {"style", "component", "import", "template"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))} "
                             "(expected style, component, import, template)")
        style: Any = value.get("style") or ("template" if value.get("template") else "verbatim")
        if style not in STYLES:
            raise ValueError(f"{where}: unknown style {style!r} (expected one of {', '.join(STYLES)})")
        return ShortcodeRule(style, str(value.get("component", "")), str(value.get("import", "")),
                             str(value.get("template", "")))
    raise ValueError(f"{where}: expected a style name or a table, not {type(value).__name__}")


def rules_from(spec: Iterable[str] | Mapping[str, Any]) -> dict[str, ShortcodeRule]:
    """Rules from a set of tag names (all ``verbatim``) or a mapping ``{tag: style | table}``.

    >>> rules_from(["gallery"])["gallery"].style, rules_from({"x": {"template": "$_0"}})["x"].style
    ('verbatim', 'template')
    """
    if isinstance(spec, Mapping):
        return {str(k).lower(): _rule(v, f"shortcode {k!r}") for k, v in spec.items()}
    return {str(k).lower(): ShortcodeRule() for k in spec}


def load_rules(path: str | Path) -> dict[str, ShortcodeRule]:
    """Read a mapping file (``.toml`` or ``.json``; the table may sit under ``shortcodes``)."""
    p = Path(path)
    raw = p.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8")) if p.suffix.lower() == ".toml" else json.loads(raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p}: {exc}") from None
    if isinstance(data, Mapping) and isinstance(data.get("shortcodes"), Mapping):
        data = data["shortcodes"]
    if not isinstance(data, Mapping):
        raise ValueError(f"{p}: expected a table of tag = style")  # noqa: TRY004 - a bad file, not a bad argument
    try:
        return rules_from(data)
    except ValueError as exc:
        raise ValueError(f"{p}: {exc}") from None


def component_name(tag: str) -> str:
    """PascalCase name of a tag, for MDX (``covid19-ultimate-card`` → ``Covid19UltimateCard``).

    >>> component_name("covid19-ultimate-card"), component_name("vc_row"), component_name("3d")
    ('Covid19UltimateCard', 'VcRow', 'Sc3d')
    """
    name = "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", tag) if w)
    return name if name[:1].isalpha() else "Sc" + name


def _hugo_value(v: str) -> str:
    if '"' not in v:
        return f'"{v}"'
    if "`" not in v:
        return f"`{v}`"
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _hugo(sc: KeptShortcode, rule: ShortcodeRule, markdown: Callable[[str], str], notes: list[str]) -> str:
    if sc.attrs and sc.positional:
        notes.append(f"[{sc.name}]: Hugo cannot mix named and positional parameters; "
                     "positional ones written as _0, _1…")
        params = [f"{k}={_hugo_value(v)}" for k, v in sc.attrs] + [
            f"_{i}={_hugo_value(v)}" for i, v in enumerate(sc.positional)]
    else:
        params = [f"{k}={_hugo_value(v)}" for k, v in sc.attrs] + [_hugo_value(v) for v in sc.positional]
    o, c = ("{{%", "%}}") if rule.style == "hugo-markdown" else ("{{<", ">}}")
    head = f"{o} {' '.join([sc.name] + params)} {c}"
    if sc.content is None:
        return head
    inner = markdown(sc.content).strip("\n") if rule.style == "hugo-markdown" else sc.content
    sep = "\n" if rule.style == "hugo-markdown" else ""
    return f"{head}{sep}{inner}{sep}{o} /{sc.name} {c}"


def _jsx_value(v: str) -> str:
    return f'"{v}"' if '"' not in v else "{" + json.dumps(v, ensure_ascii=False) + "}"


def _mdx(sc: KeptShortcode, rule: ShortcodeRule, markdown: Callable[[str], str]) -> str:
    name = rule.component or component_name(sc.name)
    attrs = [(k if re.fullmatch(r"[A-Za-z_$][\w$:-]*", k) else "data-" + re.sub(r"[^\w-]", "-", k), v)
             for k, v in sc.attrs] + [(f"_{i}", v) for i, v in enumerate(sc.positional)]
    head = " ".join([name] + [f"{k}={_jsx_value(v)}" for k, v in attrs])
    if sc.content is None:
        return f"<{head} />"
    return f"<{head}>\n\n{markdown(sc.content).strip()}\n\n</{name}>"


def _liquid(sc: KeptShortcode) -> str:
    def val(v: str) -> str:
        return f'"{v}"' if '"' not in v else ("'" + v + "'" if "'" not in v else '"' + v.replace('"', "&quot;") + '"')
    params = [f"{re.sub(r'[^A-Za-z0-9_-]', '_', k)}={val(v)}" for k, v in sc.attrs]
    params += [f"_{i}={val(v)}" for i, v in enumerate(sc.positional)]
    if sc.content is not None:
        params.append(f"content={val(sc.content)}")
    return "{% include " + " ".join([f"{sc.name}.html"] + params) + " %}"


def _template(sc: KeptShortcode, rule: ShortcodeRule, markdown: Callable[[str], str], notes: list[str]) -> str:
    values: dict[str, str] = {"tag": sc.name, "source": sc.text(), "content": sc.content or "",
                              "markdown": markdown(sc.content).strip() if sc.content else ""}
    for k, v in sc.attrs:
        values.setdefault(re.sub(r"\W", "_", k), v)
    for i, v in enumerate(sc.positional):
        values[f"_{i}"] = v
    try:
        return string.Template(rule.template).substitute(values)
    except (KeyError, ValueError) as exc:
        notes.append(f"[{sc.name}]: template {rule.template!r} needs {exc}; written verbatim")
        return sc.text()


def write_shortcode(sc: KeptShortcode, rule: ShortcodeRule, *, native: Style = "verbatim",
                    markdown: Callable[[str], str] | None = None, notes: list[str] | None = None,
                    mdx: bool = False) -> str:
    """The text for one kept shortcode (``native``: what ``component`` means for the flavour).

    ``markdown`` converts enclosed HTML (``hugo-markdown``, ``mdx``, ``$markdown``).
    ``mdx=True``: a ``verbatim`` shortcode gets ``\\{ \\} \\<`` escaped.
    """
    notes = notes if notes is not None else []
    md = markdown or (lambda html: html)
    style = native if rule.style == "component" else rule.style
    if style in ("hugo", "hugo-markdown"):
        return _hugo(sc, ShortcodeRule(style), md, notes)
    if style == "mdx":
        return _mdx(sc, rule, md)
    if style == "liquid":
        return _liquid(sc)
    if style == "template":
        return _template(sc, rule, md, notes)
    text = sc.text()
    if mdx:
        text = re.sub(r"([{}<])", r"\\\1", text)
    return text
