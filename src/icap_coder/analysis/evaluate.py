"""How close automatic coding comes to a person's: agreement with a labelled check set, with its uncertainty.

A check set is YAML: `segments:` a list of {text, lang, codes, group, split, id, source}.
`codes` are the codes a person gives the segment; `group` is the element they file it under
(`none` when it belongs to no element), by default the group of its first code; `split` says
whether the segment may be used to tune a codebook (`dev`) or only to measure it (`holdout`).

Two views, because a researcher uses both:
- per code (multi-label): precision, recall and F1 of every code over (segment, code) pairs,
  counted on the segments whose codes were labelled. A code that never fires has precision n/a;
- per segment (single-label): the *primary* code's element against the person's element:
  accuracy, Cohen's kappa, macro-F1 over the elements, per-element accuracy, and a confusion
  matrix that shows which element was coded instead of which.
Small check sets are noisy, so the headline numbers come with bootstrap 95% intervals
(resampling segments, seeded, so a rerun gives the same interval).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from icap_coder import yamlfile
from icap_coder.coding.matcher import LanguageMatcher
from icap_coder.errors import IcapError
from icap_coder.model import Codebook, Segment

NONE = "none"
SPLITS = ("dev", "holdout")


@dataclass
class CheckItem:
    id: str
    lang: str
    text: str
    codes: set[str]  # code names
    group: str  # the person's element, or NONE
    split: str = "dev"
    codes_labelled: bool = True  # False when only the element was labelled (codes left empty)


@dataclass
class Prediction:
    codes: set[str]
    primary_group: str  # NONE when nothing was coded
    primary_code: str = ""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        """None (n/a) when the code never fired."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """None (n/a) when the person never gave the code."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def count(self, gold: bool, found: bool) -> None:
        self.tp += gold and found
        self.fp += found and not gold
        self.fn += gold and not found


@dataclass
class Evaluation:
    items: list[CheckItem]
    predictions: list[Prediction]
    codes: dict[str, Score] = field(default_factory=dict)  # by code name
    groups: dict[str, Score] = field(default_factory=dict)  # multi-label, any code of the group
    micro: Score = field(default_factory=Score)  # over all (segment, code) pairs
    labels: list[str] = field(default_factory=list)  # the elements, then NONE
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (person's element, primary's element)
    accuracy: float | None = None
    kappa: float | None = None
    macro_f1: float | None = None
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)  # 95% bootstrap intervals
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, code, text)

    @property
    def segments(self) -> int:
        return len(self.items)

    def element_accuracy(self, group: str) -> tuple[int, int]:
        """(segments of this element whose primary code is of it, segments of this element)."""
        total = sum(n for (gold, _), n in self.confusion.items() if gold == group)
        return self.confusion[(group, group)], total


def load_checkset(path: Path, codebook: Codebook) -> list[CheckItem]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IcapError(f"cannot read check set ({exc})", file=file) from None
    root = yamlfile.compose(text, file)
    segments = None
    default_split = "dev"
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "segments":
                segments = value
            elif key.value == "split":
                default_split = str(yamlfile.to_python(value, file))
    if not isinstance(segments, yaml.SequenceNode):
        raise IcapError("a check set needs `segments:`, a list of {lang, text, codes}", file=file, line=1)
    if default_split not in SPLITS:
        raise IcapError(f"split '{default_split}' is not one of {', '.join(SPLITS)}", file=file, line=1)
    known = {code.name: code.group for code in codebook.codes()}
    groups = {group.name for group in codebook.groups}
    items = []
    for number, node in enumerate(segments.value, start=1):
        line = yamlfile.line_of(node)
        data = yamlfile.to_python(node, file)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) or "codes" not in data:
            raise IcapError("each segment needs `text` and `codes` (a list, may be empty)", file=file, line=line)
        lang = str(data.get("lang") or codebook.languages[0])
        if lang not in codebook.languages:
            raise IcapError(f"language '{lang}' is not one of the codebook's", file=file, line=line)
        codes = [str(c) for c in data["codes"] or []]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise IcapError(f"unknown code {unknown[0]!r}; use the code names of the codebook", file=file, line=line)
        group = str(data.get("group") or (known[codes[0]] if codes else NONE))
        if group != NONE and group not in groups:
            raise IcapError(f"unknown group {group!r}; use a code group of the codebook or `none`", file=file,
                            line=line)
        split = str(data.get("split") or default_split)
        if split not in SPLITS:
            raise IcapError(f"split '{split}' is not one of {', '.join(SPLITS)}", file=file, line=line)
        labelled = bool(codes) or group == NONE
        items.append(CheckItem(str(data.get("id") or f"{path.stem}-{number}"), lang, data["text"], set(codes),
                               group, split, labelled))
    return items


