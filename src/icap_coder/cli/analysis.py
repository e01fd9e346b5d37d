"""`icap summary`, `icap compare`, `icap cooccur`: the tables of a results chapter, on screen or exported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icap_coder.cli._common import (
    AnalysisPaths,
    CaseFilter,
    CellGuardOption,
    CodebookOption,
    CodeFilter,
    DocumentFilter,
    ExportOption,
    FormatOption,
    GroupFilter,
    OutputFormat,
    PaperOption,
    PrimaryFilter,
    ProjectOption,
    ReportLangOption,
    ReportStyle,
    SourceFilter,
    SpeakerFilter,
    TagsOption,
    TocOption,
    app,
    fails_cleanly,
    filters,
    message,
    out,
    print_records,
    report_style,
    stream_into,
)
from icap_coder.errors import IcapError

if TYPE_CHECKING:
    from icap_coder.analysis.report import Report
    from icap_coder.model import Codebook

REPORT_SUFFIXES = (".docx", ".html", ".md")


def _write_report(path: Path, report: Report, style: ReportStyle) -> None:
    from icap_coder.export import report_docx, report_html, report_md

    if path.suffix.lower() == ".docx":
        report_docx.write(path, report, style.words, style.paper, style.toc)
    elif path.suffix.lower() == ".html":
        report_html.write(path, report, style.words)
    else:
        report_md.write(path, report, style.words)
    message(f"icap: wrote {path}")


@app.command()
@fails_cleanly
def compare(
    paths: AnalysisPaths,
    by: Annotated[str, typer.Option(
        "--by", help="Columns: case, role, project, language, speaker, ... (any attribute).")] = "case",
    measure: Annotated[str, typer.Option(
        "--measure", "-m",
        help="segments | documents | respondents | presence | percent (of the column's coded segments).")]
        = "segments",
    layout: Annotated[str, typer.Option("--layout", help="CSV layout: wide (a matrix) or long (tidy).")] = "wide",
    fmt: FormatOption = OutputFormat.table,
    codebook: CodebookOption = None, project: ProjectOption = None, tags: TagsOption = None,
    group: GroupFilter = None, code: CodeFilter = None, case: CaseFilter = None, speaker: SpeakerFilter = None,
    document: DocumentFilter = None, source: SourceFilter = None, primary: PrimaryFilter = False,
    export: ExportOption = None, cell_guard: CellGuardOption = True,
    report_lang: ReportLangOption = None, paper: PaperOption = None, toc: TocOption = False,
) -> None:
    """Cross-case comparison: groups and codes against the values of an attribute.

    Exports: .csv .xlsx .md .json .png .svg .html .docx
    """
    from icap_coder.analysis import tables
    from icap_coder.analysis.cooccurrence import Cooccurrence
    from icap_coder.analysis.crosstab import MEASURES, Tabulator
    from icap_coder.analysis.report import ReportBuilder
    from icap_coder.export import comparison, formats

    if measure not in MEASURES:
        raise IcapError(f"--measure must be one of {', '.join(MEASURES)}, not '{measure}'")
    if layout not in ("wide", "long"):
        raise IcapError(f"--layout must be wide or long, not '{layout}'")
    if export and export.suffix.lower() not in (*comparison.SUFFIXES, ".html", ".docx"):
        raise IcapError("unknown export format; use .csv .xlsx .md .json .png .svg .html or .docx", file=str(export))
    report_to = export if export and export.suffix.lower() in (".html", ".docx") else None
    report = report_to is not None

    def consumers(book: Codebook) -> list[Any]:
        return [ReportBuilder(book, by, measure, 2) if report else Tabulator(book, by), Cooccurrence()]

    streamed = stream_into(paths, codebook, project, tags, filters(group, code, case, speaker, document, source,
                                                                   primary), consumers)
    streamed.known.check_by(by)
    main, pairs = streamed.consumers
    style = report_style(streamed, report_lang, paper, toc)
    if report_to is not None:
        _write_report(report_to, main.report(streamed.meta), style)
        return
    table = main.result()
    if export:
        comparison.write(export, table, measure, layout, pairs.pairs(), cell_guard, style.words)
        message(f"icap: wrote {export}")
    elif fmt is OutputFormat.table:
        from icap_coder.cli.render import matrix_table

        out.print(matrix_table(table, measure, tables.caption(table, measure)))
    elif fmt is not OutputFormat.none:
        data = tables.long(table) if layout == "long" else tables.wide(table, measure)
        print_records(formats.records(data), fmt, data[0])


@app.command()
@fails_cleanly
def summary(
    paths: AnalysisPaths,
    quotes: Annotated[int, typer.Option("--quotes", "-n", min=0, help="Best quotes per code and case.")] = 2,
    fmt: FormatOption = OutputFormat.table,
    codebook: CodebookOption = None, project: ProjectOption = None, tags: TagsOption = None,
    group: GroupFilter = None, code: CodeFilter = None, case: CaseFilter = None, speaker: SpeakerFilter = None,
    document: DocumentFilter = None, source: SourceFilter = None, primary: PrimaryFilter = False,
    export: ExportOption = None, cell_guard: CellGuardOption = True,
    report_lang: ReportLangOption = None, paper: PaperOption = None, toc: TocOption = False,
) -> None:
    """Per element: coded segments, documents, respondents per case, the evidence, and the best quotes.

    Exports: .docx .html .md (a report with the comparison and a method appendix), .json .xlsx .csv
    """
    from icap_coder.analysis.report import ReportBuilder
    from icap_coder.export import report_data

    if export and export.suffix.lower() not in (*REPORT_SUFFIXES, ".json", ".xlsx", ".csv"):
        raise IcapError("unknown export format; use .docx .html .md .json .xlsx or .csv", file=str(export))
    streamed = stream_into(paths, codebook, project, tags, filters(group, code, case, speaker, document, source,
                                                                   primary),
                           lambda book: [ReportBuilder(book, "case", "segments", quotes)])
    report = streamed.consumers[0].report(streamed.meta)
    if export and export.suffix.lower() in REPORT_SUFFIXES:
        _write_report(export, report, report_style(streamed, report_lang, paper, toc))
        return
    if export:
        report_data.write(export, report, cell_guard)
        message(f"icap: wrote {export}")
    elif fmt is OutputFormat.json:
        print(report_data.json_text(report))
    elif fmt is OutputFormat.csv:
        from icap_coder.export import formats

        print(formats.csv_text(report.counts_table()), end="")
    elif fmt is OutputFormat.table:
        from icap_coder.cli.render import print_report

        print_report(out, report)


@app.command()
@fails_cleanly
def cooccur(
    paths: AnalysisPaths,
    level: Annotated[str, typer.Option("--level", help="code or group.")] = "code",
    minimum: Annotated[int, typer.Option(
        "--min", min=1, help="Only pairs coded together at least this often.")] = 1,
    fmt: FormatOption = OutputFormat.table,
    codebook: CodebookOption = None, project: ProjectOption = None, tags: TagsOption = None,
    group: GroupFilter = None, code: CodeFilter = None, case: CaseFilter = None, speaker: SpeakerFilter = None,
    document: DocumentFilter = None, source: SourceFilter = None, primary: PrimaryFilter = False,
    export: ExportOption = None, cell_guard: CellGuardOption = True,
) -> None:
    """Codes applied to the same segments: counts and the c-coefficient (n12 / (n1 + n2 - n12)).

    Exports: .csv .xlsx .md .json
    """
    from icap_coder.analysis import tables
    from icap_coder.analysis.cooccurrence import Cooccurrence
    from icap_coder.export import formats

    if level not in ("code", "group"):
        raise IcapError(f"--level must be code or group, not '{level}'")
    writers = {".csv": lambda path, data: formats.write_text(path, formats.csv_text(data, cell_guard)),
               ".xlsx": lambda path, data: formats.write_xlsx(path, {"cooccurrence": data}, guard=cell_guard),
               ".md": lambda path, data: formats.write_text(path, formats.markdown_table(data)),
               ".json": lambda path, data: formats.write_text(path, formats.records_json(formats.records(data)))}
    if export and export.suffix.lower() not in writers:
        raise IcapError("unknown export format; use .csv .xlsx .md or .json", file=str(export))
    streamed = stream_into(paths, codebook, project, tags, filters(group, code, case, speaker, document, source,
                                                                   primary), lambda book: [Cooccurrence(level)])
    data = tables.pairs([p for p in streamed.consumers[0].pairs() if p.together >= minimum])
    if export:
        writers[export.suffix.lower()](export, data)
        message(f"icap: wrote {export}")
    elif fmt is OutputFormat.table:
        from icap_coder.cli.render import cooccurrence_table

        out.print(cooccurrence_table(data, level))
    elif fmt is not OutputFormat.none:
        print_records(formats.records(data), fmt, data[0])
