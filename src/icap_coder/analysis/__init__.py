"""Stage 5, analysis: codings -> the tables and numbers a results chapter reports.

Takes a `Dataset` (documents, segments and codings, from a run or read back from
a results folder) and gives plain tables: one cross-tabulation behind every
measure, co-occurrence, the best quotes, the structure of the report, and the
agreement of automatic coding with a person's (check sets).

    dataset.py        what analysis works on, and filters over it
    crosstab.py       one pass over the codings -> cells of segments/documents/respondents
    cooccurrence.py   codes that share segments, with the c-coefficient
    quotes.py         evidence terms, best quotes, excerpts
    tables.py         cross-tabulations as header + rows (wide, long, pairs) and their captions
    report.py         the report: per element, per case, numbers and quotes; comparison; method
    inductive.py      codes used by people that the codebook lacks
    evaluate.py       agreement of a codebook with a labelled check set: per code, per segment, intervals
    against.py        a study's own coding (tags, markers) as the check set
    suggest.py        keywords a person's coding suggests (weighted log-odds, Fightin' Words)
    codebook_diff.py  which segments gain or lose which codes when a codebook changes
    agreement.py      intercoder agreement: percent, Cohen's kappa, Krippendorff's alpha, icap vs people
    search.py         segments ranked by meaning, fused with hits of the query's own words

Computes, never writes: files are stage `export`'s job, the terminal `cli`'s.
"""
