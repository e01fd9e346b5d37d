from __future__ import annotations

import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "transcripts"


def pytest_configure(config) -> None:
    """The tests' compiled-lookup cache lives in a folder of their own, never in the user's cache."""
    import tempfile

    os.environ["ICAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="icap-test-cache-")
    os.environ.pop("ICAP_NO_CACHE", None)


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared/corpora (the third-party test files) is not beside the project")
    return SHARED


@dataclass
class Ran:
    """What a user sees of one command: exit code, stdout, stderr."""

    returncode: int
    stdout: str
    stderr: str


def icap(*args: str, cwd: Path | None = None, input: str | None = None) -> Ran:
    """Run the command line in this process, as `icap ARGS` would (spaCy and lemma tables load once per session).

    An unexpected exception is appended to stderr as the traceback a user would
    have seen, so assertions like `"Traceback" not in stderr` keep their meaning.
    """
    from typer.testing import CliRunner

    from icap_coder.cli import app

    old_cwd, old_argv = os.getcwd(), sys.argv
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["icap", *args]
        result = CliRunner().invoke(app, list(args), input=input)
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)


def icap_process(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a new process, for exit codes and start-up as the shell sees them."""
    return subprocess.run([sys.executable, "-m", "icap_coder", *args], capture_output=True, text=True,
                          cwd=cwd, input=input, timeout=300)


@pytest.fixture(scope="session")
def example_run(tmp_path_factory) -> Path:
    """`icap code` on the bundled example study, once per test session."""
    out = tmp_path_factory.mktemp("example-results")
    result = icap("code", str(EXAMPLES), "--out", str(out), "--format", "none", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return out
