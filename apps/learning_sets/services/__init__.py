"""Writes to programmes and learning sets, a module per part of their life: setting up a programme
(`programmes`), applying (`applications`), forming and reviewing the draft sets (`review`), publishing them
(`publishing`), a live set's sessions (`sessions`), the facilitator's notes and members' reflections (`notes`), and
calendar links (`feeds`); `reminders` schedules what the notifications app sends.

Every service raises `LearningSetError` with a message for a person to read, and writes nothing when it refuses.
"""


class LearningSetError(Exception):
    """A change that cannot be made as asked, in words the person can act on; nothing was written."""
