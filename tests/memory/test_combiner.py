"""The learned combiner of memory search's two channels: on hand-built rankings (its features,
the ranking it gives, the shipped weights, a damaged file falling back to rank fusion), and in a
real store."""

from __future__ import annotations

import json
import logging
import math
from datetime import date
from pathlib import Path

import pytest

from coach.memory import NoteStore
from coach.memory.combiner import (
    FEATURES,
    MODEL,
    Combiner,
    candidate_features,
    load_combiner,
    shipped_combiner,
)
from coach.memory.fusion import fuse
from coach.notes import SessionNote


def column(name: str) -> int:
    return FEATURES.index(name)


def test_every_candidate_of_either_channel_gets_one_row_of_features() -> None:
    dense = [("a", 0.62), ("b", 0.40)]
    words = [("c", 9.0), ("a", 3.0), ("c", 1.0)]
    items, rows = candidate_features(dense, words, {"c": 0.31})
    assert items == ["a", "b", "c"]
    assert rows.shape == (3, len(FEATURES))
    a, b, c = rows
    assert a[column("cosine")] == pytest.approx(0.62) and a[column("cosine_below_best")] == 0
    assert b[column("bm25_saturated")] == 0 and b[column("bm25_reciprocal_rank")] == 0
    # A note only the words found is read at the cosine it was given, below the best.
    assert c[column("cosine")] == pytest.approx(0.31)
    assert c[column("cosine_below_best")] == pytest.approx(0.31 - 0.62)
    assert c[column("dense_reciprocal_rank")] == 0
    assert c[column("bm25_share_of_best")] == 1 and c[column("bm25_reciprocal_rank")] == 1
    assert a[column("bm25_share_of_best")] == pytest.approx(3 / 9)
    assert c[column("bm25_saturated")] == pytest.approx(9 / 14)


def test_a_word_only_note_without_a_cosine_counts_as_the_least_similar_known() -> None:
    _, rows = candidate_features([("a", 0.7), ("b", 0.2)], [("z", 4.0)], {})
    assert rows[2][column("cosine")] == pytest.approx(0.2)


def test_nothing_found_ranks_nothing() -> None:
    assert Combiner((1.0,) * len(FEATURES), 0.0).rank([], [], {}) == []


def test_the_weights_decide_which_channel_leads() -> None:
    dense, words = [("paraphrase", 0.6), ("named", 0.3)], [("named", 12.0)]
    by_meaning = Combiner((1.0, 1.0, 1.0, 0.0, 0.0, 0.0), 0.0)
    by_words = Combiner((0.0, 0.0, 0.0, 1.0, 1.0, 1.0), 0.0)
    assert [i for i, _ in by_meaning.rank(dense, words, {})] == ["paraphrase", "named"]
    assert [i for i, _ in by_words.rank(dense, words, {})] == ["named", "paraphrase"]


def test_the_shipped_combiner_weighs_both_channels_and_agreement_wins() -> None:
    shipped = load_combiner(MODEL)
    assert all(weight > 0 for weight in shipped.weights)  # more evidence never counts against
    dense = [("meaning", 0.56), ("both", 0.55), ("filler", 0.30)]
    words = [("name", 8.5), ("both", 8.0)]
    ranked = [item for item, _ in shipped.rank(dense, words, {"name": 0.35})]
    assert ranked[0] == "both"
    assert ranked.index("name") < ranked.index("filler")


def test_a_strong_word_match_lifts_a_note_just_below_the_best_by_meaning() -> None:
    shipped = load_combiner(MODEL)
    dense = [("close", 0.48), ("named", 0.40)]
    assert [item for item, _ in shipped.rank(dense, [], {})] == ["close", "named"]
    assert [item for item, _ in shipped.rank(dense, [("named", 14.0)], {})] == ["named", "close"]


