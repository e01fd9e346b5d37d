"""Intercoder agreement: how far people, and icap's rules, code the same segments alike.

Unit of analysis: the segment (turn, paragraph or sentence, as `--unit` cuts the
transcripts). A coder applied a code to a unit when one of their codings
overlaps it. A person takes part in a document when they made at least one
entry for it, and icap's rules take part in every document in a codebook
language; a unit counts when at least two coders took part in its document.
For a code, each coder's value for a unit is 1 (applied) or 0 (not); for a group,
whether any of the group's codes was applied; `overall` pools every (unit,
code) decision of the codes anybody used.

- percent agreement: per unit, the share of coder pairs that agree, averaged over
  the units (for two coders: the share of units on which they agree);
- Cohen's kappa: when there are exactly two coders, over the units both coded;
- Krippendorff's alpha for nominal data: any number of coders, missing values
  allowed, from the coincidence matrix (Krippendorff 2011, "Computing
  Krippendorff's alpha-reliability");
- with icap as a coder: precision, recall and F1 of its codings against each person.
A measure that chance agreement leaves undefined (every value the same) is None.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from icap_coder.manual.merge import MARKER_CODER, contributions, merge
from icap_coder.manual.tagsfile import Tag
from icap_coder.model import Codebook, Coding, Document, Segment

ICAP = "icap"  # the coder name of icap's automatic coding


class Coincidences:
    """Krippendorff's coincidence matrix, filled one unit at a time."""

    def __init__(self) -> None:
        self.matrix: Counter[tuple[Hashable, Hashable]] = Counter()  # o_ck, fractional

    def add(self, values: Sequence[Hashable | None]) -> None:
        """The values the coders gave one unit (None: a coder who did not code it)."""
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2:
            return  # a unit coded once cannot be compared: it does not count
        counts = Counter(present)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    self.matrix[(c, k)] += pairs / (m - 1)  # type: ignore[assignment]  # a Counter of floats

    def alpha(self) -> float | None:
        """Nominal alpha = 1 - (n - 1) * sum(o_ck, c != k) / sum(n_c * n_k, c != k)."""
        totals: Counter[Hashable] = Counter()
        for (c, _), o in self.matrix.items():
            totals[c] += o
        n = sum(totals.values())
        expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
        if n <= 1 or expected == 0:
            return None
        observed = sum(o for (c, k), o in self.matrix.items() if c != k)
        return 1 - (n - 1) * observed / expected


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Nominal alpha of units given as one value per coder (None where a coder gave none)."""
    coincidences = Coincidences()
    for values in units:
        coincidences.add(values)
    return coincidences.alpha()


def cohen_kappa(pairs: Counter[tuple[Hashable, Hashable]]) -> float | None:
    """Kappa of two coders from (value of the first, value of the second) -> number of units."""
    n = sum(pairs.values())
    if not n:
        return None
    observed = sum(count for (a, b), count in pairs.items() if a == b) / n
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    for (a, b), count in pairs.items():
        first[a] += count
        second[b] += count
    expected = sum(first[v] * second[v] for v in first) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


@dataclass
class Tally:
    """Everything one row of the agreement table needs, added one unit at a time."""

    coders: list[str]
    units: int = 0
    agreement: float = 0.0  # summed per-unit share of agreeing pairs
    coincidences: Coincidences = field(default_factory=Coincidences)
    pairs: Counter[tuple[Hashable, Hashable]] = field(default_factory=Counter)  # two coders: (first, second) -> units
    codings: Counter[str] = field(default_factory=Counter)
    versus: dict[str, Counter[str]] = field(default_factory=dict)  # person -> tp/fp/fn of icap against them

    def add(self, values: dict[str, int]) -> None:
        """One unit: the coders who took part and their value (1 applied, 0 not)."""
        m = len(values)
        if m < 2:
            return
        self.units += 1
        ones = sum(values.values())
        zeros = m - ones
        self.agreement += (ones * (ones - 1) + zeros * (zeros - 1)) / (m * (m - 1))
        self.coincidences.add(list(values.values()))
        self.codings.update({coder: value for coder, value in values.items() if value})
        if len(self.coders) == 2 and all(c in values for c in self.coders):
            self.pairs[(values[self.coders[0]], values[self.coders[1]])] += 1
        if ICAP in values:
            for person, value in values.items():
                if person != ICAP:
                    tally = self.versus.setdefault(person, Counter())
                    tally["tp" if value and values[ICAP] else "fp" if values[ICAP] else "fn" if value else "tn"] += 1

    def row(self, level: str, group: str, code: str) -> dict[str, Any]:
        row: dict[str, Any] = {
            "level": level, "group": group, "code": code, "units": self.units, "coders": len(self.coders),
            "percent_agreement": _round(100 * self.agreement / self.units if self.units else None),
            "cohen_kappa": _round(cohen_kappa(self.pairs) if len(self.coders) == 2 else None),
            "krippendorff_alpha": _round(self.coincidences.alpha()),
            "codings": {coder: self.codings[coder] for coder in self.coders}}
        if ICAP in self.coders:
            row["icap_vs"] = {person: _scores(tally) for person, tally in self.versus.items()}
        return row


def _scores(tally: Counter[str]) -> dict[str, float | None]:
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    precision = tp / (tp + fp) if tp + fp else None  # icap never coded it: no precision to speak of
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (
        0.0 if precision is not None and recall is not None else None)
    return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class Unit:
    """One segment as the coders who took part in its document coded it."""

    document: str
    segment: int
    speaker: str
    text: str
    codes: dict[str, frozenset[tuple[str, str]]]  # coder -> (group, code) applied


class AgreementBuilder:
    """Collects units document by document; `rows()` and `disagreements()` compute the figures."""

    def __init__(self, codebook: Codebook, coders: list[str]):
        self.codebook, self.coders = codebook, coders
        self.units: list[Unit] = []

    def add(self, unit: Unit) -> None:
        if len(unit.codes) >= 2:
            self.units.append(unit)

    def used_codes(self) -> list[tuple[str, str]]:
        """Codes anybody applied, in codebook order, then new (inductive) ones by name."""
        used = {code for unit in self.units for codes in unit.codes.values() for code in codes}
        order = {(c.group, c.name): n for n, c in enumerate(self.codebook.codes())}
        return sorted(used, key=lambda gc: (order.get(gc, len(order)), gc))

    def rows(self) -> list[dict[str, Any]]:
        """One row per code, one per group and one overall."""
        codes = self.used_codes()
        groups = list(dict.fromkeys(group for group, _ in codes))
        per_code = {code: Tally(self.coders) for code in codes}
        per_group = {group: Tally(self.coders) for group in groups}
        overall = Tally(self.coders)
        for unit in self.units:
            for code, tally in per_code.items():
                values = {coder: int(code in applied) for coder, applied in unit.codes.items()}
                tally.add(values)
                overall.add(values)
            for group, tally in per_group.items():
                tally.add({coder: int(any(g == group for g, _ in applied)) for coder, applied in unit.codes.items()})
        rows = []
        for group in groups:
            rows.append(per_group[group].row("group", group, ""))
            rows.extend(per_code[code].row("code", group, code[1]) for code in codes if code[0] == group)
        rows.append(overall.row("overall", "", ""))
        return rows

    def disagreements(self) -> list[dict[str, Any]]:
        """Per unit and code on which the coders differ: who applied it and who did not."""
        found = []
        for unit in self.units:
            for group, code in sorted({c for codes in unit.codes.values() for c in codes}):
                by = [coder for coder in self.coders if (group, code) in unit.codes.get(coder, frozenset())]
                not_by = [coder for coder in self.coders if coder in unit.codes and coder not in by]
                if not_by:
                    found.append({"document": unit.document, "segment": unit.segment, "speaker": unit.speaker,
                                  "group": group, "code": code, "coded_by": ", ".join(by),
                                  "not_by": ", ".join(not_by), "quote": unit.text})
        return found


def person_codings(document: Document, segments: list[Segment], tags: list[Tag], codebook: Codebook,
                   tags_file: str) -> tuple[list[Coding], list[str]]:
    """What one person coded in one document (their `code` and `confirm` entries, placed as icap places
    them in every run), with the warnings about entries that could not be placed."""
    applied = [tag for tag in tags if tag.action != "reject"]
    codings, _, warnings = merge(document, segments, [], [], applied, codebook, tags_file)
    return codings, warnings


def document_units(document: Document, segments: list[Segment], coded: dict[str, list[Coding]],
                   interviewer_too: bool = False) -> list[Unit]:
    """The document's units (its coded segments) with each taking-part coder's codes."""
    applied: dict[str, dict[int, set[tuple[str, str]]]] = {coder: {} for coder in coded}
    for coder, codings in coded.items():
        for coding in codings:
            applied[coder].setdefault(coding.segment, set()).add((coding.group, coding.code))
    return [Unit(document.path, s.index, s.speaker, s.text,
                 {coder: frozenset(found.get(s.index, ())) for coder, found in applied.items()})
            for s in segments if interviewer_too or not s.interviewer]


def units_from_evidence(document: Document, segments: list[Segment], codings: list[Coding]) -> list[Unit]:
    """A coded document's units as its manual codings' evidence says each named person coded them (for the
    report, which has the merged codings, not the tags): empty unless two people coded it."""
    coded: dict[str, list[Coding]] = {}
    for coding in codings:
        if coding.source == "manual":
            for part in contributions(coding.evidence):
                if part.coder and part.coder != MARKER_CODER:
                    coded.setdefault(part.coder, []).append(coding)
    return document_units(document, segments, coded) if len(coded) >= 2 else []


def method_note(unit: str, units: int, documents: int, coders: list[str], auto: bool = False) -> str:
    """The sentence a methods section needs: unit, numbers, the overlap rule and what the measures are."""
    return (f"Unit of analysis: the {unit} ({units} {unit}s in {documents} document{'s' if documents != 1 else ''} "
            f"coded by at least two of: {', '.join(coders)}). A coding applies to every {unit} its span overlaps; "
            "a coder counts for a document once they made an entry for it"
            + ("; icap counts for every document in a codebook language" if auto else "")
            + ". Groups: whether any of their codes was applied. Overall: every (unit, code) decision pooled. "
            "Krippendorff's alpha is nominal; Cohen's kappa needs exactly two coders.")
