"""Helpers for the real-browser tests: launching Debian's Chromium, and the layout probes.

Playwright drives ``/usr/bin/chromium`` (``$WP_SHORTCODES_CHROMIUM`` to use
another binary); ``playwright install`` is never needed.  The probes run in
the page and return plain data; the tests decide what is wrong, so a failure
message says which card, which element and by how many pixels.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: Flags that keep Chromium quiet and offline (see ../shared/research/browser-testing.md).
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-dev-shm-usage",
]

#: Viewport widths every layout check runs at: a small phone, and a desktop.
WIDTHS = (360, 1280)

#: Pixels of slack for sub-pixel rounding.
SLACK = 1.0


def chromium_path() -> str | None:
    """The Chromium binary to drive, or ``None`` when there is none."""
    given = os.environ.get("WP_SHORTCODES_CHROMIUM")
    for candidate in (given, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def artifacts_dir() -> Path:
    """Where screenshots go: ``$WP_SHORTCODES_ARTIFACTS``, default ``test-artifacts/`` (git-ignored)."""
    folder = Path(os.environ.get("WP_SHORTCODES_ARTIFACTS") or ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# One object per card: its direction, overflow, rows, dates and numbers.
# Rectangles are [left, top, right, bottom] in CSS pixels.
CARD_PROBE = r"""
() => {
  const rect = r => [r.left, r.top, r.right, r.bottom];
  const textRect = el => { const r = document.createRange(); r.selectNodeContents(el); return rect(r.getBoundingClientRect()); };
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const chars = el => {
    // [char, left, top] of every character of el's text, in logical order
    const out = []; const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        if (/\s/.test(n.data[i])) continue;
        range.setStart(n, i); range.setEnd(n, i + 1);
        const r = range.getBoundingClientRect();
        out.push([n.data[i], r.left, r.top]);
      }
    }
    return out;
  };
  const cards = [];
  document.querySelectorAll('.sc-covid-card').forEach((card, index) => {
    const figure = card.closest('[data-variant]');
    const cs = getComputedStyle(card);
    const cardBox = rect(card.getBoundingClientRect());
    const outside = [];
    // every element's box, and every text run, inside the card (and inside its row, if any)
    card.querySelectorAll('*').forEach(el => {
      if (el.closest('.sc-covid-card__sr-only')) return;
      const boxes = [[name(el), rect(el.getBoundingClientRect())]];
      for (const child of el.childNodes) {
        if (child.nodeType === Node.TEXT_NODE && child.data.trim()) {
          const r = document.createRange(); r.selectNodeContents(child);
          boxes.push([name(el) + ' text "' + child.data.trim().slice(0, 30) + '"', rect(r.getBoundingClientRect())]);
        }
      }
      const row = el.closest('.sc-covid-card__row');
      for (const [what, b] of boxes) {
        if (b[2] - b[0] === 0 && b[3] - b[1] === 0) continue;
        for (const [frame, f] of [['card', cardBox], ['row', row && row !== el ? rect(row.getBoundingClientRect()) : null]]) {
          if (!f) continue;
          const over = Math.max(f[0] - b[0], b[2] - f[2], f[1] - b[1], b[3] - f[3]);
          if (over > 0) outside.push({what, frame, over});
        }
      }
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline'
          && getComputedStyle(el).overflowX !== 'visible') {
        outside.push({what: name(el) + ' scrolls', frame: 'itself', over: el.scrollWidth - el.clientWidth});
      }
    });
    const rows = [...card.querySelectorAll('.sc-covid-card__row')].map(row => {
      const label = row.querySelector('.sc-covid-card__label');
      const value = row.querySelector('.sc-covid-card__number, .sc-covid-card__unknown [aria-hidden]');
      const rs = getComputedStyle(row);
      const content = row.getBoundingClientRect();
      return {key: [...row.classList].find(c => c.startsWith('sc-covid-card__row--')),
              label: textRect(label), value: textRect(value),
              content: [content.left + parseFloat(rs.paddingLeft) + parseFloat(rs.borderLeftWidth), content.top,
                        content.right - parseFloat(rs.paddingRight) - parseFloat(rs.borderRightWidth), content.bottom]};
    });
    const isolated = [...card.querySelectorAll('time, .sc-covid-card__number')].map(el => {
      // the element itself, or the nearest ancestor in the card, that isolates it (e.g. <bdi dir=ltr><time>)
      let iso = el;
      while (iso !== card && getComputedStyle(iso).unicodeBidi === 'normal') iso = iso.parentElement;
      const s = getComputedStyle(iso);
      return {tag: el.tagName.toLowerCase(), text: el.textContent, direction: s.direction,
              unicodeBidi: s.unicodeBidi, chars: chars(el)};
    });
    cards.push({
      index, variant: figure ? figure.dataset.variant : null,
      lowContrastWarned: !!(figure && figure.querySelector('[data-kind="low-contrast"]')),
      dirAttr: card.getAttribute('dir'), direction: cs.direction, color: cs.color, background: cs.backgroundColor,
      scrollWidth: card.scrollWidth, clientWidth: card.clientWidth, box: cardBox,
      outside, rows, isolated,
    });
  });
  const doc = document.documentElement;
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
          bodyScrollWidth: document.body.scrollWidth, cards};
}
"""


def parse_rgb(value: str) -> tuple[float, float, float, float]:
    """``rgb(1, 2, 3)`` / ``rgba(1, 2, 3, 0.5)`` (as getComputedStyle writes them) to a tuple.

    >>> parse_rgb("rgb(22, 50, 92)"), parse_rgb("rgba(0, 0, 0, 0.5)")
    ((22.0, 50.0, 92.0, 1.0), (0.0, 0.0, 0.0, 0.5))
    """
    inner = value[value.index("(") + 1:value.rindex(")")].replace("/", ",")
    parts = [float(p) for p in inner.replace(",", " ").split()]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def describe(card: dict[str, Any]) -> str:
    """``card 2 (variant rtl-arabic)`` for failure messages."""
    return f"card {card['index'] + 1}" + (f" (variant {card['variant']})" if card.get("variant") else "")
