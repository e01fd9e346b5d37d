"""`icap qdpx export|import`, `icap codebook export|import`: REFI-QDA exchange with other QDA tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icap_coder.cli._common import (
    AnalysisPaths,
    CodebookOption,
    ProjectOption,
    TagsOption,
    codebook_app,
    fails_cleanly,
    load_dataset,
    message,
    project_and_codebook,
    qdpx_app,
    warn,
)
from icap_coder.errors import IcapError


@qdpx_app.command("export")
@fails_cleanly
def qdpx_export(
    paths: AnalysisPaths,
    out: Annotated[Path, typer.Option("--out", "-o", help="The .qdpx file to write.")],
    name: Annotated[str | None, typer.Option("--name", help="Project name [default: the codebook's name].")] = None,
    codebook: CodebookOption = None, project: ProjectOption = None, tags: TagsOption = None,
) -> None:
    """Write the study (codebook, transcripts, every coding, coders, cases) as a REFI-QDA project."""
    from icap_coder.analysis.dataset import Filters
    from icap_coder.export.qdpx import write_qdpx

    if out.suffix.lower() != ".qdpx":
        raise IcapError("the project file must end in .qdpx", file=str(out))
    dataset = load_dataset(paths, codebook, project, tags, Filters())
    write_qdpx(out, name or dataset.codebook.name, dataset.codebook, dataset.documents, dataset.codings)
    message(f"icap: wrote {out}: {len(dataset.documents)} transcripts, {len(dataset.codings)} codings")


@qdpx_app.command("import")
@fails_cleanly
def qdpx_import(
    project_file: Annotated[Path, typer.Argument(help="A REFI-QDA project (.qdpx) from ATLAS.ti, NVivo, MAXQDA, "
                                                      "QualCoder or icap.")],
    into: Annotated[Path, typer.Option("--into", help="A new folder for the study.")],
) -> None:
    """Turn a REFI-QDA project into an icap study: transcripts, codebook.yaml, tags.yaml, cases.csv."""
    from icap_coder.export.refi_study import write_study
    from icap_coder.ingest.refi import read_project

    if not project_file.is_file():
        raise IcapError("file not found", file=str(project_file))
    found = read_project(project_file)
    for text in found.warnings:
        warn(text)
    result = write_study(found, into)
    for text in result.warnings:
        warn(text)
    conventions = sorted({s.convention for s in found.sources if s.text is not None})
    message(f"icap: imported {result.transcripts} transcripts, {result.codes} codes and {result.tags} codings "
            f"(by {', '.join(result.coders) or 'nobody'}) into {into}; offsets read as {' and '.join(conventions)}"
            + (f"; {result.automatic} of the codings are icap's own automatic ones" if result.automatic else ""))
    message(f"icap: next: icap compare {into} --by case")


@codebook_app.command("export")
@fails_cleanly
def codebook_export(
    file: Annotated[Path | None, typer.Argument(help="Codebook YAML [default: the project's, else the shipped one].")]
    = None,
    to: Annotated[Path, typer.Option("--to", help="The .qdc file to write (REFI-QDA codebook).")]
    = Path("codebook.qdc"),
    project: ProjectOption = None,
) -> None:
    """Write a codebook as a REFI-QDA codebook (.qdc): groups hold their codes, definitions and keywords as text."""
    from icap_coder.export.qdpx import write_codebook

    if to.suffix.lower() != ".qdc":
        raise IcapError("the codebook file must end in .qdc", file=str(to))
    _, book, _, _ = project_and_codebook([Path.cwd()], file, project)
    write_codebook(to, book)
    message(f"icap: wrote {to}: {len(book.groups)} groups, {len(book.codes())} codes")


@codebook_app.command("import")
@fails_cleanly
def codebook_import(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc), or a project (.qdpx) to take it from.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The codebook YAML to write.")] = Path("codebook.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Replace the YAML file if it exists.")] = False,
) -> None:
    """Turn a REFI-QDA codebook into a codebook YAML: its hierarchy and descriptions, every code inductive."""
    from icap_coder.atomic import write_text_atomic
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.export.refi_study import code_paths, codebook_yaml
    from icap_coder.ingest.refi import read_codebook

    if not file.is_file():
        raise IcapError("file not found", file=str(file))
    if out.exists() and not force:
        raise IcapError("exists; choose another --out, or pass --force to replace it", file=str(out))
    codes = read_codebook(file)
    if not codes:
        raise IcapError("the codebook has no codes", file=str(file))
    _, groups = code_paths(codes)
    definitions = {code.name: code.description for code in codes if code.children}
    write_text_atomic(out, codebook_yaml(file.stem, file.name, groups, definitions))
    book, _ = load_codebook(out)
    message(f"icap: wrote {out}: {len(book.groups)} groups, {len(book.codes())} codes (inductive: add keywords "
            "to have icap code them)")
