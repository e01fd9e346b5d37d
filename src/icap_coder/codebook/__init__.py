"""Stage 2, codebook: codebook YAML <-> `Codebook`.

Takes a codebook file (the shipped thesis codebook in `shipped/` by default);
gives a validated `Codebook` of groups and codes with their keyword patterns,
or every problem at once as `file:line: what is wrong`.

    loader.py     YAML -> Codebook, validation with file:line
    patterns.py   the keyword pattern language (lemma, phrase, wildcards, =exact, /regex/)
    promote.py    appending inductive codes to a codebook file, keeping every other line
    shipped/      the codebooks that ship with icap

Knows nothing of transcripts or matching: the matcher (stage `coding`) compiles
the patterns, and `analysis.evaluate` measures how well a codebook codes.
"""
