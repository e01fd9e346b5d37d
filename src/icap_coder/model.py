"""Plain data passed between the stages: documents -> segments -> codings.

Nothing here does work; every stage takes these and returns these, so the
stages can be tested (and parallelised) one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    """A stretch of one speaker's words: offsets into Document.text, end-exclusive."""

    speaker: str | None
    start: int
    end: int


@dataclass
class Document:
    """A transcript as icap extracted it. `text` is what all offsets refer to."""

    path: str  # relative to the PATH argument, forward slashes
    text: str
    turns: list[Turn]
    format: str
    sha256: str = ""
    case: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    language: str = ""
    encoding: str = ""  # how the file's bytes were read (text formats)
    layout: str = ""  # how its text was laid out: labelled lines, Teams cues, a speaker table, ...

    @property
    def respondent(self) -> str:
        """Who was interviewed: the `respondent` attribute, else the file's name."""
        return self.attributes.get("respondent") or self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


@dataclass(frozen=True)
class Segment:
    """The unit that gets coded: a turn, paragraph or sentence of one document."""

    document: str
    case: str
    speaker: str
    index: int  # 1-based within the document
    unit: str
    start: int
    end: int
    language: str
    text: str
    interviewer: bool = False


@dataclass
class Code:
    name: str
    group: str
    label: dict[str, str] = field(default_factory=dict)
    definition: str = ""
    indicators: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # what a segment with this code sounds like (semantic)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    inductive: bool = False
    line: int | None = None

    @property
    def path(self) -> str:
        return f"{self.group}/{self.name}"


@dataclass
class CodeGroup:
    name: str
    label: dict[str, str] = field(default_factory=dict)
    definition: str = ""
    codes: list[Code] = field(default_factory=list)


@dataclass
class Codebook:
    name: str
    version: str
    languages: list[str]
    groups: list[CodeGroup]
    source: str = ""
    sha256: str = ""

    def codes(self) -> list[Code]:
        return [code for group in self.groups for code in group.codes]


SUGGESTED = "semantic"  # the source of a suggestion by meaning


@dataclass(frozen=True)
class Coding:
    """One code applied to one segment, with what made it fire."""

    document: str
    case: str
    speaker: str
    segment: int
    start: int
    end: int
    group: str
    code: str
    source: str  # "auto", "manual", or SUGGESTED (a suggestion by meaning: not counted until a person accepts it)
    score: float
    evidence: str
    text: str
    primary: bool = False  # the segment's strongest automatic code (the one a single-label coder would give)

    @property
    def suggested(self) -> bool:
        """A suggestion by meaning (`icap code --semantic`): shown, never counted, until a person accepts it."""
        return self.source == SUGGESTED

    @property
    def terms(self) -> list[str]:
        """The words of the text that made a keyword rule fire, in the order the evidence names them
        (evidence reads "term <- pattern; term <- pattern"; other notes in it are not terms)."""
        return [part.split(" <- ")[0].strip() for part in self.evidence.split("; ") if " <- " in part]
