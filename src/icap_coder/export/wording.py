"""The fixed texts of reports, tables and figures in Dutch, English and Swedish.

A report for a Dutch thesis says "Tabel 1 – Gecodeerde segmenten per casus", not
"Table 1 – segments by case". Every renderer (DOCX, HTML, Markdown, heatmap) takes
its headings, captions, column names and method rows from here, so the three
formats say the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from icap_coder.analysis.agreement import method_note

LANGUAGES = ("nl", "en", "sv")

_TEXTS: dict[str, dict[str, str]] = {
    "title": {"en": "Coding results: {name}", "nl": "Coderingsresultaten: {name}", "sv": "Kodningsresultat: {name}"},
    "generated": {"en": "Made on {date} with {tool}.", "nl": "Gemaakt op {date} met {tool}.",
                  "sv": "Skapad {date} med {tool}."},
    "contents": {"en": "Contents", "nl": "Inhoud", "sv": "Innehåll"},
    "toc_hint": {"en": "Word fills in the page numbers when it updates this field (F9).",
                 "nl": "Word vult de paginanummers in wanneer het dit veld bijwerkt (F9).",
                 "sv": "Word fyller i sidnumren när fältet uppdateras (F9)."},
    "table": {"en": "Table", "nl": "Tabel", "sv": "Tabell"},
    "figure": {"en": "Figure", "nl": "Figuur", "sv": "Figur"},
    "matched_words": {"en": "Words that most often matched", "nl": "Vaakst gevonden woorden",
                      "sv": "Oftast funna ord"},
    "case_caption": {"en": "{group} in {case}: coded segments, documents and respondents per code",
                     "nl": "{group} in {case}: gecodeerde segmenten, documenten en respondenten per code",
                     "sv": "{group} i {case}: kodade segment, dokument och respondenter per kod"},
    "comparison": {"en": "Comparison by {by}", "nl": "Vergelijking per {by}", "sv": "Jämförelse per {by}"},
    "heatmap_caption": {"en": "{what} as a heatmap", "nl": "{what} als heatmap", "sv": "{what} som värmekarta"},
    "agreement": {"en": "Intercoder agreement", "nl": "Overeenstemming tussen codeurs",
                  "sv": "Överensstämmelse mellan kodare"},
    "agreement_caption": {"en": "Agreement between coders per element",
                          "nl": "Overeenstemming tussen codeurs per element",
                          "sv": "Överensstämmelse mellan kodare per element"},
    "method": {"en": "Method", "nl": "Methode", "sv": "Metod"},
    "method_caption": {"en": "How these results were made", "nl": "Hoe deze resultaten tot stand kwamen",
                       "sv": "Hur resultaten togs fram"},
    "manual": {"en": "manual", "nl": "handmatig", "sv": "manuell"},
    "codes": {"en": "codes", "nl": "codes", "sv": "koder"},
    "groups": {"en": "groups", "nl": "groepen", "sv": "grupper"},
    "yes": {"en": "yes", "nl": "ja", "sv": "ja"},
    "no": {"en": "no", "nl": "nee", "sv": "nej"},
    "primary_note": {"en": "Primary: segments where it is the strongest automatic code.",
                     "nl": "Primair: segmenten waar het de sterkste automatische code is.",
                     "sv": "Primär: segment där den är den starkaste automatiska koden."},
}

_COLUMNS: dict[str, dict[str, str]] = {
    "code": {"en": "Code", "nl": "Code", "sv": "Kod"},
    "segments": {"en": "Segments", "nl": "Segmenten", "sv": "Segment"},
    "documents": {"en": "Documents", "nl": "Documenten", "sv": "Dokument"},
    "respondents": {"en": "Respondents", "nl": "Respondenten", "sv": "Respondenter"},
    "primary": {"en": "Primary", "nl": "Primair", "sv": "Primär"},
    "Total": {"en": "Total", "nl": "Totaal", "sv": "Totalt"},
    "item": {"en": "Item", "nl": "Onderdeel", "sv": "Uppgift"},
    "value": {"en": "Value", "nl": "Waarde", "sv": "Värde"},
    "Element / code": {"en": "Element / code", "nl": "Element / code", "sv": "Element / kod"},
    "Units": {"en": "Units", "nl": "Eenheden", "sv": "Enheter"},
    "% agreement": {"en": "% agreement", "nl": "% overeenstemming", "sv": "% överensstämmelse"},
    "Cohen's kappa": {"en": "Cohen's kappa", "nl": "Cohens kappa", "sv": "Cohens kappa"},
    "Krippendorff's alpha": {"en": "Krippendorff's alpha", "nl": "Krippendorffs alfa", "sv": "Krippendorffs alfa"},
    "Coded by": {"en": "Coded by", "nl": "Gecodeerd door", "sv": "Kodat av"},
    "Overall (all codes)": {"en": "Overall (all codes)", "nl": "Totaal (alle codes)", "sv": "Totalt (alla koder)"},
}

_ATTRIBUTES = {  # the attribute a comparison is by, as a noun
    "case": {"en": "case", "nl": "casus", "sv": "fall"},
    "role": {"en": "role", "nl": "rol", "sv": "roll"},
    "project": {"en": "project", "nl": "project", "sv": "projekt"},
    "language": {"en": "language", "nl": "taal", "sv": "språk"},
    "speaker": {"en": "speaker", "nl": "spreker", "sv": "talare"},
    "respondent": {"en": "respondent", "nl": "respondent", "sv": "respondent"},
    "document": {"en": "document", "nl": "document", "sv": "dokument"},
}

_MEASURES = {  # a comparison's title: what its cells count, per what
    "segments": {"en": "Coded segments per {by}", "nl": "Gecodeerde segmenten per {by}",
                 "sv": "Kodade segment per {by}"},
    "documents": {"en": "Documents with the code per {by}", "nl": "Documenten met de code per {by}",
                  "sv": "Dokument med koden per {by}"},
    "respondents": {"en": "Respondents who said it, per {by}", "nl": "Respondenten die het zeiden, per {by}",
                    "sv": "Respondenter som sa det, per {by}"},
    "presence": {"en": "Codes present per {by}", "nl": "Aanwezige codes per {by}",
                 "sv": "Förekommande koder per {by}"},
    "percent": {"en": "Share of the coded segments per {by} (%)",
                "nl": "Aandeel van de gecodeerde segmenten per {by} (%)",
                "sv": "Andel av de kodade segmenten per {by} (%)"},
}

_NOTES = {  # the note under a comparison: how to read its cells
    "segments": {"en": "Group rows count each segment once, however many of their codes it has.",
                 "nl": "Groepsrijen tellen elk segment één keer, hoeveel codes van de groep het ook heeft.",
                 "sv": "Grupprader räknar varje segment en gång, hur många av gruppens koder det än har."},
    "documents": {"en": "Group rows count each document once.", "nl": "Groepsrijen tellen elk document één keer.",
                  "sv": "Grupprader räknar varje dokument en gång."},
    "respondents": {"en": "Group rows count each respondent once.",
                    "nl": "Groepsrijen tellen elke respondent één keer.",
                    "sv": "Grupprader räknar varje respondent en gång."},
    "presence": {"en": "✓ = coded at least once, – = not coded.", "nl": "✓ = minstens één keer gecodeerd, "
                 "– = niet gecodeerd.", "sv": "✓ = kodad minst en gång, – = inte kodad."},
    "percent": {"en": "Percent of the column's coded segments (with any code); a segment may have several codes.",
                "nl": "Procent van de gecodeerde segmenten (met welke code ook) in de kolom; een segment kan "
                      "meerdere codes hebben.",
                "sv": "Procent av kolumnens kodade segment (med någon kod); ett segment kan ha flera koder."},
}

_UNITS = {"turn": {"en": "turn (what a speaker says before the next one speaks)",
                   "nl": "spreekbeurt (wat een spreker zegt voordat de volgende spreekt)",
                   "sv": "replik (det en talare säger innan nästa talar)"},
          "paragraph": {"en": "paragraph", "nl": "alinea", "sv": "stycke"},
          "sentence": {"en": "sentence", "nl": "zin", "sv": "mening"}}

_METHOD = {
    "codebook": {"en": "Codebook", "nl": "Codeboek", "sv": "Kodbok"},
    "version": {"en": "{name}, version {version}", "nl": "{name}, versie {version}", "sv": "{name}, version {version}"},
    "codebook_sha256": {"en": "Codebook SHA-256", "nl": "Codeboek SHA-256", "sv": "Kodbok SHA-256"},
    "unit": {"en": "Unit of coding", "nl": "Eenheid van codering", "sv": "Kodningsenhet"},
    "counts": {"en": "Documents / segments", "nl": "Documenten / segmenten", "sv": "Dokument / segment"},
    "codings": {"en": "Codings", "nl": "Coderingen", "sv": "Kodningar"},
    "codings_value": {"en": "{automatic} automatic (keyword rules), {manual} manual (added or confirmed by a person)",
                      "nl": "{automatic} automatisch (trefwoordregels), {manual} handmatig (toegevoegd of "
                            "bevestigd door een persoon)",
                      "sv": "{automatic} automatiska (nyckelordsregler), {manual} manuella (tillagda eller "
                            "bekräftade av en person)"},
    "rejected": {"en": "; {rejected} automatic codings rejected by hand",
                 "nl": "; {rejected} automatische coderingen met de hand afgewezen",
                 "sv": "; {rejected} automatiska kodningar avvisade för hand"},
    "primary": {"en": "Primary code", "nl": "Primaire code", "sv": "Primär kod"},
    "primary_keywords": {"en": "strongest keyword evidence (score, then distinct terms; then the longer match)",
                         "nl": "sterkste trefwoordbewijs (score, dan verschillende termen; dan de langere treffer)",
                         "sv": "starkaste nyckelordsbelägg (poäng, sedan olika termer; sedan den längre träffen)"},
    "primary_meaning": {"en": "strongest keyword evidence (score, then distinct terms); where level, the code "
                              "closest in meaning (multilingual-e5-small)",
                        "nl": "sterkste trefwoordbewijs (score, dan verschillende termen); bij gelijke stand de "
                              "code die qua betekenis het dichtstbij ligt (multilingual-e5-small)",
                        "sv": "starkaste nyckelordsbelägg (poäng, sedan olika termer); vid lika läge den kod som "
                              "ligger närmast i betydelse (multilingual-e5-small)"},
    "filters": {"en": "Filters", "nl": "Filters", "sv": "Filter"},
    "none": {"en": "none", "nl": "geen", "sv": "inga"},
    "coded_at": {"en": "Coded on", "nl": "Gecodeerd op", "sv": "Kodat"},
    "made_with": {"en": "Made with", "nl": "Gemaakt met", "sv": "Skapat med"},
}

_AGREEMENT_NOTE = {
    "nl": "Eenheid van analyse: de {unit} ({units} eenheden in {documents} {documents_word}, gecodeerd door "
          "minstens twee van: {coders}). Een codering geldt voor elke eenheid die haar tekst overlapt; een codeur "
          "telt mee voor een document zodra die er iets voor heeft vastgelegd. Groepen: of een van hun codes is "
          "toegekend. Totaal: alle beslissingen (eenheid, code) samen. Krippendorffs alfa is nominaal; Cohens "
          "kappa vraagt precies twee codeurs.",
    "sv": "Analysenhet: {unit} ({units} enheter i {documents} {documents_word}, kodade av minst två av: "
          "{coders}). En kodning gäller varje enhet som dess text överlappar; en kodare räknas för ett dokument "
          "när hen har gjort en notering för det. Grupper: om någon av deras koder användes. Totalt: alla beslut "
          "(enhet, kod) sammanslagna. Krippendorffs alfa är nominal; Cohens kappa kräver exakt två kodare.",
}


@dataclass(frozen=True)
class Wording:
    """The fixed texts in one language (nl, en or sv)."""

    language: str = "en"

    def __call__(self, key: str, **values: Any) -> str:
        return _TEXTS[key][self.language].format(**values)

    def column(self, name: str) -> str:
        """A column name in this language; names it does not know (case names, attribute values) as they are."""
        return _COLUMNS.get(name, {}).get(self.language, name)

    def attribute(self, name: str) -> str:
        return _ATTRIBUTES.get(name, {}).get(self.language, name)

    def measure_title(self, measure: str, by: str) -> str:
        """'Gecodeerde segmenten per casus': the title a person gives the comparison table."""
        return _MEASURES[measure][self.language].format(by=self.attribute(by))

    def measure_note(self, measure: str) -> str:
        return _NOTES[measure][self.language]

    def caption(self, kind: str, number: int, text: str) -> str:
        """'Tabel 1 – …' ('table') or 'Figuur 1 – …' ('figure')."""
        return f"{self(kind)} {number} – {text}"

    def group_name(self, group: str, labels: dict[str, str]) -> str:
        """The element's name, with its label in this language when that says something else."""
        label = labels.get(self.language, "")
        return f"{group} ({label})" if label and label.casefold() != group.casefold() else group

    def method_rows(self, method: dict[str, Any]) -> list[list[str]]:
        """The method appendix as rows of (item, value)."""
        def word(key: str, **values: Any) -> str:
            return _METHOD[key][self.language].format(**values)

        codings = word("codings_value", automatic=method.get("automatic", 0), manual=method.get("manual", 0))
        if method.get("rejected"):
            codings += word("rejected", rejected=method["rejected"])
        unit = str(method.get("unit", ""))
        return [
            [word("codebook"), word("version", name=method.get("codebook", ""),
                                    version=method.get("codebook_version", ""))],
            [word("codebook_sha256"), str(method.get("codebook_sha256", ""))],
            [word("unit"), _UNITS.get(unit, {}).get(self.language, unit)],
            [word("counts"), f"{method.get('documents', 0)} / {method.get('segments', 0)}"],
            [word("codings"), codings],
            [word("primary"), word("primary_meaning" if method.get("primary") == "meaning" else "primary_keywords")],
            [word("filters"), str(method.get("filters") or word("none"))],
            [word("coded_at"), str(method.get("coded_at", ""))],
            [word("made_with"), str(method.get("made_with", ""))],
        ]

    def agreement_note(self, facts: dict[str, Any]) -> str:
        """How agreement was measured, for the methods section."""
        if self.language == "en" or not facts:
            return method_note(**facts) if facts else ""
        unit = str(facts["unit"])
        documents_word = {"nl": ("document", "documenten"), "sv": ("dokument", "dokument")}[self.language]
        return _AGREEMENT_NOTE[self.language].format(
            unit=_UNITS.get(unit, {}).get(self.language, unit).split(" (")[0], units=facts["units"],
            documents=facts["documents"], documents_word=documents_word[facts["documents"] != 1],
            coders=", ".join(facts["coders"]))


def for_codebook(languages: list[str], chosen: str | None = None) -> Wording:
    """The wording a flag chose, else the codebook's own (first) language, else English."""
    own = languages[0] if languages and languages[0] in LANGUAGES else "en"
    return Wording(chosen or own)
