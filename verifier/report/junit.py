"""`--format junit`: JUnit XML, one <testsuite> per file and one <testcase> per attribution.

fail -> <failure>, waived and skipped -> <skipped>, warn -> passes with the warning in
<system-out>; an unreadable input file is a testcase with <error>. The testcase `file` and `line`
attributes point at the attribution."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from verifier.report.common import display_path, message, short, words
from verifier.report.escape import xml_text
from verifier.report.results import Status

if TYPE_CHECKING:
    from verifier.report.results import GateResult


def render_junit(result: GateResult) -> str:
    root = ET.Element("testsuites", name="verifier")
    t_tests = t_fail = t_skip = t_err = 0
    for fr in result.files:
        path = xml_text(display_path(fr.path))
        suite = ET.SubElement(root, "testsuite", name=path, file=path)
        fails = skips = 0
        for g in fr.findings:
            case = ET.SubElement(
                suite, "testcase",
                classname=path,
                name=xml_text(f"{g.id} line {g.line}: {g.attribution.kind} — {short(words(g), 70)}"),
                file=path, line=str(g.line), time="0",
            )
            if g.status == Status.FAIL:
                fails += 1
                el = ET.SubElement(case, "failure",
                                   message=xml_text(f"{g.verdict} ({g.reason}): {short(g.explanation, 200)}"),
                                   type=g.reason)
                el.text = xml_text(message(g))
            elif g.status in (Status.WAIVED, Status.SKIPPED):
                skips += 1
                ET.SubElement(case, "skipped", message=xml_text(f"{g.status}: {g.policy}"))
            elif g.status == Status.WARN:
                ET.SubElement(case, "system-out").text = xml_text("warning: " + message(g))
        suite.set("tests", str(len(fr.findings)))
        suite.set("failures", str(fails))
        suite.set("skipped", str(skips))
        suite.set("errors", "0")
        t_tests += len(fr.findings)
        t_fail += fails
        t_skip += skips
    if result.errors:
        suite = ET.SubElement(root, "testsuite", name="input errors", tests=str(len(result.errors)),
                              failures="0", skipped="0", errors=str(len(result.errors)))
        for e in result.errors:
            name = xml_text(display_path(e.path))
            case = ET.SubElement(suite, "testcase", classname="input", name=name, file=name, time="0")
            ET.SubElement(case, "error", message=xml_text(e.message), type="input_error").text = xml_text(e.message)
        t_tests += len(result.errors)
        t_err += len(result.errors)
    root.set("tests", str(t_tests))
    root.set("failures", str(t_fail))
    root.set("skipped", str(t_skip))
    root.set("errors", str(t_err))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
