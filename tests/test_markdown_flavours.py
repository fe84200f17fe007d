"""Flavours: paths, front matter (YAML round trip), kept shortcodes, and MDX compiled by @mdx-js/mdx."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_helpers import render, words

from shortcodes.markdown import (
    KeptShortcode,
    MarkdownOptions,
    Page,
    Term,
    flavour_names,
    placeholder,
    split_front_matter,
    wp_datetime,
    write_markdown,
)
from shortcodes.markdown.frontmatter import front_matter
from shortcodes.markdown.kept import load_rules

JS = Path(__file__).parent / "js"

PAGE = Page(id="42", title='Café: "quotes" #1 @home', html="<p>Body <em>text</em></p>", excerpt="Short",
            date=wp_datetime("2021-10-10 15:30:00"), date_gmt=wp_datetime("2021-10-10 12:30:00"),
            modified_gmt=wp_datetime("2021-10-11 08:00:00"), status="draft", slug="cafe-quotes",
            link="https://old.example.org/2021/10/cafe-quotes/", categories=(Term("News", "news"),),
            tags=(Term("عربي", "arabic"),), author="admin", featured_image="https://old.example.org/a.jpg",
            lang="ar", dir="rtl")


def test_registry_has_the_four_flavours() -> None:
    assert set(flavour_names()) >= {"hugo", "jekyll", "astro", "commonmark"}


@pytest.mark.parametrize(("flavour", "path", "keys"), [
    ("hugo", "content/posts/cafe-quotes/index.md",
     {"title": 'Café: "quotes" #1 @home', "date": "2021-10-10T15:30:00+03:00", "lastmod": "2021-10-11T11:00:00+03:00",
      "draft": True, "slug": "cafe-quotes", "aliases": ["/2021/10/cafe-quotes/"], "summary": "Short",
      "categories": ["News"], "tags": ["عربي"],
      "params": {"author": "admin", "images": ["https://old.example.org/a.jpg"], "lang": "ar", "dir": "rtl",
                 "wordpress_id": "42"}}),
    ("jekyll", "_posts/2021-10-10-cafe-quotes.md",
     {"layout": "post", "date": "2021-10-10 15:30:00 +0300", "published": False, "redirect_from": ["/2021/10/cafe-quotes/"],
      "excerpt": "Short", "image": "https://old.example.org/a.jpg", "author": "admin", "lang": "ar"}),
    ("astro", "src/content/blog/cafe-quotes.mdx",
     {"title": 'Café: "quotes" #1 @home', "description": "Short", "pubDate": "2021-10-10T15:30:00+03:00",
      "updatedDate": "2021-10-11T11:00:00+03:00", "heroImage": "https://old.example.org/a.jpg", "draft": True,
      "tags": ["عربي"], "lang": "ar", "dir": "rtl"}),
])
def test_paths_and_front_matter(flavour: str, path: str, keys: dict) -> None:  # type: ignore[type-arg]
    f = write_markdown(PAGE, flavour)
    assert f.path == path
    data, body = split_front_matter(f.text)
    for k, v in keys.items():
        assert data[k] == v, k
    assert words(render(body)) == ["Body", "text"]


def test_commonmark_has_no_front_matter_but_a_title() -> None:
    f = write_markdown(PAGE, "commonmark")
    assert f.path == "posts/cafe-quotes.md"
    assert f.text.startswith("# Café: \"quotes\" #1 @home\n\nBody *text*")
    assert split_front_matter(write_markdown(PAGE, "commonmark", MarkdownOptions(front_matter=True)).text)[0]["lang"] == "ar"


def test_pages_and_old_urls_keep() -> None:
    page = Page(id="2", title="About", html="<p>x</p>", type="page", menu_order=3, link="https://o.org/about/")
    assert write_markdown(page, "hugo").path == "content/about/index.md"
    assert split_front_matter(write_markdown(page, "hugo", MarkdownOptions(old_urls="keep")).text)[0]["url"] == "/about/"
    assert split_front_matter(write_markdown(page, "hugo").text)[0]["weight"] == 3
    assert write_markdown(page, "jekyll").path == "about.md"
    assert split_front_matter(write_markdown(page, "jekyll", MarkdownOptions(old_urls="keep")).text)[0]["permalink"] == "/about/"


@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and not any(0xD800 <= ord(c) <= 0xDFFF for c in t)))
def test_yaml_front_matter_round_trips_any_title(title: str) -> None:
    data = {"title": title, "tags": [title], "params": {"author": title}}
    text = front_matter(data)
    assert yaml.safe_load(text[4:-4]) == data


@pytest.mark.parametrize("title", ["@home", "*star", "- dash", "yes", "null", "2021-10-10", "a: b", "#x", "Line\nbreak",
                                   "مرحبا \u200fبالعالم\u200f", "'quoted'", '"dq"', "[x]", "{y}", "|", ">", "% pct", "!tag"])
def test_yaml_front_matter_hard_titles(title: str) -> None:
    for flavour in ("hugo", "jekyll", "astro"):
        f = write_markdown(Page(id="1", title=title, html="<p>x</p>"), flavour)
        assert split_front_matter(f.text)[0]["title"] == title


SC = {"k1": KeptShortcode("gallery", (("ids", "1,2"),), source='[gallery ids="1,2"]'),
      "k2": KeptShortcode("note", (("type", 'say "hi"'),), content="<p>Inner <b>bold</b></p>",
                          source='[note type="say &quot;hi&quot;"]<p>Inner <b>bold</b></p>[/note]'),
      "k3": KeptShortcode("audio", (), ("https://e.org/a.mp3",), source="[audio https://e.org/a.mp3]")}
HTML = (f"<p>Before</p><p>{placeholder('k1')}</p><p>Click {placeholder('k3')} now</p>{placeholder('k2')}<p>After</p>")


def test_kept_shortcodes_verbatim_are_unescaped_on_their_own_line() -> None:
    opts = MarkdownOptions(keep_shortcodes=["gallery", "audio", "note"])
    md = write_markdown(Page(id="1", title="t", html=HTML), "commonmark", opts, shortcodes=SC).text
    assert '\n\n[gallery ids="1,2"]\n\n' in md
    assert "Click\n[audio https://e.org/a.mp3]\nnow" in md
    assert "\\[" not in md


def test_kept_shortcodes_as_components() -> None:
    opts = MarkdownOptions(keep_shortcodes={"gallery": "component", "audio": "hugo", "note": "hugo-markdown"})
    hugo = write_markdown(Page(id="1", title="t", html=HTML), "hugo", opts, shortcodes=SC).text
    assert '{{< gallery ids="1,2" >}}' in hugo and '{{< audio "https://e.org/a.mp3" >}}' in hugo
    assert '{{% note type=`say "hi"` %}}\nInner **bold**\n{{% /note %}}' in hugo
    opts = MarkdownOptions(keep_shortcodes={"gallery": {"style": "mdx", "component": "Gallery", "import": "../G.astro"},
                                            "note": "component", "audio": {"template": "<Audio src=\"$_0\" />"}})
    mdx = write_markdown(Page(id="1", title="t", html=HTML), "astro", opts, shortcodes=SC).text
    assert "import Gallery from '../G.astro';" in mdx
    assert '<Gallery ids="1,2" />' in mdx and '<Audio src="https://e.org/a.mp3" />' in mdx
    assert '<Note type={"say \\"hi\\""}>\n\nInner **bold**\n\n</Note>' in mdx
    jk = write_markdown(Page(id="1", title="t", html=HTML), "jekyll",
                        MarkdownOptions(keep_shortcodes={"gallery": "component"}), shortcodes=SC).text
    assert '{% include gallery.html ids="1,2" %}' in jk and "{% raw %}" not in jk


def test_rules_file(tmp_path: Path) -> None:
    p = tmp_path / "keep.toml"
    p.write_text('[shortcodes]\ngallery = "verbatim"\nyoutube = { template = "{{< youtube $_0 >}}" }\n', encoding="utf-8")
    rules = load_rules(p)
    assert rules["gallery"].style == "verbatim" and rules["youtube"].style == "template"
    p.write_text('[shortcodes]\nx = "paint"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown style 'paint'"):
        load_rules(p)


# ------------------------------------------------------------------ MDX compiles

def _compile(docs: list[str]) -> list[dict]:  # type: ignore[type-arg]
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (JS / "node_modules" / "@mdx-js" / "mdx").is_dir():
        pytest.skip(f"@mdx-js/mdx is not installed: run `npm ci --prefix {JS}`")
    out = subprocess.run([node, str(JS / "compile_mdx.mjs")], input=json.dumps(docs), capture_output=True,
                         text=True, check=True, timeout=300)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_astro_output_compiles_with_mdx(seed_text: str, corpus_dir: Path) -> None:
    import warnings

    from test_markdown_convert import MEDIA

    from shortcodes import Renderer
    from shortcodes.exports import read_posts

    r = Renderer(as_of="2021-10-10", autop=True)
    pages = [Page(id="seed", title="seed", html=r.render(seed_text), lang="ar", dir="rtl")]
    pages += [Page(id=k, title=k, html=v) for k, v in MEDIA.items()]
    pages.append(Page(id="sc", title="sc", html=HTML))
    warnings.simplefilter("ignore")
    for path in sorted((corpus_dir / "wxr").glob("*.xml")):
        try:
            pages += [Page(id=p.id, title=p.title, html=r.render(p.content))
                      for p in read_posts([path], recover=True) if p.type in ("post", "page") and p.content.strip()]
        except Exception:  # noqa: BLE001
            continue
    opts = MarkdownOptions(keep_shortcodes={"gallery": "component", "note": "component", "audio": "verbatim"})
    # Astro reads the YAML front matter itself (gray-matter) and gives MDX the rest.
    docs = [split_front_matter(write_markdown(p, "astro", opts, shortcodes=SC).text)[1] for p in pages]
    results = _compile(docs)
    bad = [(p.id, res["error"]) for p, res in zip(pages, results) if not res["ok"]]
    assert not bad, bad[:5]
    assert len(docs) > 100


def test_options_go_to_worker_processes_by_value():
    """``--jobs N`` sends the options to the workers (the rules are a read-only view, which does not pickle)."""
    import pickle

    from shortcodes.markdown import MarkdownOptions

    opts = MarkdownOptions(keep_shortcodes={"gallery": "hugo", "audio": "verbatim"}, images="html",
                           keep_tags=("figure",), old_urls="keep", front_matter=False, wordpress_id=False)
    back = pickle.loads(pickle.dumps(opts))
    assert back == opts and back.rule("gallery").style == "hugo" and back.keep_tags == ("figure",)
