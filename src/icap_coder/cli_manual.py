"""`icap tag`, `untag`, `reject` and `review`: manual coding from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from icap_coder.cli import app, fails_cleanly, message, out
from icap_coder.manual import short


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
    out.print(f"{verb} {place.relative} {begin}-{finish} '{short(tag.quote)}' as {tag.code} -> {place.tags_path}",
              markup=False)
    if new_code and action == "code":
        message(f"icap: '{tag.code}' is not in the codebook: a new inductive code "
                "(`icap codebook inductive` lists them, --promote adds them)")


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
        out.print(f"removed {gone.action} {gone.code} on '{short(gone.quote)}' (was {place.tags_path}:{gone.line})",
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
    from icap_coder.pipeline import run
    from icap_coder.project import find_project
    from icap_coder.review import HELP, Session, items_to_review

    project = find_project([path])
    book, _ = load_codebook(codebook or project.get("codebook"))
    root = path if path.is_dir() else path.parent
    tags_path = tags or root / "tags.yaml"
    settings = project.settings(tags_file=tags_path, jobs=1)
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
