"""Stage 3, manual: a person's codings, read, written and merged with the automatic ones.

Takes the tags file and the inline markers (a person's decisions), the clean
text of a document, its segments and its automatic codings; gives the merged
codings (source `manual` or `auto`), counts of what people added and rejected,
and warnings about tags that moved or could not be placed. Also writes the tags
file for `icap tag / untag / reject / review`.

    tagsfile.py   tags.yaml: read with file:line errors; entries appended or cut out as text
    anchor.py     finding a tagged quote again after the transcript was edited
    merge.py      markers + tags + automatic codings -> the document's codings
    tagging.py    what tag / untag / reject do to the tags file
    check.py      where every tag stands in today's transcripts; recording moves, accepting matches
    review.py     the review loop (accept, reject, add), apart from the terminal

Comes before `coding`: it takes automatic codings as plain data and knows
nothing of the matcher; the coding run calls `merge` for every document.
"""
