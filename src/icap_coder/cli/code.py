"""`icap code` (the main job) and `icap init` (a project to start from)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from icap_coder.cli._common import (
    CellGuardOption,
    CodebookOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    TagsOption,
    TranscriptPaths,
    Unit,
    app,
    command_line,
    err,
    fails_cleanly,
    message,
    out,
    plural,
    project_and_codebook,
    warn,
)
from icap_coder.errors import IcapError

if TYPE_CHECKING:
    from icap_coder.coding.run import DocumentResult, RunResult
    from icap_coder.model import Codebook, Coding, Document
    from icap_coder.settings import Settings


class Executor(str, Enum):
    process = "process"
    dask = "dask"


@app.command()
@fails_cleanly
def code(
    paths: TranscriptPaths,
    codebook: CodebookOption = None,
    unit: Annotated[Unit | None, typer.Option("--unit", "-u", help="Segment unit [default: turn].")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of every document (nl, en, sv) instead of detecting it.")] = None,
    interviewer: Annotated[list[str] | None, typer.Option(
        "--interviewer", "-i",
        help="Speaker name of an interviewer (repeatable); I:, Q:, Interviewer: are known.")] = None,
    code_interviewer: Annotated[bool, typer.Option("--code-interviewer", help="Code interviewer turns too.")] = False,
    cases: Annotated[Path | None, typer.Option(
        "--cases", help="Cases file (CSV or YAML) [default: cases.csv beside the transcripts].")] = None,
    tags: TagsOption = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output folder [default: ./icap-results].")] = None,
    fmt: FormatOption = OutputFormat.table,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=0, help="Worker processes [default: one per core].")] = None,
    min_score: Annotated[float | None, typer.Option(
        "--min-score", min=0, help="Keyword hits a code needs in a segment [default: 1].")] = None,
    project: ProjectOption = None,
    cell_guard: CellGuardOption = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no warnings.")] = False,
    semantic: Annotated[bool, typer.Option(
        "--semantic", help="Also suggest codes by meaning where the keywords coded nothing (source 'semantic'; "
                           "not counted until accepted in `icap review`). Needs pip install "
                           "'icap-coder[semantic]'.")] = False,
    semantic_min_z: Annotated[float | None, typer.Option(
        "--semantic-min-z", help="How far (in standard deviations) above a code's usual similarity a segment "
                                 "must stand to get it suggested [default: 1].")] = None,
    executor: Annotated[Executor | None, typer.Option(
        "--executor", help="Where the work runs: process (worker processes here) or dask (a Dask cluster; "
                           "pip install 'icap-coder[dask]') [default: process].")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="The Dask scheduler, e.g. tcp://HOST:8786 [default: a local cluster with --jobs "
                            "workers].")] = None,
    scheduler_file: Annotated[Path | None, typer.Option(
        "--scheduler-file", help="The file `dask scheduler --scheduler-file` wrote, instead of --scheduler.")]
        = None,
) -> None:
    """Code every segment of the transcripts and write the results folder (segments, codings, manifest)."""
    found, book, book_warnings, _ = project_and_codebook(paths, codebook, project)
    settings = found.settings(
        unit=unit.value if unit else None, lang=lang, interviewers=interviewer, code_interviewer=code_interviewer,
        cases_file=cases, tags_file=tags, min_score=min_score, jobs=jobs, semantic=semantic,
        semantic_min_z=semantic_min_z, executor=executor.value if executor else None, scheduler=scheduler,
        scheduler_file=scheduler_file)
    if (settings.scheduler or settings.scheduler_file) and settings.executor != "dask":
        raise IcapError("--scheduler and --scheduler-file are for --executor dask")
    folder = out_dir or found.get("out") or Path("icap-results")
    for text in book_warnings if not quiet else []:
        warn(text)
    inputs = [{"kind": "codebook", "path": book.source, "sha256": book.sha256}]
    if found.file is not None:
        from icap_coder.coding.run import input_file

        inputs.append(input_file("project", found.file))
    from icap_coder.analysis.crosstab import Tabulator

    tabulator = Tabulator(book, "case")  # the summary table, built as documents finish (if it is shown)
    printer = CodingPrinter(fmt)
    consumers = [Counted(tabulator), printer] if fmt is OutputFormat.table else [printer]
    result = _run_and_write(folder, paths, book, settings, quiet, cell_guard, inputs, consumers)
    printer.close()
    for text in (result.skipped + result.warnings) if not quiet else []:
        warn(text)
    if fmt is OutputFormat.table:
        from icap_coder.cli.render import summary_table

        manual = result.manual
        note = (f"{manual.manual} manual codings; {manual.rejected} automatic codings rejected by hand"
                if manual.manual or manual.rejected else "")
        out.print(summary_table(tabulator.result(), note))
    if not quiet:
        manual, counts = result.manual, result.counts
        message(f"icap: {plural(counts['documents'], 'document')}, {plural(counts['segments'], 'segment')}, "
                f"{plural(counts['codings'], 'coding')} ({manual.manual} manual, "
                f"{manual.rejected} automatic rejected) -> {folder}/")
        if settings.semantic:
            message(f"icap: {plural(counts['suggestions'], 'suggestion')} by meaning where the keywords coded "
                    "nothing (source 'semantic'; not counted in any table until accepted in `icap review`)")


class Counted:
    """A table's view of a document's codings: suggestions by meaning are not codings until accepted."""

    def __init__(self, table: Any):
        self.table = table

    def add(self, document: Document, codings: list[Coding]) -> None:
        self.table.add(document, [c for c in codings if not c.suggested])


class CodingPrinter:
    """`--format json|csv`: every coding on stdout as its document is done, never all of them in memory."""

    def __init__(self, fmt: OutputFormat):
        self.fmt, self.first = fmt, True

    def add(self, document: Document, codings: list[Coding]) -> None:
        from icap_coder.export import records
        from icap_coder.export.contract import CODING_COLUMNS

        if self.fmt is OutputFormat.csv:
            if self.first:
                sys.stdout.write(records.header(CODING_COLUMNS))
            sys.stdout.write(records.codings_csv(codings))
            self.first = False
        elif self.fmt is OutputFormat.json and codings:
            sys.stdout.write(("[\n" if self.first else ",\n") + records.json_array_items(codings))
            self.first = False

    def close(self) -> None:
        if self.fmt is OutputFormat.json:
            sys.stdout.write("[]\n" if self.first else "\n]\n")
        elif self.fmt is OutputFormat.csv and self.first:
            from icap_coder.export import records
            from icap_coder.export.contract import CODING_COLUMNS

            sys.stdout.write(records.header(CODING_COLUMNS))
        sys.stdout.flush()


def _run_and_write(folder: Path, paths: list[Path], book: Codebook, settings: Settings, quiet: bool,
                   guard: bool, inputs: list[dict[str, str]], also: list[Any]) -> RunResult:
    """Run the job, streaming each document's rows into the results folder (and to `also`); all-or-nothing."""
    from functools import partial

    from icap_coder.coding.run import run
    from icap_coder.export.results import render_rows, write_results

    render = partial(render_rows, guard=guard)  # picklable, for workers that cannot fork
    with write_results(folder, guard) as writer:

        def sink(document_result: DocumentResult) -> None:
            writer.add(document_result)
            for consumer in also:
                consumer.add(document_result.document, document_result.codings)

        if quiet or not err.is_terminal:
            result = run(paths, book, settings, sink=sink, prepare=render, keep=False)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err, transient=True) as bar:
                task = bar.add_task("coding", total=None)
                result = run(paths, book, settings, sink=sink, prepare=render, keep=False,
                             progress=lambda done, total: bar.update(task, completed=done, total=total))
        writer.finish(result, book, settings, command_line(), inputs)
    return result


