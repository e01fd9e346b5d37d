"""The first hour of a new user: init, help, reading results back, and every README command as written."""

from __future__ import annotations

import json
import re
import shutil

from conftest import EXAMPLES, icap


def test_a_results_folder_remembers_its_codebook(tmp_path):
    book = tmp_path / "mine.yaml"
    assert icap("init", str(tmp_path / "p")).returncode == 0
    text = (tmp_path / "p" / "codebook.yaml").read_text(encoding="utf-8")
    book.write_text(text.replace("- name: Leiderschap", "- name: Leadership", 1), encoding="utf-8")
    out = tmp_path / "results"
    assert icap("code", str(EXAMPLES), "--codebook", str(book), "--out", str(out), "-q").returncode == 0
    ran = icap("compare", str(out), "-f", "json")  # no --codebook: the manifest's, unchanged, is used
    assert ran.returncode == 0, ran.stderr
    assert '"Leadership"' in ran.stdout
    book.write_text(book.read_text(encoding="utf-8") + "\n# changed since\n", encoding="utf-8")
    changed = icap("compare", str(out), "-f", "json")
    assert changed.returncode == 2 and "no longer there or has changed since" in changed.stderr


def test_codebook_show_gives_keywords_as_lists_per_language():
    rows = json.loads(icap("codebook", "show", "-f", "json").stdout)
    first = rows[0]
    assert isinstance(first["keywords"]["nl"], list) and "visie^1.5" in first["keywords"]["nl"]
    assert set(first["keywords"]) == {"nl", "en", "sv"}
    assert "nl: " in icap("codebook", "show", "-f", "csv").stdout  # one cell per row in CSV


def test_help_shows_no_type_noise_and_every_default(tmp_path):
    for command in (["code"], ["untag"], ["agree"], ["qdpx", "import"], ["codebook", "export"]):
        text = icap(*command, "--help").stdout
        assert "<bool>" not in text and "<path>" not in text and "list[" not in text, text
        assert not re.search(r"\w \.(\s|$)", text), text  # a default eaten by markup left " ." behind
    assert "[default: table]" in icap("code", "--help").stdout


def test_init_gives_a_project_that_codes_at_once(tmp_path):
    shutil.rmtree(tmp_path, ignore_errors=True)
    assert icap("init", str(tmp_path / "my-study")).returncode == 0
    ran = icap("code", "transcripts/", "-f", "none", cwd=tmp_path / "my-study")
    assert ran.returncode == 0 and "1 document," in ran.stderr


SETUP = ("python3 -m venv", ". .venv/bin/activate", "python -m pytest", "ruff ", "mypy",  # CI runs these itself
         "pip install 'icap-coder[semantic]'", "pip install 'icap-coder[dask]'")  # the test extra installs them


def readme_commands() -> list[str]:
    """Every shell line of the README's ```sh blocks, in order, but the install and development ones."""
    from conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
             for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#") and not line.startswith(SETUP)]


def run_line(line: str, cwd):
    """One README line, in this process: `a && b`, `cd DIR`, `cp A B`, `icap ...`, `icap ... > FILE`."""
    import shlex

    for part in line.split(" && "):
        words = shlex.split(part, comments=True)
        if words[0] == "cd":
            cwd = (cwd / words[1]).resolve()
            assert cwd.is_dir(), f"`{line}`: no folder {cwd}"
        elif words[0] == "cp":
            shutil.copy(cwd / words[1], cwd / words[2])
        elif words[0] == "icap":
            target = None
            if ">" in words:
                target, words = words[words.index(">") + 1], words[:words.index(">")]
            ran = icap(*words[1:], cwd=cwd)
            assert ran.returncode == 0, f"README command failed: `{line}`\n{ran.stderr}"
            assert "Traceback" not in ran.stderr, f"`{line}`:\n{ran.stderr}"
            if target:
                (cwd / target).write_text(ran.stdout, encoding="utf-8")
        else:
            raise AssertionError(f"README line `{line}`: the test runs only cd, cp and icap; keep it to those")
    return cwd


def test_every_readme_command_runs_as_written(tmp_path):
    """On a copy of examples/, from the project folder, in the order the README gives them."""
    from conftest import ROOT

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    commands = readme_commands()
    assert len(commands) >= 30 and any("qdpx" in c for c in commands)  # the extraction found them
    cwd = tmp_path
    for line in commands:
        cwd = run_line(line, cwd)
    assert json.loads((tmp_path / "codings.json").read_text(encoding="utf-8"))  # `> codings.json` worked
    assert (tmp_path / "my-study" / "icap-results" / "codings.csv").is_file()
