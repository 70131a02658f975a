"""Installed size of Tolmach with and without argostranslate's stack (issue #12).

Walks the dependency closure of the ``tolmach`` distribution as installed in this environment
(``Requires-Dist``, markers evaluated, extras followed) and adds up the files each distribution's
RECORD lists. Prints the core install (``pip install tolmach``), the ``[argos]`` extra (what
``argostranslate`` adds: stanza, spaCy, PyTorch...) and the largest distributions of each.

    .venv/bin/python bench/install_size.py
"""

from __future__ import annotations

import importlib.metadata as md
import os
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _dist(name: str):
    try:
        return md.distribution(name)
    except md.PackageNotFoundError:
        return None


def closure(root: str, extras: tuple[str, ...] = ()) -> dict[str, md.Distribution]:
    seen: dict[str, md.Distribution] = {}
    todo = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        key = canonicalize_name(name)
        dist = _dist(name)
        if dist is None:
            continue
        first = key not in seen
        seen[key] = dist
        for raw in dist.requires or []:
            req = Requirement(raw)
            envs = [{"extra": e} for e in wanted] or [{"extra": ""}]
            if req.marker is not None and not any(req.marker.evaluate(env) for env in envs):
                continue
            if first or req.marker is not None:
                todo.append((req.name, tuple(req.extras)))
    return seen


def size(dist: md.Distribution) -> int:
    total = 0
    for f in dist.files or []:
        path = f.locate()
        try:
            if os.path.isfile(path):
                total += os.path.getsize(path)
        except OSError:
            pass
    return total


def main() -> None:
    if _dist("tolmach") is None:
        sys.exit("tolmach is not installed in this environment")
    core = closure("tolmach")
    argos = closure("tolmach", ("argos",))
    extra = {k: v for k, v in argos.items() if k not in core}
    sizes = {k: size(v) for k, v in argos.items()}
    core_mb = sum(sizes[k] for k in core) / 1e6
    extra_mb = sum(sizes[k] for k in extra) / 1e6
    print(f"python {sys.version.split()[0]}, {sys.prefix}")
    print(f"pip install tolmach           {len(core):3d} distributions {core_mb:8.1f} MB")
    if _dist("argostranslate") is None:
        print("pip install 'tolmach[argos]'  not measured: argostranslate is not installed here")
        return
    print(f"pip install 'tolmach[argos]'  {len(argos):3d} distributions {core_mb + extra_mb:8.1f} MB"
          f"  (+{extra_mb:.1f} MB for argostranslate and what it pulls in)")
    missing = [r for r in ("torch", "stanza", "spacy") if canonicalize_name(r) in extra]
    print(f"left out by the core install: {', '.join(missing) or 'nothing heavy'}")
    for title, group in (("core", core), ("argos extra", extra)):
        top = sorted(group, key=lambda k: -sizes[k])[:6]
        print(f"largest ({title}): " + ", ".join(f"{group[k].metadata['Name']} {sizes[k] / 1e6:.0f} MB" for k in top))


if __name__ == "__main__":
    main()
