"""A synthetic but realistic interview corpus: many files, speaker turns, Dutch compounds.

Sentences come from the bundled example study; a share of the words is
replaced by generated compounds (zorg + innovatie + plan, ...) so that the
vocabulary keeps growing with the corpus as it does in real transcripts
(about 40k word types per million words), which is what stresses the
matcher's per-word cache.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from icap_coder.ingest.registry import read_document

STEMS = ("zorg innovatie kennis data energie wijk stad buurt project beleid netwerk budget warmte mobiliteit "
         "afval water groen bewoner burger ambtenaar subsidie pilot proef lab plan programma strategie visie "
         "overleg team afdeling directie raad markt bedrijf partner platform sensor laad zon wind net grond "
         "bouw woning school straat plein haven station fiets bus auto parkeer licht lucht klimaat").split()


def sentences(examples: Path) -> list[str]:
    found = []
    for path in sorted(examples.rglob("*")):
        if path.suffix in {".txt", ".docx", ".vtt", ".srt"}:
            raw = read_document(path)
            for turn in raw.turns:
                found.extend(s for s in re.split(r"(?<=[.?!])\s+", raw.text[turn.start:turn.end]) if len(s) > 20)
    return found


def compound(rng: random.Random) -> str:
    return "".join(rng.choice(STEMS) for _ in range(rng.choice((2, 2, 3))))


def make_corpus(folder: Path, examples: Path, words: int = 1_000_000, files: int = 200, seed: int = 7) -> int:
    """Write `files` transcripts with `words` words in all under `folder`; returns the word count."""
    rng = random.Random(seed)
    pool = sentences(examples)
    per_file = words // files
    total = 0
    for n in range(files):
        case = "Amsterdam" if n % 2 else "Rotterdam"
        (folder / case).mkdir(parents=True, exist_ok=True)
        turns, count = [], 0
        while count < per_file:
            speaker = "I" if len(turns) % 2 == 0 else f"R{n}"
            text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 6) if speaker != "I" else 1))
            tokens = [compound(rng) if rng.random() < 0.05 else t for t in text.split()]
            turns.append(f"{speaker}: {' '.join(tokens)}")
            count += len(tokens)
        (folder / case / f"interview-{n:04d}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        total += count
    return total
