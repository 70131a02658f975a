"""Photo credits: kept as they are, not sent to the model.

A credit line ("Allauddin Khan / AP", "Photo: Reuters") is names and agencies; a weak model turns
it into nonsense («Все скуняли Хант-Ак-Акт»), and even a good one translates names it should keep.
By default a credit's translation is its source, as a machine draft (fuzzy, with a ``credit:``
comment saying so). With ``label`` only the label is translated ("Photo:" -> «Фото:», from
:data:`LABELS` plus the project's ``[credits.labels]``); with ``translate`` the credit goes to the
model like any paragraph.

Configuration (``tolmach.toml``)::

    [credits]
    mode = "label"               # keep (default) | label | translate
    labels = { "Picture" = "Снимок" }
"""

from __future__ import annotations

import re
from typing import Mapping

KEEP, LABEL, TRANSLATE = "keep", "label", "translate"
MODES = (KEEP, LABEL, TRANSLATE)
NOTE_PREFIX = "credit: "

LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("en", "ru"): {"photo": "Фото", "photos": "Фото", "photograph": "Фото", "image": "Изображение",
                   "illustration": "Иллюстрация", "video": "Видео", "source": "Источник",
                   "photo credit": "Фото", "picture": "Фото", "graphic": "Графика", "map": "Карта"},
    ("ru", "en"): {"фото": "Photo", "фотография": "Photo", "изображение": "Image",
                   "иллюстрация": "Illustration", "видео": "Video", "источник": "Source",
                   "кадр": "Still", "графика": "Graphic", "карта": "Map"},
}
_LABEL = re.compile(r"^(\(?)\s*([^\W\d_][\w ]{0,20}?)\s*(:|\bby\b)\s*", re.I)


def is_credit_entry(msgctxt: str | None) -> bool:
    return bool(msgctxt) and msgctxt.startswith("credit:")  # type: ignore[union-attr]


def kept_credit(text: str, source_lang: str, target_lang: str, mode: str = KEEP,
                labels: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The credit's translation without the model, and the comment that says what was done."""
    if mode == LABEL:
        table = {k.lower(): v for k, v in {**LABELS.get((source_lang, target_lang), {}),
                                           **(labels or {})}.items()}
        m = _LABEL.match(text)
        if m and m.group(2).lower() in table:
            label = table[m.group(2).lower()]
            return (f"{m.group(1)}{label}: {text[m.end():]}",
                    f"{NOTE_PREFIX}label translated, names and agencies kept as in the source")
    return text, f"{NOTE_PREFIX}photo credit kept as in the source (names and agencies are not translated)"
