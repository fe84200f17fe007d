"""Layer 1: PHP's own behaviour that WordPress's code relies on (strings, ``date()``)."""
