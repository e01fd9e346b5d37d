"""Rich tables the CLI shows: the per-element summary, comparisons, co-occurrence, codebooks, evaluations.

Builds tables from finished results; `print_report` is the one function that prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from icap_coder.analysis.crosstab import TOTAL, Cell, CrossTab
from icap_coder.analysis.report import Report
from icap_coder.analysis.tables import presence
from icap_coder.model import Codebook

if TYPE_CHECKING:  # evaluate imports spaCy; the summary table must not
    from icap_coder.analysis.evaluate import Evaluation
    from icap_coder.analysis.search import Hit


def _cell(cell: Cell) -> str:
    counts = cell.as_counts()
    if not counts["segments"]:
        return "[dim]–[/dim]"
    return f"{counts['segments']} [dim]({counts['documents']}/{counts['respondents']})[/dim]"


def name_column(table: Table, header: str, names: list[str]) -> None:
    """A column of element and code names: never wrapped inside a word; cut with … only when a name is longer
    than 28 characters and the window is narrow (piped output is as wide as the table needs)."""
    longest = max([len(name) for name in names] or [len(header)])
    table.add_column(header, no_wrap=True, overflow="ellipsis", min_width=min(max(longest, len(header)), 28))


def _row_names(book_rows: list[tuple[str, str]]) -> list[str]:
    return [f"  {code}" if code else group for group, code in book_rows]


def summary_table(table_data: CrossTab, note: str = "") -> Table:
    caption = "cell: segments (documents/respondents); a group row counts each segment once"
    table = Table(title="Coded segments per element and case", caption=caption + (f"\n{note}" if note else ""))
    name_column(table, "Element / code", _row_names(table_data.rows))
    for column in table_data.columns:
        label = column if column != TOTAL else "Total"
        docs = table_data.documents_per_column.get(column)
        label = escape(label)
        table.add_column(f"{label}\n[dim]{docs} docs[/dim]" if docs is not None and column != TOTAL else label,
                         justify="right")
    for row in table_data.rows:
        group, code = row
        name = f"[bold]{escape(group)}[/bold]" if not code else f"  {escape(code)}"
        table.add_row(name, *[_cell(table_data.cells[(row, column)]) for column in table_data.columns])
    return table


def codebook_rows(book: Codebook, lang: str | None = None, flat: bool = False) -> list[dict[str, Any]]:
    """One row per code; keywords and excludes as lists per language (JSON), or with `flat` as one
    `nl: a, b | en: c` string per row (CSV)."""
    languages = [lang] if lang else book.languages
    rows = []
    for code in book.codes():
        lists = {kind: {language: list(patterns[language]) for language in languages if patterns.get(language)}
                 for kind, patterns in (("keywords", code.keywords), ("exclude", code.exclude))}
        rows.append({
            "group": code.group, "code": code.name, "label_en": code.label.get("en", ""),
            "inductive": code.inductive, "definition": code.definition,
            **({kind: " | ".join(f"{language}: " + ", ".join(words) for language, words in found.items())
                for kind, found in lists.items()} if flat else lists),
        })
    return rows


def codebook_table(book: Codebook, lang: str | None = None) -> Table:
    table = Table(title=escape(f"{book.name} (version {book.version})"), show_lines=True)
    for column in ("Group / code", "Definition", "Keywords"):
        table.add_column(column, overflow="fold")
    for group in book.groups:
        table.add_row(f"[bold]{escape(group.name)}[/bold]" + (f"\n[dim]{escape(group.label.get('en', ''))}[/dim]"
                                                              if group.label else ""), escape(group.definition), "")
        for code in group.codes:
            label = code.label.get("en", "")
            languages = [lang] if lang else book.languages
            keywords = "[dim]inductive: coded by hand[/dim]" if code.inductive else "\n".join(
                f"[bold]{language}[/bold] " + escape(", ".join(code.keywords[language])) for language in languages
                if code.keywords.get(language))
            table.add_row(f"  {escape(code.name)}" + (f"\n  [dim]{escape(label)}[/dim]" if label else ""),
                          escape(code.definition), keywords)
    return table


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _shown(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def evaluation_rows(book: Codebook, result: Evaluation) -> list[dict[str, Any]]:
    """Per code and element (multi-label): support, counts, precision, recall, F1 (None: n/a)."""
    rows = []
    for group in book.groups:
        if group.name not in result.groups:
            continue
        for name, score in [(group.name, result.groups[group.name])] + [
                (c.name, result.codes[c.name]) for c in group.codes if c.name in result.codes]:
            rows.append({"group": group.name, "code": "" if name == group.name else name,
                         "support": score.support, "tp": score.tp, "fp": score.fp, "fn": score.fn,
                         "precision": _round(score.precision), "recall": _round(score.recall),
                         "f1": _round(score.f1)})
    m = result.micro
    rows.append({"group": "(all codes, micro)", "code": "", "support": m.support, "tp": m.tp, "fp": m.fp,
                 "fn": m.fn, "precision": _round(m.precision), "recall": _round(m.recall), "f1": _round(m.f1)})
    return rows


def evaluation_table(book: Codebook, result: Evaluation) -> Table:
    table = Table(title=f"Per code: automatic vs. human coding on {result.segments} segments",
                  caption="support = segments the person gave the code; group rows: any code of the group; "
                          "n/a = never coded (precision) or never given (recall)")
    for column in ("Element / code", "support", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column.startswith("Element") else "right")
    for row in evaluation_rows(book, result):
        name = f"  {escape(row['code'])}" if row["code"] else f"[bold]{escape(row['group'])}[/bold]"
        table.add_row(name, str(row["support"]), _shown(row["precision"]), _shown(row["recall"]),
                      _shown(row["f1"]))
    return table


def agreement_table(result: Evaluation) -> Table:
    """The primary code's element against the person's: headline numbers with 95% intervals, per element."""
    def with_interval(name: str, value: float | None) -> str:
        low_high = result.intervals.get(name)
        return _shown(value) + (f"  [dim]({low_high[0]:.2f}–{low_high[1]:.2f})[/dim]" if low_high else "")

    table = Table(title=f"Per segment: the primary code's element vs. the person's ({result.segments} segments)",
                  caption="in brackets: bootstrap 95% interval; macro-F1 over the elements that occur")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("accuracy", with_interval("accuracy", result.accuracy))
    table.add_row("Cohen's kappa", with_interval("kappa", result.kappa))
    table.add_row("macro-F1", with_interval("macro_f1", result.macro_f1))
    table.add_row("micro-F1 (codes)", with_interval("micro_f1", result.micro.f1))
    for group in result.labels:
        correct, total = result.element_accuracy(group)
        if total:
            table.add_row(f"  {escape(group)}", f"{correct}/{total} = {correct / total:.2f}")
    return table


def confusion_table(result: Evaluation) -> Table:
    table = Table(title="Which element the primary code gave (columns) for the person's element (rows)")
    table.add_column("person \\ primary")
    shown = [label for label in result.labels
             if any(result.confusion[(gold, label)] for gold in result.labels)
             or any(result.confusion[(label, found)] for found in result.labels)]
    for label in shown:
        table.add_column(escape(label[:12]), justify="right")
    for gold in shown:
        cells = [str(result.confusion[(gold, found)] or "[dim]·[/dim]") if gold != found
                 else f"[bold]{result.confusion[(gold, found)]}[/bold]" for found in shown]
        table.add_row(escape(gold), *cells)
    return table


def suggestion_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Terms your coding suggests as keywords (nothing is changed)",
                  caption="z: distinctiveness (weighted log-odds, informative prior); in code: the code's segments "
                          "with the term; add: of those, not coded by the rules yet; also: segments without the code "
                          "it would catch")
    for column in ("code", "term", "z", "in code", "add", "also"):
        table.add_column(column, justify="left" if column in ("code", "term") else "right")
    for row in rows:
        table.add_row(escape(row["code"]), escape(row["term"]), f"{row['z']:.2f}",
                      f"{row['in_code']}/{row['code_segments']}", str(row["would_add"]), str(row["would_also_catch"]))
    return table


def diff_table(result: Any) -> Table:
    table = Table(title=f"Segments whose automatic codes change ({len(result.changes)} of {result.segments})")
    for column in ("segment", "gained", "lost", "primary", "text"):
        table.add_column(column, overflow="fold")
    for change in result.changes:
        primary = (f"{change.primary_before or '-'} → {change.primary_after or '-'}"
                   if change.primary_before != change.primary_after else "")
        text = " ".join(change.text.split())
        table.add_row(escape(f"{change.document}#{change.segment}"), escape("\n".join(change.gained)),
                      escape("\n".join(change.lost)), escape(primary),
                      escape(text if len(text) <= 120 else text[:119] + "…"))
    return table


def matrix_table(data: CrossTab, measure: str, note: str) -> Table:
    table = Table(title=escape(f"{measure} by {data.by}"), caption=escape(note))
    name_column(table, "Element / code", _row_names(data.rows))
    for column in data.columns:
        table.add_column(escape(column), justify="right")

    def figure(value: float) -> str:
        if measure == "presence":
            return presence(value)
        if not value:
            return "[dim]0[/dim]"
        return f"{value:.1f}" if measure == "percent" else f"{value:g}"  # one decimal for every percentage

    for row in data.rows:
        shown = [figure(data.value(row, column, measure)) for column in data.columns]
        table.add_row(f"[bold]{escape(row[0])}[/bold]" if not row[1] else f"  {escape(row[1])}", *shown)
    return table


def cooccurrence_table(data: tuple[list[str], list[list[Any]]], level: str) -> Table:
    view = Table(title=f"Co-occurrence of {level}s within segments",
                 caption="together = segments coded with both; c = n12 / (n1 + n2 - n12)")
    for column in (f"{level} a", f"{level} b", "together", "n a", "n b", "c"):
        view.add_column(column, justify="left" if column.startswith(level) else "right",
                        overflow="fold", no_wrap=not column.startswith(level))
    for row in data[1]:
        view.add_row(*(escape(str(value)) for value in row))
    return view


def inductive_table(rows: list[dict[str, Any]], source: str) -> Table:
    table = Table(title=escape(f"Inductive codes not in {source}"))
    for column in ("group", "code", "segments", "documents", "looks like"):
        table.add_column(column, justify="right" if column in ("segments", "documents") else "left")
    for row in rows:
        table.add_row(escape(row["group"]), escape(row["code"]), str(row["segments"]), str(row["documents"]),
                      escape(row["looks_like"]))
    return table


def print_report(console: Console, report: Report) -> None:
    """The per-element summary on screen: numbers per case, evidence, best quotes."""
    for element in report.elements:
        console.rule(f"[bold]{escape(element.group)}[/bold]" + (f" ({escape(element.label)})" if element.label else ""))
        table = Table(show_edge=False)
        name_column(table, "code", [code for code, *_ in (element.cases[0].numbers if element.cases else [])])
        cases = [block.case for block in element.cases]
        for case in cases:
            table.add_column(escape(case), justify="right")
        for n, (code, *_rest) in enumerate(element.cases[0].numbers if element.cases else []):
            cells = []
            for block in element.cases:
                _, s, d, r, p = block.numbers[n]
                cells.append(f"{s} [dim]({d}/{r}, {p} primary)[/dim]" if s else "[dim]0[/dim]")
            table.add_row(escape(code) if code else "[bold]all codes[/bold]", *cells)
        console.print(table)
        if element.terms:
            console.print("[dim]evidence:[/dim] " + escape(", ".join(f"{t} ({n})" for t, n in element.terms)))
        for block in element.cases:
            for quote in block.quotes:
                source = f"{quote.respondent}, {block.case}, {quote.code}" + (
                    ", manual" if quote.source == "manual" else "")
                console.print(f"  [italic]“{escape(quote.text)}”[/italic] [dim]— {escape(source)}[/dim]",
                              highlight=False)
    console.print("[dim]cell: segments (documents/respondents, segments where it is the primary code) · "
                  f"{escape(report.method['codebook'])}, version {escape(report.method['codebook_version'])}[/dim]")


def intercoder_table(rows: list[dict[str, Any]], coders: list[str]) -> Table:
    """`icap agree`: one row per group (bold), its codes, and the overall row."""
    from icap_coder.analysis.agreement import ICAP

    persons = [c for c in coders if c != ICAP]
    caption = ("% agreement; Cohen's kappa (two coders only); Krippendorff's alpha (nominal); "
               f"units coded by {' / '.join(coders)}")
    if ICAP in coders:
        caption += "; icap's precision / recall / F1 against each person"
    table = Table(title="Intercoder agreement", caption=caption)
    table.add_column("Element / code", min_width=18)
    for name in ("Units", "% agr.", "kappa", "alpha"):
        table.add_column(name, justify="right")
    table.add_column("Coded by\n" + escape(" / ".join(coders)), justify="right")
    for person in persons if ICAP in coders else []:
        table.add_column(f"icap vs {escape(person)}\nP / R / F1", justify="right")
    for row in rows:
        name = {"group": f"[bold]{escape(row['group'])}[/bold]", "code": f"  {escape(row['code'])}",
                "overall": "[bold]Overall[/bold]"}[row["level"]]
        cells = [name, str(row["units"]), _shown(row["percent_agreement"], 1), _shown(row["cohen_kappa"]),
                 _shown(row["krippendorff_alpha"]), " / ".join(str(row["codings"][c]) for c in coders)]
        for person in persons if ICAP in coders else []:
            scores = row["icap_vs"].get(person, {})
            cells.append(" / ".join(_shown(scores.get(m)) for m in ("precision", "recall", "f1")))
        table.add_row(*cells, end_section=row["level"] == "code" and row is rows[-2])
    return table


def disagreements_table(found: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Disagreements ({len(found)})", caption="per segment and code: who applied it, who did not")
    for name in ("Document", "Seg.", "Speaker", "Code", "Coded by", "Not by", "Quote"):
        table.add_column(name, overflow="fold")
    for row in found:
        quote = " ".join(row["quote"].split())
        table.add_row(escape(row["document"]), str(row["segment"]), escape(row["speaker"]),
                      escape(f"{row['group']}/{row['code']}"), escape(row["coded_by"]), escape(row["not_by"]),
                      escape(quote if len(quote) <= 160 else quote[:159] + "…"))
    return table


def search_table(hits: list[Hit], query: str) -> Table:
    """`icap search`: per hit a line of where and how it matched, then the segment, its best sentence in bold."""
    table = Table(title=escape(f"Search: {query}"), show_lines=True, show_header=False,
                  caption="z = similarity standardised over the searched segments; meaning + words = the "
                          "segment also holds the query's words")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("hit", ratio=1)
    for hit in hits:
        s = hit.segment
        start, end = hit.sentence
        words = f": {', '.join(hit.words)}" if hit.words else ""
        who = (s.speaker or "(no speaker)") + (f", {s.case}" if s.case else "")
        where = escape(f"{s.document} #{s.index} · {who} · {hit.kind}{words} · z {hit.z:.2f}")
        text = (escape(s.text[:start]) + f"[bold]{escape(s.text[start:end])}[/bold]" + escape(s.text[end:]))
        table.add_row(str(hit.rank), f"[dim]{where}[/dim]\n{text}")
    return table
