"""The keyword pattern language of a codebook, parsed into small typed pieces.

One rule per form (see README, "Pattern syntax"):

    innovatie      lemma: any inflected form of the word
    samen werken   phrase: consecutive tokens, each element matched by its own rule
    kennis*        prefix:  tokens starting with `kennis`
    *strategie     suffix:  tokens ending in `strategie`
    *innovatie*    infix:   tokens containing `innovatie` (Dutch compounds)
    =les           exact:   the lower-case form only, no lemmatisation
    /regex/        regex:   a Python regular expression over the segment text, case-insensitive
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_KINDS = ("lemma", "prefix", "suffix", "infix", "exact")


class PatternError(ValueError):
    """A pattern string that does not follow the syntax."""


@dataclass(frozen=True)
class Element:
    """A test one token must pass."""

    kind: str  # one of TOKEN_KINDS
    value: str  # lower case, without the * and = markers


@dataclass(frozen=True)
class Pattern:
    raw: str
    kind: str  # "token", "phrase" or "regex"
    elements: tuple[Element, ...] = ()
    regex: re.Pattern | None = None


def parse_element(text: str) -> Element:
    if text.startswith("="):
        value = text[1:]
        if not value or "*" in value:
            raise PatternError(f"'{text}': '=' must be followed by a word without '*'")
        return Element("exact", value.lower())
    stars_front, stars_back = text.startswith("*"), text.endswith("*") and len(text) > 1
    value = text.strip("*")
    if not value or "*" in value:
        raise PatternError(f"'{text}': '*' may stand only at the start and/or end of a word")
    if stars_front and stars_back:
        kind = "infix"
    elif stars_front:
        kind = "suffix"
    elif stars_back:
        kind = "prefix"
    else:
        kind = "lemma"
    if kind != "lemma" and len(value) < 3:
        raise PatternError(f"'{text}': a wildcard needs at least 3 letters, or it matches almost anything")
    return Element(kind, value.lower())


def parse_pattern(raw: object) -> Pattern:
    """Parse one codebook keyword; raises PatternError with a message a student can act on."""
    if not isinstance(raw, str):
        raise PatternError(f"{raw!r}: a keyword must be text")
    text = raw.strip()
    if not text:
        raise PatternError("empty keyword")
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        try:
            compiled = re.compile(text[1:-1], re.IGNORECASE)
        except re.error as exc:
            raise PatternError(f"bad regex {text}: {exc}") from None
        if compiled.match(""):
            raise PatternError(f"bad regex {text}: it matches empty text")
        return Pattern(raw, "regex", regex=compiled)
    parts = text.split()
    elements = tuple(parse_element(part) for part in parts)
    return Pattern(raw, "phrase" if len(elements) > 1 else "token", elements)
