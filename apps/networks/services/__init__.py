"""Writes to standing networks, a module per part of their life: a network and who is in it (`membership`), its
meetings and their agendas (`meetings`), the topics members propose and vote on (`topics`), notes on a meeting
(`notes`); `reminders` says what the notifications app sends and under which keys.

Every service raises `NetworkError` with a message for a person to read, and writes nothing when it refuses.
"""


class NetworkError(Exception):
    """A change that cannot be made as asked, in words the person can act on; nothing was written."""
