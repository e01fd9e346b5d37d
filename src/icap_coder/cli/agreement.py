"""`icap agree`: intercoder agreement between the people who coded a study, and icap's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from icap_coder.cli._common import (
    CellGuardOption,
    CodebookOption,
    ExportOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    TranscriptPaths,
    Unit,
    app,
    fails_cleanly,
    message,
    out,
    print_records,
    project_and_codebook,
    warn,
)
from icap_coder.errors import IcapError

UNKNOWN_CODER = "unknown"


@app.command()
@fails_cleanly
def agree(
    paths: TranscriptPaths,
    coder: Annotated[list[str] | None, typer.Option(
        "--coder", help="A coder to compare (repeat it); default: every coder in the tags files.")] = None,
    auto: Annotated[bool, typer.Option(
        "--auto", help="Add icap's automatic coding as one more coder, with its precision/recall per person.")]
        = False,
    tags: Annotated[list[Path] | None, typer.Option(
        "--tags", help="Tags file (repeat it for coders who worked apart) [default: tags.yaml of the study].")]
        = None,
    unit: Annotated[Unit | None, typer.Option("--unit", "-u", help="Unit of analysis [default: turn].")] = None,
    show: Annotated[bool, typer.Option(
        "--show", help="List the disagreements (document, speaker, quote, who coded what) instead of the figures "
                       "with --format json|csv; after them on screen.")] = False,
    fmt: FormatOption = OutputFormat.table,
    codebook: CodebookOption = None, project: ProjectOption = None,
    export: ExportOption = None, cell_guard: CellGuardOption = True,
) -> None:
    """Intercoder agreement per code, per group and overall: percent, Cohen's kappa, Krippendorff's alpha.

    Exports: .csv .xlsx .md .json .docx
    """
    from icap_coder.analysis.agreement import ICAP, AgreementBuilder, document_units, method_note, person_codings
    from icap_coder.coding.run import run
    from icap_coder.export import agreement as agreement_export
    from icap_coder.ingest.registry import study_root
    from icap_coder.manual.tagsfile import TAGS_FILE, Tag, load_tags

    if export and export.suffix.lower() not in agreement_export.SUFFIXES:
        raise IcapError("unknown export format; use .csv .xlsx .md .json or .docx", file=str(export))
    found, book, _, _ = project_and_codebook(paths, codebook, project)
    settings = found.settings(unit=unit.value if unit else None)
    settings.manual = False  # each coder's tags are placed on their own below; the rules code alone
    files = list(tags) if tags else list(dict.fromkeys(study_root(p) / TAGS_FILE for p in paths))
    for path in files:
        if tags and not path.is_file():
            raise IcapError("tags file not found; check --tags", file=str(path))
    entries: list[tuple[str, Tag]] = [(str(path), tag) for path in files for tag in load_tags(path)]
    people = list(dict.fromkeys(tag.coder or UNKNOWN_CODER for _, tag in entries))
    for name in coder or []:
        if name not in people:
            raise IcapError(f"no tags by coder '{name}'; coders in the tags files: {', '.join(people) or 'none'}")
    chosen = list(dict.fromkeys(coder)) if coder else people
    if ICAP in chosen:
        raise IcapError(f"a person is named '{ICAP}', the name of icap's own coding; rename them in the tags file")
    coders = [*chosen, ICAP] if auto else chosen
    if len(coders) < 2:
        raise IcapError("agreement needs at least two coders; found "
                        + (", ".join(coders) if coders else "none")
                        + ": give each tags entry a `coder:`, pass more --tags files, or add --auto")
    builder = AgreementBuilder(book, coders)
    placed: set[int] = set()
    documents = 0

    def sink(result: Any) -> None:
        nonlocal documents
        document = result.document
        names = (document.path, document.path.rsplit("/", 1)[-1])
        coded: dict[str, list[Any]] = {}
        for person in chosen:
            mine = [(file, tag) for file, tag in entries if (tag.coder or UNKNOWN_CODER) == person
                    and tag.document in names]
            placed.update(id(tag) for _, tag in mine)
            for file in dict.fromkeys(file for file, _ in mine):
                codings, notes = person_codings(document, result.segments, [t for f, t in mine if f == file], book,
                                                file)
                coded.setdefault(person, []).extend(codings)
                for note in notes:
                    warn(note)
        if auto and document.language in book.languages:
            coded[ICAP] = [c for c in result.codings if c.source == "auto"]
        if len(coded) >= 2:
            documents += 1
        for found_unit in document_units(document, result.segments, coded, settings.code_interviewer):
            builder.add(found_unit)

    ran = run(paths, book, settings, sink=sink, keep=False)
    for text in ran.warnings:
        warn(text)
    for file, tag in entries:
        if id(tag) not in placed and (tag.coder or UNKNOWN_CODER) in chosen:
            warn(f"{file}:{tag.line}: no transcript '{tag.document}' among the paths given; not counted")
    if not builder.units:
        raise IcapError(f"no document was coded by two of {', '.join(coders)}: agreement needs the same "
                        "transcripts coded by each")
    method = method_note(settings.unit, len(builder.units), documents, coders, auto)
    message(f"icap: {method}")
    rows = builder.rows()
    disagreements = builder.disagreements()
    if export:
        agreement_export.write(export, rows, disagreements, method, cell_guard)
        message(f"icap: wrote {export}")
    elif fmt is OutputFormat.table:
        from icap_coder.cli.render import disagreements_table, intercoder_table

        out.print(intercoder_table(rows, coders))
        if show:
            out.print(disagreements_table(disagreements))
    elif fmt is not OutputFormat.none:
        if show:
            print_records(disagreements, fmt, agreement_export.DISAGREEMENT_COLUMNS)
        elif fmt is OutputFormat.csv:
            print_records([agreement_export.flat(r) for r in rows], fmt, agreement_export.columns(rows))
        else:
            print_records(rows, fmt, [])
