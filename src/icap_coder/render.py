"""Rich tables the CLI prints: the per-element summary and the codebook. Builds, never prints."""

from __future__ import annotations

from rich.table import Table

from icap_coder.analysis import Cell, Summary
from icap_coder.model import Codebook


def _cell(cell: Cell) -> str:
    counts = cell.as_counts()
    if not counts["segments"]:
        return "[dim]–[/dim]"
    return f"{counts['segments']} [dim]({counts['documents']}/{counts['respondents']})[/dim]"


def summary_table(summary: Summary) -> Table:
    table = Table(title="Coded segments per element and case",
                  caption="cell: segments (documents/respondents); a group row counts each segment once")
    table.add_column("Element / code")
    for case in summary.cases:
        table.add_column(f"{case}\n[dim]{summary.documents_per_case[case]} docs[/dim]", justify="right")
    table.add_column("Total", justify="right")
    for row in summary.rows:
        name = f"[bold]{row.group}[/bold]" if not row.code else f"  {row.code}"
        cells = [_cell(row.cells[case]) for case in summary.cases] + [_cell(row.total)]
        table.add_row(name, *cells, end_section=False)
    return table


def codebook_rows(book: Codebook, lang: str | None = None) -> list[dict]:
    rows = []
    for code in book.codes():
        languages = [lang] if lang else book.languages
        rows.append({
            "group": code.group, "code": code.name, "label_en": code.label.get("en", ""),
            "inductive": code.inductive, "definition": code.definition,
            "keywords": " | ".join(f"{l}: " + ", ".join(code.keywords.get(l, [])) for l in languages
                                   if code.keywords.get(l)),
            "exclude": " | ".join(f"{l}: " + ", ".join(code.exclude.get(l, [])) for l in languages
                                  if code.exclude.get(l)),
        })
    return rows


def codebook_table(book: Codebook, lang: str | None = None) -> Table:
    table = Table(title=f"{book.name} (version {book.version})", show_lines=True)
    for column in ("Group / code", "Definition", "Keywords"):
        table.add_column(column, overflow="fold")
    for group in book.groups:
        table.add_row(f"[bold]{group.name}[/bold]" + (f"\n[dim]{group.label.get('en', '')}[/dim]"
                                                      if group.label else ""), group.definition, "")
        for code in group.codes:
            label = code.label.get("en", "")
            languages = [lang] if lang else book.languages
            keywords = "[dim]inductive: coded by hand[/dim]" if code.inductive else "\n".join(
                f"[bold]{l}[/bold] " + ", ".join(code.keywords.get(l, [])) for l in languages if code.keywords.get(l))
            table.add_row(f"  {code.name}" + (f"\n  [dim]{label}[/dim]" if label else ""), code.definition, keywords)
    return table
