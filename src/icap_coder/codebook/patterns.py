"""The keyword pattern language of a codebook, parsed into small typed pieces.

One rule per form (see README, "Pattern syntax"):

    innovatie      lemma: any inflected form of the word
    samen werken   phrase: consecutive tokens, each element matched by its own rule
    kennis*        prefix:  tokens starting with `kennis`
    *strategie     suffix:  tokens ending in `strategie`
    *innovatie*    infix:   tokens containing `innovatie` (Dutch compounds)
    =les           exact:   the lower-case form only, no lemmatisation
    /regex/        regex:   a Python regular expression over the segment text, case-insensitive; one
                            that can backtrack for ever is refused, and each match has a time limit
    any of them^2  weight:  what a hit adds to the code's score (default 1; `^0.5` for a weak word)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import regex

try:  # the parser behind `re`, to see a regex's structure
    from re import _parser as sre  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse as sre  # type: ignore[no-redef, unused-ignore]

MAXREPEAT = sre.MAXREPEAT
WEIGHT = re.compile(r"^(.*)\^(\d+(?:\.\d+)?)$")  # `term^2`: the weight ends the keyword
REGEX_SECONDS = 2.0  # the most one /regex/ keyword may take on one segment
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
    weight: float = 1.0  # what one hit adds to the code's score in a segment (`term^2`, `term^0.5`)
    regex: regex.Pattern[str] | None = None


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


def catastrophic(source: str) -> bool:
    """A regex whose backtracking can grow exponentially with the text: an unbounded repeat of a group that
    repeats itself, a long repeat of a group with an unbounded repeat, or a repeat of overlapping choices."""
    try:
        tree = sre.parse(source)
    except Exception:  # the private parser differs between Python versions; compile() has checked the syntax
        return False
    return _nested(list(tree), outer=None)


def _nested(items: list[Any], outer: tuple[int, int] | None) -> bool:
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = arg
            unbounded = high >= MAXREPEAT
            if outer is not None and high > 1 and (outer[1] >= MAXREPEAT or (outer[1] >= 8 and unbounded)):
                return True
            if name != "POSSESSIVE_REPEAT" and _nested(list(body), (low, high)):
                return True
        elif name == "SUBPATTERN":
            if _nested(list(arg[-1]), outer):
                return True
        elif name == "BRANCH":
            branches = [list(branch) for branch in arg[1]]
            # the parser moves a common start out of the choices: an empty or repeated choice is left when two
            # choices overlap, (a|aa) or (x|x), and repeating them can split the same text in many ways
            shapes = [repr(branch) for branch in branches]
            if outer is not None and outer[1] > 1 and (not all(branches) or len(shapes) != len(set(shapes))):
                return True
            if any(_nested(branch, outer) for branch in branches):
                return True
    return False


def parse_pattern(raw: object) -> Pattern:
    """Parse one codebook keyword; raises PatternError with a message a student can act on."""
    if not isinstance(raw, str):
        raise PatternError(f"{raw!r}: a keyword must be text")
    text = raw.strip()
    if not text:
        raise PatternError("empty keyword")
    weight = 1.0
    weighted = WEIGHT.match(text)
    if weighted:
        text, weight = weighted.group(1).strip(), float(weighted.group(2))
        if not 0 < weight <= 10:
            raise PatternError(f"'{raw}': a weight must be more than 0 and at most 10")
        if not text:
            raise PatternError(f"'{raw}': a weight needs a keyword before the ^")
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        try:
            compiled = regex.compile(text[1:-1], regex.IGNORECASE | regex.V0)
            re.compile(text[1:-1])  # the syntax the README promises: Python's own
        except (re.error, regex.error) as exc:
            raise PatternError(f"bad regex {text}: {exc}") from None
        if compiled.match(""):
            raise PatternError(f"bad regex {text}: it matches empty text")
        if catastrophic(text[1:-1]):
            raise PatternError(f"regex {text} can take for ever on some text (a repeated group that itself "
                               "repeats or has overlapping choices, like (a+)+ or (a|aa)*); simplify it")
        return Pattern(raw, "regex", regex=compiled, weight=weight)
    if "^" in text:
        raise PatternError(f"'{raw}': '^' may only end a keyword, followed by its weight (e.g. visie^2)")
    parts = text.split()
    elements = tuple(parse_element(part) for part in parts)
    return Pattern(raw, "phrase" if len(elements) > 1 else "token", elements, weight=weight)
