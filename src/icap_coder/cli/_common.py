"""What every command shares: the `app`, the options declared once, clean failures, and output.

Options used by several commands are declared here once, as `Annotated` types
(the way spaCy's `cli/_util.py` and pip's `cmdoptions.py` do it), so a flag
means the same thing, with the same help, wherever it appears.

Results go to stdout, messages to stderr. Bad input: one line, exit code 2.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from typer.core import TyperGroup

from icap_coder.errors import IcapError

if TYPE_CHECKING:
    from icap_coder.analysis.dataset import Dataset, Filters, Known
    from icap_coder.export.wording import Wording
    from icap_coder.model import Codebook, Coding, Document, Segment
    from icap_coder.settings import Project


# Click's exception classes, found through a public one: typer vendors click in some versions, not in others.
_CLICK: dict[str, Any] = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
UsageError, ClickException = _CLICK["UsageError"], _CLICK["ClickException"]


class OneLineErrors(TyperGroup):
    """A wrong flag or value is bad input like any other: one line on stderr, exit code 2."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        _tidy_help(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `icap` alone: the help, as usual
                exc.show()
            else:
                where = exc.ctx.command_path if exc.ctx else "icap"
                what = exc.format_message().replace("Value error, ", "")  # pydantic's prefix, in newer typer
                message(f"icap: error: {what} (`{where} --help` lists what is allowed)")
            sys.exit(exc.exit_code)
        except ClickException as exc:
            message(f"icap: error: {exc.format_message()}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            message("icap: aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


_METAVARS = {"Path": "PATH", "int": "N", "float": "NUMBER", "str": "TEXT"}


def _tidy_help(command: Any) -> None:
    """`--help` as a person reads it: no type noise for flags (`<bool>`), PATH / N / TEXT for values, choices
    as a|b|c, arguments in capitals. Set once on the built commands, before anything is parsed."""
    for param in getattr(command, "params", []):
        if getattr(param, "_icap_tidy", False):
            continue
        param._icap_tidy = True
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
            continue
        if param.param_type_name == "argument":  # its name says what it is: no `<list[Path]>` beside it
            param.display_type_rich = lambda ctx: None
        if param.metavar is not None:
            continue
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(descriptor, "is_choice", False):
            param.metavar = "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
        else:
            bare = param.bare_type() if hasattr(param, "bare_type") else ""
            bare = bare[5:-1] if bare.startswith("list[") else bare
            name = (param.name or "").upper() if param.param_type_name == "argument" else _METAVARS.get(bare, "TEXT")
            param.metavar = name
    for sub in getattr(command, "commands", {}).values():
        _tidy_help(sub)


app = typer.Typer(cls=OneLineErrors, rich_markup_mode=None, add_completion=False, no_args_is_help=True,
                  pretty_exceptions_enable=False,
                  help="Code interview transcripts against a YAML codebook, reproducibly.")
codebook_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Check and inspect codebooks.")
app.add_typer(codebook_app, name="codebook")
tags_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                       help="Check the tags file against today's transcripts.")
app.add_typer(tags_app, name="tags")
qdpx_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                       help="Exchange a study with ATLAS.ti, NVivo, MAXQDA and QualCoder (REFI-QDA .qdpx).")
app.add_typer(qdpx_app, name="qdpx")

