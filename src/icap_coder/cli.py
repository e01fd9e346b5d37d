"""The `icap` command. Parses options, calls the library, renders; the only module that knows the terminal.

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
    from icap_coder.pipeline import Settings, run
    from icap_coder.project import find_project

    settings_project = find_project(paths, project)
    book, book_warnings = load_codebook(codebook or settings_project.get("codebook"))
    settings = Settings(
        unit=(unit.value if unit else settings_project.get("unit", "turn")),
        lang=lang or settings_project.get("lang"),
        interviewers=tuple(interviewer or settings_project.get("interviewers", [])),
        code_interviewer=code_interviewer or settings_project.get("code_interviewer", False),
        cases_file=cases or settings_project.get("cases"),
        tags_file=tags,
        min_score=min_score if min_score is not None else settings_project.get("min_score", 1.0),
        jobs=jobs if jobs is not None else settings_project.get("jobs", 0),
    )
    if settings.unit not in {u.value for u in Unit}:
        raise IcapError(f"unit '{settings.unit}' is not one of turn, paragraph, sentence",
                        file=str(settings_project.file))
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
        from icap_coder.analysis import element_summary
        from icap_coder.render import summary_table

        manual = result.manual
        note = (f"{manual.manual} manual codings; {manual.rejected} automatic codings rejected by hand"
                if manual.manual or manual.rejected else "")
        out.print(summary_table(element_summary(book, result.documents, result.codings), note))


def _tag_command(action: str, document: Path, quote: str, code_name: str, start: Optional[int], end: Optional[int],
                 memo: str, coder: Optional[str], root: Optional[Path], tags: Optional[Path],
                 codebook: Optional[Path]) -> None:
    from icap_coder.codebook import load_codebook
    from icap_coder import tagging

    book, _ = load_codebook(codebook)
    place = tagging.find_place(document, root, tags)
    begin, finish = tagging.find_quote(place, quote, start, end)
    tag, new_code = tagging.new_tag(place, book, code_name, begin, finish, action, coder, memo)
    if not tagging.add(place, tag):
        message(f"icap: already in {place.tags_path}: {action} {tag.code} on {place.relative} {begin}-{finish}")
        return
    verb = {"code": "tagged", "reject": "rejected", "confirm": "confirmed"}[action]
    out.print(f"{verb} {place.relative} {begin}-{finish} '{_short(tag.quote)}' as {tag.code} -> {place.tags_path}",
              markup=False)
    if new_code and action == "code":
        message(f"icap: '{tag.code}' is not in the codebook: a new inductive code "
                "(`icap codebook inductive` lists them, --promote adds them)")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


TAG_HELP = {
    "document": "The transcript file.",
    "quote": "The exact words to code (white space may differ); must occur once, or give --start/--end.",
    "code": "Group/Code, a code name, or a new inductive code (e.g. Overig/aanbestedingsrecht).",
}


@app.command()
@fails_cleanly
def tag(
    document: Path = typer.Argument(..., help=TAG_HELP["document"]),
    quote: str = typer.Argument(..., help=TAG_HELP["quote"]),
    code_name: str = typer.Argument(..., metavar="CODE", help=TAG_HELP["code"]),
    memo: str = typer.Option("", "--memo", help="A note kept with the coding."),
    coder: Optional[str] = typer.Option(None, "--coder", help="Who coded [default: $ICAP_CODER or your login]."),
    start: Optional[int] = typer.Option(None, "--start", help="Start offset, when the quote occurs more than once."),
    end: Optional[int] = typer.Option(None, "--end", help="End offset (exclusive)."),
    root: Optional[Path] = typer.Option(None, "--root", help="The transcripts folder [default: found upwards]."),
    tags: Optional[Path] = typer.Option(None, "--tags", help="The tags file [default: ROOT/tags.yaml]."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
) -> None:
    """Code a quote by hand: adds an entry to the tags file."""
    _tag_command("code", document, quote, code_name, start, end, memo, coder, root, tags, codebook)


@app.command()
@fails_cleanly
def reject(
    document: Path = typer.Argument(..., help=TAG_HELP["document"]),
    quote: str = typer.Argument(..., help="Words of the segment whose automatic coding is wrong."),
    code_name: str = typer.Argument(..., metavar="CODE", help="The code to take away."),
    memo: str = typer.Option("", "--memo", help="Why, for the record."),
    coder: Optional[str] = typer.Option(None, "--coder", help="Who decided [default: $ICAP_CODER or your login]."),
    start: Optional[int] = typer.Option(None, "--start"),
    end: Optional[int] = typer.Option(None, "--end"),
    root: Optional[Path] = typer.Option(None, "--root", help="The transcripts folder [default: found upwards]."),
    tags: Optional[Path] = typer.Option(None, "--tags", help="The tags file [default: ROOT/tags.yaml]."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c"),
) -> None:
    """Overrule an automatic coding: `icap code` drops it from then on."""
    _tag_command("reject", document, quote, code_name, start, end, memo, coder, root, tags, codebook)


@app.command()
@fails_cleanly
def untag(
    document: Path = typer.Argument(..., help=TAG_HELP["document"]),
    quote: str = typer.Argument(..., help="The quote of the tag, as in the tags file."),
    code_name: str = typer.Argument(..., metavar="CODE", help="The code of the tag."),
    root: Optional[Path] = typer.Option(None, "--root", help="The transcripts folder [default: found upwards]."),
    tags: Optional[Path] = typer.Option(None, "--tags", help="The tags file [default: ROOT/tags.yaml]."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c"),
) -> None:
    """Remove a manual tag (or a rejection) from the tags file."""
    from icap_coder.codebook import load_codebook
    from icap_coder import tagging

    book, _ = load_codebook(codebook)
    place = tagging.find_place(document, root, tags)
    for gone in tagging.remove(place, book, quote, code_name):
        out.print(f"removed {gone.action} {gone.code} on '{_short(gone.quote)}' (was {place.tags_path}:{gone.line})",
                  markup=False)


@app.command()
@fails_cleanly
def review(
    path: Path = typer.Argument(..., help="The transcripts folder (or one transcript)."),
    group: Optional[str] = typer.Option(None, "--group", help="Only proposals of this code group."),
    code_name: Optional[str] = typer.Option(None, "--code", help="Only proposals of this code."),
    case: Optional[str] = typer.Option(None, "--case", help="Only documents of this case."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
    tags: Optional[Path] = typer.Option(None, "--tags", help="Tags file [default: tags.yaml in the transcripts folder]."),
    coder: Optional[str] = typer.Option(None, "--coder", help="Who reviews [default: $ICAP_CODER or your login]."),
) -> None:
    """Accept or reject the automatic codings segment by segment; decisions go to the tags file at once."""
    from icap_coder import tagging
    from icap_coder.codebook import load_codebook
    from icap_coder.pipeline import Settings, run
    from icap_coder.project import find_project
    from icap_coder.review import HELP, Session, items_to_review

    project = find_project([path])
    book, _ = load_codebook(codebook or project.get("codebook"))
    root = path if path.is_dir() else path.parent
    tags_path = tags or root / "tags.yaml"
    settings = Settings(unit=project.get("unit", "turn"), interviewers=tuple(project.get("interviewers", [])),
                        tags_file=tags_path, jobs=1)
    items = items_to_review(run([path], book, settings), group, case, code_name)
    if not items:
        message("icap: nothing to review: every automatic coding has been decided")
        return
    message(f"icap: {len(items)} segments to review. {HELP}")

    def ask(prompt: str) -> str | None:
        out.print(f"{prompt} [a/r/c CODE/s/q]: ", end="", markup=False)
        line = sys.stdin.readline()
        return None if line == "" else line

    tally = Session(book, root, tags_path, ask, _show_item, lambda text: out.print(text, markup=False),
                    coder or tagging.coder_name()).run(items)
    message(f"icap: reviewed {tally.shown} segments: {tally.confirmed} confirmed, {tally.rejected} rejected, "
            f"{tally.added} codes added -> {tags_path}")


def _show_item(item, number: int, total: int, proposals) -> None:
    from rich.text import Text

    segment = item.segment
    out.print(f"\n[{number}/{total}] {segment.document} · segment {segment.index} · {segment.speaker or '-'}"
              f" ({segment.case or 'no case'})", markup=False)
    text = Text(segment.text)
    terms = {part.split(" <- ")[0] for c in proposals for part in c.evidence.split("; ") if " <- " in part}
    text.highlight_words(sorted(terms, key=len, reverse=True), style="bold reverse", case_sensitive=False)
    out.print(text)
    for n, coding in enumerate(proposals, start=1):
        out.print(f"  {n}. {coding.group}/{coding.code}   [{coding.evidence}]", markup=False)


@codebook_app.command("validate")
@fails_cleanly
def codebook_validate(file: Path = typer.Argument(..., help="Codebook YAML to check.")) -> None:
    """Check a codebook; lists every problem as file:line and exits 2 if there is one."""
    from icap_coder.codebook import load_codebook

    book, warnings = load_codebook(file)
    for text in warnings:
        warn(text)
    codes = book.codes()
    out.print(f"{file}: ok — {len(book.groups)} groups, {len(codes)} codes "
              f"({sum(c.inductive for c in codes)} inductive), languages {', '.join(book.languages)}", markup=False)


@codebook_app.command("show")
@fails_cleanly
def codebook_show(
    file: Optional[Path] = typer.Argument(None, help="Codebook YAML [default: the thesis codebook]."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Show only this language's keywords."),
) -> None:
    """Show groups, codes, definitions and keywords."""
    from icap_coder.codebook import load_codebook
    from icap_coder.render import codebook_rows, codebook_table

    book, _ = load_codebook(file)
    if fmt is OutputFormat.table:
        out.print(codebook_table(book, lang))
        return
    rows = codebook_rows(book, lang)
    if fmt is OutputFormat.json:
        import json

        out.print_json(json.dumps(rows, ensure_ascii=False)) if out.is_terminal else print(
            json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt is OutputFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@codebook_app.command("evaluate")
@fails_cleanly
def codebook_evaluate(
    checkset: Path = typer.Argument(..., help="Labelled segments (YAML: segments: [{lang, text, codes}])."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
    min_score: float = typer.Option(1.0, "--min-score", min=0, help="Keyword hits a code needs in a segment."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List every missed and extra coding."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """Precision and recall of automatic coding against segments a person coded."""
    from icap_coder.codebook import load_codebook
    from icap_coder.evaluate import evaluate, load_checkset
    from icap_coder.render import evaluation_rows, evaluation_table

    book, _ = load_codebook(codebook)
    result = evaluate(book, load_checkset(checkset, book), min_score)
    if fmt is OutputFormat.json:
        import json

        print(json.dumps(evaluation_rows(book, result), ensure_ascii=False, indent=1))
    else:
        out.print(evaluation_table(book, result))
    if show_errors:
        for kind, code_name, text in result.disagreements:
            out.print(f"{kind:6} {code_name}: {text}", markup=False)


@codebook_app.command("inductive")
@fails_cleanly
def codebook_inductive(
    paths: List[Path] = typer.Argument(..., help="Transcript files or folders."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
    promote: bool = typer.Option(False, "--promote", help="Append the new codes to the codebook file as inductive codes."),
    tags: Optional[Path] = typer.Option(None, "--tags", help="Tags file [default: tags.yaml in the transcripts folder]."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """List the codes people used that the codebook does not have (from markers and the tags file)."""
    from icap_coder.codebook import load_codebook, shipped_codebook_path
    from icap_coder.pipeline import Settings, run
    from icap_coder.project import find_project

    project = find_project(paths)
    book_path = codebook or project.get("codebook")
    book, _ = load_codebook(book_path)
    result = run(paths, book, Settings(unit=project.get("unit", "turn"), tags_file=tags,
                                       interviewers=tuple(project.get("interviewers", []))))
    known = {(c.group, c.name) for c in book.codes()}
    found: dict[tuple[str, str], set] = {}
    for coding in result.codings:
        if (coding.group, coding.code) not in known:
            found.setdefault((coding.group, coding.code), set()).add((coding.document, coding.segment))
    rows = [{"group": g, "code": c, "segments": len(s), "documents": len({d for d, _ in s})}
            for (g, c), s in sorted(found.items())]
    if fmt is OutputFormat.table:
        from rich.table import Table

        table = Table(title=f"Inductive codes not in {book.source}")
        for column in ("group", "code", "segments", "documents"):
            table.add_column(column, justify="right" if column in ("segments", "documents") else "left")
        for row in rows:
            table.add_row(row["group"], row["code"], str(row["segments"]), str(row["documents"]))
        out.print(table)
    else:
        _print_rows(rows, fmt, ["group", "code", "segments", "documents"])
    if promote and rows:
        from icap_coder.promote import promote as add_codes

        target = Path(book_path) if book_path else None
        if target is None or target.resolve() == shipped_codebook_path().resolve():
            raise IcapError("--promote edits your own codebook: pass --codebook FILE (`icap init` makes a copy)")
        added = add_codes(target, [(r["group"], r["code"]) for r in rows])
        message(f"icap: added {len(added)} inductive codes to {target}")


def _print_rows(rows: list[dict], fmt: OutputFormat, columns: list[str]) -> None:
    if fmt is OutputFormat.json:
        import json

        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt is OutputFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


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


if __name__ == "__main__":
    main()
