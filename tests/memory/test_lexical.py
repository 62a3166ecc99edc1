"""The lexical channel beside the embeddings: BM25 in SQLite FTS5, fused with the dense ranking,
kept in step with Chroma, scoped to the user, and rebuilt when the two disagree."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from coach.memory import Embedder, NoteStore
from coach.memory.fusion import weighted_rrf
from coach.memory.lexical import LexicalIndex, open_index, query_terms
from coach.notes import SessionNote
from coach.settings import Settings

ROOT = Path(__file__).parents[2]


def note(user: str, session: str, dilemma: str) -> SessionNote:
    return SessionNote(user=user, session=session, date=date(2026, 11, 2), dilemma=dilemma)


# -- fusion, on hand-built rankings ---------------------------------------------------------


def test_an_item_both_channels_found_outranks_one_either_found_alone() -> None:
    fused = [item for item, _ in weighted_rrf([["a", "b", "c"], ["c", "d"]], [1.0, 1.0])]
    assert fused[0] == "c" and set(fused) == {"a", "b", "c", "d"}


def test_weights_decide_between_two_channels_that_disagree() -> None:
    rankings = [["dense-first", "shared"], ["words-first", "shared"]]
    assert weighted_rrf(rankings, [2.0, 1.0])[1][0] == "dense-first"
    assert weighted_rrf(rankings, [1.0, 2.0])[1][0] == "words-first"
    assert weighted_rrf(rankings, [1.0, 1.0])[0][0] == "shared"


def test_ties_keep_the_order_first_met_and_repeats_count_once() -> None:
    assert [i for i, _ in weighted_rrf([["x", "x", "y"], []], [1.0, 1.0])] == ["x", "y"]
    assert [i for i, _ in weighted_rrf([["p"], ["q"]], [1.0, 1.0])] == ["p", "q"]
    with pytest.raises(ValueError):
        weighted_rrf([["a"]], [1.0, 1.0])


# -- the index -------------------------------------------------------------------------------


def test_words_find_names_and_every_search_names_its_user() -> None:
    index = LexicalIndex()
    index.add("ann", [("n1", "Dana offered me the Berlin role"), ("n2", "A quiet week at work")])
    index.add("bob", [("n3", "Dana from finance wants the budget")])
    assert [entry for entry, _ in index.search("ann", "What did Dana offer?")] == ["n1"]
    assert [entry for entry, _ in index.search("bob", "dana")] == ["n3"]
    index.add("ann", [("n1", "Nothing about anyone now")])  # replaced, not added twice
    assert index.search("ann", "Dana") == [] and index.count("ann") == 2
    index.remove_user("ann")
    assert index.count("ann") == 0 and index.count("bob") == 1


@pytest.mark.parametrize(
    "query",
    ["what is the", "🙂🙃", "", "   ", '" OR NEAR(a b) * -x ^y :z', "Dana " * 20_000],
)
def test_any_query_gets_a_result_not_an_error(query: str) -> None:
    index = LexicalIndex()
    index.add("ann", [("n1", "Dana offered me the Berlin role")])
    found = index.search("ann", query)
    assert isinstance(found, list)
    if not query_terms(query):
        assert found == []


def test_a_removed_user_s_words_are_gone_from_the_files_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    index = LexicalIndex(path)
    index.add("ann", [("n1", "Zanzibarcontract renewal with Quillfeather Ltd")])
    index.add("bob", [("n2", "Bob's own note about the rota")])
    index.remove_user("ann")
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"Quillfeather" not in stored and b"Zanzibarcontract" not in stored.replace(b" ", b"")
    assert [e for e, _ in index.search("bob", "rota")] == ["n2"]


def test_a_damaged_index_file_is_set_aside_and_started_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="coach.memory.lexical"):
        index = open_index(path)
    assert index.count("ann") == 0 and (tmp_path / "notes.damaged").exists()
    assert "rebuilt from the note store" in caplog.text


def test_a_long_query_is_cut_to_its_rarest_words() -> None:
    index = LexicalIndex()
    common = "the team meeting went on about the project plan and the weekly report"
    index.add("ann", [(f"c{i}", f"{common} number {i}") for i in range(30)])
    index.add("ann", [("n1", f"{common} and Kestrel slipped to March")])
    query = "team meeting project plan weekly report about Kestrel going well or not"
    assert index.search("ann", query, k=1)[0][0] == "n1"


# -- the store: both channels, in step ------------------------------------------------------


def test_a_name_is_found_among_notes_on_the_same_topic(store: NoteStore) -> None:
    store.add_note(
        "ann", note("ann", "s1", "Dana from the Berlin office offered me the lead role.")
    )
    for i, name in enumerate(["Marta", "Joao", "Ines", "Rui", "Sofia", "Tiago"]):
        store.add_note(
            "ann", note("ann", f"o{i}", f"{name} offered me a team lead role elsewhere.")
        )
    assert store.search("ann", "Dana", k=1)[0].note.session == "s1"
    assert [entry for entry, _ in store.search_words("ann", "Berlin")] == ["note-s1"]


def test_the_lexical_index_follows_add_delete_and_reopen(
    settings: Settings, embedder: Embedder, store: NoteStore
) -> None:
    store.add_note("ann", note("ann", "s1", "Kestrel launch moved to March."))
    store.add_note("bob", note("bob", "s2", "Kestrel is also my project name."))
    reopened = NoteStore.open(settings, embedder)
    assert [e for e, _ in reopened.search_words("ann", "kestrel")] == ["note-s1"]
    reopened.delete_user("ann")
    assert store.lexical.count("ann") == 0 and store.search_words("ann", "kestrel") == []
    assert [e for e, _ in store.search_words("bob", "kestrel")] == ["note-s2"]


def test_an_index_that_disagrees_with_chroma_is_rebuilt_from_it(store: NoteStore) -> None:
    store.add_note("ann", note("ann", "s1", "Kestrel launch moved to March."))
    store.lexical.remove_user("ann")  # as if the index write had been lost
    assert [e for e, _ in store.search_words("ann", "kestrel")] == ["note-s1"]


CRASH_BETWEEN_WRITES = """
import os, signal
from datetime import date
from coach.memory import NoteStore, get_embedder
from coach.memory.lexical import LexicalIndex
from coach.notes import SessionNote
from coach.settings import load_settings

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # after Chroma's write, before the index's

