"""The report as one self-contained HTML file: opens in any browser, no server, no network."""

from __future__ import annotations

import html
from pathlib import Path

from icap_coder.analysis.report import Report
from icap_coder.atomic import write_text_atomic
from icap_coder.export import heatmap
from icap_coder.export.agreement import display_table
from icap_coder.export.cells import printable

STYLE = """body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1,h2,h3{font-family:Helvetica,Arial,sans-serif}table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f2f2f2}blockquote{border-left:4px solid #08458f;margin:.6rem 0;padding:.2rem .8rem;color:#333}
.who{font-size:.85rem;color:#666;font-style:italic}.note{color:#666;font-style:italic}"""


def escape(value: str) -> str:
    """Text as HTML text: markup characters escaped, control characters (invalid in HTML) replaced."""
    return html.escape(printable(value))


def table(header: list, rows: list[list]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(report: Report) -> str:
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(report.title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{escape(report.title)}</h1>"
             f"<p class='note'>Generated {escape(report.created)}.</p>"]
    for element in report.elements:
        label = f" ({escape(element.label)})" if element.label else ""
        parts.append(f"<h2>{escape(element.group)}{label}</h2>")
        if element.definition:
            parts.append(f"<p>{escape(element.definition)}</p>")
        if element.terms:
            terms = ", ".join(f"{t} ({n})" for t, n in element.terms)
            parts.append(f"<p>Most frequent evidence: {escape(terms)}</p>")
        for block in element.cases:
            parts.append(f"<h3>{escape(block.case)}</h3>")
            parts.append(table(["code", "segments", "documents", "respondents", "primary"],
                               [[code or element.group, *counts] for code, *counts in block.numbers]))
            for quote in block.quotes:
                parts.append(f"<blockquote>{escape(quote.text)}<div class='who'>— {escape(quote.respondent)}, "
                             f"{escape(quote.document)} #{quote.segment} ({escape(quote.code)}"
                             f"{', manual' if quote.source == 'manual' else ''})</div></blockquote>")
    header, rows = report.comparison()
    parts += [f"<h2>Comparison by {escape(report.by)}</h2>", table(header, rows),
              f"<p class='note'>{escape(report.caption)}</p>", heatmap.svg(report.table, report.measure)]
    if report.agreement:
        parts += ["<h2>Intercoder agreement</h2>", f"<p>{escape(report.agreement_note)}</p>",
                  table(*display_table(report.agreement))]
    parts += ["<h2>Method</h2>", table(["item", "value"], [list(p) for p in report.appendix]), "</body></html>"]
    return "\n".join(parts) + "\n"


def write(path: Path, report: Report) -> None:
    write_text_atomic(path, render(report))
