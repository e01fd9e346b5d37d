from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples" / "transcripts"


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared/corpora (the third-party test files) is not beside the project")
    return SHARED


def icap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "icap_coder", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="session")
def example_run(tmp_path_factory) -> Path:
    """`icap code` on the bundled example study, once per test session."""
    out = tmp_path_factory.mktemp("example-results")
    result = icap("code", str(EXAMPLES), "--out", str(out), "--format", "none", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return out
