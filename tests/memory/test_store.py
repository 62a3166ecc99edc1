"""NoteStore over real Chroma: round trips, isolation, deletion, embedder records, failures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.errors import ConfigError
from coach.memory import Embedder, MemoryUnavailable, NoteStore
from coach.memory.recall import open_session_memory
from coach.notes import Commitment, SessionNote
from coach.settings import Settings, load_settings


def note(user: str, session: str, dilemma: str, *commitments: str) -> SessionNote:
    return SessionNote(
        user=user,
        session=session,
        date=date(2026, 11, 2),
        dilemma=dilemma,
        insights=["I realise I want to be seen, not thanked."],
        commitments=[Commitment(text=text, due=date(2026, 11, 6)) for text in commitments],
    )


def test_a_note_round_trips_through_a_persistent_store(
    settings: Settings, embedder: Embedder, store: NoteStore
) -> None:
    saved = note("ann", "s1", "My manager presents my ideas as his own.", "I'll talk to Dana.")
    store.add_note("ann", saved)
    reopened = NoteStore.open(settings, embedder)  # a new client on the same folder
    assert reopened.notes("ann") == [saved]
    [commitment] = reopened.commitments("ann", "open")
    assert commitment.text == "I'll talk to Dana." and commitment.due == date(2026, 11, 6)


def test_search_finds_the_related_note_and_leaves_unrelated_ones_out(store: NoteStore) -> None:
    store.add_note("ann", note("ann", "s1", "My manager takes credit for my work in meetings."))
    store.add_note("ann", note("ann", "s2", "Should I go back to school for a master's degree?"))
    hits = store.search("ann", "my boss presents my ideas as his own", k=5, threshold=0.25)
    assert [hit.note.session for hit in hits] == ["s1"]


def test_a_note_round_trips_through_a_chroma_server(
    chroma_url: str, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_CHROMA_URL", chroma_url)
    store = NoteStore.open(load_settings(), embedder)
    saved = note("server-user", "s9", "I want to ask a senior engineer to mentor me.", "I'll ask.")
    store.add_note("server-user", saved)
    assert NoteStore.open(load_settings(), embedder).notes("server-user") == [saved]
    store.delete_user("server-user")
    assert store.notes("server-user") == []


@pytest.mark.parametrize(
    "query", ["My manager presents my ideas as his own.", "Dana", "", "ann", "*", "' OR 1=1 --"]
)
def test_one_user_never_sees_anothers_notes(store: NoteStore, query: str) -> None:
    store.add_note(
        "ann", note("ann", "s1", "My manager presents my ideas as his own.", "Ask Dana.")
    )
    assert store.search("bob", query, k=10) == []
    assert store.notes("bob") == [] and store.commitments("bob") == []
    exported = store.export("bob")
    assert exported["notes"] == [] and exported["commitments"] == []
    assert "Dana" not in str(exported)


def test_a_note_can_only_be_saved_for_its_own_user(store: NoteStore) -> None:
    with pytest.raises(ValueError):
        store.add_note("bob", note("ann", "s1", "Ann's dilemma."))


def test_delete_leaves_nothing_behind(
    settings: Settings, embedder: Embedder, store: NoteStore
) -> None:
    store.add_note("ann", note("ann", "s1", "My manager presents my ideas.", "I'll talk to Dana."))
    store.add_note("bob", note("bob", "s2", "Bob's own dilemma about his team."))
    store.delete_user("ann")
    reopened = NoteStore.open(settings, embedder)
    assert reopened.notes("ann") == [] and reopened.commitments("ann") == []
    assert reopened.search("ann", "manager", k=5) == []
    assert [n.session for n in reopened.notes("bob")] == ["s2"]


def test_a_store_carries_on_after_another_client_deletes_the_user(
    settings: Settings, embedder: Embedder, store: NoteStore
) -> None:
    store.add_note("ann", note("ann", "s1", "My manager presents my ideas.", "I'll talk to Dana."))
    assert [hit.note.session for hit in store.search("ann", "manager", k=5)] == ["s1"]
    elsewhere = NoteStore.open(settings, embedder)  # the Journal page, or `coach forget`
    elsewhere.delete_user("ann")
    assert store.search("ann", "manager", k=5) == [] and store.commitments("ann") == []
    store.add_note("ann", note("ann", "s2", "Asking for a raise.", "I'll book time with Lee."))
    assert [n.session for n in elsewhere.notes("ann")] == ["s2"]


def test_search_returns_what_there_is_when_fewer_notes_than_asked(store: NoteStore) -> None:
    assert store.search("ann", "manager", k=5) == []  # nothing stored yet
    store.add_note("ann", note("ann", "s1", "My manager presents my ideas."))
    store.add_note("ann", note("ann", "s2", "Asking for a raise."))
    assert {hit.note.session for hit in store.search("ann", "manager", k=5)} == {"s1", "s2"}


def test_commitment_status_changes_are_kept(store: NoteStore) -> None:
    store.add_note("ann", note("ann", "s1", "A dilemma about feedback.", "I'll ask for feedback."))
    [commitment] = store.commitments("ann")
    store.set_status("ann", commitment.id, "done")
    assert store.commitments("ann", "open") == []
    assert store.notes("ann")[0].commitments[0].status == "done"


class OtherEmbedder:
    name = "another-model"
    dimension = 8
    ready = True

    def warm_up(self) -> None:
        return None

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[1.0] + [0.0] * 7 for _ in texts]


def test_mixing_embedders_is_refused_with_a_fix(settings: Settings, store: NoteStore) -> None:
    store.add_note("ann", note("ann", "s1", "A dilemma."))
    with pytest.raises(ConfigError, match=r"all-MiniLM-L6-v2.*another-model"):
        NoteStore.open(settings, OtherEmbedder()).notes("ann")


def test_a_broken_data_folder_turns_memory_off_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "chroma").write_text("not a folder")
    settings = load_settings(data_dir=tmp_path)
    memory, message = open_session_memory(settings, "ann")
    assert memory is None and message and "Memory is off" in message
    with pytest.raises(MemoryUnavailable):
        NoteStore.open(settings, OtherEmbedder())


def test_an_unreachable_server_turns_memory_off_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_CHROMA_URL", "http://127.0.0.1:9")
    memory, message = open_session_memory(load_settings(), "ann")
    assert memory is None and message and "127.0.0.1:9" in message