@app.command()
@fails_cleanly
def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the project [default: here].")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing icap.yaml / codebook.yaml.")] = False,
) -> None:
    """Start a project: icap.yaml, codebook.yaml (a copy of the thesis codebook to adapt), and transcripts/
    with one short example interview and its cases file, so that `icap code transcripts/` works at once."""
    from importlib import resources

    from icap_coder.atomic import write_text_atomic
    from icap_coder.codebook.loader import shipped_codebook_path
    from icap_coder.settings import TEMPLATE

    targets = [folder / "icap.yaml", folder / "codebook.yaml"]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise IcapError("already exists; use --force to overwrite it", file=existing[0])
    write_text_atomic(targets[0], TEMPLATE)
    write_text_atomic(targets[1], shipped_codebook_path().read_text(encoding="utf-8"))
    written = list(targets)
    transcripts = folder / "transcripts"
    if not transcripts.exists():  # never mixed into a folder of the person's own transcripts
        starter = resources.files("icap_coder") / "starter" / "transcripts"
        for relative in ("Voorbeeldstad/V1-beleidsmedewerker.txt", "cases.csv"):
            target = transcripts / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(target, (starter / relative).read_text(encoding="utf-8"))
            written.append(target)
    for target in written:
        out.print(f"wrote {target}", markup=False)
    where = "" if folder == Path(".") else f"cd {folder} && "
    message(f"next: {where}icap code transcripts/   (then put your own transcripts in transcripts/)")
