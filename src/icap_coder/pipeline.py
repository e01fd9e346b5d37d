"""Transcripts in, documents + segments + codings out: the `icap code` job as a library call.

Discovery, cases and ordering happen here in the main process; reading,
segmenting and matching one document happens in a worker. Workers return
plain dataclasses (documents, segments, codings), never spaCy Docs: pickling
Docs made two processes five times slower than one on this kind of machine.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from icap_coder.cases import find_case_file, load_case_sheet, resolve_attributes
from icap_coder.errors import IcapError
from icap_coder.export.csv_files import render_codings, render_segments
from icap_coder.export.json_files import render_codings_jsonl
from icap_coder.ingest import SkippedFile, discover, read_document
from icap_coder.manual import ManualCounts, merge
from icap_coder.model import Codebook, Coding, Document, Segment
from icap_coder.segment import segment_document
from icap_coder.tags import TAGS_FILE, load_tags

# Workers render their own rows of each output file, so formatting runs in parallel too.
RENDERERS = {"segments.csv": render_segments, "codings.csv": render_codings, "codings.jsonl": render_codings_jsonl}
LANGUAGE_NAMES = {"dutch": "nl", "nederlands": "nl", "english": "en", "engels": "en", "swedish": "sv",
                  "svenska": "sv", "zweeds": "sv", "nld": "nl", "eng": "en", "swe": "sv"}


@dataclass
class Settings:
    unit: str = "turn"
    lang: str | None = None
    interviewers: tuple[str, ...] = ()
    code_interviewer: bool = False
    cases_file: Path | None = None
    tags_file: Path | None = None  # default: tags.yaml in the transcripts folder
    min_score: float = 1.0
    jobs: int = 0  # 0: one worker per core


@dataclass
class DocumentResult:
    document: Document
    segments: list[Segment]
    codings: list[Coding]
    warnings: list[str] = field(default_factory=list)
    rendered: dict[str, str] = field(default_factory=dict)  # output file -> this document's rows
    manual: ManualCounts = field(default_factory=ManualCounts)


@dataclass
class RunResult:
    documents: list[Document]
    segments: list[Segment]
    codings: list[Coding]
    warnings: list[str]
    skipped: list[str]
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage, for the manifest
    manual: ManualCounts = field(default_factory=ManualCounts)


@dataclass(frozen=True)
class _Job:
    path: Path
    relative: str  # the document's name in every output
    sheet_row: tuple[tuple[str, str], ...]  # its row of the cases file, if any
    tags: tuple = ()  # entries of the tags file for this document
    tags_file: str = ""


def normalise_language(value: str) -> str:
    value = value.strip().lower()
    return LANGUAGE_NAMES.get(value, value)


def plan(paths: list[Path], settings: Settings) -> tuple[list[_Job], list[str]]:
    """Find the transcripts and their cases; returns jobs in a stable order and warnings."""
    jobs: list[_Job] = []
    warnings: list[str] = []
    explicit = load_case_sheet(settings.cases_file) if settings.cases_file else None
    seen: set[Path] = set()
    for root in paths:
        found, skipped = discover(root)
        warnings.extend(skipped)
        base = root if root.is_dir() else root.parent
        sheet = explicit
        if sheet is None:
            case_file = find_case_file(base)
            sheet = load_case_sheet(case_file) if case_file else None
        tags_path = settings.tags_file or (base / TAGS_FILE)
        tags = load_tags(tags_path)
        relatives = []
        for path in found:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            relative = path.relative_to(base).as_posix() if root.is_dir() else path.name
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
    return jobs, warnings


def run(paths: list[Path], codebook: Codebook, settings: Settings,
        progress: Callable[[int, int], None] | None = None,
        sink: Callable[[DocumentResult], None] | None = None) -> RunResult:
    """Code all transcripts under `paths`; results in document order.

    `sink`, if given, receives each document's result as soon as it is ready
    (in order), with its output rows rendered by the worker, to stream them to
    files; without a sink (analysis commands) nothing is rendered.
    """
    jobs, warnings = plan(paths, settings)
    if not jobs:
        raise IcapError("no transcripts found (.txt .md .docx .vtt .srt); check the path",
                        file=", ".join(str(p) for p in paths))
    if settings.lang and normalise_language(settings.lang) not in codebook.languages:
        raise IcapError(f"--lang {settings.lang}: not one of the codebook's languages "
                        f"({', '.join(codebook.languages)})")
    workers = min(settings.jobs or os.cpu_count() or 1, len(jobs))
    started = time.perf_counter()
    run_result = RunResult([], [], [], warnings, [])

    def collect(done: int, result: DocumentResult | SkippedFile) -> None:
        if isinstance(result, SkippedFile):
            run_result.skipped.append(str(result))
        else:
            run_result.documents.append(result.document)
            run_result.segments.extend(result.segments)
            run_result.codings.extend(result.codings)
            run_result.warnings.extend(result.warnings)
            run_result.manual.add(result.manual)
            if sink:
                sink(result)
            result.rendered = {}
        if progress:
            progress(done, len(jobs))

    _init_worker(codebook, settings, sink is not None)
    if workers <= 1:
        for done, job in enumerate(jobs, start=1):
            collect(done, _process(job))
    else:
        fork = "fork" in multiprocessing.get_all_start_methods()
        if fork:  # build the main language's matcher once; forked workers inherit it, spaCy included
            _matcher(normalise_language(settings.lang) if settings.lang else codebook.languages[0])
        context = multiprocessing.get_context("fork" if fork else None)
        with context.Pool(workers, initializer=_init_worker if not fork else None,
                          initargs=(codebook, settings, sink is not None) if not fork else ()) as pool:
            for done, result in enumerate(pool.imap(_process, jobs, chunksize=1), start=1):
                collect(done, result)
    run_result.seconds = {"workers": workers, "coding": round(time.perf_counter() - started, 3)}
    return run_result


# -- worker side ---------------------------------------------------------------
_state: dict = {}


def _init_worker(codebook: Codebook, settings: Settings, render: bool) -> None:
    _state.clear()
    _state.update(codebook=codebook, settings=settings, render=render, matchers={})


def _matcher(lang: str):
    from icap_coder.matcher import LanguageMatcher  # pulls in spaCy: only when there is work

    matchers = _state["matchers"]
    if lang not in matchers:
        matchers[lang] = LanguageMatcher(_state["codebook"], lang)
    return matchers[lang]


def _process(job: _Job) -> DocumentResult | SkippedFile:
    try:
        return process_document(job.path, job.relative, dict(job.sheet_row), _state["codebook"],
                                _state["settings"], _matcher, list(job.tags), job.tags_file, _state["render"])
    except SkippedFile as skipped:
        return skipped


def process_document(path: Path, relative: str, sheet_row: dict[str, str], codebook: Codebook,
                     settings: Settings, matcher_for: Callable, tags: list | None = None,
                     tags_file: str = TAGS_FILE, render: bool = True) -> DocumentResult:
    """Read, segment and code one transcript; with `render`, also its rows of the output files."""
    from icap_coder import nlp

    raw = read_document(path, frozenset(settings.interviewers))
    case, attributes = resolve_attributes(relative, raw.metadata, sheet_row)
    warnings: list[str] = []
    language = normalise_language(attributes.pop("language", "") or attributes.pop("lang", "")
                                  or settings.lang or "")
    if not language:
        language, confidence = nlp.detect_language(raw.text, codebook.languages)
        if confidence < 0.5:
            warnings.append(f"{path}: language unclear, coded as '{language}'; set `language:` in its "
                            "front matter or the cases file, or pass --lang")
    elif language not in codebook.languages:
        warnings.append(f"{path}: language '{language}' is not one of the codebook's "
                        f"({', '.join(codebook.languages)}); no automatic codings for it")
    document = Document(relative, raw.text, raw.turns, raw.format, hashlib.sha256(raw.data).hexdigest(),
                        case, attributes, language)
    splitter = (lambda text: nlp.split_sentences(text, language)) if settings.unit == "sentence" else None
    segments = segment_document(document, settings.unit, set(settings.interviewers), splitter)
    codings: list[Coding] = []
    if language in codebook.languages:
        coded = [s for s in segments if settings.code_interviewer or not s.interviewer]
        codings = matcher_for(language).code_segments(coded, settings.min_score)
    codings, manual, notes = merge(document, segments, codings, raw.markers, tags or [], codebook, tags_file)
    warnings.extend(notes)
    rendered = {name: rows(segments if name == "segments.csv" else codings)
                for name, rows in RENDERERS.items()} if render else {}
    return DocumentResult(document, segments, codings, warnings, rendered, manual)
