"""The reminders succession sends: to an organisation's leads, a post falling vacant within six months with no one
ready now; to both people, a talent conversation due again; to a person, that a lead recorded a talent conversation
with them, and a readiness due for review (its horizon reached without their saying whether it still holds).
Registered with notifications in `SuccessionConfig.ready()`."""

from apps.notifications.kinds import Kind

GROUP = "Succession and talent"

REMINDER_KINDS = (
    Kind(
        "succession_vacancy_uncovered",
        "A post falls vacant soon with no one ready",
        "To an organisation lead: a post expected to fall vacant within six months has no one ready now.",
        ("post_title", "organisation", "expected_vacancy", "url"),
        group=GROUP,
    ),
    Kind(
        "talent_conversation_due",
        "Time to meet again for a talent conversation",
        "On the date you agreed to meet again after a talent conversation.",
        ("other_name", "organisation", "meet_again_on", "url"),
        group=GROUP,
    ),
    Kind(
        "talent_conversation_recorded",
        "A lead recorded a talent conversation with you",
        "When an organisation lead records a talent conversation with you: read it, change it, or add its next steps "
        "to your plan.",
        ("lead_name", "organisation", "held_on", "url"),
        group=GROUP,
    ),
    Kind(
        "succession_lead_view",
        "A lead added their view of your readiness",
        "When an organisation lead adds or changes their view of your readiness, beside your own.",
        ("organisation", "url"),
        group=GROUP,
    ),
    Kind(
        "succession_post_removed",
        "A post you stood forward for was removed",
        "When an organisation lead removes a post you stood forward for: you still stand forward for its level there.",
        ("post_title", "organisation", "level", "url"),
        group=GROUP,
    ),
    Kind(
        "succession_readiness_review",
        "Is your readiness still right?",
        "When the horizon you gave for your readiness is reached: confirm or change it, or withdraw.",
        ("organisation", "readiness", "url"),
        group=GROUP,
    ),
)
