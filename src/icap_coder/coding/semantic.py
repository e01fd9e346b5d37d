"""Suggestions by meaning for what the keywords left uncoded, and ties broken by it: `icap code --semantic`.

Keywords decide. For a segment no rule coded (a respondent's, five words or
more), the meaning of the segment is compared with every code's codebook text:
its label and definition, and each of its `examples:`. A code's similarity is its
best match among those texts. Similarities are standardised per code over the
whole run (z), because e5's raw cosines sit in a narrow band and some codes are
close to everything; a code is suggested when its z is the segment's highest and
reaches `min_z` (1.0 by default, `semantic_min_z` in icap.yaml). Where keyword
codes are level for a segment, the one closest in meaning becomes its primary
code (`break_ties`); which codes apply does not change.

A suggestion is a `Coding` with source `semantic`. It is not a coding: every
table leaves it out until a person accepts it in `icap review`. Its evidence
names the model, the z-score, the segment's sentence closest to the code and the
codebook text it is nearest to; it never looks like a keyword match ("<-").

Standardising over the run needs two passes: `run.run` goes over the documents
once for the similarities' mean and spread per code (`profile`; the vectors go to
the disk cache), then the real run suggests with them (`suggest`), reading the
vectors back. Memory holds one document at a time in both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from icap_coder.coding import embeddings, nlp
from icap_coder.model import SUGGESTED, Codebook, Coding, Document, Segment
from icap_coder.settings import Settings

MIN_WORDS = 5  # "Ja, zeker." says nothing a code could be suggested for


@dataclass
class Stats:
    """Running count, sum and sum of squares of each code's similarity over the run's segments."""

    n: int = 0
    total: list[float] = field(default_factory=list)
    squares: list[float] = field(default_factory=list)

    def add(self, other: Stats) -> None:
        if not other.n:
            return
        if not self.n:
            self.total, self.squares = [0.0] * len(other.total), [0.0] * len(other.squares)
        self.n += other.n
        self.total = [a + b for a, b in zip(self.total, other.total)]
        self.squares = [a + b for a, b in zip(self.squares, other.squares)]

    def mean_and_spread(self) -> tuple[list[float], list[float]]:
        means = [t / self.n for t in self.total]
        spreads = [max(s / self.n - m * m, 0.0) ** 0.5 or 1.0 for s, m in zip(self.squares, means)]
        return means, spreads


@dataclass
class Plan:
    """What a worker needs to score and suggest: the codebook texts, and once fitted, each code's mean and
    spread over the run."""

    codes: list[tuple[str, str]]  # (group, code), in codebook order
    texts: list[list[str]]  # per code: its description, then its examples
    min_z: float = 1.0
    code_interviewer: bool = False
    means: list[float] | None = None
    spreads: list[float] | None = None
    model: str = ""

    @property
    def fitted(self) -> bool:
        return self.means is not None

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Where each code's texts sit in `texts` flattened: (start, end) per code."""
        found, at = [], 0
        for code_texts in self.texts:
            found.append((at, at + len(code_texts)))
            at += len(code_texts)
        return found


def plan_for(codebook: Codebook, settings: Settings) -> Plan:
    """The codebook's texts per code: label(s) and definition as one description, then each example.

    Only codes the codebook means to be found in text are suggested: those with keywords or examples.
    Catch-alls coded by hand (Aanvullend: Algemeen, Overig) resemble everything a little."""
    codes, texts = [], []
    for code in codebook.codes():
        if not any(code.keywords.values()) and not code.examples:
            continue
        labels = " / ".join(dict.fromkeys([code.name, *code.label.values()]))
        description = f"{code.group}: {labels}. {code.definition}".strip()
        codes.append((code.group, code.name))
        texts.append([description, *code.examples])
    return Plan(codes, texts, settings.semantic_min_z, settings.code_interviewer, model=embeddings.model_name())


def meaningful(segments: list[Segment], interviewers: bool = False) -> list[Segment]:
    """What meaning is looked for in (by suggestions and by `icap search`): respondents' segments (and with
    `interviewers`, the interviewers' too) of five words or more."""
    return [s for s in segments if (interviewers or not s.interviewer) and len(s.text.split()) >= MIN_WORDS]


def eligible(segments: list[Segment], plan: Plan) -> list[Segment]:
    return meaningful(segments, plan.code_interviewer)


def closest_sentence(segment: Segment, score: Callable[[list[str]], Any]) -> tuple[int, int]:
    """The span (in segment.text) of the sentence `score` rates highest; the whole text if it is one sentence."""
    language = segment.language if segment.language in nlp.LANGUAGES else "nl"
    spans = [(a, b) for a, b in nlp.split_sentences(segment.text, language) if segment.text[a:b].strip()]
    if len(spans) <= 1:
        return spans[0] if spans else (0, len(segment.text))
    return spans[int(score([segment.text[a:b] for a, b in spans]).argmax())]


_worker: dict[str, Any] = {}


def _embedder() -> embeddings.Embedder:
    """One model per process, loaded on first use (workers load their own)."""
    if "embedder" not in _worker:
        _worker["embedder"] = embeddings.Embedder(threads=1)
    return _worker["embedder"]


def _similarities(plan: Plan, texts: list[str]) -> Any:
    """(segments x codes): each code's best cosine among its codebook texts."""
    embedder = _embedder()
    numpy = embedder.numpy
    flat = [t for code_texts in plan.texts for t in code_texts]
    key = ("code vectors", tuple(flat))
    if _worker.get("code key") != key:
        _worker["code key"], _worker["code vectors"] = key, embedder.queries(flat)
    vectors = embedder.passages(texts)
    scores = vectors @ _worker["code vectors"].T
    best = numpy.empty((len(texts), len(plan.texts)), dtype=numpy.float32)
    for column, (start, end) in enumerate(plan.spans):
        best[:, column] = scores[:, start:end].max(axis=1)
    return best, scores


