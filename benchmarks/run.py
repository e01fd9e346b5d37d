"""Speed and memory of `icap code` on ~1M words, next to baselines measured in the same run.

    python benchmarks/run.py [--words 1000000] [--files 200]

Prints words/second for: the bare spaCy tokenizer (the floor every spaCy
pipeline pays), one regex alternation of the codebook's Dutch keywords (what a
hand-rolled script would do), and `icap code` end to end (start-up, reading,
segmenting, matching, writing CSV/JSONL) on one and on two worker processes;
then the ratios the project tracks and peak memory. Machines here are noisy:
compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def child(args: list[str]) -> None:
    """Run `icap` in this process and report wall time and peak RSS (this process and its workers)."""
    from icap_coder.cli import app

    start = time.perf_counter()
    try:
        app(args, standalone_mode=False)
    finally:
        wall = time.perf_counter() - start
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"wall": wall, "rss_main_mb": me, "rss_worker_mb": workers}), file=sys.stderr)


def timed_icap(corpus: Path, jobs: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, __file__, "--child", "code", str(corpus), "--out", out,
                                 "--format", "none", "--quiet", "--jobs", str(jobs)],
                                capture_output=True, text=True)
        total = time.perf_counter() - start
        if result.returncode:
            raise SystemExit(result.stderr)
        report = json.loads(result.stderr.strip().splitlines()[-1])
        report["total"] = total  # including interpreter start-up and imports
        with (Path(out) / "codings.csv").open(encoding="utf-8") as codings:
            report["codings"] = sum(1 for _ in codings) - 1
        return report


def texts_of(corpus: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.rglob("*.txt"))]


def bare_tokenizer(texts: list[str]) -> float:
    import spacy

    tokenizer = spacy.blank("nl").tokenizer
    start = time.perf_counter()
    for _ in tokenizer.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def regex_alternation(texts: list[str]) -> tuple[float, int]:
    from icap_coder.codebook.loader import load_codebook

    book, _ = load_codebook(None)
    words = sorted({k.strip("*=").lower() for c in book.codes() for k in c.keywords.get("nl", [])
                    if not k.startswith("/")}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    start = time.perf_counter()
    hits = sum(1 for text in texts for _ in pattern.finditer(text))
    return time.perf_counter() - start, hits


TOKENIZER_SCRIPT = """
import sys, spacy
from pathlib import Path
part, parts = int(sys.argv[2]), int(sys.argv[3])
tokenizer = spacy.blank("nl").tokenizer
files = sorted(Path(sys.argv[1]).rglob("*.txt"))[part::parts]
texts = [p.read_text(encoding="utf-8") for p in files]
for _ in tokenizer.pipe(texts, batch_size=64):
    pass
"""


def timed_script(corpus: Path, parts: int = 1) -> float:
    """The bare tokenizer as a whole program (interpreter, spaCy import, reading, tokenizing).

    With parts=2, two such programs each take half the files at once: the speed-up
    this machine gives any spaCy job on two cores, the ceiling for icap's own.
    """
    start = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", TOKENIZER_SCRIPT, str(corpus), str(part), str(parts)])
               for part in range(parts)]
    if any(process.wait() for process in running):
        raise SystemExit("the tokenizer baseline failed")
    return time.perf_counter() - start


def best(runs: list[dict], key: str) -> dict:
    return min(runs, key=lambda run: run[key])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts")
    options = parser.parse_args()
    from corpus import make_corpus

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        words = make_corpus(corpus, ROOT / "examples" / "transcripts", options.words, options.files)
        texts = texts_of(corpus)
        print(f"corpus: {words:,} words in {options.files} files; best of {options.repeat} runs each, interleaved")
        tok, rx, script, script2, one, two = [], [], [], [], [], []
        for _ in range(options.repeat):  # interleaved, so a slow spell of the machine hits all alike
            tok.append(bare_tokenizer(texts))
            rx.append(regex_alternation(texts))
            script.append(timed_script(corpus))
            script2.append(timed_script(corpus, parts=2))
            one.append(timed_icap(corpus, 1))
            two.append(timed_icap(corpus, 2))
    tok, script, script2 = min(tok), min(script), min(script2)
    rx, hits = min(rx)
    one, two = best(one, "wall"), best(two, "wall")
    rate = lambda seconds: words / seconds  # noqa: E731
    print(f"{'bare spaCy tokenizer loop (1 core)':44} {rate(tok):>10,.0f} words/s")
    print(f"{'bare tokenizer as a program (1 core)':44} {rate(script):>10,.0f} words/s  ({script:.2f}s incl. start-up)")
    print(f"{'regex alternation of nl keywords (1 core)':44} {rate(rx):>10,.0f} words/s  ({hits:,} hits)")
    for name, run in (("icap code --jobs 1", one), ("icap code --jobs 2", two)):
        print(f"{name:44} {rate(run['total']):>10,.0f} words/s  ({run['total']:.2f}s incl. start-up, "
              f"{run['codings']:,} codings)")
    print("ratios (same run):")
    print(f"  icap 1 core / bare tokenizer program  {script / one['total']:.2f}   (target >= 0.40)")
    print(f"  icap 1 core / bare tokenizer loop     {tok / one['total']:.2f}")
    print(f"  icap 1 core / regex alternation       {rx / one['total']:.2f}")
    print(f"  speed-up 2 cores vs 1                 {one['total'] / two['total']:.2f}   (target >= 1.7)")
    print(f"  same for the bare tokenizer program   {script / script2:.2f}   (what this machine gives on 2 cores)")
    peak = max(one["rss_main_mb"], one["rss_worker_mb"])
    print(f"  peak RSS, 1 core                      {peak:.0f} MB   (target < 500)")
    print(f"  peak RSS, 2 cores: main {two['rss_main_mb']:.0f} MB, largest worker {two['rss_worker_mb']:.0f} MB")


if __name__ == "__main__":
    main()
