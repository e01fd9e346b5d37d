"""The report as Markdown: headings per element and case, tables, quotes as block quotes."""

from __future__ import annotations

from pathlib import Path

from icap_coder.analysis.report import Report
from icap_coder.atomic import write_text_atomic
from icap_coder.export.formats import markdown_table


def markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"_Generated {report.created}._", ""]
    for element in report.elements:
        lines += [f"## {element.group}" + (f" ({element.label})" if element.label else ""), ""]
        if element.definition:
            lines += [element.definition, ""]
        if element.terms:
            lines += ["Most frequent evidence: " + ", ".join(f"{t} ({n})" for t, n in element.terms), ""]
        for block in element.cases:
            lines += [f"### {block.case}", ""]
            rows = [[code or f"**{element.group}**", s, d, r] for code, s, d, r in block.numbers]
            lines += [markdown_table((["code", "segments", "documents", "respondents"], rows)), ""]
            for quote in block.quotes:
                lines.append(f"> {quote.text}  \n> — {quote.respondent}, {quote.document} #{quote.segment} "
                             f"({quote.code}{', manual' if quote.source == 'manual' else ''})")
                lines.append("")
    lines += [f"## Comparison by {report.by}", "", markdown_table(report.comparison()), f"_{report.caption}._", "",
              "## Method", "", markdown_table((["item", "value"], [list(p) for p in report.appendix]))]
    return "\n".join(lines)


def write(path: Path, report: Report) -> None:
    write_text_atomic(path, markdown(report))
