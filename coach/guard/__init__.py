"""Reply policy: does a draft ask one open question and give no unasked-for advice?"""

from coach.guard.fallback import fallback_question
from coach.guard.rules import Reason, Verdict, check_fragment, check_reply

__all__ = ["Reason", "Verdict", "check_fragment", "check_reply", "fallback_question"]
