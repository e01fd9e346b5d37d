"""Segments ranked by meaning, with the query's own words ranked in: what `icap search` shows.

Every respondent segment is compared with the query (or with a quote to find
more like) in the multilingual embedding space, so a Dutch query finds English
and Swedish answers too. Segments that also hold the query's content words (as
lemmas: "bedrijven" for "bedrijf", in segments of the query's language) rank
higher: each similarity is standardised over the searched segments (z; e5's raw
cosines sit in a narrow band and mean little on their own), and a segment holding
all of the query's words gains one standard deviation (a share of it for some of
them). So a literal hit is lifted above paraphrases as close as it, but a stray
word does not lift a far-off segment over a clearly closer one. (Reciprocal rank
fusion, tried first, did exactly that on the example study: with 66 segments a
literal "partner" at z -0.9 outranked the passage about partners at z 2.7.)
Each hit says which kind it is.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from icap_coder.coding import nlp
from icap_coder.coding.semantic import closest_sentence, meaningful
from icap_coder.model import Segment

WORDS_BONUS = 1.0  # in standard deviations of similarity, for holding every content word of the query


@dataclass
class Hit:
    rank: int
    segment: Segment
    similarity: float  # cosine between the query and the segment
    z: float  # the similarity standardised over every searched segment
    score: float = 0.0  # z plus the bonus for the query's words: what the ranking follows
    words: list[str] = field(default_factory=list)  # the query's content words this segment holds
    sentence: tuple[int, int] = (0, 0)  # the best-matching sentence, as offsets in segment.text

    @property
    def kind(self) -> str:
        return "meaning + words" if self.words else "meaning"

    def as_dict(self) -> dict[str, Any]:
        s = self.segment
        start, end = self.sentence
        return {"rank": self.rank, "kind": self.kind, "words": self.words, "z": round(self.z, 2),
                "score": round(self.score, 2), "similarity": round(self.similarity, 4),
                "document": s.document, "segment": s.index,
                "case": s.case, "speaker": s.speaker, "language": s.language, "start": s.start, "end": s.end,
                "sentence": s.text[start:end], "sentence_start": s.start + start, "sentence_end": s.start + end,
                "text": s.text}


class Ranking:
    """Segments ranked for a query while the documents stream past, one at a time.

    Memory holds `top` segments per kind of word match, not the transcripts: the final score is
    z + bonus, where z needs the mean and spread of every similarity (running sums suffice) and the bonus
    takes a few values only (the share of the query's words a segment holds, per language). Within one such
    class the order is the similarity's, so the best of each class hold the best of all.
    """

    def __init__(self, embedder: Any, query: str, top: int = 10):
        self.embedder, self.query, self.top = embedder, query, top
        self.wanted = embedder.queries([query])[0]
        self.terms: dict[str, set[str]] = {}  # the query's content words, read as each language met
        self.n, self.total, self.squares = 0, 0.0, 0.0
        self.languages: set[str] = set()
        self.best: dict[tuple[str, int], list[tuple[float, int, list[str], Segment]]] = {}
        self.order = 0  # the segments' order of arrival: ties go to the first

    def add(self, segments: list[Segment]) -> None:
        """One document's segments (those to search: interviewer turns and one-liners are left out here)."""
        pool = meaningful(segments)  # interviewer turns and one-line answers are context, not findings
        if not pool:
            return
        similarities = (self.embedder.passages([s.text for s in pool]) @ self.wanted).tolist()
        for segment, similarity in zip(pool, similarities):
            self.n += 1
            self.total += similarity
            self.squares += similarity * similarity
            words: list[str] = []
            lang = segment.language
            if lang in nlp.LANGUAGES:
                self.languages.add(lang)
                if lang not in self.terms:
                    self.terms[lang] = set(nlp.terms(self.query, lang))
                if self.terms[lang]:
                    words = sorted(self.terms[lang] & set(nlp.terms(segment.text, lang)))
            heap = self.best.setdefault((segment.language, len(words)), [])
            item = (similarity, -self.order, words, segment)  # the heap's top is the class's weakest
            self.order += 1
            if len(heap) < self.top:
                heapq.heappush(heap, item)
            elif item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)

    def hits(self) -> list[Hit]:
        """The `top` segments, best first; ties go to document order."""
        if not self.n:
            return []
        mean = self.total / self.n
        spread = max(self.squares / self.n - mean * mean, 0.0) ** 0.5 or 1.0
        language, sure = nlp.detect_language(self.query, sorted(self.languages) or ["nl"])
        counted = {language} if sure else self.languages  # whose words count for the bonus
        scored = []
        for (lang, _), heap in self.best.items():
            for similarity, negative_order, words, segment in heap:
                words = words if lang in counted else []
                z = (similarity - mean) / spread
                bonus = WORDS_BONUS * len(words) / max(1, len(self.terms.get(lang, ()))) if words else 0.0
                scored.append((-(z + bonus), -negative_order, similarity, z, words, segment))
        scored.sort(key=lambda item: item[:2])
        hits = [Hit(rank, segment, similarity, z, -score, words)
                for rank, (score, _, similarity, z, words, segment) in enumerate(scored[:self.top], start=1)]
        for hit in hits:  # the sentence closest to the query: what a person reads first
            hit.sentence = closest_sentence(hit.segment, lambda texts: self.embedder.passages(texts) @ self.wanted)
        return hits


class QuoteFinder:
    """The segment that holds a quote (`--like DOCUMENT:QUOTE`), looked for as the documents stream past."""

    def __init__(self, document: str, quote: str):
        self.document, self.quote = document, quote
        self.wanted = " ".join(quote.split()).casefold()
        self.seen = False
        self.found: Segment | None = None

    def look(self, segments: list[Segment]) -> Segment | None:
        """This document's segment holding the quote, if it is the document and the quote was not found yet."""
        if self.found is not None or not segments:
            return None
        if self.document not in (segments[0].document, segments[0].document.rsplit("/", 1)[-1]):
            return None
        self.seen = True
        self.found = next((s for s in segments if self.wanted in " ".join(s.text.split()).casefold()), None)
        return self.found

    def check(self) -> None:
        """After the last document: LookupError when the quote's document or the quote was never found."""
        if not self.seen:
            raise LookupError(f"no transcript '{self.document}' among those searched")
        if self.found is None:
            raise LookupError(f"'{self.quote}' is not in one segment of {self.document}")
