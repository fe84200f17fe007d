"""A renderer plugin for the signal tests: ``[slow]`` takes a while to render (so a run can be caught mid-way)."""
from __future__ import annotations

import time
from typing import Any


def plugin(renderer: Any) -> None:
    def slow(node: Any, ctx: Any) -> str:
        time.sleep(0.05)
        return "<i>slow</i>"

    renderer.register("slow", slow)
