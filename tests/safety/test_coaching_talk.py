"""The coaching corpus's mentee messages as the screen reads them in a session: safe talk, one
family per conversation, each read after the mentee's earlier messages only."""

from __future__ import annotations

from evals.coach_model.corpus import load_corpus as load_conversations
from evals.safety.corpus import coaching_talk, training_corpus


def test_every_mentee_message_is_safe_talk_read_after_the_mentees_earlier_words() -> None:
    talk = coaching_talk()
    conversations = load_conversations()
    mentee_turns = [t for c in conversations for t in c.turns if t.role == "mentee"]
    assert len(talk) == len(mentee_turns) >= 3000
    assert {e.level for e in talk} == {"none"} and all(e.coaching for e in talk)
    coach_words = {t.text for c in conversations for t in c.turns if t.role == "coach"}
    assert not any(set(e.context) & coach_words for e in talk)
    assert max(len(e.context) for e in talk) == 3
    first = conversations[0]
    said = [t.text for t in first.turns if t.role == "mentee"]
    ours = [e for e in talk if e.family == f"coaching-{first.family}"]
    assert [e.text for e in ours] == said
    assert ours[0].context == () and ours[2].context == tuple(said[:2])


def test_a_conversation_never_straddles_two_splits() -> None:
    splits: dict[str, set[str]] = {}
    for example in training_corpus():
        splits.setdefault(example.family, set()).add(example.split)
    assert all(len(found) == 1 for found in splits.values())
    sessions = {e.split for e in coaching_talk()}
    assert sessions == {"train", "dev", "test"}
