"""The codebook loader: the shipped codebook, and every kind of error a student makes, with file:line."""

from __future__ import annotations

import textwrap

import pytest

from icap_coder.codebook.loader import load_codebook, shipped_codebook_path
from icap_coder.errors import CodebookError, IcapError

THESIS_CODES = {
    "Leiderschap": ["Ambitie/visie", "Rol van directie", "Politieke steun"],
    "Organisatie": ["Stimuleren van innovatie", "Middelen t.b.v. innovatie", "Interne communicatie"],
    "Kennismanagement": ["Kennisdeling", "Nieuwe kennis", "Kennisnetwerk"],
    "Netwerk": ["Diverse externe actoren", "Participatieve benadering", "Sociaal kapitaal"],
    "Leren": ["Leeromgeving", "Lerende organisatie", "Evaluatie"],
    "Aanvullend": ["Algemeen", "Overig"],
}


def test_shipped_codebook_mirrors_the_thesis_codebook():
    book, warnings = load_codebook(None)
    assert warnings == []
    assert {g.name: [c.name for c in g.codes] for g in book.groups} == THESIS_CODES
    assert book.languages == ["nl", "en", "sv"]
    for code in book.codes():
        assert code.definition and code.label.get("en")
        if code.inductive:
            assert code.group == "Aanvullend"
        else:
            assert code.keywords["nl"] and code.keywords["en"] and code.keywords["sv"] and code.indicators
    assert len(book.sha256) == 64


def write(tmp_path, body: str):
    path = tmp_path / "codebook.yaml"
    path.write_text(body, encoding="utf-8")
    return path


MINIMAL = textwrap.dedent("""\
    codebook: test
    languages: [nl]
    groups:
      - name: Leren
        codes:
          - name: Evaluatie
            keywords:
              nl: [evaluatie]
    """)


def problems(tmp_path, body: str) -> list[str]:
    with pytest.raises(CodebookError) as error:
        load_codebook(write(tmp_path, body))
    return [str(p) for p in error.value.problems]


def test_minimal_codebook_loads(tmp_path):
    book, _ = load_codebook(write(tmp_path, MINIMAL))
    assert book.codes()[0].path == "Leren/Evaluatie"


def test_unknown_key_names_its_line(tmp_path):
    found = problems(tmp_path, MINIMAL.replace("    keywords:", "    keywordz:"))
    assert found == [f"{tmp_path / 'codebook.yaml'}:7: unknown key 'keywordz' in a code; allowed: "
                     "definition, description, examples, exclude, indicators, inductive, keywords, label, memo, name"]


def test_duplicate_code(tmp_path):
    body = MINIMAL + "  - name: Netwerk\n    codes:\n      - {name: Evaluatie, keywords: {nl: [x]}}\n"
    found = problems(tmp_path, body)
    assert len(found) == 1 and ":11: duplicate code 'Evaluatie' (first at line 6)" in found[0]


def test_empty_group(tmp_path):
    found = problems(tmp_path, MINIMAL + "  - name: Netwerk\n    codes: []\n")
    assert len(found) == 1 and ":10: code group 'Netwerk' is empty" in found[0]


def test_bad_regex(tmp_path):
    found = problems(tmp_path, MINIMAL.replace("[evaluatie]", '[evaluatie, "/evalu(atie/"]'))
    assert len(found) == 1 and ":8: bad regex /evalu(atie/" in found[0]


def test_unknown_language(tmp_path):
    found = problems(tmp_path, MINIMAL.replace("languages: [nl]", "languages: [nl, xx]"))
    assert ":2: unknown language 'xx'; supported: nl, en, sv" in found[0]


def test_keywords_in_a_language_the_codebook_does_not_declare(tmp_path):
    found = problems(tmp_path, MINIMAL.replace("nl: [evaluatie]", "nl: [evaluatie]\n          de: [Bewertung]"))
    assert ":9: unknown language 'de' in keywords of 'Evaluatie'" in found[0]


@pytest.mark.parametrize("pattern,message", [("'*'", "'*' may stand only"), ("'ev*al'", "'*' may stand only"),
                                             ("'=' ", "'=' must be followed"), ("'ev*'", "at least 3 letters"),
                                             ("'/a*/'", "matches empty text")])
def test_bad_patterns(tmp_path, pattern, message):
    found = problems(tmp_path, MINIMAL.replace("[evaluatie]", f"[{pattern}]"))
    assert ":8: " in found[0] and message in found[0]


def test_all_problems_are_reported_at_once(tmp_path):
    body = MINIMAL.replace("languages: [nl]", "languages: [nl, xx]").replace("[evaluatie]", "['/(/']")
    assert len(problems(tmp_path, body)) == 2


def test_not_yaml(tmp_path):
    found = problems(tmp_path, "codebook: x\ngroups: [\n")
    assert "not valid YAML" in found[0]


def test_missing_required_keys(tmp_path):
    found = problems(tmp_path, "codebook: x\n")
    assert any("missing required key 'languages'" in p for p in found)
    assert any("missing required key 'groups'" in p for p in found)


def test_code_without_keywords_is_a_warning_not_an_error(tmp_path):
    _, warnings = load_codebook(write(tmp_path, MINIMAL + "      - name: Reflectie\n"))
    assert warnings and "will never be coded automatically" in warnings[0]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(IcapError, match="cannot read codebook"):
        load_codebook(tmp_path / "nope.yaml")


def test_shipped_path_is_inside_the_package():
    assert shipped_codebook_path().is_file()