def predict(codebook: Codebook, items: list[CheckItem], min_score: float = 1.0) -> list[Prediction]:
    """What the codebook codes in each check-set segment, and its primary code."""
    matchers: dict[str, LanguageMatcher] = {}
    predictions = []
    for index, item in enumerate(items, start=1):
        if item.lang not in matchers:
            matchers[item.lang] = LanguageMatcher(codebook, item.lang)
        segment = Segment("checkset", "", "", index, "turn", 0, len(item.text), item.lang, item.text)
        codings = matchers[item.lang].code_segments([segment], min_score)
        primary = next((c for c in codings if c.primary), None)
        predictions.append(Prediction({c.code for c in codings}, primary.group if primary else NONE,
                                      primary.code if primary else ""))
    return predictions


def evaluate(codebook: Codebook, items: list[CheckItem], min_score: float = 1.0, bootstrap: int = 1000,
             predictions: list[Prediction] | None = None) -> Evaluation:
    predictions = predictions if predictions is not None else predict(codebook, items, min_score)
    deductive = [code for code in codebook.codes() if not code.inductive]
    group_of = {code.name: code.group for code in deductive}
    elements = list(dict.fromkeys(group_of.values()))
    result = Evaluation(items, predictions, codes={c.name: Score() for c in deductive},
                        groups={g: Score() for g in elements}, labels=[*elements, NONE])
    for item, predicted in zip(items, predictions):
        gold = item.codes & set(group_of)  # inductive codes are never automatic
        if item.codes_labelled:
            for name, score in result.codes.items():
                score.count(name in gold, name in predicted.codes)
                result.micro.count(name in gold, name in predicted.codes)
                if (name in gold) != (name in predicted.codes):
                    result.disagreements.append(("missed" if name in gold else "extra", name, item.text))
        gold_groups = {group_of[c] for c in gold} | ({item.group} - {NONE})
        for group, score in result.groups.items():
            score.count(group in gold_groups, any(group_of[c] == group for c in predicted.codes))
        result.confusion[(item.group, predicted.primary_group)] += 1
    result.accuracy, result.kappa, result.macro_f1 = _single_label(
        [(item.group, p.primary_group) for item, p in zip(items, predictions)], elements)
    if bootstrap and items:
        result.intervals = _intervals(items, predictions, elements, group_of, bootstrap)
    return result


def _single_label(pairs: list[tuple[str, str]], elements: list[str]) -> tuple[float | None, ...]:
    """Accuracy, Cohen's kappa and macro-F1 (over the elements that occur) of (person, primary) labels."""
    if not pairs:
        return None, None, None
    n = len(pairs)
    accuracy = sum(gold == found for gold, found in pairs) / n
    gold_counts = Counter(gold for gold, _ in pairs)
    found_counts = Counter(found for _, found in pairs)
    chance = sum(gold_counts[label] * found_counts[label] for label in gold_counts) / (n * n)
    kappa = (accuracy - chance) / (1 - chance) if chance < 1 else None
    f1s = []
    for element in elements:
        if not gold_counts[element] and not found_counts[element]:
            continue
        hits = sum(1 for gold, found in pairs if gold == found == element)
        f1s.append(2 * hits / (gold_counts[element] + found_counts[element]))
    return accuracy, kappa, (sum(f1s) / len(f1s) if f1s else None)


def _intervals(items: list[CheckItem], predictions: list[Prediction], elements: list[str],
               group_of: dict[str, str], rounds: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(20261122)  # seeded: the same check set gives the same interval
    samples: dict[str, list[float]] = {"accuracy": [], "kappa": [], "macro_f1": [], "micro_f1": []}
    pairs = [(item.group, p.primary_group) for item, p in zip(items, predictions)]
    code_counts = []
    for item, predicted in zip(items, predictions):
        gold = item.codes & set(group_of)
        found = predicted.codes & set(group_of)
        code_counts.append((len(gold & found), len(found - gold), len(gold - found)) if item.codes_labelled
                           else (0, 0, 0))
    for _ in range(rounds):
        picked = [rng.randrange(len(items)) for _ in items]
        accuracy, kappa, macro = _single_label([pairs[i] for i in picked], elements)
        tp = sum(code_counts[i][0] for i in picked)
        fp = sum(code_counts[i][1] for i in picked)
        fn = sum(code_counts[i][2] for i in picked)
        for name, value in (("accuracy", accuracy), ("kappa", kappa), ("macro_f1", macro),
                            ("micro_f1", 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None)):
            if value is not None:
                samples[name].append(value)
    return {name: (_percentile(values, 0.025), _percentile(values, 0.975))
            for name, values in samples.items() if values}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(result: Evaluation) -> dict[str, Any]:
    """The headline numbers with their intervals, for JSON and for the README."""
    def number(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return {
        "segments": result.segments,
        "primary_accuracy": number(result.accuracy), "kappa": number(result.kappa),
        "macro_f1": number(result.macro_f1),
        "micro_f1": number(result.micro.f1), "micro_precision": number(result.micro.precision),
        "micro_recall": number(result.micro.recall),
        "intervals": {name: [round(low, 3), round(high, 3)] for name, (low, high) in result.intervals.items()},
        "elements": {group: {"correct": result.element_accuracy(group)[0], "of": result.element_accuracy(group)[1]}
                     for group in result.labels},
        "confusion": [{"person": gold, "primary": found, "segments": n}
                      for (gold, found), n in sorted(result.confusion.items())],
    }
