"""The tags file holds a person's work: never lost, never corrupted, whatever style it is written in.

Each test here reproduces a way tags were lost before (issue 8) and fails if it comes back.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from icap_coder.errors import IcapError
from icap_coder.manual import tagging
from icap_coder.manual.tagsfile import Tag, load_tags
from icap_coder.yamlfile import load

TEXT = "I: Vraag?\n\nR1: " + " ".join(f"Zin nummer {n} gaat over iets anders." for n in range(40)) + "\n"


def place(tmp_path: Path) -> tagging.Place:
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    return tagging.Place(tmp_path / "t.txt", "t.txt", tmp_path / "tags.yaml", TEXT)


def tag_for(n: int) -> Tag:
    quote = f"Zin nummer {n} gaat"
    start = TEXT.index(quote)
    return Tag("t.txt", quote, "Leren/Evaluatie", "code", "eva", "2026-11-22", start=start, end=start + len(quote))


def _add_one(args: tuple[str, int]) -> bool:
    folder, n = args
    return tagging.add(tagging.Place(Path(folder) / "t.txt", "t.txt", Path(folder) / "tags.yaml", TEXT), tag_for(n))


def test_concurrent_writers_lose_nothing(tmp_path):
    place(tmp_path)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(8) as pool:
        assert all(pool.map(_add_one, [(str(tmp_path), n) for n in range(20)]))
    assert sorted(t.quote for t in load_tags(tmp_path / "tags.yaml")) == sorted(tag_for(n).quote for n in range(20))


STYLES = {
    "empty flow list": "[]\n",
    "flow list": "[{document: t.txt, quote: Zin nummer 1 gaat, code: Leren/Evaluatie}]\n",
    "document end marker": "- document: t.txt\n  quote: Zin nummer 1 gaat\n  code: Leren/Evaluatie\n...\n",
    "indented list": "  - document: t.txt\n    quote: Zin nummer 1 gaat\n    code: Leren/Evaluatie\n",
    "dash on its own line": "-\n  document: t.txt\n  quote: Zin nummer 1 gaat\n  code: Leren/Evaluatie\n",
    "comments everywhere": "# my header\n- document: t.txt   # the first\n  quote: Zin nummer 1 gaat\n"
                           "  code: Leren/Evaluatie\n# about the second\n- document: t.txt\n"
                           "  quote: Zin nummer 2 gaat\n  code: Leren/Evaluatie\n# trailing note, keep me\n",
    "only comments": "# nothing yet\n",
    "no newline at the end": "- {document: t.txt, quote: Zin nummer 1 gaat, code: Leren/Evaluatie}",
    "windows line ends": "- document: t.txt\r\n  quote: Zin nummer 1 gaat\r\n  code: Leren/Evaluatie\r\n",
}


@pytest.mark.parametrize("style", STYLES)
def test_adding_and_removing_keeps_every_other_entry_in_any_style(tmp_path, style):
    where = place(tmp_path)
    where.tags_path.write_text(STYLES[style], encoding="utf-8", newline="")
    before = [(t.quote, t.code) for t in load_tags(where.tags_path)]
    assert tagging.add(where, tag_for(7))
    after_add = [(t.quote, t.code) for t in load_tags(where.tags_path)]
    assert after_add == [*before, ("Zin nummer 7 gaat", "Leren/Evaluatie")]
    assert isinstance(load(where.tags_path.read_text(encoding="utf-8"), "tags.yaml"), list)  # valid YAML
    from icap_coder.codebook.loader import load_codebook

    removed = tagging.remove(where, load_codebook(None)[0], "Zin nummer 7 gaat", "Evaluatie")
    assert [t.quote for t in removed] == ["Zin nummer 7 gaat"]
    assert [(t.quote, t.code) for t in load_tags(where.tags_path)] == before
    text = where.tags_path.read_text(encoding="utf-8")
    for line in STYLES[style].splitlines():
        if line.lstrip().startswith("#"):
            assert line.strip() in text, f"comment lost: {line}"


def test_removing_the_last_entry_keeps_the_comments_after_it(tmp_path):
    where = place(tmp_path)
    where.tags_path.write_text(STYLES["comments everywhere"], encoding="utf-8")
    from icap_coder.codebook.loader import load_codebook

    tagging.remove(where, load_codebook(None)[0], "Zin nummer 2 gaat", "Evaluatie")
    text = where.tags_path.read_text(encoding="utf-8")
    assert [t.quote for t in load_tags(where.tags_path)] == ["Zin nummer 1 gaat"]
    for comment in ("# my header", "# the first", "# about the second", "# trailing note, keep me"):
        assert comment in text
    tagging.remove(where, load_codebook(None)[0], "Zin nummer 1 gaat", "Evaluatie")
    assert load_tags(where.tags_path) == []
    assert "# my header" in where.tags_path.read_text(encoding="utf-8")


def test_a_broken_tags_file_is_never_written(tmp_path):
    where = place(tmp_path)
    broken = "- document: t.txt\n  quote: [unclosed\n"
    where.tags_path.write_text(broken, encoding="utf-8")
    with pytest.raises(IcapError, match=r"tags.yaml:2"):
        tagging.add(where, tag_for(1))
    assert where.tags_path.read_text(encoding="utf-8") == broken


def test_a_held_lock_makes_a_writer_wait_then_fail_cleanly(tmp_path, monkeypatch):
    from icap_coder.manual import tagsfile

    where = place(tmp_path)
    monkeypatch.setattr(tagsfile, "LOCK_SECONDS", 0.2)
    with tagsfile.editing(where.tags_path):
        result = {}

        def other():
            try:
                tagging.add(where, tag_for(3))
            except IcapError as exc:
                result["error"] = str(exc)

        import threading

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert "another icap command is writing" in result["error"]
    assert not where.tags_path.exists() or load_tags(where.tags_path) == []


@pytest.mark.parametrize("entry,message", [
    ("- {document: t.txt, quote: q, code: C, start: -5, end: 3}", "'start' must be a whole number of at least 0"),
    ("- {document: t.txt, quote: q, code: C, start: 9, end: 3}", "'end' must not be before 'start'"),
    ("- {document: t.txt, quote: q, code: C, start: true}", "'start' must be a whole number"),
    ("- {document: t.txt, quote: q, code: C, date: 2026-02-30}", None),  # a date is kept as the text written
    ("- {document: t.txt, quote: q, code: C, coder: !!python/name:os.system }", "YAML tags like"),
    ("- &a {document: t.txt, quote: q, code: C}\n- *a", "aliases"),
    ("- {document: t.txt, quote: q, code: C, code: D}", "duplicate key 'code'"),
    ("- {document: t.txt, quote: [a, b], code: C}", "'quote' must be text"),
])
def test_hand_edited_mistakes_get_one_line(tmp_path, entry, message):
    path = tmp_path / "tags.yaml"
    path.write_text(entry + "\n", encoding="utf-8")
    if message is None:
        assert load_tags(path)[0].date == "2026-02-30"
        return
    with pytest.raises(IcapError, match=message) as error:
        load_tags(path)
    assert str(error.value).startswith(f"{path}:") and "\n" not in str(error.value)
