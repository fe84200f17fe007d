"""Layer 7: the bulk jobs behind the command line, over whole exports.

* :mod:`.convert`: ``shortcodes convert`` (with :mod:`.options`, :mod:`.modes`,
  :mod:`.converter`, :mod:`.results`, :mod:`.parallel` and the output formats of
  :mod:`.outputs`);
* :mod:`.inventory`: ``shortcodes inventory``, what a site uses;
* :mod:`.gallery`: ``shortcodes gallery``, every template's variants on a page;
* :mod:`.inputs`: reading the inputs one at a time (an input that cannot be
  read is reported and the others are read; the filters' tally);
* :mod:`.writing`: outputs that never end half-written (errors naming the
  file, files and site folders staged beside their targets, the site's
  manifest behind ``--clean``).

What every job promises: a failing post is reported and passed through, one
bad input never sinks the others, an interrupted or failed run leaves the
previous output, inputs are never modified unasked, and warnings are
counted without failing the run (:func:`shortcodes.common.status.outcome`).
"""
