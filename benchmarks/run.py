"""Speed and memory of `icap code` on ~1M words, next to baselines measured in the same run.

    python benchmarks/run.py [--words 1000000] [--files 200] [--scale 10]

Prints words/second for: the bare spaCy tokenizer (the floor every spaCy
pipeline pays), one regex alternation of the codebook's Dutch keywords (what a
hand-rolled script would do), and `icap code` end to end (start-up, reading,
segmenting, matching, writing CSV/JSONL) on one and on two worker processes;
then the ratios the project tracks. Then memory: peak RSS of `icap code` on
the corpus and on one `--scale` times larger (1 and 2 workers), and of
`icap compare` and `icap summary` reading the larger run's results folder; and
start-up: `icap code` on one short transcript with an empty lookup cache
(cold) and with the cache the cold run left (warm). `--scale 1` skips the
large corpus. Machines here are noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def peak_rss_mb() -> float:
    """This process's peak RSS. On Linux from /proc (VmHWM): ru_maxrss also counts what the process that
    started this one had before exec, which would make every child look as large as the benchmark itself."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / (1024 if sys.platform == "darwin" else 1)


def child(args: list[str]) -> None:
    """Run `icap` in this process and report wall time and peak RSS (this process and its workers)."""
    from icap_coder.cli import app

    start = time.perf_counter()
    try:
        app(args, standalone_mode=False)
    finally:
        wall = time.perf_counter() - start
        me = peak_rss_mb()
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"wall": wall, "rss_main_mb": me, "rss_worker_mb": workers}), file=sys.stderr)


def timed_child(args: list[str], env: dict[str, str] | None = None) -> dict:
    """Run `icap ARGS` in a new process; its wall time (with start-up), and peak RSS of it and its workers."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    total = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(result.stderr)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    report["total"] = total  # including interpreter start-up and imports
    report["peak"] = max(report["rss_main_mb"], report["rss_worker_mb"])
    return report


def timed_icap(corpus: Path, jobs: int, out: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """`icap code` on the corpus; the results folder is kept when `out` is given."""
    with tempfile.TemporaryDirectory() as temp:
        folder = out or Path(temp)
        report = timed_child(["code", str(corpus), "--out", str(folder), "--format", "none", "--quiet",
                              "--jobs", str(jobs)], env)
        with (folder / "codings.csv").open(encoding="utf-8") as codings:
            report["codings"] = sum(1 for _ in codings) - 1
        return report


def start_up(transcript: Path, repeat: int) -> tuple[float, float]:
    """Best wall time of `icap code` on one short transcript, cold (empty lookup cache) and warm (the cache the
    cold run left), interleaved."""
    cold, warm = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
            env = {"ICAP_CACHE_DIR": cache}
            args = ["code", str(transcript), "--out", out, "--format", "none", "--quiet"]
            cold.append(timed_child(args, env)["total"])
            warm.append(timed_child(args, env)["total"])
    return min(cold), min(warm)


def help_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "icap_coder", "--help"], capture_output=True, check=True)
    return time.perf_counter() - start


def primed_cache(folder: Path, transcript: Path) -> dict[str, str]:
    """A lookup cache as a user has it after one earlier run on another text: compiled, but knowing none of
    the corpus's words (so both corpora pay for simplemma alike)."""
    env = {"ICAP_CACHE_DIR": str(folder)}
    with tempfile.TemporaryDirectory() as out:
        timed_child(["code", str(transcript), "--out", out, "--format", "none", "--quiet"], env)
    return env