def test_the_shipped_file_records_what_it_was_trained_on() -> None:
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert data["trained_on"]["command"] == "python -m evals.memory --train-fusion"
    assert set(data["trained_on"]["sets"]) == {"planted", "lexical", "turns", "journals"}


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        json.dumps({"features": list(FEATURES), "weights": [1.0], "bias": 0.0}),
        json.dumps({"features": ["other"], "weights": [1.0], "bias": 0.0}),
        json.dumps({"features": list(FEATURES), "weights": [math.nan] * 6, "bias": 0.0}),
        json.dumps({"features": list(FEATURES), "weights": [1.0] * 6}),
        json.dumps({"features": list(FEATURES), "weights": ["x"] * 6, "bias": 0.0}),
    ],
)
def test_a_damaged_combiner_file_is_refused_with_a_reason(tmp_path: Path, content: str) -> None:
    path = tmp_path / "fusion.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError):
        load_combiner(path)


def test_without_a_usable_combiner_rank_fusion_decides_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = tmp_path / "fusion.json"
    damaged.write_text("{broken", encoding="utf-8")
    monkeypatch.setattr("coach.memory.fusion.shipped_combiner", lambda: shipped_combiner(damaged))
    dense, words = [("a", 0.5), ("b", 0.4)], [("b", 3.0), ("c", 2.0)]
    with caplog.at_level(logging.WARNING):
        first = fuse(dense, words, "learned", 1.0)
        second = fuse(dense, words, "learned", 1.0)
    assert first == second == fuse(dense, words, "rrf", 1.0)
    assert sum("rank fusion decides" in r.getMessage() for r in caplog.records) == 1


# -- in the store, with real Chroma and the packaged embedder ---------------------------------


def _note(session: str, dilemma: str) -> SessionNote:
    return SessionNote(user="ann", session=session, date=date(2026, 11, 2), dilemma=dilemma)


def test_the_store_ranks_a_named_note_first_and_keeps_the_paraphrase(store: NoteStore) -> None:
    store.add_note("ann", _note("named", "Dana offered me the Kestrel launch in Berlin."))
    store.add_note("ann", _note("meaning", "My manager keeps presenting my ideas as his own."))
    store.add_note("ann", _note("other", "A quiet week; I mostly cleared my inbox."))
    assert store.search("ann", "What did Dana offer?", k=3)[0].note.session == "named"
    found = [hit.note.session for hit in store.search("ann", "my boss takes credit", k=2)]
    assert found[0] == "meaning"


def test_the_store_ranks_by_the_combiner_and_a_missing_one_leaves_rank_fusion(
    store: NoteStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store.add_note("ann", _note("named", "Dana offered me the Kestrel launch in Berlin."))
    store.add_note("ann", _note("meaning", "My manager keeps presenting my ideas as his own."))
    query = "my boss takes the credit for everything I do, even at Kestrel"
    words_only = Combiner((0.0, 0.0, 0.0, 1.0, 1.0, 1.0), 0.0)
    meaning_only = Combiner((1.0, 1.0, 1.0, 0.0, 0.0, 0.0), 0.0)
    for combiner, first in ((words_only, "named"), (meaning_only, "meaning")):
        monkeypatch.setattr("coach.memory.fusion.shipped_combiner", lambda c=combiner: c)
        assert store.search("ann", query, k=2)[0].note.session == first
    missing = tmp_path / "absent.json"
    with pytest.raises(OSError):
        load_combiner(missing)
    monkeypatch.setattr("coach.memory.fusion.shipped_combiner", lambda: shipped_combiner(missing))
    assert {hit.note.session for hit in store.search("ann", query, k=2)} == {"named", "meaning"}


@pytest.mark.parametrize("query", ["what is the", "🙂🙃", '" OR NEAR(a b) * -x ^y :z', "   "])
def test_the_store_answers_any_query_without_an_error(store: NoteStore, query: str) -> None:
    store.add_note("ann", _note("named", "Dana offered me the Kestrel launch in Berlin."))
    hits = store.search("ann", query, k=5)
    assert all(hit.note.session == "named" for hit in hits)
    if not query.strip():
        assert hits == []


def test_a_query_of_100000_characters_still_finds_its_note(store: NoteStore) -> None:
    store.add_note("ann", _note("named", "Dana offered me the Kestrel launch in Berlin."))
    store.add_note("ann", _note("other", "A quiet week; I mostly cleared my inbox."))
    assert store.search("ann", "Kestrel " * 12_500, k=1)[0].note.session == "named"
