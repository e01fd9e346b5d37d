"""The report as Markdown: headings per element and case, numbered tables, quotes as block quotes."""

from __future__ import annotations

import html
from pathlib import Path

from icap_coder.analysis.quotes import pieces
from icap_coder.analysis.report import Report
from icap_coder.atomic import write_text_atomic
from icap_coder.export.agreement import display_table
from icap_coder.export.cells import printable
from icap_coder.export.formats import markdown_table
from icap_coder.export.wording import Wording


def text(value: str) -> str:
    """Transcript text as Markdown text: HTML in it is shown, never run, where Markdown is rendered."""
    return html.escape(printable(value), quote=False)


def marked(value: str, marks: list[tuple[int, int]]) -> str:
    """The quote with its matched words in bold."""
    return "".join(f"**{text(part)}**" if marked else text(part) for part, marked in pieces(value, marks))


def markdown(report: Report, words: Wording | None = None) -> str:
    words = words or Wording()
    number = 0

    def caption(what: str) -> list[str]:
        nonlocal number
        number += 1
        return [f"**{text(words.caption('table', number, what))}**", ""]

    lines = [f"# {text(words('title', name=report.codebook))}", "",
             f"_{text(words('generated', date=report.created, tool=report.method.get('made_with')))}_", ""]
    columns = [words.column(c) for c in ("code", "segments", "documents", "respondents", "primary")]
    for element in report.elements:
        lines += [f"## {text(words.group_name(element.group, element.labels))}", ""]
        if element.definition:
            lines += [text(element.definition), ""]
        if element.terms:
            lines += [f"_{text(words('matched_words'))}:_ " + text(", ".join(f"{t} ({n})" for t, n in element.terms)),
                      ""]
        for block in element.cases:
            lines += [f"### {text(block.case)}", ""]
            lines += caption(words("case_caption", group=element.group, case=block.case))
            rows = [[code or f"**{element.group}**", *counts] for code, *counts in block.numbers]
            lines += [markdown_table((columns, rows)), ""]
            for quote in block.quotes:
                source = f"{quote.respondent}, {quote.document} #{quote.segment} ({quote.code}" + (
                    f", {words('manual')})" if quote.source == "manual" else ")")
                lines.append(f"> {marked(quote.text, quote.marks)}  \n> — {text(source)}")
                lines.append("")
    header, rows = report.comparison()
    lines += [f"## {text(words('comparison', by=words.attribute(report.by)))}", ""]
    lines += caption(words.measure_title(report.measure, report.by))
    lines += [markdown_table(([words.column("code"), *(words.column(c) for c in header[2:])],
                              [[code or f"**{group}**", *values] for group, code, *values in rows])),
              f"_{text(words.measure_note(report.measure))}_", ""]
    if report.agreement:
        lines += [f"## {text(words('agreement'))}", "", text(words.agreement_note(report.agreement_facts)), ""]
        lines += caption(words("agreement_caption"))
        lines += [markdown_table(display_table(report.agreement, words)), ""]
    lines += [f"## {text(words('method'))}", ""]
    lines += caption(words("method_caption"))
    lines += [markdown_table(([words.column("item"), words.column("value")], words.method_rows(report.method)))]
    return "\n".join(lines)


def write(path: Path, report: Report, words: Wording | None = None) -> None:
    write_text_atomic(path, markdown(report, words))
