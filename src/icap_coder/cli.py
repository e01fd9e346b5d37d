"""The `icap` command. Parses options, calls the library, renders; with cli_*.py the only code that knows the terminal.

Results go to stdout, messages to stderr. Bad input: one line, exit code 2.
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from icap_coder import __version__
from icap_coder.errors import IcapError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Code interview transcripts against a YAML codebook, reproducibly.")
codebook_app = typer.Typer(no_args_is_help=True, help="Check and inspect codebooks.")
app.add_typer(codebook_app, name="codebook")

out = Console(highlight=False, soft_wrap=True)
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


def fails_cleanly(command):
    """Turn IcapError into `icap: error: ...` on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except IcapError as exc:
            for line in str(exc).splitlines():
                message(f"icap: error: {line}")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            message("icap: interrupted; no output was changed")
            raise typer.Exit(130) from None

    return wrapper


def message(text: str) -> None:
    """One line on stderr, never wrapped, so scripts and people can grep it."""
    print(text, file=sys.stderr, flush=True)


def warn(text: str) -> None:
    message(f"icap: warning: {text}")


def print_records(rows: list[dict], fmt: "OutputFormat", columns: list[str]) -> None:
    """Rows of a result as JSON or CSV on stdout, for scripts."""
    from icap_coder.export.formats import records_csv, records_json

    print(records_csv(rows, columns) if fmt is OutputFormat.csv else records_json(rows), end="")


def version_callback(value: bool) -> None:
    if value:
        out.print(f"icap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                              help="Show the version and exit.")) -> None:
    pass


@app.command()
@fails_cleanly
def code(
    paths: List[Path] = typer.Argument(..., help="Transcript files or folders (read recursively)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
    unit: Optional[Unit] = typer.Option(None, "--unit", "-u", help="Segment unit [default: turn]."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of every document (nl, en, sv) instead of detecting it."),
    interviewer: Optional[List[str]] = typer.Option(None, "--interviewer", "-i", help="Speaker name of an interviewer (repeatable); I:, Q:, Interviewer: are known."),
    code_interviewer: bool = typer.Option(False, "--code-interviewer", help="Code interviewer turns too."),
    cases: Optional[Path] = typer.Option(None, "--cases", help="Cases file (CSV or YAML) [default: cases.csv beside the transcripts]."),
    tags: Optional[Path] = typer.Option(None, "--tags", help="Tags file of manual codings [default: tags.yaml in the transcripts folder]."),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder [default: ./icap-results]."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="What to print on stdout."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=0, help="Worker processes [default: one per core]."),
    min_score: Optional[float] = typer.Option(None, "--min-score", min=0, help="Keyword hits a code needs in a segment [default: 1]."),
    project: Optional[Path] = typer.Option(None, "--project", help="Project file [default: icap.yaml here or beside the transcripts]."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, no warnings."),
) -> None:
    """Code every segment of the transcripts and write segments.csv, codings.csv, codings.jsonl, manifest.json."""
    from icap_coder.codebook import load_codebook
    from icap_coder.pipeline import run
    from icap_coder.project import find_project

    settings_project = find_project(paths, project)
    book, book_warnings = load_codebook(codebook or settings_project.get("codebook"))
    settings = settings_project.settings(
        unit=unit.value if unit else None, lang=lang, interviewers=interviewer, code_interviewer=code_interviewer,
        cases_file=cases, tags_file=tags, min_score=min_score, jobs=jobs)
    folder = out_dir or settings_project.get("out") or Path("icap-results")
    for text in book_warnings if not quiet else []:
        warn(text)
    result = _run_and_write(folder, run, paths, book, settings, quiet)
    for text in (result.skipped + result.warnings) if not quiet else []:
        warn(text)
    _print_result(result, book, fmt)
    if not quiet:
        manual = result.manual
        message(f"icap: {len(result.documents)} documents, {len(result.segments)} segments, "
                f"{len(result.codings)} codings ({manual.manual} manual, {manual.rejected} automatic rejected) "
                f"-> {folder}/")


def _run_and_write(folder: Path, run, paths, book, settings, quiet: bool):
    """Run the job, streaming each document's rows into the output files; all-or-nothing."""
    from icap_coder.atomic import file_set
    from icap_coder.export.csv_files import header
    from icap_coder.export.manifest import build_manifest, write_manifest
    from icap_coder.export.tables import CODING_COLUMNS, SEGMENT_COLUMNS

    with file_set(folder) as files, files.open("segments.csv", newline="") as segments, \
            files.open("codings.csv", newline="") as codings, files.open("codings.jsonl") as jsonl:
        segments.write(header(SEGMENT_COLUMNS))
        codings.write(header(CODING_COLUMNS))
        streams = {"segments.csv": segments, "codings.csv": codings, "codings.jsonl": jsonl}

        def sink(document_result) -> None:
            for name, rows in document_result.rendered.items():
                streams[name].write(rows)

        if quiet or not err.is_terminal:
            result = run(paths, book, settings, sink=sink)
        else:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err, transient=True) as bar:
                task = bar.add_task("coding", total=None)
                result = run(paths, book, settings, sink=sink,
                             progress=lambda done, total: bar.update(task, completed=done, total=total))
        with files.open("manifest.json") as stream:
            write_manifest(stream, build_manifest(result, book, settings, ["icap"] + sys.argv[1:]))
    return result


def _print_result(result, book, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        from icap_coder.export.json_files import write_codings_json

        write_codings_json(sys.stdout, result.codings)
    elif fmt is OutputFormat.csv:
        from icap_coder.export.csv_files import write_codings

        write_codings(sys.stdout, result.codings)
    elif fmt is OutputFormat.table:
        from icap_coder.analysis import tabulate
        from icap_coder.render import summary_table

        manual = result.manual
        note = (f"{manual.manual} manual codings; {manual.rejected} automatic codings rejected by hand"
                if manual.manual or manual.rejected else "")
        out.print(summary_table(tabulate(book, result.documents, result.codings, "case"), note))


@app.command()
@fails_cleanly
def init(
    folder: Path = typer.Argument(Path("."), help="Folder for the project [default: here]."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing icap.yaml / codebook.yaml."),
) -> None:
    """Start a project: icap.yaml with defaults and codebook.yaml, a copy of the thesis codebook to adapt."""
    from icap_coder.atomic import write_text_atomic
    from icap_coder.codebook import shipped_codebook_path
    from icap_coder.project import TEMPLATE

    targets = [folder / "icap.yaml", folder / "codebook.yaml"]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise IcapError("already exists; use --force to overwrite it", file=existing[0])
    write_text_atomic(targets[0], TEMPLATE)
    write_text_atomic(targets[1], shipped_codebook_path().read_text(encoding="utf-8"))
    for target in targets:
        out.print(f"wrote {target}", markup=False)
    message("next: put transcripts in a folder and run `icap code FOLDER`")


def main() -> None:
    app()


from icap_coder import cli_analysis, cli_codebook, cli_manual  # noqa: E402,F401  (they register commands on `app`)


if __name__ == "__main__":
    main()
