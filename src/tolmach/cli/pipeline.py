"""Placeholder: commands of this group are added by the module's owner."""

import click  # noqa: F401

COMMANDS: list = []
