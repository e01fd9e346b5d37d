"""Transcripts in, documents + segments + codings out: the `icap code` job as a library call.

Discovery, cases and ordering happen here in the main process; reading,
segmenting and coding one document (`process_document`) happens in a worker
(see executors.py). Each document's result goes to the caller's `sink` as soon
as it is ready, in document order, so the caller can stream it to files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icap_coder.coding import executors, nlp
from icap_coder.coding.matcher import LanguageMatcher
from icap_coder.coding.segmenting import segment_document
from icap_coder.errors import IcapError
from icap_coder.ingest.base import SkippedFile
from icap_coder.ingest.cases import find_case_file, load_case_sheet, resolve_attributes
from icap_coder.ingest.registry import discover, read_document, relative_name, study_root, supported
from icap_coder.manual.merge import ManualCounts, merge
from icap_coder.manual.tagsfile import TAGS_FILE, Tag, load_tags
from icap_coder.model import Codebook, Coding, Document, Segment
from icap_coder.settings import Settings, normalise_language

if TYPE_CHECKING:
    from icap_coder.coding.semantic import Plan


@dataclass
class DocumentResult:
    document: Document
    segments: list[Segment]
    codings: list[Coding]
    warnings: list[str] = field(default_factory=list)
    manual: ManualCounts = field(default_factory=ManualCounts)
    prepared: Any = None  # what the caller's `prepare` made of this result, in the worker
    semantic: Any = None  # the first pass of suggestions by meaning: this document's similarity sums


@dataclass
class RunResult:
    documents: list[Document]
    segments: list[Segment]
    codings: list[Coding]
    warnings: list[str]
    skipped: list[str]
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage, for the manifest
    manual: ManualCounts = field(default_factory=ManualCounts)
    inputs: list[dict[str, str]] = field(default_factory=list)  # cases and tags files read, with their hashes
    counts: Counter[str] = field(default_factory=Counter)  # documents, segments, codings: kept even when they are not
    semantic: Any = None  # the fitted plan of suggestions by meaning, when the run made them


@dataclass(frozen=True)
class _Job:
    path: Path
    relative: str  # the document's name in every output
    sheet_row: tuple[tuple[str, str], ...]  # its row of the cases file, if any
    tags: tuple[Tag, ...] = ()  # entries of the tags file for this document
    tags_file: str = ""


def input_file(kind: str, path: Path) -> dict[str, str]:
    """A file that steered a run, as the manifest records it."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = ""
    return {"kind": kind, "path": str(path), "sha256": digest}


def plan(paths: list[Path], settings: Settings) -> tuple[list[_Job], list[str], list[dict[str, str]]]:
    """Find the transcripts and their cases; returns jobs in a stable order, warnings, and the files read."""
    jobs: list[_Job] = []
    warnings: list[str] = []
    inputs: list[dict[str, str]] = []
    explicit = load_case_sheet(settings.cases_file) if settings.cases_file else None
    if settings.cases_file:
        inputs.append(input_file("cases", settings.cases_file))
    seen: set[Path] = set()
    for root in paths:
        found, skipped = discover(root)
        warnings.extend(skipped)
        base = study_root(root)
        sheet = explicit
        if sheet is None:
            case_file = find_case_file(base)
            sheet = load_case_sheet(case_file) if case_file else None
            if case_file and all(i["path"] != str(case_file) for i in inputs):
                inputs.append(input_file("cases", case_file))
        tags_path = settings.tags_file or (base / TAGS_FILE)
        tags = load_tags(tags_path) if settings.manual else []
        if tags_path.is_file() and all(i["path"] != str(tags_path) for i in inputs):
            inputs.append(input_file("tags", tags_path))
        relatives = []
        for path in found:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            relative = relative_name(path, base)
            relatives.append(relative)
            row = sheet.lookup(relative) if sheet else {}
            mine = tuple(tag for tag in tags if tag.document in (relative, path.name))
            jobs.append(_Job(path, relative, tuple(row.items()), mine, str(tags_path)))
        if sheet is not None and explicit is None:
            warnings.extend(sheet.unmatched(relatives))
        names = set(relatives) | {r.rsplit("/", 1)[-1] for r in relatives}
        warnings.extend(f"{tags_path}:{tag.line}: no transcript '{tag.document}'; check the document name"
                        for tag in tags if tag.document not in names)
    if explicit is not None:
        warnings.extend(explicit.unmatched([job.relative for job in jobs]))
    return jobs, warnings, inputs


