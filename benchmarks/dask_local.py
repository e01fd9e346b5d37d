"""`icap code` on a local Dask cluster against the process pool, on the same corpus, in one run.

    python benchmarks/dask_local.py [--words 300000] [--files 60] [--jobs 2]    # needs icap-coder[dask]

Prints wall time (start-up included) of `--jobs N` (the process pool) and of `--executor dask --jobs N`
(a LocalCluster of N workers, started by icap), best of `--repeat`, and their ratio. Machines here are noisy:
compare the ratio, not seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "icap_coder", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    from corpus import make_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        corpus = Path(temp) / "corpus"
        words = make_corpus(corpus, ROOT / "examples" / "transcripts", options.words, options.files)
        common = ["code", str(corpus), "-f", "none", "-q", "--jobs", str(options.jobs)]
        timed([*common, "--out", str(Path(temp) / "warm")])  # the lemma lookup cache, once
        pool, dask = [], []
        for _ in range(options.repeat):  # interleaved, so drift in the machine hits both alike
            pool.append(timed([*common, "--out", str(Path(temp) / "p")]))
            dask.append(timed([*common, "--executor", "dask", "--out", str(Path(temp) / "d")]))
    print(f"corpus: {words} words in {options.files} files, {options.jobs} workers")
    print(f"  process pool:       {min(pool):6.2f} s  ({words / min(pool):8.0f} words/s)")
    print(f"  Dask LocalCluster:  {min(dask):6.2f} s  ({words / min(dask):8.0f} words/s)")
    print(f"ratio Dask / pool speed: {min(pool) / min(dask):.2f}")


if __name__ == "__main__":
    main()
