"""One module per command; each is a thin layer over the core and imports heavy libraries lazily."""
