"""The coaching corpus's mentee messages as the screen reads them in a session: safe talk, one
family per conversation, each read after the mentee's earlier messages only."""

from __future__ import annotations

from evals.coach_model.corpus import load_corpus as load_conversations
from evals.safety.corpus import coaching_talk, load_corpus, training_corpus


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


def test_each_conversation_is_one_family_of_its_own_in_every_split() -> None:
    """A session's messages share one family (so they share a split), no two sessions share
    one, and no safety-corpus family is taken for a session."""
    talk = coaching_talk()
    families = {e.family for e in talk}
    assert len(families) == len(load_conversations())
    assert not families & {e.family for e in load_corpus()}
    assert {e.split for e in talk} == {"train", "dev", "test"}
    assert len(training_corpus()) == len(load_corpus()) + len(talk)
