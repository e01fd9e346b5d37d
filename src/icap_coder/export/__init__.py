"""Stage 6, export: finished results -> files a researcher can open. Computes nothing.

Takes the coding run's per-document results, or the tables and report of
stage `analysis`; gives files, each written atomically (temp file + rename).

    contract.py      the output contract of DESIGN.md: column names and row shapes
    cells.py         what a cell may hold: no live spreadsheet formulas, no control characters
    records.py       segments and codings as CSV, JSON Lines and JSON text
    results.py       the results folder of `icap code --out`: written as documents finish, read back whole
    manifest.py      manifest.json: versions, codebook hash, options, per-document facts
    formats.py       tables as CSV, XLSX, Markdown and JSON
    comparison.py    the cross-case comparison in the format a suffix names
    wording.py       the fixed texts of reports and figures in Dutch, English and Swedish
    heatmap.py       a table as a heatmap (SVG, PNG)
    docx_layout.py   Word layout: paper, numbered captions, tables that fit, a table of contents
    report_md.py, report_html.py, report_docx.py   the report in three formats
    report_data.py   the report's numbers and quotes as JSON, XLSX or CSV
    agreement.py     the intercoder agreement table and its disagreements as files
    qdpx.py          the study as a REFI-QDA project (.qdpx), the codebook as .qdc
    refi_study.py    a REFI-QDA project as a new icap study folder (transcripts, codebook, tags, cases)
"""
