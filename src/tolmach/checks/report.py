"""Output formats of ``tolmach check``: text, JSON, JUnit XML, SARIF 2.1.0, GitHub annotations.

Every renderer takes a :class:`~tolmach.checks.runner.CheckResult` and returns a string; none prints.
``strict`` says whether warnings count as failures, as it does for the exit code, so that a JUnit
failure or a SARIF ``error`` means the same thing as exit code 1.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from .. import __version__
from .base import ERROR, INFO, WARNING, Finding

if TYPE_CHECKING:  # pragma: no cover
    from .runner import CheckResult

FORMATS = ("text", "json", "junit", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_DETAILS = ("msgctxt", "term", "expected", "found")


def render(result: "CheckResult", fmt: str = "text", *, strict: bool = False) -> str:
    try:
        renderer: Callable[..., str] = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}") from None
    return renderer(result, strict=strict)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: "CheckResult") -> str:
    files = _plural(len(result.files), "file")
    entries = _plural(result.entries, "entry").replace("entrys", "entries")
    if not result.findings:
        return f"No problems found: {entries} in {files} checked."
    parts = [_plural(result.count(ERROR), "error"), _plural(result.count(WARNING), "warning")]
    if result.count(INFO):
        parts.append(f"{result.count(INFO)} info")
    return f"{', '.join(parts)} in {entries} ({files})."


def finding_dict(f: Finding) -> dict:
    data = {
        "check_id": f.check_id,
        "severity": f.severity,
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "msgstr_line": f.msgstr_line or None,
        "msgstr_end_line": f.msgstr_end_line or None,
        "msgctxt": f.msgctxt,
        "term": f.term,
        "expected": f.expected,
        "found": f.found,
    }
    if f.extra:
        data["extra"] = f.extra
    return data


# --------------------------------------------------------------------------------------------------


# what would end a line of the text report, or hide in it, where a msgctxt, a found text or a file
# name holds it (a log parser would read a record of its own): C0 and C1 controls, DEL, the Unicode
# line and paragraph separators; written visibly, as a PO file writes them
_CONTROL = "[\x00-\x1f\x7f-\x9f\u2028\u2029]"
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern of this module compiled on its first use, not at import: most runs never use them
    (a clean text report), and the XML one's character class over all of Unicode takes ~7 ms to
    compile, a tenth of a small project's whole `tolmach check`."""
    return re.compile(pattern)


def _visible(text: str) -> str:
    """``text`` with every control character written as ``\\n``, ``\\t``, ``\\xNN``, ``\\uNNNN``."""
    return _compiled(_CONTROL).sub(_escape_control, text)


def _escape_control(m: re.Match) -> str:
    c = m.group()
    return _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def render_text(result: "CheckResult", *, strict: bool = False) -> str:
    """``file:line: severity [check-id] message`` and a line of details (msgctxt, term, expected, found),
    one line each whatever the texts hold (their control characters escaped)."""
    lines = []
    for f in result.findings:
        lines.append(f"{f.location()}: {f.severity} [{f.check_id}] {f.message}")
        details = [f"{name}: {getattr(f, name)}" for name in _DETAILS if getattr(f, name)]
        if details:
            lines.append("    " + " | ".join(details))
    # isprintable() is false for every one of them, and scans at C speed: most reports have none
    if not "".join(lines).isprintable():
        lines = [_visible(line) for line in lines]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def render_json(result: "CheckResult", *, strict: bool = False) -> str:
    data = {
        "tool": "tolmach",
        "version": __version__,
        "summary": {
            "files": len(result.files),
            "entries": result.entries,
            "errors": result.count(ERROR),
            "warnings": result.count(WARNING),
            "info": result.count(INFO),
            "failed": result.failed(strict),
            "strict": strict,
        },
        "checks": [c.id for c in result.checks],
        "findings": [finding_dict(f) for f in result.findings],
    }
    import json  # here, not at import: the text report (the usual one) never needs it

    # compact: the C encoder is 10x faster than an indented dump, and tools (jq) format it anyway
    return json.dumps(data, ensure_ascii=False, default=str) + "\n"


# what XML 1.0 cannot hold, even escaped (a PO string may: "\b" is a valid escape in one)
_XML_ILLEGAL = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # compiled on first use


def _xml(text: str) -> str:
    """``text`` with every character XML cannot hold written as ``\\xNN`` (visible, not lost)."""
    illegal = _compiled(_XML_ILLEGAL)
    return illegal.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if illegal.search(text) else text


