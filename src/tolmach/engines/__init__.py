"""Machine-translation engines behind one interface (see :mod:`tolmach.engines.base`).

One file per engine: ``argos`` (CTranslate2 + SentencePiece from an installed Argos package) and
``replay`` (recorded output of another MT system). Importing this package imports no MT stack.
"""

from .base import Engine, EngineInfo
from .replay import ReplayEngine

__all__ = ["Engine", "EngineInfo", "ReplayEngine"]
