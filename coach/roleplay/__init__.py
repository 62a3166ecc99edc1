"""Role-play: rehearse a hard conversation with a simulated counterpart, then a debrief."""

from coach.roleplay.book import Counterpart, RolePlayScenario, roleplay_book
from coach.roleplay.debrief import debrief
from coach.roleplay.rehearsal import Rehearsal

__all__ = ["Counterpart", "Rehearsal", "RolePlayScenario", "debrief", "roleplay_book"]
