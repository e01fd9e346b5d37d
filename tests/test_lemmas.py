"""The lemma tables decide which words a keyword matches. A new release of spacy-lookups-data or simplemma
can change that, and with it every coding; pyproject.toml pins the tested releases, and this test fails when
the lemma keys of a fixed list of words (tests/data/lemmas.json, nl/en/sv, with the known gap words) change.

If it fails after an upgrade on purpose: check what changed, re-run the evaluation, then regenerate the file.
"""

from __future__ import annotations

import json

from conftest import ROOT
from icap_coder.coding import nlp


def test_lemma_keys_of_a_fixed_word_list_are_unchanged():
    expected = json.loads((ROOT / "tests" / "data" / "lemmas.json").read_text(encoding="utf-8"))
    changed = {f"{lang}:{word}": (keys, sorted(nlp.lemma_keys(word, lang)))
               for lang, words in expected.items() for word, keys in words.items()
               if sorted(nlp.lemma_keys(word, lang)) != keys}
    assert changed == {}, f"lemmas changed (expected, now): {changed}"
    assert sum(len(words) for words in expected.values()) >= 60