def run(paths: list[Path], codebook: Codebook, settings: Settings,
        progress: Callable[[int, int], None] | None = None,
        sink: Callable[[DocumentResult], None] | None = None,
        prepare: Callable[[DocumentResult], Any] | None = None, keep: bool = True,
        semantic: Plan | None = None) -> RunResult:
    """Code all transcripts under `paths`; results in document order.

    `sink`, if given, receives each document's result as soon as it is ready
    (in order), e.g. to stream its rows into the output files. `prepare`, if
    given, runs in the worker on each result and its return value travels with
    it as `result.prepared`: the caller's own per-document work (rendering
    output rows, say) then runs in parallel too. It must be a module-level
    function, so that it can reach workers on platforms that cannot fork. With
    `keep=False` the result holds counts, not the documents, segments and codings:
    a caller that streams everything through `sink` then needs memory for one
    document at a time, whatever the size of the corpus. With `settings.semantic`,
    a first pass fits the suggestions by meaning (`_fit`).
    """
    jobs, warnings, inputs = plan(paths, settings)
    if not jobs:
        raise IcapError(f"no transcripts found ({supported()}); check the path",
                        file=", ".join(str(p) for p in paths))
    if settings.lang and normalise_language(settings.lang) not in codebook.languages:
        raise IcapError(f"--lang {settings.lang}: not one of the codebook's languages "
                        f"({', '.join(codebook.languages)})")
    if settings.semantic and semantic is None:
        from icap_coder.coding import embeddings
        from icap_coder.coding import semantic as by_meaning

        if not embeddings.available():
            raise IcapError(f"suggestions by meaning need the optional model: {embeddings.INSTALL} "
                            "(or leave out --semantic / `semantic: true`)")
        outer = progress
        halves = (lambda done, total: outer(done, 2 * total)) if outer else None  # one bar over both passes
        semantic = _fit(paths, codebook, settings, by_meaning.plan_for(codebook, settings), halves)
        if outer:
            progress = lambda done, total: outer(total + done, 2 * total)  # noqa: E731
    workers = min(settings.jobs or os.cpu_count() or 1, len(jobs))
    started = time.perf_counter()
    run_result = RunResult([], [], [], warnings, [], inputs=inputs, semantic=semantic)
    main_language = normalise_language(settings.lang) if settings.lang else codebook.languages[0]
    state = (codebook, settings, prepare, semantic)
    if settings.executor == "dask":
        from icap_coder.coding import dask_executor

        sent = ((job, job.path.read_bytes()) for job in jobs)  # read as each is sent: workers share no disk
        results: Iterator[DocumentResult | SkippedFile] = dask_executor.in_order(
            _process_sent, sent, workers, _init_worker, state, settings.scheduler, settings.scheduler_file)
    else:
        results = executors.in_order(_process, jobs, workers, _init_worker, state,
                                     warm_up=lambda: _matcher(main_language), fresh=semantic is not None)
    for done, result in enumerate(results, start=1):
        if isinstance(result, SkippedFile):
            run_result.skipped.append(str(result))
        else:
            suggested = sum(c.suggested for c in result.codings)
            run_result.counts.update(documents=1, segments=len(result.segments),
                                     codings=len(result.codings) - suggested, suggestions=suggested)
            if keep:
                run_result.documents.append(result.document)
                run_result.segments.extend(result.segments)
                run_result.codings.extend(result.codings)
            run_result.warnings.extend(result.warnings)
            run_result.manual.add(result.manual)
            if sink:
                sink(result)
        if progress:
            progress(done, len(jobs))
    for matcher in _state.get("matchers", {}).values():
        matcher.remember()
    run_result.seconds = {"workers": workers, "coding": round(time.perf_counter() - started, 3)}
    return run_result


def _fit(paths: list[Path], codebook: Codebook, settings: Settings, plan: Plan,
         progress: Callable[[int, int], None] | None = None) -> Plan:
    """The first pass of suggestions by meaning: each code's mean and spread of similarity over this run."""
    from icap_coder.coding.semantic import Stats

    stats = Stats()
    run(paths, codebook, dataclasses.replace(settings, semantic=False), keep=False, semantic=plan,
        sink=lambda result: stats.add(result.semantic), progress=progress)
    if not stats.n:
        return dataclasses.replace(plan, means=[0.0] * len(plan.codes), spreads=[1.0] * len(plan.codes))
    means, spreads = stats.mean_and_spread()
    return dataclasses.replace(plan, means=means, spreads=spreads)


# -- worker side ---------------------------------------------------------------
_state: dict[str, Any] = {}


def _init_worker(codebook: Codebook, settings: Settings, prepare: Callable[[DocumentResult], Any] | None,
                 semantic: Plan | None = None) -> None:
    _state.clear()
    _state.update(codebook=codebook, settings=settings, prepare=prepare, matchers={}, semantic=semantic)


_BUILT: dict[tuple[str, str], LanguageMatcher] = {}  # (codebook SHA-256, language): built once per process


def _matcher(lang: str) -> LanguageMatcher:
    matchers = _state["matchers"]
    if lang not in matchers:
        codebook = _state["codebook"]
        key = (codebook.sha256, lang)
        if not codebook.sha256:  # a codebook made in code, not read from a file: no identity to cache by
            matchers[lang] = LanguageMatcher(codebook, lang)
        else:
            if key not in _BUILT:
                _BUILT[key] = LanguageMatcher(codebook, lang)
            matchers[lang] = _BUILT[key]
    return matchers[lang]


