"""`icap code --executor dask`: the same files as one process, documents sent as bytes, clear one-line refusals."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, icap
from icap_coder.codebook.loader import load_codebook
from icap_coder.coding import dask_executor, run
from icap_coder.settings import Settings

needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="needs the optional extra: pip install 'icap-coder[dask]'")
OUTPUTS = ("segments.csv", "codings.csv", "codings.jsonl", "documents.jsonl")


@needs_dask
def test_a_local_cluster_writes_exactly_the_files_of_one_process(tmp_path):
    one, cluster = tmp_path / "one", tmp_path / "dask"
    assert icap("code", str(EXAMPLES), "--out", str(one), "-j", "1", "-f", "none", "-q").returncode == 0
    ran = icap("code", str(EXAMPLES), "--out", str(cluster), "--executor", "dask", "-j", "2", "-f", "none")
    assert ran.returncode == 0, ran.stderr
    for name in OUTPUTS:
        assert (cluster / name).read_bytes() == (one / name).read_bytes(), name
    manifest = json.loads((cluster / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["executor"] == "dask"
    assert "distributed" not in ran.stderr.lower()  # no cluster chatter among icap's messages


def test_a_worker_codes_a_document_from_its_bytes_and_names_it_as_the_client_does(tmp_path):
    """No shared disk: the task's bytes are the document; its path on the client machine need not exist."""
    book, _ = load_codebook()
    source = EXAMPLES / "Amsterdam" / "A2-projectleider.docx"
    elsewhere = Path("/nonexistent/client/disk/Amsterdam/A2-projectleider.docx")
    run._init_worker(book, Settings(), None, None)
    job = run._Job(elsewhere, "Amsterdam/A2-projectleider.docx", ())
    result = run._process_sent((job, source.read_bytes()))
    assert not isinstance(result, Exception)
    assert result.document.path == "Amsterdam/A2-projectleider.docx" and result.codings
    assert result.warnings and all(str(elsewhere) in w for w in result.warnings)  # "no interviewer recognised"
    assert not any("icap-" in w for w in result.warnings)  # the worker's temporary file is never named


@needs_dask
def test_a_worker_with_another_icap_version_is_refused_in_one_line(monkeypatch):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        monkeypatch.setattr(dask_executor, "_version", lambda: "0.0.0-other")  # what the in-process worker runs
        with pytest.raises(dask_executor.IcapError, match=r"runs icap-coder 0\.0\.0-other, this is"):
            list(dask_executor.in_order(len, ["x"], 1, lambda: None, (), scheduler=cluster.scheduler_address))


def test_without_the_extra_dask_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    ran = icap("code", str(EXAMPLES), "--executor", "dask", "--out", str(tmp_path / "x"), "-f", "none")
    assert ran.returncode == 2 and ran.stderr.strip().endswith("pip install 'icap-coder[dask]'")
    assert len(ran.stderr.strip().splitlines()) == 1 and not (tmp_path / "x").exists()


def test_a_scheduler_needs_the_dask_executor_and_the_project_file_can_choose_it(tmp_path):
    ran = icap("code", str(EXAMPLES), "--scheduler", "tcp://127.0.0.1:8786", "--out", str(tmp_path / "x"))
    assert ran.returncode == 2 and "are for --executor dask" in ran.stderr
    study = tmp_path / "study"
    shutil.copytree(EXAMPLES.parent, study)
    (study / "icap.yaml").write_text("executor: spark\n", encoding="utf-8")
    bad = icap("code", str(study / "transcripts"), "--out", str(tmp_path / "y"), cwd=study)
    assert bad.returncode == 2 and "icap.yaml:1: executor 'spark' is not one of process, dask" in bad.stderr
