"""shortcodes.wordpress.theme: the settings record, and that it means to WordPress what it says."""
from __future__ import annotations

import pytest

from shortcodes.wordpress.theme import CLASSIC, DEFAULT_IMAGE_SIZES, HTML5, ImageSize, Theme


def test_defaults_are_wordpress_install_defaults() -> None:
    t = Theme()
    assert t.html5 == HTML5 and t.content_width is None and not t.rtl and not t.visitor
    assert t.size_names == ("thumbnail", "medium", "medium_large", "large")
    assert dict(t.image_sizes) == dict(DEFAULT_IMAGE_SIZES)


def test_sizes_keep_default_order_and_take_overrides() -> None:
    t = Theme(image_sizes={"big": (2000, 0), "thumbnail": ImageSize(100, 80)})
    assert t.size_names == ("thumbnail", "medium", "medium_large", "large", "big")
    assert t.size("thumbnail") == ImageSize(100, 80, False)
    assert t.size("nope") is None


@pytest.mark.parametrize("bad", [{"content_width": 0}, {"content_width": True}, {"html5": ["figure"]},
                                 {"image_sizes": {"x": (-1, 3)}}, {"image_sizes": {"": (1, 1)}}])
def test_bad_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        Theme(**bad)


def test_frozen_and_hashable_fields() -> None:
    t = Theme()
    with pytest.raises(AttributeError):
        t.rtl = True  # type: ignore[misc]
    assert Theme.classic().html5 == CLASSIC


@pytest.mark.oracle
def test_theme_means_the_same_to_wordpress(media_oracle) -> None:
    """Each theme of the sweep (and custom sizes) through the oracle: WordPress reads back what the Theme says."""
    themes = [*Theme.sweep(), Theme(image_sizes={"thumbnail": (100, 90, False), "hero": (1600, 900, True)},
                                    content_width=500, visitor=True)]
    cases = []
    for t in themes:
        site = t.oracle_site({"home": "http://example.org", "posts": []})
        base = t.oracle_case({"site": site, "op": "call"})
        cases += [{**base, "fn": "wp_get_registered_image_subsizes", "args": []},
                  *({**base, "fn": "current_theme_supports", "args": ["html5", f]} for f in ("caption", "gallery", "style")),
                  {**base, "fn": "is_rtl", "args": []},
                  {**base, "fn": "image_constrain_size_for_editor", "args": [3000, 1500, "large"]},
                  {**base, "fn": "is_user_logged_in", "args": []},
                  {**base, "fn": "current_user_can", "args": ["read"]}]
    results = iter(media_oracle.run(cases))
    compared = 0
    for t in themes:
        sizes = next(results)["result"]
        assert {k: ImageSize(v["width"], v["height"], v["crop"]) for k, v in sizes.items()} == dict(t.image_sizes)
        assert list(sizes) == list(t.size_names)
        for f in ("caption", "gallery", "style"):
            assert next(results)["result"] is t.supports(f)
        assert next(results)["result"] is t.rtl
        width = next(results)["result"][0]
        cap = min(1024, t.content_width) if t.content_width else 1024
        assert width == cap
        next(results)
        assert next(results)["result"] is (not t.visitor)
        compared += 1
    print(f"themes compared with WordPress: {compared}")
