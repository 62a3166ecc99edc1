"""The memory benchmark: recall of past notes, and the follow-up on open commitments."""
