"""The report as Markdown: headings per element and case, tables, quotes as block quotes."""

from __future__ import annotations

import html
from pathlib import Path

from icap_coder.analysis.report import Report
from icap_coder.atomic import write_text_atomic
from icap_coder.export.agreement import display_table
from icap_coder.export.cells import printable
from icap_coder.export.formats import markdown_table


def text(value: str) -> str:
    """Transcript text as Markdown text: HTML in it is shown, never run, where Markdown is rendered."""
    return html.escape(printable(value), quote=False)


def markdown(report: Report) -> str:
    lines = [f"# {text(report.title)}", "", f"_Generated {report.created}._", ""]
    for element in report.elements:
        lines += [f"## {text(element.group)}" + (f" ({text(element.label)})" if element.label else ""), ""]
        if element.definition:
            lines += [text(element.definition), ""]
        if element.terms:
            lines += [text("Most frequent evidence: " + ", ".join(f"{t} ({n})" for t, n in element.terms)), ""]
        for block in element.cases:
            lines += [f"### {text(block.case)}", ""]
            rows = [[code or f"**{element.group}**", *counts] for code, *counts in block.numbers]
            lines += [markdown_table((["code", "segments", "documents", "respondents", "primary"], rows)), ""]
            for quote in block.quotes:
                source = f"{quote.respondent}, {quote.document} #{quote.segment} ({quote.code}" + (
                    ", manual)" if quote.source == "manual" else ")")
                lines.append(f"> {text(quote.text)}  \n> — {text(source)}")
                lines.append("")
    lines += [f"## Comparison by {text(report.by)}", "", markdown_table(report.comparison()),
              f"_{text(report.caption)}._", ""]
    if report.agreement:
        lines += ["## Intercoder agreement", "", text(report.agreement_note), "",
                  markdown_table(display_table(report.agreement)), ""]
    lines += ["## Method", "", markdown_table((["item", "value"], [list(p) for p in report.appendix]))]
    return "\n".join(lines)


def write(path: Path, report: Report) -> None:
    write_text_atomic(path, markdown(report))
