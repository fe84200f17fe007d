"""Package data: the bundled COVID-19 figures (see SOURCES.md beside this file)."""

#: The package that holds the data files (for :func:`importlib.resources.files`).
DATA_PACKAGE = __name__
