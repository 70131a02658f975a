"""Whitespace the segmenter and the markup layer agree on.

A module of its own so that :mod:`tolmach.markup` (which ``tolmach check`` imports) does not import
:mod:`tolmach.segment`, whose dataclasses and rules cost about 7 ms of a check run's start-up.
"""

import re

# Spaces a line may break at: every whitespace but the no-break ones (U+00A0, the figure space
# U+2007, the narrow U+202F of «2 %», «10 000», «т. е.»), which are the writer's, not layout.
BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
