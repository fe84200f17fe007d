"""Helpers shared by the tests/test_markdown_*.py files: text of HTML, rendering Markdown back."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

COMMONMARK = MarkdownIt("commonmark")
GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    p.close()
    return " ".join(p.parts)


def html_tags(html: str) -> list[str]:
    p = _Text()
    p.feed(html)
    p.close()
    return p.tags


def words(html: str) -> list[str]:
    """The words of an HTML fragment's text, in order (\\w+ runs, so punctuation is ignored)."""
    return re.findall(r"\w+", html_text(html))


def render(markdown: str, gfm: bool = False) -> str:
    """Markdown → HTML with markdown-it-py (front matter removed first)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        markdown = markdown[end + 5:]
    return (GFM if gfm else COMMONMARK).render(markdown)


_RAW = re.compile(r"\{% raw %\}(.*?)\{% endraw %\}", re.S)


def liquid(markdown: str) -> str:
    """What Liquid leaves of a Jekyll file's body: raw blocks unwrapped; nothing else may look like Liquid."""
    outside = _RAW.sub("", markdown)
    outside = outside.replace("{{ '{%' }}", "")
    assert "{{" not in outside and "{%" not in outside, markdown
    return _RAW.sub(lambda m: m.group(1), markdown).replace("{{ '{%' }}", "{%")
