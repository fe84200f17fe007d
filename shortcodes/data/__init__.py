"""Package data: the bundled COVID-19 figures (see SOURCES.md beside this file)."""