def memory(corpus: Path, big: Path, words: int, big_words: int, transcript: Path) -> None:
    """Peak RSS of `icap code` on the two corpora (1 and 2 workers) and of the analysis commands on the large
    corpus's results folder: flat means the large one needs hardly more than the small one."""
    print(f"memory (peak RSS; {words:,} vs {big_words:,} words):")
    with tempfile.TemporaryDirectory() as temp:
        small_results, big_results = Path(temp) / "small", Path(temp) / "big"
        for jobs in (1, 2):
            small = timed_icap(corpus, jobs, small_results if jobs == 1 else None,
                               primed_cache(Path(temp) / f"cache-{jobs}-small", transcript))
            large = timed_icap(big, jobs, big_results if jobs == 1 else None,
                               primed_cache(Path(temp) / f"cache-{jobs}-big", transcript))
            for part, key in (("main", "rss_main_mb"), ("largest worker", "rss_worker_mb")):
                if jobs == 1 and part != "main":
                    continue
                print(f"  icap code --jobs {jobs}, {part:15} {small[key]:6.0f} MB -> {large[key]:6.0f} MB  "
                      f"ratio {large[key] / small[key]:.2f}   (target <= 1.2; peak < 500 MB)")
        for command in ("compare", "summary"):
            small = timed_child([command, str(small_results), "--format", "none"])
            large = timed_child([command, str(big_results), "--format", "none"])
            print(f"  icap {command} on the results folder  {small['peak']:6.0f} MB -> {large['peak']:6.0f} MB  "
                  f"ratio {large['peak'] / small['peak']:.2f}   (target <= 1.2; {large['total']:.1f}s)")


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
    parser.add_argument("--scale", type=int, default=10, help="the large corpus for memory: this many times larger")
    options = parser.parse_args()
    from corpus import make_corpus

    examples = ROOT / "examples" / "transcripts"
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ICAP_CACHE_DIR"] = str(Path(folder) / "cache")  # the speed runs' own, warmed by the first
        corpus = Path(folder) / "corpus"
        words = make_corpus(corpus, examples, options.words, options.files)
        speed(corpus, words, options.files, options.repeat)
        transcript = examples / "Amsterdam" / "A1-beleidsadviseur.txt"
        cold, warm = start_up(transcript, options.repeat)
        print(f"start-up, icap code on one short transcript: cold {cold:.2f}s, warm {warm:.2f}s, "
              f"ratio {warm / cold:.2f}   (target <= 0.5);  icap --help {help_seconds():.2f}s")
        if options.scale > 1:
            big = Path(folder) / "big"
            big_words = make_corpus(big, examples, options.words * options.scale, options.files * options.scale)
            memory(corpus, big, words, big_words, transcript)


def speed(corpus: Path, words: int, files: int, repeat: int) -> None:
    texts = texts_of(corpus)
    print(f"corpus: {words:,} words in {files} files; best of {repeat} runs each, interleaved")
    tok, rx, script, script2, one, two = [], [], [], [], [], []
    for _ in range(repeat):  # interleaved, so a slow spell of the machine hits all alike
        tok.append(bare_tokenizer(texts))
        rx.append(regex_alternation(texts))
        script.append(timed_script(corpus))
        script2.append(timed_script(corpus, parts=2))
        one.append(timed_icap(corpus, 1))
        two.append(timed_icap(corpus, 2))
    best_tok, best_script, best_script2 = min(tok), min(script), min(script2)
    best_rx, hits = min(rx)
    first, second = best(one, "wall"), best(two, "wall")
    rate = lambda seconds: words / seconds  # noqa: E731
    print(f"{'bare spaCy tokenizer loop (1 core)':44} {rate(best_tok):>10,.0f} words/s")
    print(f"{'bare tokenizer as a program (1 core)':44} {rate(best_script):>10,.0f} words/s  "
          f"({best_script:.2f}s incl. start-up)")
    print(f"{'regex alternation of nl keywords (1 core)':44} {rate(best_rx):>10,.0f} words/s  ({hits:,} hits)")
    for name, run in (("icap code --jobs 1", first), ("icap code --jobs 2", second)):
        print(f"{name:44} {rate(run['total']):>10,.0f} words/s  ({run['total']:.2f}s incl. start-up, "
              f"{run['codings']:,} codings)")
    print("ratios (same run):")
    print(f"  icap 1 core / bare tokenizer program  {best_script / first['total']:.2f}   (target >= 0.40)")
    print(f"  icap 1 core / bare tokenizer loop     {best_tok / first['total']:.2f}")
    print(f"  icap 1 core / regex alternation       {best_rx / first['total']:.2f}")
    machine = best_script / best_script2
    print(f"  speed-up 2 cores vs 1                 {first['total'] / second['total']:.2f}")
    print(f"  same for the bare tokenizer program   {machine:.2f}   (what this machine gives on 2 cores)")
    print(f"  icap's speed-up / the machine's       {first['total'] / second['total'] / machine:.2f}   "
          "(target >= 0.8)")


if __name__ == "__main__":
    main()
