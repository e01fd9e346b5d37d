"""The report as one self-contained HTML file: opens in any browser, no server, no network.

Same headings, numbered captions and method rows as the DOCX (see `wording`);
text columns left, numbers right, group rows bold with their codes indented,
the matched words marked in quotes.
"""

from __future__ import annotations

import html
from pathlib import Path

from icap_coder.analysis.quotes import pieces
from icap_coder.analysis.report import Report
from icap_coder.atomic import write_text_atomic
from icap_coder.export import heatmap
from icap_coder.export.agreement import display_table
from icap_coder.export.cells import is_figure, printable
from icap_coder.export.wording import Wording

STYLE = """body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1,h2,h3{font-family:Helvetica,Arial,sans-serif}table{border-collapse:collapse;margin:.3rem 0 1rem}
caption{caption-side:top;text-align:left;font-weight:bold;padding:.4rem 0}
th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.group td{font-weight:bold;background:#f7f9fc}tr.code td:first-child{padding-left:1.4rem}
td.zero{color:#777}figure{margin:1rem 0}figcaption{font-weight:bold;padding:.4rem 0}
blockquote{border-left:4px solid #08458f;margin:.6rem 0;padding:.2rem .8rem;color:#333}
mark{background:#fff3b0;color:inherit;padding:0 .1em}
.who{font-size:.85rem;color:#666;font-style:italic}.note{color:#666;font-style:italic}
@media print{table,blockquote,figure{break-inside:avoid}h2,h3,caption,figcaption{break-after:avoid}}"""


def escape(value: str) -> str:
    """Text as HTML text: markup characters escaped, control characters (invalid in HTML) replaced."""
    return html.escape(printable(value))


def marked(text: str, marks: list[tuple[int, int]]) -> str:
    """`text` as HTML with the spans in `marks` in <mark>."""
    return "".join(f"<mark>{escape(part)}</mark>" if marked else escape(part) for part, marked in pieces(text, marks))


def table(header: list, rows: list[list], caption: str = "", levels: list[str] | None = None) -> str:
    """A table whose number columns are right-aligned and whose group rows are bold, codes indented."""
    numbers = [bool(rows) and index > 0 and all(is_figure(r[index]) for r in rows) for index in range(len(header))]
    head = "".join(f"<th{' class=n' if n else ''}>{escape(str(h))}</th>" for h, n in zip(header, numbers))
    body = []
    for row, level in zip(rows, levels or [""] * len(rows)):
        cells = []
        for index, value in enumerate(row):
            kinds = ["n"] * numbers[index] + ["zero"] * (numbers[index] and str(value) in ("0", "–"))
            cells.append(f"<td{' class=' + repr(' '.join(kinds)) if kinds else ''}>{escape(str(value))}</td>")
        body.append(f"<tr{' class=' + level if level else ''}>{''.join(cells)}</tr>")
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render(report: Report, words: Wording | None = None) -> str:
    words = words or Wording()
    number = 0

    def caption(text: str) -> str:
        nonlocal number
        number += 1
        return words.caption("table", number, text)

    title = words("title", name=report.codebook)
    parts = [f"<!DOCTYPE html><html lang='{words.language}'><head><meta charset='utf-8'>"
             f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
             f"<p class='note'>{escape(words('generated', date=report.created, tool=report.method.get('made_with')))}"
             "</p>"]
    columns = [words.column(c) for c in ("code", "segments", "documents", "respondents", "primary")]
    for element in report.elements:
        parts.append(f"<h2>{escape(words.group_name(element.group, element.labels))}</h2>")
        if element.definition:
            parts.append(f"<p>{escape(element.definition)}</p>")
        if element.terms:
            terms = ", ".join(f"{t} ({n})" for t, n in element.terms)
            parts.append(f"<p><em>{escape(words('matched_words'))}:</em> {escape(terms)}</p>")
        for block in element.cases:
            parts.append(f"<h3>{escape(block.case)}</h3>")
            parts.append(table(columns, [[code or element.group, *counts] for code, *counts in block.numbers],
                               caption(words("case_caption", group=element.group, case=block.case)),
                               ["code" if code else "group" for code, *_ in block.numbers]))
            for quote in block.quotes:
                manual = f", {words('manual')}" if quote.source == "manual" else ""
                parts.append(f"<blockquote>“{marked(quote.text, quote.marks)}”<div class='who'>— "
                             f"{escape(quote.respondent)}, {escape(quote.document)} #{quote.segment} "
                             f"({escape(quote.code)}{escape(manual)})</div></blockquote>")
    header, rows = report.comparison()
    what = words.measure_title(report.measure, report.by)
    parts += [f"<h2>{escape(words('comparison', by=words.attribute(report.by)))}</h2>",
              table([words.column("code"), *(words.column(c) for c in header[2:])],
                    [[code or group, *values] for group, code, *values in rows], caption(what),
                    ["code" if code else "group" for _, code, *_ in rows]),
              f"<p class='note'>{escape(words.measure_note(report.measure))}</p>",
              f"<figure><figcaption>{escape(words.caption('figure', 1, words('heatmap_caption', what=what)))}"
              f"</figcaption>{heatmap.svg(report.table, report.measure, words)}</figure>"]
    if report.agreement:
        parts += [f"<h2>{escape(words('agreement'))}</h2>",
                  f"<p>{escape(words.agreement_note(report.agreement_facts))}</p>",
                  table(*display_table(report.agreement, words), caption(words("agreement_caption")),
                        [{"code": "code"}.get(r["level"], "group") for r in report.agreement])]
    parts += [f"<h2>{escape(words('method'))}</h2>",
              table([words.column("item"), words.column("value")], words.method_rows(report.method),
                    caption(words("method_caption"))), "</body></html>"]
    return "\n".join(parts) + "\n"


def write(path: Path, report: Report, words: Wording | None = None) -> None:
    write_text_atomic(path, render(report, words))
