"""Every post body of every real export in ../shared/corpus round-trips through the parser."""
from __future__ import annotations

import json

import pytest

from shortcodes import parse
from shortcodes.exports.wxr import WxrError, read_wxr


def _wxr_files(corpus_dir):
    return sorted((corpus_dir / "wxr").glob("*.xml"))


def test_every_wxr_post_body_round_trips(corpus_dir):
    files = _wxr_files(corpus_dir)
    assert len(files) > 40
    bodies = 0
    shortcodes_seen = 0
    not_wxr = set()
    for path in files:
        quiet = lambda w: None  # noqa: E731 - the reader's own tests check its warnings
        try:
            posts = list(read_wxr(path, on_warning=quiet))
        except WxrError:  # malformed fixtures: read what can be read
            try:
                posts = list(read_wxr(path, recover=True, on_warning=quiet))
            except WxrError:
                not_wxr.add(path.name)
                continue
        for post in posts:
            for text in (post.content, post.excerpt):
                for tags in (None, ["gallery", "caption", "audio", "video", "embed"]):
                    for strict in (False, True):
                        doc = parse(text, tags, strict=strict)
                        assert str(doc) == text, (path.name, post.id)
                bodies += 1
                shortcodes_seen += len(parse(text, ["gallery", "caption", "audio"]).shortcodes)
    assert not_wxr == {"torchbox__wagtail-wordpress-import__test.xml"}  # its root is <catalog>
    assert bodies > 500
    assert shortcodes_seen >= 50  # the theme unit test data alone has 25 of these


@pytest.mark.parametrize("name", [
    "WordPress__wordpress-develop__shortcode-test-inputs.jsonl",
    "TryGhost__migrate__mg-shortcodes-test-inputs.jsonl",
])
def test_jsonl_post_inputs_round_trip(corpus_dir, name):
    for line in (corpus_dir / "posts" / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line)["input"]
            for strict in (False, True):
                assert str(parse(text, strict=strict)) == text


def test_plain_post_files_round_trip(corpus_dir):
    files = [p for p in (corpus_dir / "posts").iterdir() if p.suffix in (".txt", ".md", ".html")]
    assert len(files) > 20
    recovered = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = parse(text)
        assert str(doc) == text, path.name
        recovered += sum(1 for sc in doc.shortcodes if sc.recovered)
    assert recovered >= 5  # the corpus has real texturized shortcodes (readmes, leaked pages)
