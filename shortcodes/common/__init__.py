"""Layer 0: what every other layer may use, and which uses nothing of the package.

* :mod:`~shortcodes.common.errors`: the one exception root, :class:`ShortcodesError`, and every
  error the library raises;
* :mod:`~shortcodes.common.status`: the command line's exit statuses;
* :mod:`~shortcodes.common.fileio`: atomic outputs, UTF-8 inputs;
* :mod:`~shortcodes.common.lines`: offsets to line:column;
* :mod:`~shortcodes.common.registry`: the name -> implementation tables users extend;
* :mod:`~shortcodes.common.dates`, :mod:`~shortcodes.common.locales`: coercing dates and
  locales, script and text direction;
* :mod:`~shortcodes.common.resources`: the bundled grammar and templates, installed or in a checkout.
"""