class ResultConsole(Console):
    """stdout. Piped into a file or another program, a table is printed at least as wide as it needs to be
    to break no word (nor cut a name) to fit 80 columns; long text still wraps between words. On a terminal,
    it fits the window."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        from rich.table import Table

        tables = [o for o in objects if isinstance(o, Table)]
        if self.is_terminal or not tables:
            super().print(*objects, **kwargs)
            return
        wide = self.options.update_width(10_000)
        width = self.width
        self.width = max(width, *(self.measure(t, options=wide).minimum + len(t.columns) for t in tables))
        try:
            super().print(*objects, **kwargs)
        finally:
            self.width = width


out = ResultConsole(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


class Unit(str, Enum):
    turn = "turn"
    paragraph = "paragraph"
    sentence = "sentence"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    none = "none"


class Source(str, Enum):
    auto = "auto"
    manual = "manual"
    semantic = "semantic"


class ReportLanguage(str, Enum):
    nl = "nl"
    en = "en"
    sv = "sv"


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


# -- options shared by several commands ---------------------------------------------------------------------
FILTER = "Filter shared by all analysis commands."
CodebookOption = Annotated[Path | None, typer.Option(
    "--codebook", "-c", help="Codebook YAML [default: the project's, else the thesis codebook].")]
ProjectOption = Annotated[Path | None, typer.Option(
    "--project", help="Project file [default: icap.yaml here or beside the transcripts].")]
TagsOption = Annotated[Path | None, typer.Option(
    "--tags", help="Tags file of manual codings [default: tags.yaml in the transcripts folder].")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="What to print on stdout.")]
ExportOption = Annotated[Path | None, typer.Option(
    "--export", "-e", help="Write to FILE; the format follows the suffix.")]
CellGuardOption = Annotated[bool, typer.Option(
    "--cell-guard/--no-cell-guard",
    help="In CSV/XLSX files, store cells that begin with = + - @ as text, not formulas (CSV: a leading ').")]
ReportLangOption = Annotated[ReportLanguage | None, typer.Option(
    "--report-lang", help="Language of a report's captions and fixed texts [default: the project's report_lang, "
    "else the codebook's first language].")]
PaperOption = Annotated[Paper | None, typer.Option(
    "--paper", help="Paper of a .docx report [default: the project's paper, else Letter in en_US/CA-like locales, "
    "A4 elsewhere].")]
TocOption = Annotated[bool, typer.Option("--toc", help="Start a .docx report with a table of contents.")]
CoderOption = Annotated[str | None, typer.Option(
    "--coder", help="Who codes [default: $ICAP_CODER or your login].")]
RootOption = Annotated[Path | None, typer.Option(
    "--root", help="The transcripts folder [default: found upwards].")]
GroupFilter = Annotated[str | None, typer.Option("--group", help=FILTER)]
CodeFilter = Annotated[str | None, typer.Option("--code", help=FILTER)]
CaseFilter = Annotated[str | None, typer.Option("--case", help=FILTER)]
SpeakerFilter = Annotated[str | None, typer.Option("--speaker", help=FILTER)]
DocumentFilter = Annotated[str | None, typer.Option("--document", help=FILTER)]
PrimaryFilter = Annotated[bool, typer.Option(
    "--primary", help="Only each segment's primary code (one per segment). " + FILTER)]
SourceFilter = Annotated[Source | None, typer.Option(
    "--source", help="auto, manual, or semantic (suggestions by meaning, left out of every table unless you "
                     "ask for them). " + FILTER)]
AnalysisPaths = Annotated[list[Path], typer.Argument(
    help="Transcript files or folders, or one results folder of `icap code --out`.")]
TranscriptPaths = Annotated[list[Path], typer.Argument(help="Transcript files or folders (read recursively).")]

Command = TypeVar("Command", bound=Callable[..., Any])


def fails_cleanly(command: Command) -> Command:
    """Turn IcapError into `icap: error: ...` on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except IcapError as exc:
            for line in str(exc).splitlines():
                message(f"icap: error: {line}")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            message("icap: interrupted; no output was changed")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def message(text: str) -> None:
    """One line on stderr, never wrapped, so scripts and people can grep it."""
    print(text, file=sys.stderr, flush=True)


