"""`quizdeck schema`: print the bank format's JSON Schema, for editors."""

from __future__ import annotations


def schema() -> None:
    """Print the JSON Schema of the bank format (for Taplo / VS Code TOML completion).

    Save it beside your banks and point your editor at it, or add the first line
    `#:schema ./quizdeck.schema.json` to a bank.

    Example: quizdeck schema > quizdeck.schema.json
    """
    from quizdeck.files import json_text, write_text
    from quizdeck.schema import bank_schema

    write_text("-", json_text(bank_schema()))