def profile(segments: list[Segment], plan: Plan) -> Stats:
    """The first pass, in the worker: this document's contribution to each code's mean and spread."""
    chosen = eligible(segments, plan)
    if not chosen:
        return Stats()
    best, _ = _similarities(plan, [s.text for s in chosen])
    return Stats(len(chosen), [float(v) for v in best.sum(axis=0)], [float(v) for v in (best * best).sum(axis=0)])


def _standardised(plan: Plan, segments: list[Segment]) -> tuple[Any, Any]:
    """(segments x codes) z-scores over the run, and the raw cosines against every codebook text."""
    best, scores = _similarities(plan, [s.text for s in segments])
    numpy = _embedder().numpy
    assert plan.means is not None and plan.spreads is not None
    z = (best - numpy.asarray(plan.means, dtype=numpy.float32)) / numpy.asarray(plan.spreads, dtype=numpy.float32)
    return z, scores


def suggest(document: Document, segments: list[Segment], automatic: list[Coding], plan: Plan) -> list[Coding]:
    """The second pass, in the worker: a suggestion for each uncoded segment whose best code stands out."""
    coded = {c.segment for c in automatic}
    chosen = [s for s in eligible(segments, plan) if s.index not in coded]
    if not chosen or not plan.fitted:
        return []
    z, scores = _standardised(plan, chosen)
    suggestions = []
    spans = plan.spans
    for row, segment in enumerate(chosen):
        column = int(z[row].argmax())
        if float(z[row, column]) < plan.min_z:
            continue
        group, code = plan.codes[column]
        start, end = spans[column]
        nearest = plan.texts[column][int(scores[row, start:end].argmax())]
        evidence = (f"semantic: {plan.model}; z {float(z[row, column]):.2f} over this run; "
                    f"sentence: “{_sentence(segment, column, plan)}”; nearest codebook text: "
                    f"“{_short(nearest)}”")
        suggestions.append(Coding(document.path, document.case, segment.speaker, segment.index, segment.start,
                                  segment.end, group, code, SUGGESTED, round(float(z[row, column]), 3), evidence,
                                  segment.text))
    return suggestions


def break_ties(segments: list[Segment], automatic: list[Coding], plan: Plan) -> list[Coding]:
    """The keyword codings again, with the primary code chosen by meaning where the keywords tie.

    Keywords decide which codes apply and, as far as their evidence goes, which is primary: the highest
    score, then the most distinct matched terms. Where codes are still level on both, the one whose
    meaning is closest to the segment (highest z) becomes primary, rather than the longer match or the
    first name, and its evidence says so. Which codes apply, and so every count, stays as the keywords made it."""
    if not plan.fitted:
        return automatic
    by_segment: dict[int, list[int]] = {}
    for at, coding in enumerate(automatic):
        by_segment.setdefault(coding.segment, []).append(at)
    columns = {code: column for column, code in enumerate(plan.codes)}
    tied: dict[int, list[int]] = {}
    for index, ats in by_segment.items():
        strength = {at: (automatic[at].score, len(automatic[at].terms)) for at in ats}
        top = max(strength.values())
        level = [at for at in ats if strength[at] == top and (automatic[at].group, automatic[at].code) in columns]
        if len(level) > 1:
            tied[index] = level
    chosen = [s for s in eligible(segments, plan) if s.index in tied]
    if not chosen:
        return automatic
    z, _ = _standardised(plan, chosen)
    codings = list(automatic)
    for row, segment in enumerate(chosen):
        level = tied[segment.index]
        meaning = {at: float(z[row, columns[(codings[at].group, codings[at].code)]]) for at in level}
        winner = max(level, key=lambda at: (meaning[at], codings[at].primary))  # an exact draw keeps the rule's
        others = ", ".join(f"{codings[at].code} {meaning[at]:.2f}" for at in level if at != winner)
        for at in by_segment[segment.index]:
            codings[at] = replace(codings[at], primary=False)
        codings[winner] = replace(codings[winner], primary=True, evidence=(
            f"{codings[winner].evidence}; primary by meaning: z {meaning[winner]:.2f}, level on keywords "
            f"with {others}"))
    return codings


def _sentence(segment: Segment, column: int, plan: Plan) -> str:
    a, b = closest_sentence(segment, lambda texts: _similarities(plan, texts)[0][:, column])
    return _short(segment.text[a:b])


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).replace("“", '"').replace("”", '"')
    return text if len(text) <= limit else text[:limit - 1] + "…"


def without_covered(codings: list[Coding]) -> list[Coding]:
    """After a person's codings are merged in: a suggestion only where nothing else coded the segment."""
    covered = {c.segment for c in codings if not c.suggested}
    return [c for c in codings if not c.suggested or c.segment not in covered]


def meanings(segments: list[Segment], plan: Plan) -> dict[tuple[str, int], tuple[str, str, float]]:
    """For each eligible segment: the code its meaning is closest to, standardised as in `suggest`, with its z
    (whatever the threshold). What `icap review` needs to show first where keywords and meaning disagree."""
    chosen = eligible(segments, plan)
    if not chosen or not plan.fitted:
        return {}
    z, _ = _standardised(plan, chosen)
    found = {}
    for row, segment in enumerate(chosen):
        column = int(z[row].argmax())
        group, code = plan.codes[column]
        found[(segment.document, segment.index)] = (group, code, round(float(z[row, column]), 2))
    return found
