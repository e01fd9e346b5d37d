"""`icap review`: walk through the automatic codings one segment at a time and decide.

Per segment (shown after the interviewer's question): `a` accept (confirm) all proposed
codes, `r` reject all, `a 2` / `r 1 3` decide single proposals, `c CODE` add a code of the
codebook by hand (a typo is refused with the closest codes), `n CODE` add a new inductive
code, `u` undo the last decision, `s` (or Enter) skip, `q` quit, `?` help. Every decision
is written to the tags file at once and said back, so quitting loses nothing; a later
review starts with the segments that still have undecided proposals, which is where the
last one stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from icap_coder.errors import IcapError
from icap_coder.manual import tagging
from icap_coder.manual.merge import SUGGESTION_MEMO, check_code
from icap_coder.manual.tagsfile import Tag
from icap_coder.model import Codebook, Coding, Document, Segment

HELP = ("a = accept all, a N = accept one, r = reject all, r N = reject one, c CODE = add a code, "
        "n CODE = add a new inductive code, u = undo the last decision, s = skip, q = quit")


@dataclass
class Item:
    document: Document
    segment: Segment
    proposals: list[Coding]
    question: Segment | None = None  # the interviewer's turn just before, shown first
    meaning: str = ""  # where the keywords' element and the meaning's disagree: the code the meaning points to


@dataclass
class Tally:
    shown: int = 0
    confirmed: int = 0
    rejected: int = 0
    added: int = 0

    @property
    def decisions(self) -> int:
        return self.confirmed + self.rejected + self.added


@dataclass
class Decision:
    """One entry written to the tags file, kept so that `u` can take it back."""

    item: int  # index into the items under review
    tag: Tag
    place: tagging.Place
    proposal: Coding | None  # the automatic coding it decided, if any


def items_to_review(documents: list[Document], segments: list[Segment], codings: list[Coding],
                    group: str | None = None, case: str | None = None, code: str | None = None,
                    meanings: dict[tuple[str, int], tuple[str, str, float]] | None = None) -> list[Item]:
    """Segments with automatic codings or suggestions by meaning nobody has decided on yet, with the question
    before. With suggestions by meaning, those come first (the keywords found nothing, the meaning did), then
    segments whose keywords' element differs from the meaning's (`meanings`): there the keywords err most."""
    by_path = {d.path: d for d in documents}
    by_index = {(s.document, s.index): s for s in segments}
    pending: dict[tuple[str, int], list[Coding]] = {}
    for coding in codings:
        proposed = coding.source == "auto" or coding.suggested
        if not proposed or (group and coding.group != group) or (code and code not in (
                coding.code, f"{coding.group}/{coding.code}")):
            continue
        if case and coding.case != case:
            continue
        pending.setdefault((coding.document, coding.segment), []).append(coding)
    items = []
    for (doc, index), proposals in pending.items():
        question = next((by_index[(doc, i)] for i in range(index - 1, -1, -1)
                         if (doc, i) in by_index and by_index[(doc, i)].interviewer), None)
        item = Item(by_path[doc], by_index[(doc, index)], proposals, question)
        primary = next((p for p in proposals if p.primary), None)
        closest = (meanings or {}).get((doc, index))
        if primary is not None and closest is not None and closest[0] != primary.group:
            item.meaning = f"{closest[0]}/{closest[1]} (z {closest[2]:.2f})"
        items.append(item)

    def order(item: Item) -> int:
        return 0 if any(p.suggested for p in item.proposals) else 1 if item.meaning else 2

    return sorted(items, key=order)  # stable: document order within each kind


class Session:
    """The review loop. `ask` reads a line (None at the end of input), `show` draws an item with its open
    proposals and the tally so far, `say` prints one line. Every decision is written to the tags file at once
    and said back; `u` takes the last one back, in this segment or an earlier one."""

    def __init__(self, codebook: Codebook, root: Path, tags_path: Path, ask: Callable[[str], str | None],
                 show: Callable[[Item, int, int, list[Coding], Tally], None], say: Callable[[str], None], coder: str):
        self.codebook, self.root, self.tags_path = codebook, root, tags_path
        self.ask, self.show, self.say, self.coder = ask, show, say, coder
        self.tally = Tally()
        self.done: list[Decision] = []
        self._open: dict[int, list[Coding]] = {}
        self._seen: set[int] = set()

    def run(self, items: list[Item]) -> Tally:
        self._open = {n: list(item.proposals) for n, item in enumerate(items)}
        current = 0
        while 0 <= current < len(items):
            step = self.review(items, current)
            if step is None:
                break
            current = step
        return self.tally

    def review(self, items: list[Item], current: int) -> int | None:
        """Decide on one segment; returns the index of the next one to show, or None when the reviewer quits."""
        item, open_ = items[current], self._open[current]
        if current not in self._seen:
            self._seen.add(current)
            self.tally.shown += 1
        while open_:
            self.show(item, current + 1, len(items), open_, self.tally)
            answer = self.ask("decision")
            if answer is None:
                return None
            words = answer.strip().split(maxsplit=1)
            command, rest = (words[0].lower(), words[1] if len(words) > 1 else "") if words else ("s", "")
            if command == "q":
                return None
            if command == "s":
                self.say("skipped")
                return current + 1
            if command == "u":
                back = self._undo(items)
                if back is not None and back != current:
                    return back
            elif command in ("a", "r"):
                chosen = self._pick(open_, rest)
                if chosen is None:
                    continue
                for coding in chosen:
                    action = "confirm" if command == "a" else "reject"
                    self._write(current, item, f"{coding.group}/{coding.code}", action, proposal=coding)
                    open_.remove(coding)
            elif command in ("c", "n") and rest:
                try:
                    check_code(self.codebook, rest, new=command == "n")
                except IcapError as exc:
                    self.say(f"{exc.message.replace('needs --new', 'needs n instead of c')}; try again")
                    continue
                self._write(current, item, rest, "code", new=command == "n")
            else:
                self.say(HELP)
        return current + 1

    def _pick(self, open_: list[Coding], rest: str) -> list[Coding] | None:
        if not rest:
            return list(open_)
        try:
            numbers = [int(n) for n in rest.replace(",", " ").split()]
        except ValueError:
            numbers = []
        if not numbers or not all(1 <= n <= len(open_) for n in numbers):
            self.say(f"choose proposals by number, 1 to {len(open_)}")
            return None
        return [open_[n - 1] for n in dict.fromkeys(numbers)]

    def _write(self, index: int, item: Item, code: str, action: str, new: bool = False,
               proposal: Coding | None = None) -> None:
        document, segment = item.document, item.segment
        place = tagging.Place(self.root / document.path, document.path, self.tags_path, document.text)
        memo = SUGGESTION_MEMO if proposal is not None and proposal.suggested else ""
        tag, new_code = tagging.new_tag(place, self.codebook, code, segment.start, segment.end, action, self.coder,
                                        memo, new=new)
        tagging.add(place, tag)
        self.done.append(Decision(index, tag, place, proposal))
        self._count(action, +1)
        verb = {"confirm": "✓ accepted", "reject": "✗ rejected", "code": "+ coded"}[action]
        self.say(f"{verb} {tag.code}" + (" (a new inductive code)" if new_code else ""))

    def _undo(self, items: list[Item]) -> int | None:
        if not self.done:
            self.say("nothing to undo")
            return None
        last = self.done.pop()
        tagging.withdraw(last.place, last.tag)
        self._count(last.tag.action, -1)
        if last.proposal is not None:  # the proposal is open again, in its place among the others
            order = items[last.item].proposals
            reopened = self._open[last.item] + [last.proposal]
            self._open[last.item][:] = sorted(reopened, key=lambda c: order.index(c))
        self.say(f"↶ undone: {last.tag.action} {last.tag.code} ({items[last.item].document.path}, "
                 f"segment {items[last.item].segment.index})")
        return last.item

    def _count(self, action: str, step: int) -> None:
        if action == "confirm":
            self.tally.confirmed += step
        elif action == "reject":
            self.tally.rejected += step
        else:
            self.tally.added += step
