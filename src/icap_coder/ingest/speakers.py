"""Find speaker turns in plain text: `Name:`, `R4:`, `[00:01:02] Name:`, `**Name:**`.

A label is believed when it is a usual interview role (I, R, Q, A, R4,
Interviewer, Respondent, ...), a name given by the user, or a label that
starts at least two lines. Once a text is shown to be a labelled transcript
that way, any capitalised label of at most three words is believed too (a
respondent who speaks once); in running prose a one-off `Conclusie: ...` is
not a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set

from icap_coder.model import Turn

_TIME = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
_NAME = r"[^\W\d_][\w.'’\-]*(?: [\w.'’\-()]+){0,4}"
_MARKERS = r"(?P<markers>(?:\[#[^\[\]\n]+\][ \t]*)*)"  # inline coding markers may stand before a label
LABEL = re.compile(
    rf"^[ \t]*{_MARKERS}(?:{_TIME}[ \t]+)?(?:\*\*)?(?P<name>{_NAME}?)(?:[ \t]*{_TIME})?(?:\*\*)?[ \t]*:(?:\*\*)?"
    r"(?:[ \t]+|$)",
    re.MULTILINE,
)
# One vocabulary of interview roles, used to find speakers and to tell interviewers from the people they ask.
_NUMBER = r"(?:[ .]?\d+)?"
INTERVIEWER_ROLE = re.compile(
    rf"^(?:I|Q|Int\.?|Interviewer|Interviewster|Onderzoeker|Moderator|Intervjuare|Researcher|Facilitator|"
    rf"Vraag|Vraagsteller|Question){_NUMBER}$", re.IGNORECASE)
RESPONDENT_ROLE = re.compile(
    rf"^(?:R|A|P|B|Resp\.?|Respondent|Interviewee|Geïnterviewde|Deelnemer|Participant|Spreker|Speaker|Talare|"
    rf"Antwoord|Answer){_NUMBER}$", re.IGNORECASE)
# Lines like "Image description: ..." or "Datum: ..." describe the interview; they are nobody's words.
ANNOTATIONS = {"image description", "image", "beschrijving", "afbeelding", "note", "notes", "noot", "notitie",
               "opmerking", "opmerkingen", "comment", "context", "observation", "observatie", "datum", "date",
               "tijd", "time", "locatie", "location", "plaats", "duur", "duration", "deelnemers", "participants",
               "aanwezig", "present", "titel", "title", "onderwerp", "subject", "transcript", "transcriptie",
               "samenvatting", "summary", "bron", "source", "link", "url", "thema", "theme", "memo", "datum och tid",
               "bild", "bildbeskrivning", "anteckning", "plats", "tid", "deltagare", "ämne", "sammanfattning"}
MAX_LABEL = 40


def is_role(name: str) -> bool:
    return bool(INTERVIEWER_ROLE.match(name) or RESPONDENT_ROLE.match(name))


def is_interviewer(name: str | None, interviewers: Set[str] = frozenset()) -> bool:
    """An interviewer by role (I, Q1, Int., Interviewer 2, ...) or by a name the user gave."""
    if not name:
        return False
    name = name.strip()
    return bool(INTERVIEWER_ROLE.match(name)) or name.lower() in {s.lower() for s in interviewers}


def find_turns(text: str, known_speakers: Set[str] = frozenset()) -> list[Turn]:
    """Split `text` into turns at speaker labels; text before the first label is a turn of no one."""
    candidates = [(m, name.strip()) for m in LABEL.finditer(text) if len(name := m.group("name")) <= MAX_LABEL
                  and name.strip().lower() not in ANNOTATIONS]
    counts = Counter(name for _, name in candidates)
    known = {s.lower() for s in known_speakers}
    believed = {name: counts[name] >= 2 or is_role(name) or name.lower() in known for name in counts}
    believed_count = sum(1 for _, name in candidates if believed[name])
    labelled = believed_count >= 2 or (believed_count == 1 and len(candidates) >= 2)
    in_context = {name: yes or (labelled and name[:1].isupper() and len(name.split()) <= 3)
                  for name, yes in believed.items()}
    labels = [(m, name) for m, name in candidates if in_context[name]]
    turns: list[Turn] = []
    first = labels[0][0].start() if labels else len(text)
    _add(turns, text, None, 0, first)
    for i, (match, name) in enumerate(labels):
        end = labels[i + 1][0].start() if i + 1 < len(labels) else len(text)
        _add(turns, text, name, match.end(), end)
    return turns


def _add(turns: list[Turn], text: str, speaker: str | None, start: int, end: int) -> None:
    """Append a turn trimmed of surrounding white space; drop it when nothing is said."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    turns.append(Turn(speaker, start + lead, start + lead + len(stripped)))
