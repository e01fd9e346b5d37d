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


def search(segments: list[Segment], embedder: Any, query: str, top: int = 10) -> list[Hit]:
    """The `top` segments for `query`, best first; ties go to document order."""
    pool = meaningful(segments)  # interviewer turns and one-line answers are context, not findings
    if not pool:
        return []
    vectors = embedder.passages([s.text for s in pool])
    wanted = embedder.queries([query])[0]
    similarity = vectors @ wanted
    spread = float(similarity.std()) or 1.0
    z = (similarity - float(similarity.mean())) / spread
    languages = sorted({s.language for s in pool if s.language in nlp.LANGUAGES})
    language, sure = nlp.detect_language(query, languages or ["nl"])
    literal = {lang: set(nlp.terms(query, lang)) for lang in (languages if not sure else [language])}
    words: dict[int, list[str]] = {}
    for i, segment in enumerate(pool):  # a query without function words ("innovatiebudget") is every language's
        if segment.language in literal:
            found = sorted(literal[segment.language] & set(nlp.terms(segment.text, segment.language)))
            if found:
                words[i] = found
    score = {i: float(z[i]) + WORDS_BONUS * len(words.get(i, [])) / max(1, len(literal[pool[i].language]))
             if i in words else float(z[i]) for i in range(len(pool))}
    chosen = sorted(score, key=lambda i: (-score[i], i))[:top]
    hits = [Hit(rank, pool[i], float(similarity[i]), float(z[i]), score[i], words.get(i, []))
            for rank, i in enumerate(chosen, start=1)]
    for hit in hits:  # the sentence closest to the query: what a person reads first
        hit.sentence = closest_sentence(hit.segment, lambda texts: embedder.passages(texts) @ wanted)
    return hits


def quote_segment(segments: list[Segment], document: str, quote: str) -> Segment:
    """The segment of `document` (its name, or its file name) that holds `quote` (case and spacing aside)."""
    wanted = " ".join(quote.split()).casefold()
    candidates = [s for s in segments if document in (s.document, s.document.rsplit("/", 1)[-1])]
    if not candidates:
        raise LookupError(f"no transcript '{document}' among those searched")
    for segment in candidates:
        if wanted in " ".join(segment.text.split()).casefold():
            return segment
    raise LookupError(f"'{quote}' is not in one segment of {document}")
