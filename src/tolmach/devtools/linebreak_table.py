"""Measure GNU gettext's line-breaking behaviour and write it out as :mod:`tolmach._linebreak`.

``msgcat`` wraps strings with libunistring's Unicode line breaking (UAX #14, pair-table form):
whether a line may break between two characters depends on their line-break classes and on
whether spaces stand between them. Python's ``unicodedata`` has no Line_Break property and
libunistring's tables differ from the current Unicode ones in places, so instead of guessing,
this tool asks the real ``msgcat`` (the version installed where it runs) and records what it does:

1. the *pair table*: for one representative character of each class, a probe string of the form
   ``xxx…x A B`` (with and without a space between A and B) is built so that the line overflows
   exactly at B; msgcat breaks before B iff the pair allows it. Direct break (``D``), break only
   across spaces (``I``) or never (``P``);
2. the *class of each character* in the blocks news text uses (Latin, Greek, Cyrillic,
   punctuation, symbols, CJK punctuation and kana, fullwidth forms, emoji): its break signature against
   every representative, matched with the representatives' signatures.

Only classes that differ from :func:`tolmach.pofile.fallback_class` (derived from
``unicodedata``) are stored, as code-point ranges. Run ``python -m tolmach.devtools.linebreak_table``
to regenerate ``src/tolmach/_linebreak.py`` (needs gettext's ``msgcat``, about 15 s).
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

# One character per line-break class (none needs escaping in a PO string). OPW is an opening
# punctuation of East Asian width (libunistring lets letters and digits break before it).
REPRESENTATIVES = {
    "OP": "(", "OPW": "\u300c", "CL": "}", "CP": ")", "QU": "'", "GL": "\u00a0", "NS": "\u203c",
    "EX": "!", "SY": "/", "IS": ",", "PR": "$", "PO": "%", "NU": "0", "AL": "a", "ID": "\u4e00",
    "IN": "\u2026", "HY": "-", "BA": "\u2013", "BB": "\u00b4", "B2": "\u2014", "ZW": "\u200b",
    "WJ": "\u2060", "CM": "\u0301", "H2": "\uac00", "H3": "\uac01", "JL": "\u1100", "JV": "\u1160",
    "JT": "\u11a8", "RI": "\U0001F1E6", "EB": "\U0001F466", "EM": "\U0001F3FB",
}
# Zero-width classes cannot be probed as the second character (they never overflow a line);
# the writer handles them by rule (never break before CM, ZW or WJ).
_NOT_SECOND = ("CM", "ZW", "WJ", "JV", "JT")
MEASURED_BLOCKS = [
    (0x21, 0x7E), (0xA0, 0x24F), (0x2B0, 0x36F), (0x370, 0x52F), (0x2000, 0x206F),
    (0x20A0, 0x20CF), (0x2100, 0x218F), (0x2190, 0x23FF), (0x2460, 0x27FF), (0x2E00, 0x2E7F),
    (0x3000, 0x30FF), (0xFE10, 0xFE6F), (0xFF00, 0xFFEF), (0x1F000, 0x1FAFF),
]
_LINE = 77  # content columns of a continuation line at msgcat's default width 79


def _probes(c: str, width) -> list[tuple[str, str]]:
    """(msgid, expected first line if msgcat breaks at the probed position) pairs for ``c``."""
    out = []
    if width(c) > 0:
        for a in REPRESENTATIVES.values():  # c second
            out.append(("x" * (_LINE - width(a)) + a + c, "x" * (_LINE - width(a)) + a))
            out.append(("x" * (_LINE - 1 - width(a)) + a + " " + c, "x" * (_LINE - 1 - width(a)) + a + " "))
    for k, b in REPRESENTATIVES.items():  # c first
        if k in _NOT_SECOND:
            continue
        out.append(("x" * (_LINE - width(c)) + c + b, "x" * (_LINE - width(c)) + c))
        out.append(("x" * (_LINE - 1 - width(c)) + c + " " + b, "x" * (_LINE - 1 - width(c)) + c + " "))
    return out


def _msgcat_first_lines(msgids: list[str]) -> list[list[str]]:
    body = ['msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n']
    body += [f'msgctxt "{i}"\nmsgid "{m}"\nmsgstr ""\n' for i, m in enumerate(msgids)]
    text = subprocess.run(["msgcat", "-"], input="\n".join(body), capture_output=True, text=True,
                          check=True).stdout
    result = []
    for entry in text.split("\n\n")[1:]:
        segs: list[str] = []
        in_id = False
        for line in entry.split("\n"):
            if line.startswith("msgid "):
                in_id = True
                segs.append(line[7:-1])
            elif line.startswith("msgstr"):
                in_id = False
            elif in_id and line.startswith('"'):
                segs.append(line[1:-1])
        result.append(segs[1:] if segs and segs[0] == "" else segs)
    return result


def measure() -> tuple[dict[str, str], list[tuple[int, int, str]]]:
    from tolmach.pofile import BY_RULE, char_width, fallback_class

    chars = [chr(u) for lo, hi in MEASURED_BLOCKS for u in range(lo, hi + 1)
             if chr(u) not in '"\\' and u not in BY_RULE
             and unicodedata.category(chr(u)) not in ("Cn", "Cs", "Co", "Cc")]
    owners = [*(f"rep:{k}" for k in REPRESENTATIVES), *chars]
    probes, owner_of = [], []
    for o in owners:
        c = REPRESENTATIVES[o[4:]] if o.startswith("rep:") else o
        for p in _probes(c, char_width):
            probes.append(p)
            owner_of.append(o)
    lines = _msgcat_first_lines([m for m, _ in probes])
    assert len(lines) == len(probes), "msgcat merged or dropped probe entries"
    sig: dict[str, list[int]] = {}
    for (_, first), segs, o in zip(probes, lines, owner_of):
        sig.setdefault(o, []).append(int(len(segs) >= 2 and segs[0] == first))

    seconds = [k for k in REPRESENTATIVES if k not in _NOT_SECOND]
    pairs = {}
    for k in REPRESENTATIVES:
        row = sig[f"rep:{k}"][-2 * len(seconds):]
        pairs[k] = "".join("D" if d else "I" if i else "P" for d, i in zip(row[::2], row[1::2]))
    by_sig = {}
    for k in REPRESENTATIVES:
        by_sig.setdefault(tuple(sig[f"rep:{k}"]), k)
    classes: dict[int, str] = {}
    for c in chars:
        s = tuple(sig[c])
        if char_width(c) == 0:
            # only its behaviour as the first character is known: among the classes that match,
            # prefer the zero-width ones (WJ and GL, say, differ only as the second character)
            found = sorted((k for k in REPRESENTATIVES if tuple(sig[f"rep:{k}"][-len(s):]) == s),
                           key=lambda k: char_width(REPRESENTATIVES[k]) > 0)
            cls = found[0] if found else None
        else:
            cls = by_sig.get(s)
        if cls is None:
            print(f"U+{ord(c):04X}: no class matches msgcat's behaviour; left to the fallback", file=sys.stderr)
        elif cls != fallback_class(ord(c)):
            classes[ord(c)] = cls
    # '"' and '\\' only ever reach the line breaker as the second and first character of their
    # escapes; UAX #14 classes them QU and PR (the property test checks the result).
    classes.update({0x22: "QU", 0x5C: "PR"})
    ranges: list[list] = []
    for u in sorted(classes):
        if ranges and ranges[-1][1] == u - 1 and ranges[-1][2] == classes[u]:
            ranges[-1][1] = u
        else:
            ranges.append([u, u, classes[u]])
    return {k: pairs[k] for k in REPRESENTATIVES}, [tuple(r) for r in ranges]


def render(pairs: dict[str, str], ranges: list[tuple[int, int, str]]) -> str:
    version = subprocess.run(["msgcat", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    seconds = [k for k in REPRESENTATIVES if k not in _NOT_SECOND]
    out = [
        '"""Line-break classes and pair table measured from GNU gettext\'s msgcat.',
        "",
        f"Generated by ``python -m tolmach.devtools.linebreak_table`` against {version}; do not edit.",
        '"""',
        "",
        f"SECONDS = {tuple(seconds)!r}",
        "# PAIRS[first][SECONDS.index(second)]: D = may break, I = only across spaces, P = never",
        "PAIRS = {",
        *(f"    {k!r}: {v!r}," for k, v in pairs.items()),
        "}",
        "# (first, last, class) code-point ranges where the class differs from fallback_class",
        "RANGES = (",
    ]
    line = "   "
    for r in ranges:
        item = f" (0x{r[0]:04X}, 0x{r[1]:04X}, {r[2]!r}),"
        if len(line) + len(item) > 99:
            out.append(line)
            line = "   "
        line += item
    out += [line, ")", ""]
    return "\n".join(out)


def main() -> None:
    pairs, ranges = measure()
    target = Path(__file__).resolve().parents[1] / "_linebreak.py"
    target.write_text(render(pairs, ranges), encoding="utf-8")
    print(f"wrote {target} ({len(ranges)} ranges)")


if __name__ == "__main__":
    main()
