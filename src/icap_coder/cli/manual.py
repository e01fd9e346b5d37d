"""`icap tag`, `untag`, `reject` and `review`: manual coding from the command line."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from icap_coder.cli._common import (
    CodebookOption,
    CoderOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    RootOption,
    TagsOption,
    app,
    fails_cleanly,
    message,
    out,
    plural,
    print_records,
    project_and_codebook,
    tags_app,
)
from icap_coder.errors import IcapError
from icap_coder.manual.merge import short

if TYPE_CHECKING:
    from icap_coder.manual import check
    from icap_coder.manual.review import Item, Tally
    from icap_coder.model import Coding

DocumentArgument = Annotated[Path, typer.Argument(help="The transcript file.")]
StartOption = Annotated[int | None, typer.Option(
    "--start", help="Start offset, when the quote occurs more than once.")]
EndOption = Annotated[int | None, typer.Option("--end", help="End offset (exclusive).")]


def _tag_command(action: str, document: Path, quote: str, code_name: str, start: int | None, end: int | None,
                 memo: str, coder: str | None, root: Path | None, tags: Path | None,
                 codebook: Path | None, new: bool = False) -> None:
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.manual import tagging

    book, _ = load_codebook(codebook)
    place = tagging.find_place(document, root, tags)
    begin, finish = tagging.find_quote(place, quote, start, end)
    tag, new_code = tagging.new_tag(place, book, code_name, begin, finish, action, coder, memo, new)
    if not tagging.add(place, tag):
        message(f"icap: already in {place.tags_path}: {action} {tag.code} on {place.relative} {begin}-{finish}")
        return
    verb = {"code": "tagged", "reject": "rejected", "confirm": "confirmed"}[action]
    out.print(f"{verb} {place.relative} {begin}-{finish} '{short(tag.quote)}' as {tag.code} -> {place.tags_path}",
              markup=False)
    if new_code and action == "code":
        message(f"icap: '{tag.code}' is not in the codebook: a new inductive code "
                "(`icap codebook inductive` lists them, --promote adds them)")


@app.command()
@fails_cleanly
def tag(
    document: DocumentArgument,
    quote: Annotated[str, typer.Argument(
        help="The exact words to code (white space may differ); must occur once, or give --start/--end.")],
    code_name: Annotated[str, typer.Argument(
        metavar="CODE", help="Group/Code, a code name, or a new inductive code (e.g. Overig/aanbestedingsrecht).")],
    memo: Annotated[str, typer.Option("--memo", help="A note kept with the coding.")] = "",
    new: Annotated[bool, typer.Option(
        "--new", help="CODE is a new inductive code, not in the codebook (without it, a typo is refused).")] = False,
    coder: CoderOption = None, start: StartOption = None, end: EndOption = None,
    root: RootOption = None, tags: TagsOption = None, codebook: CodebookOption = None,
) -> None:
    """Code a quote by hand: adds an entry to the tags file."""
    _tag_command("code", document, quote, code_name, start, end, memo, coder, root, tags, codebook, new)


@app.command()
@fails_cleanly
def reject(
    document: DocumentArgument,
    quote: Annotated[str, typer.Argument(help="Words of the segment whose automatic coding is wrong.")],
    code_name: Annotated[str, typer.Argument(metavar="CODE", help="The code to take away.")],
    memo: Annotated[str, typer.Option("--memo", help="Why, for the record.")] = "",
    coder: CoderOption = None, start: StartOption = None, end: EndOption = None,
    root: RootOption = None, tags: TagsOption = None, codebook: CodebookOption = None,
) -> None:
    """Overrule an automatic coding: `icap code` drops it from then on."""
    _tag_command("reject", document, quote, code_name, start, end, memo, coder, root, tags, codebook)


@app.command()
@fails_cleanly
def untag(
    document: DocumentArgument,
    quote: Annotated[str, typer.Argument(help="The quote of the tag, as in the tags file.")],
    code_name: Annotated[str, typer.Argument(metavar="CODE", help="The code of the tag.")],
    coder: Annotated[str | None, typer.Option(
        "--coder", help="Whose tag to remove, when several people made it.")] = None,
    root: RootOption = None, tags: TagsOption = None, codebook: CodebookOption = None,
) -> None:
    """Remove a manual tag (or a rejection) from the tags file."""
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.manual import tagging

    book, _ = load_codebook(codebook)
    place = tagging.find_place(document, root, tags)
    for gone in tagging.remove(place, book, quote, code_name, coder=coder):
        out.print(f"removed {gone.action} {gone.code} on '{short(gone.quote)}' (was {place.tags_path}:{gone.line})",
                  markup=False)


@app.command()
@fails_cleanly
def review(
    path: Annotated[Path, typer.Argument(help="The transcripts folder (or one transcript).")],
    group: Annotated[str | None, typer.Option("--group", help="Only proposals of this code group.")] = None,
    code_name: Annotated[str | None, typer.Option("--code", help="Only proposals of this code.")] = None,
    case: Annotated[str | None, typer.Option("--case", help="Only documents of this case.")] = None,
    codebook: CodebookOption = None, project: ProjectOption = None, tags: TagsOption = None,
    coder: CoderOption = None,
    semantic: Annotated[bool, typer.Option(
        "--semantic", help="Also review suggestions by meaning (as `icap code --semantic` makes them); they "
                           "come first.")] = False,
) -> None:
    """Accept or reject the automatic codings segment by segment; decisions go to the tags file at once.

    Keys: a = accept all, a N = accept proposal N, r = reject all, r N = reject one, c CODE = add a code,
    n CODE = add a new inductive code, u = undo the last decision, s or Enter = skip, q = quit, ? = help.
    """
    from icap_coder.coding.run import run
    from icap_coder.ingest.registry import study_root
    from icap_coder.manual import tagging
    from icap_coder.manual.merge import closest_codes, group_named, resolve_code
    from icap_coder.manual.review import HELP, Session, items_to_review

    found, book, _, _ = project_and_codebook([path], codebook, project)
    if group and group_named(book, group) is None:
        raise IcapError(f"--group {group}: not a group of the codebook; groups: "
                        + ", ".join(g.name for g in book.groups))
    if code_name and not resolve_code(book, code_name)[2]:
        close = closest_codes(book, code_name)
        raise IcapError(f"--code {code_name}: not a code of the codebook"
                        + (f"; closest: {', '.join(close)}" if close else ""))
    root = study_root(path)
    tags_path = tags or root / "tags.yaml"
    result = run([path], book, found.settings(tags_file=tags_path, jobs=1, semantic=semantic))
    cases = {d.case for d in result.documents}
    if case and case not in cases:
        raise IcapError(f"--case {case}: no document of that case here; cases: {', '.join(sorted(cases)) or 'none'}")
    if code_name:
        code_name = resolve_code(book, code_name)[1]
    meanings = None
    if result.semantic is not None:
        from icap_coder.coding.semantic import meanings as closest_codes_by_meaning

        meanings = closest_codes_by_meaning(result.segments, result.semantic)
    items = items_to_review(result.documents, result.segments, result.codings, group, case, code_name, meanings)
    if not items:
        chosen = " ".join(f"--{k} {v}" for k, v in (("group", group), ("code", code_name), ("case", case)) if v)
        made = [c for c in result.codings if (c.source == "auto" or c.suggested or "<-" in c.evidence)
                and (not group or c.group == group) and (not code_name or c.code == code_name)
                and (not case or c.case == case)]  # automatic codings the filter matches, decided or not
        if made:
            message(f"icap: nothing to review: every automatic coding{' of ' + chosen if chosen else ''} "
                    "has been decided")
        elif chosen:
            message(f"icap: nothing to review: the rules made no coding that matches {chosen} "
                    "(or a person rejected every one)")
        else:
            message("icap: nothing to review: the codebook's rules coded nothing here")
        return
    message(f"icap: {plural(len(items), 'segment')} to review. {HELP}")

    def ask(prompt: str) -> str | None:
        out.print(f"{prompt} [a/r/c CODE/n CODE/u/s/q]: ", end="", markup=False)
        line = sys.stdin.readline()
        return None if line == "" else line

    session = Session(book, root, tags_path, ask, _show_item, lambda text: out.print(text, markup=False),
                      coder or tagging.coder_name())
    try:
        tally = session.run(items)
    except KeyboardInterrupt:
        tally = session.tally
        message(f"\nicap: stopped; the {plural(tally.decisions, 'decision')} made so far "
                f"({tally.confirmed} accepted, {tally.rejected} rejected, {tally.added} added) are saved in "
                f"{tags_path}")
        raise typer.Exit(130) from None
    message(f"icap: reviewed {plural(tally.shown, 'segment')}: {tally.confirmed} accepted, {tally.rejected} "
            f"rejected, {plural(tally.added, 'code')} added -> {tags_path}")


def _show_item(item: Item, number: int, total: int, proposals: list[Coding], tally: Tally) -> None:
    from rich.text import Text

    segment = item.segment
    out.print(f"\n[{number}/{total}] {segment.document} · segment {segment.index} · {segment.speaker or '-'}"
              f" ({segment.case or 'no case'}) · so far {tally.confirmed} accepted, {tally.rejected} rejected",
              markup=False)
    if item.question is not None:
        question = Text(f"{item.question.speaker or 'I'}: {item.question.text}", style="dim")
        out.print(question, soft_wrap=False)
    text = Text(segment.text)
    terms = {term for c in proposals for term in c.terms}
    text.highlight_words(sorted(terms, key=len, reverse=True), style="bold reverse", case_sensitive=False)
    out.print(text, soft_wrap=False)  # wrapped at word boundaries, at the terminal's width
    if item.meaning:
        out.print(f"  the meaning points to another element: {item.meaning}", markup=False, soft_wrap=False)
    for n, coding in enumerate(proposals, start=1):
        kind = "   (suggested by meaning, not by keywords)" if coding.suggested else ""
        out.print(f"  {n}. {coding.group}/{coding.code}{kind}   [{coding.evidence}]", markup=False, soft_wrap=False)


@tags_app.command("check")
@fails_cleanly
def tags_check(
    path: Annotated[Path, typer.Argument(help="The transcripts folder (or one transcript in it).")],
    tags: TagsOption = None,
    update: Annotated[bool, typer.Option(
        "--update", help="Record the new place of tags whose quote moved, word for word.")] = False,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept", help="Take the approximate match of the tag at this tags-file LINE as its new quote "
                         "(repeatable), or `all`.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Where each tag stands in today's transcripts: exact, moved, approximate (not applied), ambiguous, orphan."""
    from icap_coder.manual import check, tagging

    root = tagging.find_root(path)
    tags_path = tags or root / "tags.yaml"
    if not tags_path.is_file():
        raise IcapError("no tags file here; `icap tag` makes one", file=str(tags_path))
    states = check.check(root, tags_path)
    rows = [_state_row(tags_path, s) for s in states]
    if fmt is OutputFormat.table:
        _print_states(rows)
    elif fmt is not OutputFormat.none:
        print_records(rows, fmt, list(rows[0]) if rows else ["line"])
    counts = Counter(s.status for s in states)
    message("icap: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + f" in {tags_path}")
    if update or accept:
        chosen = None if accept and "all" in accept else {_line(value) for value in accept or []}
        moved, accepted = check.apply(tags_path, states, update, chosen)
        message(f"icap: recorded the new place of {moved} moved tags and accepted {accepted} approximate "
                f"matches in {tags_path}")


def _line(value: str) -> int:
    if not value.isdigit():
        raise IcapError(f"--accept takes a line number of the tags file or `all`, not '{value}'")
    return int(value)


def _state_row(tags_path: Path, state: check.TagState) -> dict[str, object]:
    tag, found = state.tag, state.anchor
    detail = {"exact": "", "moved": f"now at {found.start}-{found.end} (was {tag.start}-{tag.end})",
              "approximate": f"closest: '{short(state.found, 80)}' ({found.changes}); not applied; "
                             f"--accept {tag.line} takes it",
              "ambiguous": f"occurs {len(found.candidates)} times; add start/end", "orphan": "not in the transcript",
              "no transcript": state.problem}[state.status]
    return {"line": f"{tags_path.name}:{tag.line}", "document": tag.document, "code": tag.code,
            "action": tag.action, "quote": tag.quote, "status": state.status, "detail": detail}


def _print_states(rows: list[dict[str, object]]) -> None:
    from rich.table import Table

    shown = [r for r in rows if r["status"] != "exact"]
    table = Table(title=f"Tags not exactly where they were recorded ({len(shown)} of {len(rows)})")
    for column in ("line", "document", "code", "status", "detail"):
        table.add_column(column, overflow="fold")
    for row in shown:
        table.add_row(*(escape(str(row[c])) for c in ("line", "document", "code", "status", "detail")))
    out.print(table)
