"""The rating scale given to a framework imported from CASE, which has no field for one."""

from .fileformat import ScalePointSpec

DEFAULT_SCALE = (
    ScalePointSpec(1, "Not yet", "I have little or no experience of this yet."),
    ScalePointSpec(
        2, "Developing", "I have some experience of this, and would need support to do it at the next level."
    ),
    ScalePointSpec(3, "Established", "I do this reliably in my current role, and can show evidence of it."),
    ScalePointSpec(4, "Ready for the next role", "I could do this at the next level now, and others would say so too."),
)
