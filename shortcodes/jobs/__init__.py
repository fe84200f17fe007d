"""Layer 7: the bulk jobs behind the command line, over whole exports.

* :mod:`.convert`: ``shortcodes convert`` (with :mod:`.options`, :mod:`.modes`,
  :mod:`.converter`, :mod:`.results`, :mod:`.parallel` and the output formats of
  :mod:`.outputs`);
* :mod:`.inventory`: ``shortcodes inventory``, what a site uses;
* :mod:`.gallery`: ``shortcodes gallery``, every template's variants on a page.
"""
