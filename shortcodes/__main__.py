"""``python -m shortcodes``: the same as the ``shortcodes`` command."""
import sys

from .cli import main

sys.exit(main())