def render_junit(result: "CheckResult", *, strict: bool = False) -> str:
    """One ``testsuite`` per PO file, one ``testcase`` per checked entry, passing ones included
    (a CI dashboard then counts translations, not problems). A failing entry carries one
    ``failure`` listing its failing findings; warnings (unless ``strict``) and info are output. A
    file with nothing checked (every entry fuzzy or untranslated) has one skipped test case, not a
    passing one."""
    import xml.etree.ElementTree as ET

    failing = {id(f) for f in result.failing(strict)}
    # entries by (path, first line): the key findings carry; plural forms share one test case
    cases: dict[str, dict[int, dict]] = {path: {} for path in result.files}
    for e in result.checked:
        cases.setdefault(e.path, {}).setdefault(e.line, {"entry": e, "findings": []})
    for f in result.findings:
        # a finding with no checked entry (a plug-in's own place) still gets a test case
        cases.setdefault(f.path, {}).setdefault(f.line, {"entry": None, "findings": []})["findings"].append(f)
    root = ET.Element("testsuites", name="tolmach check")
    total = failures = 0
    total_skipped = 0
    for path, by_line in cases.items():
        suite = ET.SubElement(root, "testsuite", name=_xml(path))
        n_fail = n_skipped = 0
        if not by_line:
            case = ET.SubElement(suite, "testcase", classname=_xml(path), name="all checks")
            ET.SubElement(case, "skipped", message="no translated entry to check (fuzzy ones need --fuzzy)")
            n_skipped = 1
        for line, case_data in sorted(by_line.items()):
            entry, findings = case_data["entry"], case_data["findings"]
            start = entry.msgstr_line if entry is not None and entry.msgstr_line else line
            if findings:
                start = findings[0].target_lines()[0]
            ctxt = entry.msgctxt if entry is not None else (findings[0].msgctxt if findings else None)
            label = ctxt if ctxt else (_short(entry.source) if entry is not None else f"line {line}")
            case = ET.SubElement(suite, "testcase", classname=_xml(path), name=_xml(f"{label} (line {start})"),
                                 file=_xml(path), line=str(start))
            bad = [f for f in findings if id(f) in failing]
            if bad:
                n_fail += 1
                failure = ET.SubElement(case, "failure", type=bad[0].severity,
                                        message=_xml("; ".join(f"[{f.check_id}] {f.message}" for f in bad)))
                failure.text = _xml("\n\n".join(_junit_body(f) for f in bad))
            others = [f for f in findings if id(f) not in failing]
            if others:
                ET.SubElement(case, "system-out").text = _xml("\n\n".join(f"{f.severity}: {_junit_body(f)}" for f in others))
        n_cases = max(1, len(by_line))
        suite.set("tests", str(n_cases))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        suite.set("skipped", str(n_skipped))
        total += n_cases
        failures += n_fail
        total_skipped += n_skipped
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_body(f: Finding) -> str:
    return "\n".join([f"{f.path}:{f.target_lines()[0]}: [{f.check_id}] {f.message}"] + [
        f"{name}: {getattr(f, name)}" for name in _DETAILS if getattr(f, name)
    ])


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SARIF_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note"}


@lru_cache(maxsize=4096)
def _uri(path: str) -> str:
    """A URI reference: relative to the working folder where the file is in it (as code scanning
    resolves it against the checkout), percent-encoded ("my locales/a%.po" is "my%20locales/a%25.po")."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(p.as_posix(), safe="/")


def render_sarif(result: "CheckResult", *, strict: bool = False) -> str:
    """SARIF 2.1.0: one run, a rule per check (and per extra finding id), a result per finding."""
    rules: list[dict] = []
    index: dict[str, int] = {}

    def rule(check_id: str, description: str = "", severity: str = WARNING) -> int:
        if check_id not in index:
            index[check_id] = len(rules)
            entry: dict = {"id": check_id, "name": check_id, "defaultConfiguration": {"level": _SARIF_LEVEL.get(severity, "warning")}}
            if description:
                entry["shortDescription"] = {"text": description}
            rules.append(entry)
        return index[check_id]

    for check in result.checks:
        rule(check.id, check.description, check.severity)
    results = []
    failing = {id(f) for f in result.failing(strict)}
    for f in result.findings:
        # with --strict a warning fails the run: it is an error here too (exit 1 = some "error")
        level = "error" if id(f) in failing else _SARIF_LEVEL.get(f.severity, "warning")
        location: dict = {"artifactLocation": {"uri": _uri(f.path)}}
        start, end = f.target_lines()
        if start > 0:
            # the msgstr lines: what the translator changes to fix it
            location["region"] = {"startLine": start, "endLine": end}
        item = {
            "ruleId": f.check_id,
            "ruleIndex": rule(f.check_id, severity=f.severity),
            "level": level,
            "message": {"text": f.message},
            "locations": [{"physicalLocation": location}],
        }
        props = {name: getattr(f, name) for name in _DETAILS if getattr(f, name)}
        if props:
            item["properties"] = props
        results.append(item)
    data = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tolmach",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
                "artifacts": [{"location": {"uri": _uri(p)}} for p in result.files],
            }
        ],
    }
    import json

    return json.dumps(data, ensure_ascii=False) + "\n"


_GITHUB_COMMAND = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: "CheckResult", *, strict: bool = False) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,title=…::message``."""
    lines = []
    for f in result.findings:
        command = _GITHUB_COMMAND.get(f.severity, "warning")
        props = [f"file={_gh_property(f.path)}"]
        start, end = f.target_lines()
        if start > 0:  # the msgstr line, where a pull request's diff shows the translator's change
            props.append(f"line={start}")
            if end > start:
                props.append(f"endLine={end}")
        props.append(f"title={_gh_property('tolmach ' + f.check_id)}")
        message = f.message
        details = [f"{name}: {getattr(f, name)}" for name in _DETAILS if getattr(f, name)]
        if details:
            message += " (" + "; ".join(details) + ")"
        lines.append(f"::{command} {','.join(props)}::{_gh_data(message)}")
    return "".join(line + "\n" for line in lines)


_RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}
