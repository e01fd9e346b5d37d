"""`icap summary`, `icap compare`, `icap cooccur`: the tables of a results chapter, on screen or exported."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from icap_coder.cli import OutputFormat, app, fails_cleanly, message, out, print_records
from icap_coder.errors import IcapError

FILTER_HELP = "Filter shared by all analysis commands."
SOURCES = ("auto", "manual")


def load(paths: list[Path], codebook: Optional[Path], tags: Optional[Path], group, code, case, speaker, document,
         source):
    """The dataset to analyse: a results folder read back, or transcripts coded now; then filtered."""
    from icap_coder.codebook import load_codebook
    from icap_coder.dataset import Filters, from_results, from_run, is_results_folder
    from icap_coder.pipeline import run
    from icap_coder.project import find_project

    if source and source not in SOURCES:
        raise IcapError(f"--source must be auto or manual, not '{source}'")
    project = find_project(paths)
    book, _ = load_codebook(codebook or project.get("codebook"))
    if len(paths) == 1 and is_results_folder(paths[0]):
        dataset = from_results(paths[0], book)
    else:
        settings = project.settings(tags_file=tags)
        dataset = from_run(run(paths, book, settings), book, settings.unit)
    return dataset.filtered(Filters(group, code, case, speaker, document, source))


def _options():
    return dict(
        codebook=typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
        tags=typer.Option(None, "--tags", help="Tags file [default: tags.yaml in the transcripts folder]."),
        group=typer.Option(None, "--group", help=FILTER_HELP), code=typer.Option(None, "--code", help=FILTER_HELP),
        case=typer.Option(None, "--case", help=FILTER_HELP), speaker=typer.Option(None, "--speaker", help=FILTER_HELP),
        document=typer.Option(None, "--document", help=FILTER_HELP),
        source=typer.Option(None, "--source", help="auto or manual. " + FILTER_HELP),
        export=typer.Option(None, "--export", "-e", help="Write to FILE; the format follows the suffix."),
    )


O = _options()
PATHS = typer.Argument(..., help="Transcript files or folders, or one results folder of `icap code --out`.")


@app.command()
@fails_cleanly
def compare(
    paths: List[Path] = PATHS,
    by: str = typer.Option("case", "--by", help="Columns: case, role, project, language, speaker, ... (any attribute)."),
    measure: str = typer.Option("segments", "--measure", "-m",
                                help="segments | documents | respondents | presence | percent (of the column's coded segments)."),
    layout: str = typer.Option("wide", "--layout", help="CSV layout: wide (a matrix) or long (tidy)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="On stdout: table, csv or json."),
    codebook: Optional[Path] = O["codebook"], tags: Optional[Path] = O["tags"], group: Optional[str] = O["group"],
    code: Optional[str] = O["code"], case: Optional[str] = O["case"], speaker: Optional[str] = O["speaker"],
    document: Optional[str] = O["document"], source: Optional[str] = O["source"], export: Optional[Path] = O["export"],
) -> None:
    """Cross-case comparison: groups and codes against the values of an attribute.

    Exports: .csv .xlsx .md .json .png .svg .html .docx
    """
    from icap_coder.analysis import MEASURES, tabulate
    from icap_coder.export import analysis_tables as tables
    from icap_coder.export import formats

    if measure not in MEASURES:
        raise IcapError(f"--measure must be one of {', '.join(MEASURES)}, not '{measure}'")
    if layout not in ("wide", "long"):
        raise IcapError(f"--layout must be wide or long, not '{layout}'")
    dataset = load(paths, codebook, tags, group, code, case, speaker, document, source)
    table = tabulate(dataset.codebook, dataset.documents, dataset.codings, by)
    if export:
        _export_compare(export, dataset, table, by, measure, layout)
    elif fmt is OutputFormat.table:
        from icap_coder.render import matrix_table

        out.print(matrix_table(table, measure, tables.caption(table, measure)))
    else:
        data = tables.long(table) if layout == "long" else tables.wide(table, measure)
        print_records(formats.records(data), fmt, data[0])


def _export_compare(path: Path, dataset, table, by: str, measure: str, layout: str) -> None:
    from icap_coder.analysis import MEASURES, cooccurrence
    from icap_coder.export import analysis_tables as tables
    from icap_coder.export import formats, heatmap

    suffix = path.suffix.lower()
    if suffix == ".csv":
        formats.write_text(path, formats.csv_text(tables.long(table) if layout == "long" else tables.wide(table, measure)))
    elif suffix == ".xlsx":
        sheets = {m: tables.wide(table, m, marks=True) for m in MEASURES}
        sheets["long"] = tables.long(table)
        sheets["cooccurrence"] = tables.pairs(cooccurrence(dataset.codings))
        notes = {m: tables.caption(table, m) for m in MEASURES}
        formats.write_xlsx(path, sheets, notes)
    elif suffix == ".md":
        formats.write_text(path, f"## {measure} by {by}\n\n" + formats.markdown_table(tables.wide(table, measure, True))
                           + f"\n_{tables.caption(table, measure)}._\n")
    elif suffix == ".json":
        header, rows = tables.wide(table, measure)
        formats.write_json(path, {"by": by, "measure": measure, "caption": tables.caption(table, measure),
                                  "columns": header[2:], "rows": [dict(zip(header, r)) for r in rows],
                                  "long": table.long_rows()})
    elif suffix in (".png", ".svg"):
        heatmap.write(path, table, measure)
    elif suffix in (".html", ".docx"):
        _write_report(path, dataset, by, measure, 2)
        return
    else:
        raise IcapError("unknown export format; use .csv .xlsx .md .json .png .svg .html or .docx", file=str(path))
    message(f"icap: wrote {path}")


def _write_report(path: Path, dataset, by: str, measure: str, quotes: int) -> None:
    from icap_coder.export import report as reports

    report = reports.build(dataset, by, measure, quotes)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from icap_coder.export import report_docx

        report_docx.write(path, report)
    elif suffix == ".html":
        from icap_coder.export import report_html

        report_html.write(path, report)
    else:
        from icap_coder.export.formats import write_text

        write_text(path, reports.markdown(report))
    message(f"icap: wrote {path}")


@app.command()
@fails_cleanly
def summary(
    paths: List[Path] = PATHS,
    quotes: int = typer.Option(2, "--quotes", "-n", min=0, help="Best quotes per code and case."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="On stdout: table or json."),
    codebook: Optional[Path] = O["codebook"], tags: Optional[Path] = O["tags"], group: Optional[str] = O["group"],
    code: Optional[str] = O["code"], case: Optional[str] = O["case"], speaker: Optional[str] = O["speaker"],
    document: Optional[str] = O["document"], source: Optional[str] = O["source"], export: Optional[Path] = O["export"],
) -> None:
    """Per element: coded segments, documents, respondents per case, the evidence, and the best quotes.

    Exports: .docx .html .md (a report with the comparison and a method appendix), .json .xlsx .csv
    """
    from icap_coder.export import report as reports

    dataset = load(paths, codebook, tags, group, code, case, speaker, document, source)
    report = reports.build(dataset, "case", "segments", quotes)
    if export:
        suffix = export.suffix.lower()
        if suffix in (".docx", ".html", ".md"):
            _write_report(export, dataset, "case", "segments", quotes)
        elif suffix in (".json", ".xlsx", ".csv"):
            _export_summary_data(export, report)
        else:
            raise IcapError("unknown export format; use .docx .html .md .json .xlsx or .csv", file=str(export))
    elif fmt is OutputFormat.json:
        print(_json_report(report))
    else:
        from icap_coder.render import print_report

        print_report(out, report)


def _report_rows(report) -> tuple[tuple, tuple]:
    counts = (["group", "code", "case", "segments", "documents", "respondents"],
              [[e.group, code, b.case, s, d, r] for e in report.elements for b in e.cases for code, s, d, r in b.numbers])
    quotes = (["group", "code", "case", "respondent", "document", "segment", "source", "quote"],
              [[e.group, q.code, b.case, q.respondent, q.document, q.segment, q.source, q.text]
               for e in report.elements for b in e.cases for q in b.quotes])
    return counts, quotes


def _export_summary_data(path: Path, report) -> None:
    from icap_coder.export import formats

    counts, quotes = _report_rows(report)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        formats.write_xlsx(path, {"counts": counts, "quotes": quotes})
    elif suffix == ".csv":
        formats.write_text(path, formats.csv_text(counts))
    else:
        formats.write_text(path, _json_report(report))
    message(f"icap: wrote {path}")


def _json_report(report) -> str:
    import json
    from dataclasses import asdict

    data = {"title": report.title, "created": report.created, "elements": [asdict(e) for e in report.elements],
            "method": dict(report.appendix)}
    return json.dumps(data, ensure_ascii=False, indent=1)


@app.command()
@fails_cleanly
def cooccur(
    paths: List[Path] = PATHS,
    level: str = typer.Option("code", "--level", help="code or group."),
    minimum: int = typer.Option(1, "--min", min=1, help="Only pairs coded together at least this often."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="On stdout: table, csv or json."),
    codebook: Optional[Path] = O["codebook"], tags: Optional[Path] = O["tags"], group: Optional[str] = O["group"],
    code: Optional[str] = O["code"], case: Optional[str] = O["case"], speaker: Optional[str] = O["speaker"],
    document: Optional[str] = O["document"], source: Optional[str] = O["source"], export: Optional[Path] = O["export"],
) -> None:
    """Codes applied to the same segments: counts and the c-coefficient (n12 / (n1 + n2 - n12)).

    Exports: .csv .xlsx .md .json
    """
    from icap_coder.analysis import cooccurrence
    from icap_coder.export import analysis_tables as tables
    from icap_coder.export import formats

    if level not in ("code", "group"):
        raise IcapError(f"--level must be code or group, not '{level}'")
    dataset = load(paths, codebook, tags, group, code, case, speaker, document, source)
    data = tables.pairs([p for p in cooccurrence(dataset.codings, level) if p.together >= minimum])
    if export:
        suffix = export.suffix.lower()
        writers = {".csv": lambda: formats.write_text(export, formats.csv_text(data)),
                   ".xlsx": lambda: formats.write_xlsx(export, {"cooccurrence": data}),
                   ".md": lambda: formats.write_text(export, formats.markdown_table(data)),
                   ".json": lambda: formats.write_text(export, formats.records_json(formats.records(data)))}
        if suffix not in writers:
            raise IcapError("unknown export format; use .csv .xlsx .md or .json", file=str(export))
        writers[suffix]()
        message(f"icap: wrote {export}")
    elif fmt is OutputFormat.table:
        from rich.table import Table

        view = Table(title=f"Co-occurrence of {level}s within segments",
                     caption="together = segments coded with both; c = n12 / (n1 + n2 - n12)")
        for column in (f"{level} a", f"{level} b", "together", "n a", "n b", "c"):
            view.add_column(column, justify="left" if column.startswith(level) else "right",
                            overflow="fold", no_wrap=not column.startswith(level))
        for row in data[1]:
            view.add_row(*map(str, row))
        out.print(view)
    else:
        print_records(formats.records(data), fmt, data[0])
