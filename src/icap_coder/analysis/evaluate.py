"""How close automatic coding comes to a person's: precision and recall against a labelled check set.

A check set is YAML: `segments:` a list of {lang, text, codes: [code names]}.
Per code, a segment counts as a true positive when both the person and icap
coded it; per group, when both gave it some code of that group. Students
adapting the codebook can label 50-100 segments of their own study and see
what every keyword change does to these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from icap_coder import yamlfile
from icap_coder.coding.matcher import LanguageMatcher
from icap_coder.errors import IcapError
from icap_coder.model import Codebook, Segment


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def count(self, gold: bool, found: bool) -> None:
        self.tp += gold and found
        self.fp += found and not gold
        self.fn += gold and not found


@dataclass
class Evaluation:
    codes: dict[str, Score] = field(default_factory=dict)  # by code name
    groups: dict[str, Score] = field(default_factory=dict)
    micro: Score = field(default_factory=Score)  # over all (segment, code) pairs
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, code, text)
    segments: int = 0


def load_checkset(path: Path, codebook: Codebook) -> list[tuple[str, str, set[str]]]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IcapError(f"cannot read check set ({exc})", file=file) from None
    root = yamlfile.compose(text, file)
    known = {code.name for code in codebook.codes()}
    items = []
    segments = None
    if isinstance(root, yaml.MappingNode):
        segments = next((v for k, v in root.value if k.value == "segments"), None)
    if not isinstance(segments, yaml.SequenceNode):
        raise IcapError("a check set needs `segments:`, a list of {lang, text, codes}", file=file, line=1)
    for node in segments.value:
        line = node.start_mark.line + 1
        data = yamlfile.to_python(node, file)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) or "codes" not in data:
            raise IcapError("each segment needs `text` and `codes` (a list, may be empty)", file=file, line=line)
        lang = str(data.get("lang") or codebook.languages[0])
        if lang not in codebook.languages:
            raise IcapError(f"language '{lang}' is not one of the codebook's", file=file, line=line)
        codes = set(data["codes"] or [])
        unknown = codes - known
        if unknown:
            raise IcapError(f"unknown code {sorted(unknown)[0]!r}; use the code names of the codebook",
                            file=file, line=line)
        items.append((lang, data["text"], codes))
    return items


def evaluate(codebook: Codebook, items: list[tuple[str, str, set[str]]], min_score: float = 1.0) -> Evaluation:
    matchers: dict[str, LanguageMatcher] = {}
    deductive = [code for code in codebook.codes() if not code.inductive]
    group_of = {code.name: code.group for code in deductive}
    result = Evaluation(codes={c.name: Score() for c in deductive},
                        groups={g: Score() for g in dict.fromkeys(group_of.values())})
    for index, (lang, text, gold) in enumerate(items, start=1):
        if lang not in matchers:
            matchers[lang] = LanguageMatcher(codebook, lang)
        matcher = matchers[lang]
        segment = Segment("checkset", "", "", index, "turn", 0, len(text), lang, text)
        found = {c.code for c in matcher.code_segments([segment], min_score)}
        gold = gold & set(group_of)  # inductive codes are never automatic
        for name, score in result.codes.items():
            score.count(name in gold, name in found)
            result.micro.count(name in gold, name in found)
            if (name in gold) != (name in found):
                result.disagreements.append(("missed" if name in gold else "extra", name, text))
        for group, score in result.groups.items():
            score.count(any(group_of[c] == group for c in gold), any(group_of[c] == group for c in found))
        result.segments += 1
    return result
