"""REFI-QDA exchange: exports that validate and point at exactly the coded text, imports of real and hostile files."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, SHARED, icap

A1 = "Amsterdam/A1-beleidsadviseur.txt"
NS = "urn:QDA-XML:project:1.0"


def schema(name: str):
    from lxml import etree

    path = SHARED / "refi-qda" / "schema" / name
    if not path.is_file():
        pytest.skip(f"../shared/refi-qda/schema/{name} (the REFI-QDA schema) is not beside the project")
    return etree.XMLSchema(etree.parse(str(path)))


def tagged_study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    shutil.copytree(EXAMPLES, folder)
    (folder / "tags.yaml").write_text(
        f"- document: {A1}\n  quote: Onze directeur is echt een aanjager.\n  code: Leiderschap/Rol van directie\n"
        "  coder: sanne\n  memo: de directeur als aanjager\n"
        f"- document: {A1}\n  quote: Onze directeur is echt een aanjager.\n  code: Leiderschap/Rol van directie\n"
        "  coder: piet\n"
        f"- document: {A1}\n  quote: geen structureel budget\n  code: Organisatie/Budgetdruk\n  coder: piet\n",
        encoding="utf-8")
    return folder


def exported(tmp_path: Path, study: Path) -> Path:
    target = tmp_path / "study.qdpx"
    ran = icap("qdpx", "export", str(study), "--out", str(target))
    assert ran.returncode == 0, ran.stderr
    return target


def project_tree(qdpx: Path):
    from lxml import etree

    with zipfile.ZipFile(qdpx) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("sources/")}
    return root, texts


def test_the_export_validates_against_the_refi_qda_schema(tmp_path):
    qdpx = exported(tmp_path, tagged_study(tmp_path))
    root, _ = project_tree(qdpx)
    validator = schema("Project.xsd")
    assert validator.validate(root), validator.error_log.last_error


def test_every_selection_points_at_exactly_its_coded_segment(tmp_path):
    study = tagged_study(tmp_path)
    qdpx = exported(tmp_path, study)
    root, texts = project_tree(qdpx)
    out = tmp_path / "results"
    assert icap("code", str(study), "--out", str(out), "-q").returncode == 0
    with (out / "codings.csv").open(encoding="utf-8") as rows:
        segments = {(r["document"], int(r["start"]), int(r["end"])): r["text"] for r in csv.DictReader(rows)}
    checked = 0
    for source in root.iter(f"{{{NS}}}TextSource"):
        text = texts["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        assert "\r" not in text
        for selection in source.iter(f"{{{NS}}}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == segments[(source.get("name"), start, end)]
            checked += len(selection.findall(f"{{{NS}}}Coding"))
    assert checked >= 69 + 3  # every automatic coding, and the three of the people


def test_each_coder_and_icap_are_users_and_memos_are_notes(tmp_path):
    root, _ = project_tree(exported(tmp_path, tagged_study(tmp_path)))
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{{{NS}}}User")}
    assert set(users.values()) == {"icap (automatic coding)", "sanne", "piet"}
    by_user = {}
    for selection in root.iter(f"{{{NS}}}PlainTextSelection"):
        by_user.setdefault(users[selection.get("creatingUser")], []).append(selection)
    assert len(by_user["sanne"]) == 1 and len(by_user["piet"]) == 2  # piet also coded the budget
    notes = [n.findtext(f"{{{NS}}}PlainTextContent") for n in root.iter(f"{{{NS}}}Note")]
    assert notes == ["de directeur als aanjager"]
    inductive = [c for c in root.iter(f"{{{NS}}}Code") if c.get("name") == "Budgetdruk"]
    assert len(inductive) == 1  # a person's new code is in the codebook too
    cases = {c.get("name"): len(c.findall(f"{{{NS}}}SourceRef")) for c in root.iter(f"{{{NS}}}Case")}
    assert cases == {"Amsterdam": 5, "Rotterdam": 5}


def test_exporting_twice_gives_the_same_file(tmp_path):
    study = tagged_study(tmp_path)
    first = exported(tmp_path, study).read_bytes()
    assert exported(tmp_path, study).read_bytes() == first


def test_a_round_trip_counts_what_the_study_counted(tmp_path):
    study = tagged_study(tmp_path)
    qdpx = exported(tmp_path, study)
    into = tmp_path / "imported"
    ran = icap("qdpx", "import", str(qdpx), "--into", str(into))
    assert ran.returncode == 0, ran.stderr
    assert "by icap (automatic coding), sanne, piet" in ran.stderr and "offsets read as code points" in ran.stderr
    for args in ([], ["--by", "role"], ["--measure", "documents"]):
        before = icap("compare", str(study), "-f", "csv", *args)
        after = icap("compare", str(into), "-f", "csv", *args)
        assert before.returncode == after.returncode == 0
        assert after.stdout == before.stdout
    agree = icap("agree", str(into), "--coder", "sanne", "--coder", "piet", "-f", "json")
    assert agree.returncode == 0 and '"cohen_kappa": 1.0' in agree.stdout  # both coded the directeur


def test_the_shared_minimal_project_imports_with_its_coding_case_and_variable(tmp_path):
    source = SHARED / "refi-qda" / "samples" / "minimal.qdpx"
    if not source.is_file():
        pytest.skip("../shared/refi-qda/samples/minimal.qdpx is not beside the project")
    into = tmp_path / "minimal"
    ran = icap("qdpx", "import", str(source), "--into", str(into))
    assert ran.returncode == 0, ran.stderr
    tags = (into / "tags.yaml").read_text(encoding="utf-8")
    assert "quote: the cost" in tags and "coder: coder1" in tags and "code: Codes/Cost" in tags
    assert "P01_interview.txt,P01,34" in (into / "cases.csv").read_text(encoding="utf-8")
    compare = icap("compare", str(into), "--by", "case", "-f", "json")
    assert compare.returncode == 0, compare.stderr
    assert '"P01": 1' in compare.stdout.replace("\n", "").replace("  ", " ") or '"P01":1' in compare.stdout


def qdpx_bytes(project: str, sources: dict[str, bytes], qde_name: str = "project.qde") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(qde_name, project)
        for name, data in sources.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GUID_S = "0A1B2C3D-0000-4000-8000-00000000ABCD"
CODE = "7B3E1D22-5A4F-4F0E-9C61-3D8A2B7C5E90"
USER = "5C94BC9E-DB8C-4F1D-9CD6-E900C7440860"


def project(selections: str, source: str = f'plainTextPath="internal://{GUID_S}.txt"') -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="{NS}" name="p"><Users><User guid="{USER}" '
            f'name="Anna"/></Users><CodeBook><Codes><Code guid="{CODE}" name="Cost" isCodable="true"/></Codes>'
            f'</CodeBook><Sources><TextSource guid="{GUID_S}" name="R1.docx" {source}>{selections}</TextSource>'
            "</Sources></Project>")


def selection(start: int, end: int, name: str) -> str:
    return (f'<PlainTextSelection guid="E1F2A3B4-3333-4C5D-8E6F-7A8B9C0D1E2F" name="{name}" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{USER}"><Coding guid="F1E2D3C4-4444-4D5E-9F6A-7B8C9D0E1F2A" '
            f'creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')


def imported_tags(tmp_path: Path, data: bytes) -> tuple[str, str]:
    qdpx = tmp_path / "in.qdpx"
    qdpx.write_bytes(data)
    ran = icap("qdpx", "import", str(qdpx), "--into", str(tmp_path / "out"))
    assert ran.returncode == 0, ran.stderr
    return (tmp_path / "out" / "tags.yaml").read_text(encoding="utf-8"), ran.stderr


def test_nvivo_utf16_offsets_with_crlf_are_detected_and_named(tmp_path):
    text = "I: Hoe gaat het? 😀\r\nR: Het budget is op. Echt.\r\n"
    quote = "Het budget is op."
    start_cp = text.index(quote)
    start = len(text[:start_cp].encode("utf-16-le")) // 2  # UTF-16 units: the emoji counts twice
    tags, stderr = imported_tags(tmp_path, qdpx_bytes(project(selection(start, start + len(quote), quote)),
                                                      {f"sources/{GUID_S}.txt": text.encode("utf-8")}))
    assert f"quote: {quote}" in tags
    assert "UTF-16 code units" in stderr and "1 of 1 selections then match" in stderr
    written = (tmp_path / "out" / "R1.txt").read_bytes()
    assert b"\r" not in written and "😀".encode() in written


def test_atlas_ti_names_its_project_xml_and_sources_folder_its_own_way(tmp_path):
    text = "R: De kosten waren hoog."
    tags, _ = imported_tags(tmp_path, qdpx_bytes(project(selection(3, 13, "De kosten ")),
                                                 {f"Sources/{GUID_S}.txt": text.encode("utf-8")},
                                                 qde_name="ATLAS.ti standard project.qde"))
    assert "quote: 'De kosten '" in tags or "quote: De kosten" in tags


def test_text_given_inline_is_read_too(tmp_path):
    inline = "<PlainTextContent>R: Alles kost geld.</PlainTextContent>" + selection(3, 18, "Alles kost geld")
    tags, _ = imported_tags(tmp_path, qdpx_bytes(project(inline, source=""), {}))
    assert "quote: Alles kost geld" in tags


def test_missing_sources_are_named_and_the_rest_imported(tmp_path):
    other = "1B2C3D4E-0000-4000-8000-00000000ABCD"
    xml = project(selection(3, 13, "De kosten ")).replace(
        "</Sources>", f'<TextSource guid="{other}" name="R2.txt" plainTextPath="internal://{other}.txt"/></Sources>')
    tags, stderr = imported_tags(tmp_path, qdpx_bytes(xml, {f"sources/{GUID_S}.txt": b"R: De kosten waren hoog."}))
    assert "source 'R2.txt': its text (internal://" in stderr and "is not in the archive" in stderr
    assert "quote: 'De kosten '" in tags or "quote: De kosten" in tags


def test_the_real_atlas_ti_export_without_sources_is_refused_with_one_warning_per_source(tmp_path):
    source = SHARED / "refi-qda" / "samples" / "atlasti-8.4" / "TestProject.qdpx"
    if not source.is_file():
        pytest.skip("../shared/refi-qda/samples/atlasti-8.4/TestProject.qdpx is not beside the project")
    ran = icap("qdpx", "import", str(source), "--into", str(tmp_path / "atlas"))
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    missing = [line for line in ran.stderr.splitlines() if "is not in the archive" in line]
    assert len(missing) == 6 and ran.stderr.strip().splitlines()[-1].startswith("icap: error:")
    assert not (tmp_path / "atlas").exists()


@pytest.mark.parametrize("make,says", [
    (lambda: qdpx_bytes(project(""), {"../evil.txt": b"x"}), "unsafe entry '../evil.txt'"),
    (lambda: qdpx_bytes(project(""), {"/etc/evil.txt": b"x"}), "unsafe entry"),
    (lambda: b"PK not really a zip", "a .qdpx is a zip file"),
    (lambda: qdpx_bytes('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
                        '"&lol;&lol;&lol;&lol;">]><Project name="&lol2;"/>', {}), "DOCTYPE"),
    (lambda: qdpx_bytes('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        '<Project name="&x;"/>', {}), "DOCTYPE"),
    (lambda: qdpx_bytes("<Project name='p'><Users>", {}), "not well-formed XML"),
    (lambda: qdpx_bytes("<CodeBook/>", {}), "not a REFI-QDA project"),
    (lambda: qdpx_bytes("", {}, qde_name="readme.txt"), "no project.qde"),
])
def test_a_hostile_or_broken_project_is_refused_with_one_line(tmp_path, make, says):
    qdpx = tmp_path / "bad.qdpx"
    qdpx.write_bytes(make())
    ran = icap("qdpx", "import", str(qdpx), "--into", str(tmp_path / "out"))
    assert ran.returncode == 2 and says in ran.stderr, ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1 and "Traceback" not in ran.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.txt").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project(""))
        with archive.open(f"sources/{GUID_S}.txt", "w") as entry:  # 80 MB of zeros, ~80 kB packed
            for _ in range(80):
                entry.write(b"\0" * 2**20)
    qdpx = tmp_path / "bomb.qdpx"
    qdpx.write_bytes(buffer.getvalue())
    assert qdpx.stat().st_size < 1_000_000
    ran = icap("qdpx", "import", str(qdpx), "--into", str(tmp_path / "out"))
    assert ran.returncode == 2 and "unpacks to more than a study holds" in ran.stderr


def test_import_never_writes_into_a_folder_with_files(tmp_path):
    source = tmp_path / "in.qdpx"
    source.write_bytes(qdpx_bytes(project(selection(3, 13, "De kosten ")),
                                  {f"sources/{GUID_S}.txt": b"R: De kosten waren hoog."}))
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "mine.txt").write_text("my notes", encoding="utf-8")
    ran = icap("qdpx", "import", str(source), "--into", str(folder))
    assert ran.returncode == 2 and "not empty" in ran.stderr
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


def test_a_hostile_source_name_stays_inside_the_study(tmp_path):
    xml = project(selection(3, 13, "De kosten ")).replace('name="R1.docx"', 'name="../../../etc/cron.d/x:y*.docx"')
    imported_tags(tmp_path, qdpx_bytes(xml, {f"sources/{GUID_S}.txt": b"R: De kosten waren hoog."}))
    written = [p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt")]
    assert written == ["etc/cron.d/x_y_.txt"]


def test_the_codebook_goes_out_as_qdc_and_comes_back_as_yaml(tmp_path):
    qdc = tmp_path / "codebook.qdc"
    ran = icap("codebook", "export", "--to", str(qdc))
    assert ran.returncode == 0, ran.stderr
    from lxml import etree

    validator = schema("Codebook.xsd")
    tree = etree.parse(str(qdc))
    assert validator.validate(tree), validator.error_log.last_error
    top = tree.getroot()[0]
    assert [c.get("name") for c in top][:5] == ["Leiderschap", "Organisatie", "Kennismanagement", "Netwerk", "Leren"]
    assert all(c.get("isCodable") == "false" for c in top)
    yaml_path = tmp_path / "back.yaml"
    ran = icap("codebook", "import", str(qdc), "--out", str(yaml_path))
    assert ran.returncode == 0, ran.stderr
    shown = icap("codebook", "show", str(yaml_path), "-f", "json")
    import json

    rows = json.loads(shown.stdout)
    assert ("Leiderschap", "Ambitie/visie") in {(r["group"], r["code"]) for r in rows}
    assert all(r["inductive"] for r in rows)
    assert any("innovation strategy" in r["definition"] for r in rows)


def test_the_shared_minimal_codebook_keeps_its_hierarchy_and_description(tmp_path):
    source = SHARED / "refi-qda" / "samples" / "minimal.qdc"
    if not source.is_file():
        pytest.skip("../shared/refi-qda/samples/minimal.qdc is not beside the project")
    out = tmp_path / "codebook.yaml"
    assert icap("codebook", "import", str(source), "--out", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "name: Barriers" in text and "name: Cost" in text and "Mentions of money, fees, price" in text
    again = icap("codebook", "import", str(source), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_a_parent_code_is_a_group_and_a_code_only_when_it_was_applied(tmp_path):
    parent, child = "AAAAAAAA-0000-4000-8000-000000000001", "AAAAAAAA-0000-4000-8000-000000000002"
    xml = project(selection(3, 13, "De kosten ")).replace(
        f'<Code guid="{CODE}" name="Cost" isCodable="true"/>',
        f'<Code guid="{parent}" name="Barriers" isCodable="true"><Description>Never apply the parent.</Description>'
        f'<Code guid="{CODE}" name="Cost" isCodable="true"/><Code guid="{child}" name="Time" isCodable="true">'
        '<Code guid="AAAAAAAA-0000-4000-8000-000000000003" name="Waiting" isCodable="true"/></Code></Code>')
    tags, _ = imported_tags(tmp_path, qdpx_bytes(xml, {f"sources/{GUID_S}.txt": b"R: De kosten waren hoog."}))
    assert "code: Barriers/Cost" in tags
    from icap_coder.codebook.loader import load_codebook

    book, _ = load_codebook(tmp_path / "out" / "codebook.yaml")
    assert [(c.group, c.name) for c in book.codes()] == [("Barriers", "Cost"), ("Barriers", "Time"),
                                                        ("Barriers", "Time/Waiting")]
    assert book.groups[0].definition == "Never apply the parent."


def test_the_real_atlas_ti_codebook_imports_with_its_group_notation(tmp_path):
    source = SHARED / "refi-qda" / "samples" / "atlasti-8.4" / "TestProject.qdpx"
    if not source.is_file():
        pytest.skip("../shared/refi-qda/samples/atlasti-8.4/TestProject.qdpx is not beside the project")
    out = tmp_path / "atlas.yaml"
    ran = icap("codebook", "import", str(source), "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    from icap_coder.codebook.loader import load_codebook

    book, _ = load_codebook(out)
    assert len(book.codes()) == 14
    assert [c.name for c in book.groups[0].codes] == ["full-fat Coke", "diet Coke", "Coke"]  # from `Coke::...`
    assert next(c for c in book.codes() if c.name == "diet Coke").definition == "non sucré"
