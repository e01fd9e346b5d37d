"""Stage 1, ingest: transcript files -> documents.

Takes files and folders; gives, per transcript, a `RawDocument`: the plain text
icap extracted (every offset downstream refers to it), its speaker turns, the
inline `[#Code]` markers cut out of it, and the metadata the file itself holds;
and, per document, its case and attributes (front matter > cases file > folder).

    registry.py   which reader reads which suffix; discovering transcripts in folders
    text.py, docx.py, subtitles.py   one reader per format (.txt/.md, .docx, .vtt/.srt)
    odt.py, rtf.py, pdf.py, whisper.py   .odt, .rtf (f4/f5 time marks), .pdf (text layer), Whisper/WhisperX .json
    layouts.py    speaker/time header layouts (Teams, Otter.ai, Zoom) in any text
    speakers.py   `Name:` labels -> speaker turns
    markers.py    inline coding markers, cut out before anything else reads the text
    cases.py      cases files and the precedence of attributes
    base.py       what every reader returns; safe decoding; turns rendered as text
    refi.py       REFI-QDA projects (.qdpx) and codebooks (.qdc), read safely, offsets as code points

Knows nothing of codebooks, matching or output files.
"""
