"""`icap codebook validate | show | evaluate | inductive`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from icap_coder.analysis.evaluate import CheckItem, Prediction
    from icap_coder.model import Codebook


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
    rows = codebook_rows(book, lang, flat=fmt is OutputFormat.csv)
    print_records(rows, fmt, list(rows[0]))


@codebook_app.command("evaluate")
@fails_cleanly
def codebook_evaluate(
    checksets: Annotated[list[Path] | None, typer.Argument(
        help="Labelled segments (YAML: segments: [{text, lang, codes, group, split}]); several are pooled.")] = None,
    against: Annotated[Path | None, typer.Option(
        "--against", help="Your own coding as the check set: the transcripts folder, or its tags file.")] = None,
    codebook: CodebookOption = None,
    project: ProjectOption = None,
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
    if not checksets and against is None:
        raise IcapError("give a check set, or --against your transcripts folder (or its tags file)")
    book, _ = load_codebook(codebook)
    items = [item for path in checksets or [] for item in load_checkset(path, book)
             if (split == "all" or item.split == split) and (lang is None or item.lang == lang)]
    predictions = None
    if against is not None:
        own, own_predictions = _own_coding(against, book, codebook, project, min_score)
        kept = [(i, p) for i, p in zip(own, own_predictions) if lang is None or i.lang == lang]
        if items:  # pooled with check sets: predict those, keep the study's own predictions
            from icap_coder.analysis.evaluate import predict

            predictions = predict(book, items, min_score) + [p for _, p in kept]
        else:
            predictions = [p for _, p in kept]
        items += [i for i, _ in kept]
    if not items:
        raise IcapError("no segments to compare: none in the check set(s) with that --split/--lang, and none "
                        "decided by a person (tag, confirm, reject, marker) in the study")
    result = evaluate(book, items, min_score, bootstrap, predictions)
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


def _own_coding(against: Path, book: Codebook, codebook: Path | None, project: Path | None,
                min_score: float) -> tuple[list[CheckItem], list[Prediction]]:
    """The person's decisions in a study, and what the rules code on the same segments."""
    from icap_coder.analysis.against import from_study
    from icap_coder.coding.run import run

    root, tags = (against.parent, against) if against.is_file() and against.suffix in (".yaml", ".yml") \
        else (against, None)
    found, _, _, _ = project_and_codebook([root], codebook, project)
    settings = found.settings(tags_file=tags, min_score=min_score)
    settings.semantic = False  # this judges the keyword rules: suggestions by meaning are not theirs
    merged = run([root], book, settings)
    settings.manual = False
    rules = run([root], book, settings)
    return from_study(book, merged.segments, merged.codings, merged.manual.rejections, rules.codings)


@codebook_app.command("suggest")
@fails_cleanly
def codebook_suggest(
    paths: TranscriptPaths,
    code: Annotated[str | None, typer.Option("--code", help="Only this code (name or Group/Code).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Terms per code.")] = 10,
    min_z: Annotated[float, typer.Option(
        "--min-z", help="Show terms from this z-score (1.96: distinctive at the 5% level).")] = 1.0,
    codebook: CodebookOption = None,
    tags: TagsOption = None,
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Keywords your own coding suggests: the terms that set each code's segments apart (nothing is changed)."""
    from icap_coder.analysis.suggest import suggest
    from icap_coder.coding.run import run

    found, book, _, _ = project_and_codebook(paths, codebook, project)
    settings = found.settings(tags_file=tags)
    merged = run(paths, book, settings)
    if not any(c.source == "manual" for c in merged.codings):
        raise IcapError("no manual codings to learn from: code some segments first (`icap tag`, `icap review`, "
                        "or [#Code] markers)")
    settings.manual = False
    rules = run(paths, book, settings)
    rows = [vars(s) for s in suggest(merged.segments, merged.codings, rules.codings, top, code, min_z)]
    columns = ["code", "term", "z", "in_code", "code_segments", "would_add", "would_also_catch"]
    if fmt is OutputFormat.table:
        from icap_coder.cli.render import suggestion_table

        out.print(suggestion_table(rows))
    elif fmt is not OutputFormat.none:
        print_records(rows, fmt, columns)


@codebook_app.command("diff")
@fails_cleanly
def codebook_diff(
    old: Annotated[Path, typer.Argument(help="The codebook as it was.")],
    new: Annotated[Path, typer.Argument(help="The codebook as you changed it.")],
    paths: TranscriptPaths,
    project: ProjectOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Which segments gain or lose which codes when OLD becomes NEW (the rules' codings, on your transcripts)."""
    from icap_coder.analysis.codebook_diff import diff
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.coding.run import run

    found, _, _, _ = project_and_codebook(paths, old, project)
    settings = found.settings()
    settings.manual = False
    before_book, _ = load_codebook(old)
    after_book, _ = load_codebook(new)
    before = run(paths, before_book, settings)
    after = run(paths, after_book, settings)
    result = diff(before.segments, before.codings, after.codings)
    rows = [{"document": c.document, "segment": c.segment, "speaker": c.speaker, "gained": "; ".join(c.gained),
             "lost": "; ".join(c.lost), "primary_before": c.primary_before, "primary_after": c.primary_after,
             "text": c.text} for c in result.changes]
    if fmt is OutputFormat.table:
        from icap_coder.cli.render import diff_table

        out.print(diff_table(result))
    elif fmt is not OutputFormat.none:
        print_records(rows, fmt, ["document", "segment", "speaker", "gained", "lost", "primary_before",
                                  "primary_after", "text"])
    message(f"icap: {len(result.changes)} of {result.segments} segments change; "
            + (", ".join(f"+{n} {code}" for code, n in result.gained.most_common()) or "no code gained") + "; "
            + (", ".join(f"-{n} {code}" for code, n in result.lost.most_common()) or "no code lost"))


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
