"""`icap codebook validate | show | evaluate | inductive`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icap_coder.cli._common import (
    CodebookOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    TagsOption,
    TranscriptPaths,
    codebook_app,
    fails_cleanly,
    message,
    out,
    print_records,
    project_and_codebook,
    warn,
)
from icap_coder.errors import IcapError


@codebook_app.command("validate")
@fails_cleanly
def codebook_validate(file: Annotated[Path, typer.Argument(help="Codebook YAML to check.")]) -> None:
    """Check a codebook; lists every problem as file:line and exits 2 if there is one."""
    from icap_coder.codebook.loader import load_codebook

    book, warnings = load_codebook(file)
    for text in warnings:
        warn(text)
    codes = book.codes()
    out.print(f"{file}: ok — {len(book.groups)} groups, {len(codes)} codes "
              f"({sum(c.inductive for c in codes)} inductive), languages {', '.join(book.languages)}", markup=False)


@codebook_app.command("show")
@fails_cleanly
def codebook_show(
    file: Annotated[Path | None, typer.Argument(help="Codebook YAML [default: the thesis codebook].")] = None,
    fmt: FormatOption = OutputFormat.table,
    lang: Annotated[str | None, typer.Option("--lang", help="Show only this language's keywords.")] = None,
) -> None:
    """Show groups, codes, definitions and keywords."""
    from icap_coder.cli.render import codebook_rows, codebook_table
    from icap_coder.codebook.loader import load_codebook

    book, _ = load_codebook(file)
    if fmt is OutputFormat.table:
        out.print(codebook_table(book, lang))
        return
    rows = codebook_rows(book, lang)
    print_records(rows, fmt, list(rows[0]))


@codebook_app.command("evaluate")
@fails_cleanly
def codebook_evaluate(
    checksets: Annotated[list[Path], typer.Argument(
        help="Labelled segments (YAML: segments: [{text, lang, codes, group, split}]); several are pooled.")],
    codebook: CodebookOption = None,
    split: Annotated[str, typer.Option(
        "--split", help="dev (used to tune), holdout (never tuned on: the honest estimate) or all.")] = "all",
    lang: Annotated[str | None, typer.Option("--lang", help="Only the segments of this language.")] = None,
    min_score: Annotated[float, typer.Option(
        "--min-score", min=0, help="Weighted keyword score a code needs in a segment.")] = 1.0,
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", min=0, help="Resamples for the 95% intervals (0: none).")] = 1000,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List every missed and extra coding.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Agreement of automatic coding with segments a person coded: per code, and per segment with kappa."""
    from icap_coder.analysis.evaluate import evaluate, load_checkset, summary
    from icap_coder.cli.render import agreement_table, confusion_table, evaluation_rows, evaluation_table
    from icap_coder.codebook.loader import load_codebook

    if split not in ("dev", "holdout", "all"):
        raise IcapError(f"--split must be dev, holdout or all, not '{split}'")
    book, _ = load_codebook(codebook)
    items = [item for path in checksets for item in load_checkset(path, book)
             if (split == "all" or item.split == split) and (lang is None or item.lang == lang)]
    if not items:
        raise IcapError("no segments in the check set(s) with that --split/--lang")
    result = evaluate(book, items, min_score, bootstrap)
    if fmt is OutputFormat.json:
        import json

        print(json.dumps({"codes": evaluation_rows(book, result), **summary(result)}, ensure_ascii=False, indent=1))
    elif fmt is OutputFormat.csv:
        rows = evaluation_rows(book, result)
        print_records(rows, fmt, list(rows[0]))
    elif fmt is OutputFormat.table:
        out.print(evaluation_table(book, result))
        out.print(agreement_table(result))
        out.print(confusion_table(result))
    if show_errors:
        for kind, code_name, text in result.disagreements:
            out.print(f"{kind:6} {code_name}: {text}", markup=False)


@codebook_app.command("inductive")
@fails_cleanly
def codebook_inductive(
    paths: TranscriptPaths,
    codebook: CodebookOption = None,
    promote: Annotated[bool, typer.Option(
        "--promote", help="Append the new codes to the codebook file as inductive codes.")] = False,
    tags: TagsOption = None,
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List the codes people used that the codebook does not have (from markers and the tags file)."""
    from icap_coder.analysis.inductive import inductive_codes
    from icap_coder.codebook.loader import shipped_codebook_path
    from icap_coder.coding.run import run

    found, book, _, book_path = project_and_codebook(paths, codebook, project)
    rows = inductive_codes(book, run(paths, book, found.settings(tags_file=tags)).codings)
    if fmt is OutputFormat.table:
        from icap_coder.cli.render import inductive_table

        out.print(inductive_table(rows, book.source))
    else:
        print_records(rows, fmt, ["group", "code", "segments", "documents", "looks_like"])
    if promote and rows:
        from icap_coder.codebook.promote import promote as add_codes

        target = Path(book_path) if book_path else None
        if target is None or target.resolve() == shipped_codebook_path().resolve():
            raise IcapError("--promote edits your own codebook: pass --codebook FILE (`icap init` makes a copy)")
        for row in rows:
            if row["looks_like"]:
                message(f"icap: not promoted: '{row['code']}' looks like a typo of {row['looks_like']}; fix the "
                        "marker or tag, or rename the code")
        added = add_codes(target, [(r["group"], r["code"]) for r in rows if not r["looks_like"]])
        message(f"icap: added {len(added)} inductive codes to {target}")
