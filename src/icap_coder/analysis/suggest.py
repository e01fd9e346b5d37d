"""Keywords a person's own coding suggests: the terms that set a code's segments apart from the rest.

For each code a person gave by hand (tags file, markers), the lemmas and two-word phrases of
its segments are compared with those of all other segments by weighted log-odds with an
informative Dirichlet prior ("Fightin' Words": Monroe, Colaresi & Quinn 2008, Political
Analysis 16(4)). The prior is the term's share of the whole corpus, scaled to PRIOR_SIZE
pseudo-counts (a tenth of the corpus when that is smaller, so a small study is not swamped),
so a rare term needs real evidence and a frequent one cannot win by bulk.
The z-score says how distinctive a term is; for each term the suggestion also says what
adding it as a keyword would do: the segments of the code it would add (not coded by the
rules yet) and the segments without the code it would also catch. Nothing is changed: a
person reads the list and edits the YAML.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from icap_coder.coding import nlp
from icap_coder.model import Coding, Segment

PRIOR_SIZE = 500.0  # pseudo-counts of the prior (a tenth of the corpus when that is smaller)
MIN_Z = 1.0  # shown from here; z >= 1.96 is distinctive at the usual 5% level, lower values are hints
MIN_SEGMENTS = 2  # a term seen in one coded segment is an anecdote, not a keyword


@dataclass
class Suggestion:
    code: str  # Group/Code
    term: str  # a lemma, or two lemmas for a phrase: ready to paste as a keyword
    z: float
    in_code: int  # segments of the code that contain it
    code_segments: int
    would_add: int  # segments of the code it would code that the rules do not code yet
    would_also_catch: int  # segments without the code (by the person) that it would code


def segment_terms(segment: Segment) -> list[str]:
    words = nlp.terms(segment.text, segment.language)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def suggest(segments: list[Segment], codings: list[Coding], auto: list[Coding], top: int = 10,
            only: str | None = None, min_z: float = MIN_Z) -> list[Suggestion]:
    """Suggestions per code the person used, strongest first; `only` limits them to one code (name or path)."""
    coded = [s for s in segments if not s.interviewer and s.language]
    bags = {(s.document, s.index): segment_terms(s) for s in coded}
    by_code: dict[str, set[tuple[str, int]]] = {}
    for coding in codings:
        if coding.source == "manual":
            by_code.setdefault(f"{coding.group}/{coding.code}", set()).add((coding.document, coding.segment))
    ruled: dict[str, set[tuple[str, int]]] = {}
    for coding in auto:
        ruled.setdefault(f"{coding.group}/{coding.code}", set()).add((coding.document, coding.segment))
    corpus = Counter(term for bag in bags.values() for term in bag)
    total = sum(corpus.values())
    prior_size = min(PRIOR_SIZE, total / 10)
    found = []
    for code, keys in sorted(by_code.items()):
        if only and only not in (code, code.split("/", 1)[1]):
            continue
        inside = [key for key in bags if key in keys]
        if not inside:
            continue
        counts_in = Counter(term for key in inside for term in bags[key])
        counts_out = corpus - counts_in
        n_in, n_out = sum(counts_in.values()), sum(counts_out.values())
        presence = {key: set(bags[key]) for key in bags}
        scored = []
        for term, count in counts_in.items():
            z = _z(count, counts_out[term], n_in, n_out, prior_size * corpus[term] / total, prior_size)
            holders = {key for key, terms in presence.items() if term in terms}
            in_code = len(holders & set(inside))
            if z < min_z or in_code < MIN_SEGMENTS:
                continue
            rules = ruled.get(code, set())
            scored.append(Suggestion(code, term, round(z, 2), in_code, len(inside),
                                     len((holders & set(inside)) - rules), len(holders - set(inside) - rules)))
        scored.sort(key=lambda s: (-s.z, s.term))
        found.extend(scored[:top])
    return found


def _z(y_in: int, y_out: int, n_in: int, n_out: int, prior: float, prior_total: float) -> float:
    """Weighted log-odds of a term in the code's segments against the rest, divided by its standard error."""
    log_odds_in = math.log((y_in + prior) / max(n_in + prior_total - y_in - prior, 1e-9))
    log_odds_out = math.log((y_out + prior) / max(n_out + prior_total - y_out - prior, 1e-9))
    variance = 1 / (y_in + prior) + 1 / (y_out + prior)
    return (log_odds_in - log_odds_out) / math.sqrt(variance)
