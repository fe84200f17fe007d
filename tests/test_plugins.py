"""Renderer plugins: by function, by name, by ``module:function``, by entry point, and from the CLI."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from shortcodes.cli import main
from shortcodes.common.errors import PluginError
from shortcodes.renderer import PLUGINS, Renderer
from shortcodes.renderer.plugins import resolve

CARD = '[covid19-ultimate-card region="EG"]'


@pytest.fixture
def theme_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An importable module ``my_theme_plugin`` with a plugin that adds a handler and a template folder."""
    templates = tmp_path / "theme_templates"
    templates.mkdir()
    (templates / "badge.html").write_text('<span class="badge">{{ attrs.text }}</span>', encoding="utf-8")
    (tmp_path / "my_theme_plugin.py").write_text(textwrap.dedent(f"""
        def plugin(renderer, loud=False):
            renderer.register("shout", lambda node, ctx: "<b>" + str(ctx.content).upper() + ("!" if loud else "") + "</b>")
            renderer.add_templates({str(templates)!r})
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "my_theme_plugin:plugin"
    sys.modules.pop("my_theme_plugin", None)


def test_default_plugins_give_the_card_and_none_give_a_bare_engine() -> None:
    assert "covid19-ultimate-card" in Renderer().known_tags
    bare = Renderer(plugins=())
    assert bare.known_tags == frozenset() and bare.render(CARD) == CARD
    assert Renderer().plugins == ["covid19", "media", "embed"] and bare.plugins == []


def test_plugin_by_module_function_and_options(theme_module: str) -> None:
    r = Renderer(plugins=()).use(theme_module, loud=True)
    assert r.render('[shout]hi[/shout] [badge text="<new>"]') == '<b>HI!</b> <span class="badge">&lt;new&gt;</span>'
    assert r.plugins == [theme_module]


def test_user_template_folders_come_before_plugin_folders(theme_module: str, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "badge.html").write_text("<i>{{ attrs.text }}</i>", encoding="utf-8")
    assert Renderer(templates=[mine], plugins=[theme_module]).render('[badge text="x"]') == "<i>x</i>"


def test_unknown_and_broken_plugins_are_clear_errors() -> None:
    with pytest.raises(PluginError, match="unknown renderer plugin 'nope': expected one of covid19"):
        Renderer(plugins=["nope"])
    with pytest.raises(PluginError, match="cannot be loaded: ModuleNotFoundError"):
        resolve("no_such_module_xyz:plugin")
    with pytest.raises(PluginError, match="is not a function"):
        resolve("os:sep")


def test_plugins_from_entry_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme_module: str) -> None:
    dist = tmp_path / "my_theme-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: my-theme\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[wp_shortcodes.plugins]\nmy-theme = {theme_module}\n", encoding="utf-8")
    monkeypatch.setattr(PLUGINS, "_loaded_entry_points", False)
    try:
        assert "my-theme" in PLUGINS.names()
        assert Renderer(plugins=["my-theme"]).render("[shout]a[/shout]") == "<b>A</b>"
    finally:
        PLUGINS._items.pop("my-theme", None)


def test_cli_plugin_option(theme_module: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = tmp_path / "post.txt"
    post.write_text(f"[shout]hi[/shout] {CARD}", encoding="utf-8")
    assert main(["render", str(post), "--plugin", theme_module, "--as-of", "2021-10-10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<b>HI</b>") and 'class="sc-covid-card' in out
    assert main(["render", str(post), "--plugin", theme_module, "--no-default-plugins"]) == 0
    out = capsys.readouterr().out
    assert out == f"<b>HI</b> {CARD}"
    assert main(["render", str(post), "--plugin", "nope"]) == 2
    assert "unknown renderer plugin 'nope'" in capsys.readouterr().err


def test_convert_and_gallery_take_plugins_too(theme_module: str, tmp_path: Path) -> None:
    import json

    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.txt").write_text("[shout]x[/shout]", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(folder), "--to", "jsonl", "-o", str(out), "--plugin", theme_module, "-q"]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["content"] == "<b>X</b>" and record["counts"] == {"shout": {"rendered": 1}}
    gallery = tmp_path / "gallery"
    assert main(["gallery", "-o", str(gallery), "--plugin", theme_module, "--tag", "badge", "-q"]) == 0
    assert (gallery / "badge.html").is_file()
