"""Errors that carry a message a person can act on."""


class CoachError(Exception):
    """Base error: its message is shown to the user as is, never as a traceback."""


class ConfigError(CoachError):
    """A missing or wrong setting. The message says how to fix it."""


class ProviderError(CoachError):
    """The model could not answer. The mentee's message is kept, so the turn can be retried."""
