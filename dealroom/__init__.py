"""Dealroom: deal records kept as YAML in git, published as a searchable MkDocs deal room."""

__version__ = "0.1.0"
