"""The reminders mentoring sends: proposals waiting, made, confirmed or passed on, and meetings to follow up.
Registered with notifications in `MentoringConfig.ready()`.
"""

from apps.notifications.kinds import Kind

REMINDER_KINDS = (
    Kind(
        "mentoring_proposal_waiting",
        "A mentoring proposal is waiting for your reply",
        "Three days after a mentoring proposal was made, if you have not accepted or declined it.",
        ("other_name", "url"),
        group="Mentoring",
    ),
    Kind(
        "mentoring_proposal_for_mentor",
        "Someone is proposed as your mentee",
        "When you are proposed as someone's mentor or coach: say yes or no so they can start or be matched again.",
        ("other_name", "url"),
        group="Mentoring",
    ),
    Kind(
        "mentoring_proposal_made",
        "A mentor is proposed for you",
        "When an organiser's match round proposes a mentor or coach for you.",
        ("other_name", "url"),
        group="Mentoring",
    ),
    Kind(
        "mentoring_match_confirmed",
        "Your mentoring match is confirmed",
        "When the other person says yes too and you can start working together.",
        ("other_name", "url"),
        group="Mentoring",
    ),
    Kind(
        "mentoring_proposal_passed",
        "Your proposed mentor could not take you on",
        "When a proposed mentor declines or does not answer in time, and who we propose next.",
        ("other_name", "what_happened", "next_name", "url"),
        group="Mentoring",
    ),
    Kind(
        "mentoring_meeting_follow_up",
        "Follow up a mentoring meeting",
        "After a mentoring meeting, a prompt to note actions and book the next one.",
        ("other_name", "met_on", "url"),
        group="Mentoring",
    ),
    Kind(
        "mentoring_no_meeting_90d",
        "No mentoring meeting for 90 days",
        "When an active mentoring relationship has had no meeting logged for 90 days.",
        ("other_name", "last_met_on", "url"),
        group="Mentoring",
    ),
)
