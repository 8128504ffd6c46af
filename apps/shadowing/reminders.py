"""The reminders "talk to someone in the role" sends: a request received, accepted, declined, lapsed or
withdrawn; an accepted one that will not happen, as the offerer closed their account; the day before the agreed
date; and "how did it go?" the day after. Registered with notifications in `ShadowingConfig.ready()`."""

from apps.notifications.kinds import Kind

GROUP = "Talk to someone in the role"

REMINDER_KINDS = (
    Kind(
        "shadowing_request_received",
        "Someone asks to talk to you or shadow you",
        "When someone asks for a conversation, a shadowing day or a role-share you offer: please answer in 14 days.",
        ("other_name", "offer_kind", "reply_by", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_request_accepted",
        "Your request was accepted",
        "When the person you asked says yes, with how to reach them.",
        ("other_name", "offer_kind", "agreed_on", "message", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_request_declined",
        "Your request was declined",
        "When the person you asked cannot do it, or withdraws their offer.",
        ("other_name", "offer_kind", "message", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_request_expired",
        "Your request was not answered in time",
        "When 14 days pass without an answer to your request.",
        ("other_name", "offer_kind", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_request_withdrawn",
        "A request to you was withdrawn",
        "When someone who asked you calls it off.",
        ("other_name", "offer_kind", "was_accepted", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_offerer_left",
        "Something you agreed will not happen",
        "When the person who accepted your request closes their account on the portal.",
        ("other_name", "offer_kind", "agreed_on", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_day_before",
        "Your conversation or shadowing day is tomorrow",
        "The day before the date you agreed.",
        ("other_name", "offer_kind", "agreed_on", "url"),
        group=GROUP,
    ),
    Kind(
        "shadowing_how_did_it_go",
        "How did it go?",
        "The day after the date you agreed: a prompt to write a reflection, which can go into your plan.",
        ("other_name", "offer_kind", "agreed_on", "url"),
        group=GROUP,
    ),
)
