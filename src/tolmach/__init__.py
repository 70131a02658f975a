"""Tolmach: offline English<->Russian news translation reviewed through gettext PO files.

The package follows the pipeline, one module (or small package) per stage:

    segment -> catalog -> engines/translate -> glossary -> checks -> build

Each stage takes and returns plain data; :mod:`tolmach.cli` is a thin click layer on top.
"""

__version__ = "0.1.0"
