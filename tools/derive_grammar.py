"""Write ``grammar/derived.json``: what Lark derives from ``grammar/shortcode.lark`` (see
:mod:`shortcodes.core.grammar`).  Run it after editing the grammar; ``tests/test_grammar_derived.py``
fails until it is run (the package stays right without it, only its start-up slower).

    python tools/derive_grammar.py          # write it
    python tools/derive_grammar.py --check  # exit 1 if it is not current
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shortcodes.core.grammar import DERIVED_FILE, derive  # noqa: E402


def render() -> str:
    return json.dumps(derive(), ensure_ascii=True, indent=1, sort_keys=True) + "\n"


def main(argv: "list[str] | None" = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check that the file is current")
    args = ap.parse_args(argv)
    target = ROOT / "grammar" / DERIVED_FILE
    text = render()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is not current: run python tools/derive_grammar.py", file=sys.stderr)
            return 1
        return 0
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
