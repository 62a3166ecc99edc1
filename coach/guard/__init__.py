"""Reply policy: does a draft ask one open question and give no unasked-for advice?"""

from coach.guard.fallback import fallback_question
from coach.guard.grounding import Grounding
from coach.guard.rules import (
    GuardContext,
    Reason,
    Verdict,
    check_fragment,
    check_reply,
    count_advice_requests,
)

__all__ = [
    "Grounding",
    "GuardContext",
    "Reason",
    "Verdict",
    "check_fragment",
    "check_reply",
    "count_advice_requests",
    "fallback_question",
]
