"""Writes for succession, one module per part: posts (an organisation lead's posts and templates), candidacies
(putting oneself forward, reviewing, withdrawing), lead_views (a lead's view of readiness), conversations (talent
conversations and their next steps into a plan), vacancies (the daily look for posts falling vacant uncovered)."""


class SuccessionError(Exception):
    """A change that cannot be made; the message is shown to the person who asked for it."""