def _process(job: _Job) -> DocumentResult | SkippedFile:
    try:
        result = process_document(job.path, job.relative, dict(job.sheet_row), _state["codebook"],
                                  _state["settings"], _matcher, list(job.tags), job.tags_file, _state.get("semantic"))
    except SkippedFile as skipped:
        return skipped
    if _state["prepare"] is not None:
        result.prepared = _state["prepare"](result)
    return result


def _process_sent(item: tuple[_Job, bytes]) -> DocumentResult | SkippedFile:
    """A job whose document came as bytes (a Dask worker shares no disk with the client): written to a private
    file of the same name, processed, and every message that names that file given the original path again."""
    job, data = item
    with tempfile.TemporaryDirectory(prefix="icap-") as folder:
        local = Path(folder) / job.path.name
        local.write_bytes(data)
        result = _process(dataclasses.replace(job, path=local))
    if isinstance(result, SkippedFile):
        return SkippedFile(result.message.replace(str(local), str(job.path)),
                           file=str(job.path) if result.file == str(local) else result.file, line=result.line)
    result.warnings = [w.replace(str(local), str(job.path)) for w in result.warnings]
    return result


def _interviewer_note(path: Path, segments: list[Segment]) -> list[str]:
    """A warning when speakers were found but none of them is an interviewer: their questions get coded too."""
    speakers = Counter(s.speaker for s in segments if s.speaker)
    if len(speakers) < 2 or any(s.interviewer for s in segments):
        return []

    def asks(speaker: str) -> tuple[float, float]:
        turns = [s.text for s in segments if s.speaker == speaker]
        return sum(t.rstrip().endswith("?") for t in turns) / len(turns), -sum(map(len, turns)) / len(turns)

    likely = max(speakers, key=asks)
    return [f"{path}: no interviewer recognised among its speakers ({', '.join(sorted(speakers))}), so every "
            f"turn is coded; {likely} asks most of the questions: pass --interviewer {likely} (or add it to "
            "`interviewers:` in icap.yaml) if that is the interviewer"]


def process_document(path: Path, relative: str, sheet_row: dict[str, str], codebook: Codebook,
                     settings: Settings, matcher_for: Callable[[str], LanguageMatcher],
                     tags: list[Tag] | None = None, tags_file: str = TAGS_FILE,
                     semantic: Plan | None = None) -> DocumentResult:
    """Read, segment and code one transcript, and merge a person's codings into it (and with a fitted
    `semantic` plan, suggest codes by meaning where nothing else coded; unfitted, measure for the fit)."""
    raw = read_document(path, frozenset(settings.interviewers))
    case, attributes = resolve_attributes(relative, raw.metadata, sheet_row)
    warnings: list[str] = []
    language = normalise_language(attributes.pop("language", "") or attributes.pop("lang", "")
                                  or settings.lang or "")
    forced = bool(language)
    spoken = " ".join(raw.text[t.start:t.end] for t in raw.turns)  # without speaker labels ("I:" is English)
    if not language:
        language, confidence = nlp.detect_language(spoken, codebook.languages)
        if confidence < 0.5:
            warnings.append(f"{path}: language unclear, coded as '{language}'; set `language:` in its "
                            "front matter or the cases file, or pass --lang")
    elif language not in codebook.languages:
        warnings.append(f"{path}: language '{language}' is not one of the codebook's "
                        f"({', '.join(codebook.languages)}); no automatic codings for it")
    warnings.extend(f"{path}: {note}" for note in raw.notes)
    document = Document(relative, raw.text, raw.turns, raw.format, hashlib.sha256(raw.data).hexdigest(),
                        case, attributes, language, raw.encoding, raw.layout)
    splitter = (lambda text: nlp.split_sentences(text, language)) if settings.unit == "sentence" else None
    segments = segment_document(document, settings.unit, set(settings.interviewers), splitter)
    if semantic is not None and not semantic.fitted:  # the first pass of suggestions: only the segments count
        from icap_coder.coding.semantic import profile

        return DocumentResult(document, segments, [], warnings, semantic=profile(segments, semantic))
    codings: list[Coding] = []
    if language in codebook.languages:
        coded = [s for s in segments if settings.code_interviewer or not s.interviewer]
        codings = matcher_for(language).code_segments(coded, settings.min_score)
    if forced and not codings and language in codebook.languages:
        detected, confidence = nlp.detect_language(spoken, codebook.languages)
        if detected != language and confidence >= 0.6:
            warnings.append(f"{path}: coded as '{language}' but reads as '{detected}', and got no automatic codings; "
                            "check `--lang` or its `language:`")
    warnings.extend(_interviewer_note(path, segments))
    if semantic is not None:
        from icap_coder.coding import semantic as by_meaning

        codings = by_meaning.break_ties(segments, codings, semantic)
        codings = codings + by_meaning.suggest(document, segments, codings, semantic)  # before rejections apply
    markers = raw.markers if settings.manual else []
    tags = (tags or []) if settings.manual else []
    codings, manual, notes = merge(document, segments, codings, markers, tags, codebook, tags_file)
    if semantic is not None and semantic.fitted:
        codings = by_meaning.without_covered(codings)
    warnings.extend(notes)
    return DocumentResult(document, segments, codings, warnings, manual)