LexicalIndex.add = die
settings = load_settings()
store = NoteStore.open(settings, get_embedder(settings))
store.add_note("ann", SessionNote(user="ann", session="s1", date=date(2026, 11, 2),
                                  dilemma="The Osprey migration slipped to June."))
"""


def test_kill_9_between_the_two_writes_loses_nothing(
    settings: Settings, embedder: Embedder
) -> None:
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CRASH_BETWEEN_WRITES)],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    store = NoteStore.open(settings, embedder)
    assert [n.session for n in store.notes("ann")] == ["s1"]
    assert store.lexical.count("ann") == 0  # the index never got it
    assert store.search("ann", "osprey", k=1)[0].note.session == "s1"
    assert store.lexical.count("ann") == 1


def test_the_lexical_channel_works_against_a_chroma_server(
    chroma_url: str, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.settings import load_settings

    monkeypatch.setenv("COACH_CHROMA_URL", chroma_url)
    first = NoteStore.open(load_settings(), embedder)
    first.add_note("srv-ann", note("srv-ann", "s1", "Heron audit is due on the 14th."))
    # Another app server, with its own index, sees the note through the shared Chroma server.
    second = NoteStore(first._client, embedder, LexicalIndex())
    assert [e for e, _ in second.search_words("srv-ann", "heron")] == ["note-s1"]
    first.delete_user("srv-ann")
    assert first.search_words("srv-ann", "heron") == []