def plural(count: int, noun: str) -> str:
    """'1 document', '2 documents'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def warn(text: str) -> None:
    message(f"icap: warning: {text}")


def print_records(rows: list[dict[str, Any]], fmt: OutputFormat, columns: list[str]) -> None:
    """Rows of a result as JSON or CSV on stdout, for scripts."""
    from icap_coder.export.formats import records_csv, records_json

    print(records_csv(rows, columns) if fmt is OutputFormat.csv else records_json(rows), end="")


def command_line() -> list[str]:
    """The command as the user typed it, for the manifest."""
    return ["icap", *sys.argv[1:]]


# -- loading what commands work on ---------------------------------------------------------------------------
def project_and_codebook(paths: list[Path], codebook: Path | None,
                         project: Path | None) -> tuple[Project, Codebook, list[str], Path | None]:
    """The project file, and the codebook: a flag, else the one a results folder was coded with (when it is
    unchanged), else the project's, else the shipped one; with the codebook's warnings."""
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.settings import find_project

    found = find_project(paths, project)
    book_path = codebook
    if book_path is None and len(paths) == 1:  # a results folder knows its codebook
        from icap_coder.export.results import codebook_of, is_results_folder

        book_path = codebook_of(paths[0]) if is_results_folder(paths[0]) else None
    book_path = book_path or found.get("codebook")
    book, warnings = load_codebook(book_path)
    return found, book, warnings, book_path


def load_dataset(paths: list[Path], codebook: Path | None, project: Path | None, tags: Path | None,
                 filters: Filters) -> Dataset:
    """The dataset to analyse, all in memory: a results folder read back, or transcripts coded now; filtered.
    (The analysis commands stream instead: see `stream_into`.)"""
    from icap_coder.analysis.dataset import from_run
    from icap_coder.export.results import is_results_folder, read_results

    found, book, _, _ = project_and_codebook(paths, codebook, project)
    if len(paths) == 1 and is_results_folder(paths[0]):
        dataset = read_results(paths[0], book)
    else:
        from icap_coder.coding.run import run

        settings = found.settings(tags_file=tags)
        dataset = from_run(run(paths, book, settings), book, settings.unit)
    for text in dataset.warnings:
        warn(text)
    filters.check(dataset.known())
    return dataset.filtered(filters)


@dataclass
class Streamed:
    codebook: Codebook  # as the filters show it
    meta: dict[str, Any]  # for the method appendix: codebook, unit, counts, filters
    known: Known
    consumers: list[Any]
    project: Project


def stream_into(paths: list[Path], codebook: Path | None, project: Path | None, tags: Path | None,
                filters: Filters, make: Callable[[Codebook], list[Any]]) -> Streamed:
    """Feed every document, filtered, to consumers (`add(document, codings, base)`), one at a time.

    `make` gets the codebook as the filters show it and returns the consumers.

    From a results folder or from transcripts coded now; either way memory holds one document, so
    the analysis commands work on any number of them. Filter values are checked after the pass,
    against what the documents held, before anything is printed.
    """
    from icap_coder.analysis.dataset import Known, only_group
    from icap_coder.export.results import ResultsReader, is_results_folder

    found, book, _, _ = project_and_codebook(paths, codebook, project)
    shown = only_group(book, filters.group)
    consumers = make(shown)
    known = Known.of(book)
    counts = {"documents": 0, "segments": 0}
    rejected: list[int | None] = []

    def handle(document: Document, segments: list[Segment], codings: list[Coding]) -> None:
        known.add(document, segments, codings)
        counts["documents"] += 1
        counts["segments"] += len(segments)
        if filters.keep_document(document):
            kept = [c for c in codings if filters.keep(c)]
            counted = [c for c in codings if not c.suggested]  # the denominators count codings only
            for consumer in consumers:
                consumer.add(document, kept, counted)
                if hasattr(consumer, "segments"):  # e.g. the report's agreement between people
                    consumer.segments(document, segments, codings)

    if len(paths) == 1 and is_results_folder(paths[0]):
        reader = ResultsReader(paths[0], book)
        meta, warnings = dict(reader.meta), reader.warnings
        for bundle in reader.documents():
            handle(bundle.document, bundle.segments, bundle.codings)
            rejected.append(bundle.rejected)
    else:
        from icap_coder.coding.run import run

        settings = found.settings(tags_file=tags)
        result = run(paths, book, settings, keep=False,
                     sink=lambda r: handle(r.document, r.segments, r.codings))
        meta = {"codebook": book.name, "codebook_version": book.version, "codebook_sha256": book.sha256,
                "codebook_path": book.source, "unit": settings.unit, "semantic": settings.semantic}
        warnings = result.skipped + result.warnings
        rejected.append(result.manual.rejected)
    for text in warnings:  # a tag not applied, a file skipped: the tables are short of it
        warn(text)
    filters.check(known)
    total_rejected = sum(r for r in rejected if r is not None) if all(r is not None for r in rejected) else None
    meta.update(counts, rejected=total_rejected, filters=filters.describe())
    return Streamed(shown, meta, known, consumers, found)


@dataclass
class ReportStyle:
    """How a report is worded and printed: from the flags, else the project file, else the defaults."""

    words: Wording
    paper: str
    toc: bool = False


def report_style(streamed: Streamed, lang: ReportLanguage | None, paper: Paper | None,
                 toc: bool = False) -> ReportStyle:
    from icap_coder.export.wording import for_codebook
    from icap_coder.settings import paper_from_locale

    chosen = lang.value if lang else streamed.project.get("report_lang")
    return ReportStyle(for_codebook(streamed.codebook.languages, chosen),
                       paper.value if paper else streamed.project.get("paper") or paper_from_locale(), toc)


def filters(group: str | None, code: str | None, case: str | None, speaker: str | None, document: str | None,
            source: Source | None, primary: bool = False) -> Filters:
    from icap_coder.analysis.dataset import Filters

    return Filters(group, code, case, speaker, document, source.value if source else None, primary)
