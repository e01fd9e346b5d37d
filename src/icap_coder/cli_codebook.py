"""`icap codebook validate | show | evaluate | inductive`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from icap_coder.cli import OutputFormat, codebook_app, fails_cleanly, message, out, print_records, warn
from icap_coder.errors import IcapError


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
    print_records(rows, fmt, list(rows[0]))


@codebook_app.command("evaluate")
@fails_cleanly
def codebook_evaluate(
    checkset: Path = typer.Argument(..., help="Labelled segments (YAML: segments: [{lang, text, codes}])."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", "-c", help="Codebook YAML [default: the thesis codebook]."),
    min_score: float = typer.Option(1.0, "--min-score", min=0, help="Keyword hits a code needs in a segment."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List every missed and extra coding."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """Precision and recall of automatic coding against segments a person coded."""
    from icap_coder.codebook import load_codebook
    from icap_coder.evaluate import evaluate, load_checkset
    from icap_coder.render import evaluation_rows, evaluation_table

    book, _ = load_codebook(codebook)
    result = evaluate(book, load_checkset(checkset, book), min_score)
    if fmt is not OutputFormat.table:
        rows = evaluation_rows(book, result)
        print_records(rows, fmt, list(rows[0]))
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
    from icap_coder.pipeline import run
    from icap_coder.project import find_project

    project = find_project(paths)
    book_path = codebook or project.get("codebook")
    book, _ = load_codebook(book_path)
    result = run(paths, book, project.settings(tags_file=tags))
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
        print_records(rows, fmt, ["group", "code", "segments", "documents"])
    if promote and rows:
        from icap_coder.promote import promote as add_codes

        target = Path(book_path) if book_path else None
        if target is None or target.resolve() == shipped_codebook_path().resolve():
            raise IcapError("--promote edits your own codebook: pass --codebook FILE (`icap init` makes a copy)")
        added = add_codes(target, [(r["group"], r["code"]) for r in rows])
        message(f"icap: added {len(added)} inductive codes to {target}")
