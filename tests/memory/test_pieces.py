"""Long notes are stored whole and in pieces of a few sentences: a detail deep in a long entry
is found, each note comes back once, and re-saving a note leaves no stale pieces behind."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from coach.memory import Embedder, NoteStore
from coach.memory.entries import PIECE_MARK, Chunking, entry_note, note_entries
from coach.memory.lexical import LexicalIndex
from coach.notes import SessionNote
from coach.settings import load_settings
from coach.text import sentence_groups

FILLER = [
    "The quarterly planning ran long again and the roadmap slipped by two weeks.",
    "I spent most of Tuesday reviewing pull requests for the billing migration.",
    "Our standups have started running over because the product team joins late.",
    "I felt flat in the retro and said less than I wanted to about on-call load.",
    "My manager asked for a draft of the hiring plan for the data platform team.",
    "Sleep has been patchy since the clocks changed and I am tired by mid-afternoon.",
    "We agreed to pause the dashboard rewrite until the analytics contract is signed.",
    "The new starter, Tom, is settling in and pairs with me on Thursday mornings.",
]
DETAIL = "Aunt Margarethe offered to lend me her cottage in Kilkenny for the writing week."


def journal(user: str, session: str, text: str) -> SessionNote:
    return SessionNote(
        user=user, session=session, date=date(2026, 10, 1), dilemma=text, flags=["journal"]
    )


def long_entry(detail: str = DETAIL) -> str:
    return " ".join([*FILLER[:5], detail, *FILLER[5:], *FILLER[:4]])


def test_groups_keep_whole_sentences_within_the_word_limit() -> None:
    text = "One two three. Four five six seven. Eight.\nNine ten"
    assert sentence_groups(text, 4) == ["One two three.", "Four five six seven.", "Eight. Nine ten"]
    # a sentence longer than the limit is cut at the limit
    assert sentence_groups("a b c d e f g", 3) == ["a b c", "d e f", "g"]
    assert sentence_groups("", 5) == []


def test_a_short_note_is_one_entry_and_a_long_one_is_also_stored_in_pieces() -> None:
    short = journal("ann", "s1", "A short entry about my week.")
    assert [entry for entry, _ in note_entries(short, Chunking())] == ["note-s1"]
    long = note_entries(journal("ann", "s2", long_entry()), Chunking())
    assert long[0][0] == "note-s2" and len(long) > 3
    assert all(entry_note(entry) == "note-s2" for entry, _ in long)
    assert any(DETAIL in text for entry, text in long if PIECE_MARK in entry)
    assert note_entries(journal("ann", "s2", long_entry()), Chunking(whole_words=None))[1:] == []


def test_a_detail_deep_in_a_long_entry_is_found_and_each_note_comes_back_once(
    store: NoteStore,
) -> None:
    store.add_note("ann", journal("ann", "deep", long_entry()))
    for number in range(6):
        store.add_note("ann", journal("ann", f"other-{number}", long_entry(FILLER[number])))
    hits = store.search("ann", "who offered me a place to stay for my writing week?", k=5)
    sessions = [hit.note.session for hit in hits]
    assert sessions[0] == "deep"
    assert len(sessions) == len(set(sessions)) == 5
    words = store.search_words("ann", "Margarethe cottage Kilkenny", k=5)
    assert [entry for entry, _ in words] == ["note-deep"]
    query, whole = store.embedder.embed([DETAIL, journal("ann", "deep", long_entry()).as_text()])
    dense = store.search_vector("ann", query, k=7)
    # the note is as similar as its nearest piece, nearer than the whole entry is
    assert dense[0].note.session == "deep"
    assert dense[0].similarity > float(np.dot(query, whole)) + 0.1
    assert len({hit.note.session for hit in dense}) == len(dense) == 7


def test_notes_and_export_list_notes_not_pieces(store: NoteStore) -> None:
    store.add_note("ann", journal("ann", "deep", long_entry()))
    store.add_note("ann", journal("ann", "short", "Just a line."))
    assert sorted(n.session for n in store.notes("ann")) == ["deep", "short"]
    assert len(store.export("ann")["notes"]) == 2


def test_saving_a_note_again_shorter_removes_its_old_pieces_everywhere(store: NoteStore) -> None:
    store.add_note("ann", journal("ann", "s1", long_entry()))
    store.add_note("ann", journal("ann", "s1", "Now a single short line about Kilkenny."))
    collection = store._collection("ann", "notes")
    assert collection.get(include=[])["ids"] == ["note-s1"]
    assert store.lexical.count("ann") == collection.count() == 1
    assert [entry for entry, _ in store.lexical.search("ann", "Margarethe")] == []
    hits = store.search("ann", "Kilkenny", k=5)
    assert [hit.note.dilemma for hit in hits] == ["Now a single short line about Kilkenny."]


def test_the_lexical_index_holds_the_same_entries_as_the_store(store: NoteStore) -> None:
    store.add_note("ann", journal("ann", "s1", long_entry()))
    store.add_note("bob", journal("bob", "s1", "Bob's only note."))
    chroma = store._collection("ann", "notes").count()
    assert chroma > 1 and store.lexical.count("ann") == chroma
    assert store.lexical.count("bob") == 1
    assert [hit.note.session for hit in store.search("bob", "Margarethe Kilkenny", k=5)] == ["s1"]
    assert store.search_words("bob", "Margarethe Kilkenny") == []


def test_pieces_work_against_a_chroma_server_and_another_app_server_sees_them(
    chroma_url: str, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_CHROMA_URL", chroma_url)
    first = NoteStore.open(load_settings(), embedder)
    first.add_note("srv-pia", journal("srv-pia", "deep", long_entry()))
    first.add_note("srv-pia", journal("srv-pia", "other", long_entry(FILLER[0])))
    # Another app server, with its own lexical index, rebuilds it from the shared server.
    second = NoteStore(first._client, embedder, LexicalIndex())
    assert [e for e, _ in second.search_words("srv-pia", "Margarethe Kilkenny")] == ["note-deep"]
    hits = second.search("srv-pia", "who offered me somewhere to write?", k=5)
    assert [hit.note.session for hit in hits][:1] == ["deep"] and len(hits) == 2
    first.add_note("srv-pia", journal("srv-pia", "deep", "Short now."))
    assert first._collection("srv-pia", "notes").count() == 1 + len(
        note_entries(journal("srv-pia", "other", long_entry(FILLER[0])), Chunking())
    )
    first.delete_user("srv-pia")
    assert first.search_words("srv-pia", "Kilkenny") == []


def test_pieces_a_failed_save_left_behind_go_with_the_next_save(
    store: NoteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_note("ann", journal("ann", "s1", long_entry()))
    collection = store._collection("ann", "notes")
    monkeypatch.setattr(collection, "delete", lambda **_: (_ for _ in ()).throw(OSError("down")))
    with pytest.raises(OSError):
        store.add_note("ann", journal("ann", "s1", "Short now."))
    monkeypatch.undo()
    store.add_note("ann", journal("ann", "s1", "Short now."))
    assert store._collection("ann", "notes").get(include=[])["ids"] == ["note-s1"]


def test_a_word_hit_on_a_note_the_store_no_longer_has_is_left_out(store: NoteStore) -> None:
    store.add_note("ann", journal("ann", "s1", "Planning the Kilkenny trip."))
    store.search("ann", "Kilkenny")  # the index is compared with the store, and agrees
    store.lexical.add("ann", [("note-gone", "Kilkenny cottage, deleted on another server")])
    hits = store.search("ann", "Kilkenny cottage", k=5)
    assert [hit.note.session for hit in hits] == ["s1"]
