"""``classify``: what an utterance does. The rules decide by default; ``COACH_ACTS=learned``
hands the decision to the trained heads in ``model/`` (see README.md, "Learned heads", for
why the rules stay the default). Heads that cannot be read leave the rules to decide, and say
so once."""

from __future__ import annotations

import logging
import os
import threading
from functools import cache

from coach.acts.learned import MODEL_DIR, LearnedActs
from coach.acts.rules import classify_by_rules
from coach.acts.talk_act import TalkAct

logger = logging.getLogger(__name__)
CHOICES = ("rules", "learned")
_model: LearnedActs | None = None
_failed = False
_lock = threading.Lock()


def chosen() -> str:
    """The classifier ``COACH_ACTS`` names (rules if unset, or if unknown, with a warning)."""
    return _choice(os.environ.get("COACH_ACTS", ""))


@cache
def _choice(raw: str) -> str:
    name = raw.strip().lower() or "rules"
    if name not in CHOICES:
        logger.warning("COACH_ACTS=%s is not one of %s; the rules decide.", raw, ", ".join(CHOICES))
        return "rules"
    return name


def in_effect() -> str:
    """The classifier that actually decides: ``learned`` only if chosen and readable."""
    if chosen() == "learned" and learned_model() is not None:
        return "learned"
    return "rules"


def learned_model() -> LearnedActs | None:
    """The shipped learned classifier, loaded once; None if it cannot be read."""
    global _model, _failed
    if _model is None and not _failed:
        with _lock:
            if _model is None and not _failed:
                try:
                    _model = LearnedActs.load(MODEL_DIR)
                except Exception as exc:  # any damage to the files: the rules decide
                    _failed = True
                    logger.warning(
                        "The talk-act model in %s could not be read (%s: %s); the rules decide.",
                        MODEL_DIR,
                        type(exc).__name__,
                        exc,
                    )
    return _model


def classify_learned(text: str, context: str | None = None) -> TalkAct:
    """What ``text`` does by the trained heads (by the rules if they cannot be read)."""
    model = learned_model()
    if model is None:
        return classify_by_rules(text, context)
    return model.classify(text, context)


_CHOSEN = {"rules": classify_by_rules, "learned": classify_learned}


def classify(text: str, context: str | None = None) -> TalkAct:
    """What ``text`` does, given the other person's previous words as ``context``."""
    return _CHOSEN[chosen()](text, context)
