"""The examples ``shortcodes gallery`` shows for the media tags."""
from __future__ import annotations

from ..renderer.variants import Variant

__all__ = ["caption_variants", "IMAGE"]

#: A small picture that needs no network (an SVG data URI, 300×200).
IMAGE = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='300' height='200'%3E"
         "%3Crect width='300' height='200' fill='%2379a'/%3E%3Ccircle cx='220' cy='60' r='30' fill='%23fd6'/%3E%3C/svg%3E")


def caption_variants() -> tuple[Variant, ...]:
    """``[caption]`` as authors write it: linked, aligned, legacy attribute, right to left, no width."""
    img = f'<img class="size-medium wp-image-7" src="{IMAGE}" alt="A hill" width="300" height="200" />'
    return (
        Variant("linked", "A linked image, centred",
                f'[caption id="attachment_7" align="aligncenter" width="300"]<a href="#">{img}</a> A hill at dusk[/caption]'),
        Variant("right", "Floated right, with a class",
                f'[caption id="attachment_8" align="alignright" width="300" class="frame"]{img} Right[/caption]'),
        Variant("legacy", "The legacy caption attribute",
                f'[caption id="attachment_9" align="alignnone" width="300" caption="Legacy caption"]{img}[/caption]'),
        Variant("arabic", "Right to left (Arabic)",
                f'[caption id="attachment_10" align="alignright" width="300"]{img} برج القاهرة عند الغروب[/caption]',
                dir="rtl"),
        Variant("no-width", "No width: the image alone, as WordPress prints it",
                f'[caption id="attachment_11"]{img} Not shown[/caption]'),
    )
