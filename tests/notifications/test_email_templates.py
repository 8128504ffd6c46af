"""Every kind of reminder renders to a usable e-mail: a one-line subject, a plain-text body with its links
written out, and an accessible HTML body with everything escaped. Dates come out the NHS.UK way, in UK time."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.template import Context, Template
from icalendar import Calendar

from apps.notifications.emails import build_digest, build_message, event_ics, render_reminder
from apps.notifications.kinds import KINDS, Audience
from apps.notifications.models import Reminder
from apps.notifications.templatetags.notification_format import london_date, london_datetime

SESSION = {
    "set_name": "Midlands aspiring MDs, set 2",
    "starts_at": "2026-12-03T14:00:00+00:00",
    "location": "Room 4, Education Centre, Leicester Royal Infirmary",
    "url": "/learning-sets/sessions/7/",
    "event": {
        "uid": "session-7@stepping-up",
        "start": "2026-12-03T14:00:00+00:00",
        "end": "2026-12-03T16:00:00+00:00",
        "summary": "Action learning set: Midlands aspiring MDs, set 2",
        "location": "Room 4, Education Centre, Leicester Royal Infirmary",
    },
}
GOAL = {"goal_title": "Chair a board sub-committee", "due_on": "2026-12-03", "url": "/plans/goals/1/"}
RATER = {"person_name": "Dr Priya Shah", "closes_on": "2026-12-14", "url": "/feedback/respond/abc123/"}
MENTORING = {"other_name": "Dr Tom Baker", "url": "/mentoring/3/"}
SHADOWING = {"other_name": "Dr Tom Baker", "offer_kind": "A shadowing day", "url": "/talk-to-someone/requests/5/"}
# An account e-mail as allauth renders it (apps/accounts/adapters.py): no HTML template, so the text is laid out.
ACCOUNT = {
    "subject": "[Stepping Up] Reset your password",
    "heading": "Reset your password",
    "text": "Hello from Stepping Up,\n\nTo choose a new password, follow this link:\n\n"
    "http://127.0.0.1:8000/account/password/reset/key/4-abc123/\n\nIf it was not you, ignore this e-mail: "
    "your password stays as it is & <nothing> changes.\n\nStepping Up",
    "html": "",
}
NETWORK_MEETING: dict[str, Any] = {
    "network_name": "North West MD network",
    "starts_at": "2026-12-03T14:00:00+00:00",
    "location": "Manchester Town Hall",
    "url": "/networks/3/",
    "event": {
        "uid": "network-meeting-9@stepping-up",
        "start": "2026-12-03T14:00:00+00:00",
        "end": "2026-12-03T16:00:00+00:00",
        "summary": "North West MD network: meeting",
        "location": "Manchester Town Hall",
    },
}
BILATERAL_MEETING: dict[str, Any] = {
    "other_name": "Dr Tom Baker",
    "starts_at": "2026-12-15T14:00:00+00:00",
    "url": "/bilaterals/meetings/4/",
    "event": {
        "uid": "bilateral-meeting-4@stepping-up",
        "start": "2026-12-15T14:00:00+00:00",
        "end": "2026-12-15T15:00:00+00:00",
        "summary": "Bilateral with Dr Tom Baker",
    },
}
# When the dispatcher builds the e-mails below: weeks before the session they are about.
SENT = datetime(2026, 11, 12, 8, 30, 15, tzinfo=UTC)

CONTEXTS: dict[str, dict[str, Any]] = {
    "session_upcoming_7d": SESSION,
    "session_upcoming_24h": SESSION,
    "set_placed": {
        "set_name": "Midlands aspiring MDs, set 2",
        "programme_name": "Midlands aspiring MDs 2026",
        "when": "Thursday 14:00 to 16:00",
        "facilitator_name": "Dr Ruth Adeyemi",
        "location": "Room 4, Education Centre, Leicester Royal Infirmary",
        "url": "/learning-sets/sets/2/",
        "events": [
            {**SESSION["event"], "uid": "session-7@stepping-up"},
            {
                **SESSION["event"],
                "uid": "session-8@stepping-up",
                "start": "2027-01-07T14:00:00+00:00",
                "end": "2027-01-07T16:00:00+00:00",
            },
        ],
    },
    "session_rescheduled": {**SESSION, "was_starts_at": "2026-11-26T14:00:00+00:00"},
    "session_cancelled": {**SESSION, "event": {**SESSION["event"], "sequence": 1, "status": "CANCELLED"}},
    "set_left": {
        "set_name": "Midlands aspiring MDs, set 2",
        "url": "/learning-sets/",
        "events": [{**SESSION["event"], "sequence": 1}],
    },
    "attendance_not_recorded": {
        "set_name": "Midlands aspiring MDs, set 2",
        "session_on": "2026-12-03",
        "url": "/learning-sets/sessions/7/",
    },
    "goal_due_14d": GOAL,
    "goal_overdue": GOAL,
    "plan_quarterly_review": {"plan_title": "My plan for 2026 to 2027", "url": "/plans/1/"},
    "mentoring_proposal_waiting": MENTORING,
    "mentoring_proposal_for_mentor": MENTORING,
    "mentoring_proposal_made": MENTORING,
    "mentoring_match_confirmed": {**MENTORING, "url": "/mentoring/relationships/4/"},
    "mentoring_proposal_passed": {**MENTORING, "what_happened": "could not take you on", "next_name": "Dr Ada Lee"},
    "mentoring_meeting_follow_up": {**MENTORING, "met_on": "2026-11-20"},
    "mentoring_no_meeting_90d": {**MENTORING, "last_met_on": "2026-08-20"},
    "rater_invitation": RATER,
    "rater_nudge": RATER,
    "self_assessment_due": {
        "framework_name": "NHS leadership competency framework for board members",
        "due_on": "2027-05-14",
        "repeat_every_months": 12,
        "url": "/assessments/new/",
    },
    "account_email": ACCOUNT,
    "data_export_ready": {"expires_at": "2026-12-14T10:00:00+00:00", "url": "/your-data/"},
    "shadowing_request_received": {**SHADOWING, "reply_by": "2026-12-21"},
    "shadowing_request_accepted": {**SHADOWING, "agreed_on": "2027-01-12", "message": "Come at 8 & bring <notes>"},
    "shadowing_request_declined": {**SHADOWING, "message": "Ask our deputy instead"},
    "shadowing_request_expired": {**SHADOWING, "url": "/talk-to-someone/"},
    "shadowing_request_withdrawn": {**SHADOWING, "was_accepted": "yes", "url": "/talk-to-someone/your-offers/"},
    "shadowing_offerer_left": {**SHADOWING, "agreed_on": "2027-01-12", "url": "/talk-to-someone/"},
    "shadowing_day_before": {**SHADOWING, "agreed_on": "2027-01-12"},
    "shadowing_how_did_it_go": {
        **SHADOWING,
        "agreed_on": "2027-01-12",
        "url": "/talk-to-someone/requests/5/reflection/",
    },
    "succession_lead_view": {"organisation": "Riverside NHS Foundation Trust", "url": "/succession/"},
    "succession_post_removed": {
        "post_title": "Clinical director (2 of 4)",
        "organisation": "Riverside NHS Foundation Trust",
        "level": "Clinical director",
        "url": "/succession/",
    },
    "succession_readiness_review": {
        "organisation": "Riverside NHS Foundation Trust",
        "readiness": "Ready in 1 to 2 years",
        "url": "/succession/",
    },
    "pathway_checkin_due": {"months": 3, "due_on": "2027-02-02", "url": "/first-year/check-ins/3/"},
    "pathway_invited": {"cohort": "New MDs 2026/27", "url": "/first-year/"},
    "succession_vacancy_uncovered": {
        "post_title": "Deputy medical director, quality",
        "organisation": "Riverside NHS Foundation Trust",
        "expected_vacancy": "2027-03-31",
        "url": "/succession/pipeline/",
    },
    "talent_conversation_due": {
        "other_name": "Dr Tom Baker",
        "organisation": "Riverside NHS Foundation Trust",
        "meet_again_on": "2027-01-12",
        "url": "/succession/conversations/5/",
    },
    "talent_conversation_recorded": {
        "lead_name": "Dr Tom Baker",
        "organisation": "Riverside NHS Foundation Trust",
        "held_on": "2026-12-04",
        "url": "/succession/conversations/5/",
    },
    "network_meeting_invitation": NETWORK_MEETING,
    "network_meeting_upcoming": NETWORK_MEETING,
    "network_meeting_moved": {**NETWORK_MEETING, "was_starts_at": "2026-11-26T14:00:00+00:00"},
    "network_meeting_cancelled": {
        **NETWORK_MEETING,
        "event": {**NETWORK_MEETING["event"], "sequence": 1, "status": "CANCELLED"},
    },
    "network_joined": {"network_name": "North West MD network", "url": "/networks/3/"},
    "bilateral_proposed": {"other_name": "Dr Tom Baker", "cadence": "Every month", "url": "/bilaterals/4/"},
    "bilateral_answered": {"other_name": "Dr Tom Baker", "agreed": True, "url": "/bilaterals/4/"},
    "bilateral_meeting_booked": BILATERAL_MEETING,
    "bilateral_meeting_moved": {**BILATERAL_MEETING, "was_starts_at": "2026-12-08T14:00:00+00:00"},
    "bilateral_meeting_cancelled": {
        **BILATERAL_MEETING,
        "event": {**BILATERAL_MEETING["event"], "status": "CANCELLED"},
    },
    "bilateral_meeting_tomorrow": BILATERAL_MEETING,
    "bilateral_due": {"other_name": "Dr Tom Baker", "due_on": "2027-01-15", "url": "/bilaterals/4/"},
    "bilateral_ended": {"other_name": "Dr Tom Baker", "url": "/bilaterals/4/"},
    "buddy_paired": {
        "buddy_name": "Dr Tom Baker",
        "buddy_organisation": "Riverside NHS Foundation Trust",
        "cohort": "New MDs, winter 2026",
        "why": "Same leadership level, different organisations; Same sector (Mental health)",
        "url": "/buddies/",
    },
    "buddy_left_out": {
        "cohort": "New MDs, winter 2026",
        "reason": "An odd number of people at this leadership level could be paired, so one had to be left over.",
        "url": "/buddies/",
    },
    "buddy_left": {"buddy_name": "Dr Tom Baker", "cohort": "New MDs, winter 2026", "url": "/buddies/"},
}
# What each subject must say, so a subject is specific rather than merely present.
SUBJECT_MENTIONS = {
    "session_upcoming_7d": "Thursday 3 December at 2pm",
    "session_upcoming_24h": "Thursday 3 December at 2pm",
    "set_placed": "Midlands aspiring MDs, set 2",
    "session_rescheduled": "moved to Thursday 3 December at 2pm",
    "session_cancelled": "Thursday 3 December at 2pm is cancelled",
    "set_left": "no longer in Midlands aspiring MDs, set 2",
    "attendance_not_recorded": "3 December",
    "goal_due_14d": "“Chair a board sub-committee” is due on 3 December",
    "goal_overdue": "“Chair a board sub-committee” was due on 3 December",
    "plan_quarterly_review": "My plan for 2026 to 2027",
    "mentoring_proposal_waiting": "Dr Tom Baker",
    "mentoring_proposal_for_mentor": "Will you mentor Dr Tom Baker?",
    "mentoring_proposal_made": "A mentor is proposed for you: Dr Tom Baker",
    "mentoring_match_confirmed": "You and Dr Tom Baker are working together",
    "mentoring_proposal_passed": "Dr Tom Baker could not take you on",
    "mentoring_meeting_follow_up": "Dr Tom Baker",
    "mentoring_no_meeting_90d": "since 20 August",
    "rater_invitation": "Dr Priya Shah",
    "rater_nudge": "14 December",
    "self_assessment_due": "Your yearly self-assessment is due next month: NHS leadership competency framework",
    "data_export_ready": "until 14 December",
    "shadowing_request_received": "Dr Tom Baker asks for a shadowing day with you",
    "shadowing_request_accepted": "Dr Tom Baker said yes to your request",
    "shadowing_request_declined": "Dr Tom Baker cannot take your request",
    "shadowing_request_expired": "Your request to Dr Tom Baker was not answered",
    "shadowing_request_withdrawn": "Dr Tom Baker withdrew their request",
    "shadowing_offerer_left": "A shadowing day with Dr Tom Baker will not happen",
    "shadowing_day_before": "A shadowing day with Dr Tom Baker is tomorrow",
    "shadowing_how_did_it_go": "How did it go with Dr Tom Baker?",
    "succession_lead_view": "A lead at Riverside NHS Foundation Trust added their view of your readiness",
    "succession_post_removed": "Clinical director (2 of 4) at Riverside NHS Foundation Trust was removed",
    "succession_readiness_review": "Is your readiness at Riverside NHS Foundation Trust still right?",
    "pathway_checkin_due": "Your 3-month check-in is due",
    "pathway_invited": "You are invited to join New MDs 2026/27",
    "succession_vacancy_uncovered": "Deputy medical director, quality falls vacant soon with no one ready",
    "talent_conversation_due": "Time to meet again with Dr Tom Baker for a talent conversation",
    "talent_conversation_recorded": "Dr Tom Baker recorded your talent conversation",
    "network_meeting_invitation": "A meeting of North West MD network on Thursday 3 December at 2pm",
    "network_meeting_upcoming": "North West MD network meets on Thursday 3 December at 2pm",
    "network_meeting_moved": "has moved to Thursday 3 December at 2pm",
    "network_meeting_cancelled": "North West MD network on Thursday 3 December at 2pm is cancelled",
    "network_joined": "You are now a member of North West MD network",
    "bilateral_proposed": "Dr Tom Baker proposes a bilateral",
    "bilateral_answered": "Dr Tom Baker agreed to your bilateral",
    "bilateral_meeting_booked": "Bilateral with Dr Tom Baker on Tuesday 15 December at 2pm",
    "bilateral_meeting_moved": "Your bilateral with Dr Tom Baker has moved",
    "bilateral_meeting_cancelled": "Your bilateral on Tuesday 15 December at 2pm is cancelled",
    "bilateral_meeting_tomorrow": "Your bilateral with Dr Tom Baker is tomorrow",
    "bilateral_due": "Time to book your bilateral with Dr Tom Baker",
    "bilateral_ended": "Dr Tom Baker has ended your bilateral",
    "buddy_paired": "Your buddy: Dr Tom Baker",
    "buddy_left_out": "No buddy for you in New MDs, winter 2026",
    "buddy_left": "Dr Tom Baker has left the buddy scheme",
}


def reminder(code: str, **context: Any) -> Reminder:
    member = KINDS[code].audience == Audience.MEMBER
    return Reminder(
        pk=1,
        kind=code,
        recipient_id=42 if member else None,
        email="" if member else "a@example.org",
        dedupe_key=f"test:{code}",
        context={**CONTEXTS[code], **context},
    )


def test_every_kind_has_a_realistic_context() -> None:
    assert set(CONTEXTS) == set(KINDS)
    for code, kind in KINDS.items():
        assert set(kind.context_keys) <= set(CONTEXTS[code]), code


@pytest.mark.parametrize("code", [code for code, kind in KINDS.items() if kind.can_unsubscribe])
def test_every_kind_renders(code: str) -> None:
    subject, text, html = render_reminder(reminder(code), address="a@example.org", name="Amara")

    assert subject and "\n" not in subject and len(subject) < 90
    assert subject == subject.strip()
    assert SUBJECT_MENTIONS[code] in subject
    assert "{{" not in subject and "{%" not in subject

    url = "http://127.0.0.1:8000" + CONTEXTS[code]["url"]
    assert url in text
    assert "/notifications/unsubscribe/" in text
    assert "Stop these e-mails" in text
    assert "{{" not in text and "{%" not in text
    assert "&lt;" not in text and "&quot;" not in text and "&#x27;" not in text  # plain text is not escaped

    assert 'lang="en-GB"' in html
    assert "<title>" in html and "#005eb8" in html
    assert f'href="{url}"' in html
    assert "/notifications/unsubscribe/" in html and "Stop these e-mails" in html
    assert "{{" not in html and "{%" not in html
    assert "<style" not in html  # inline styles only: many e-mail clients drop <style>

    member = KINDS[code].audience == Audience.MEMBER
    assert ("Choose which e-mails you get" in html) == member
    assert ("Choose which e-mails you get" in text) == member
    assert ("Amara" in text) == member  # raters have no account: the e-mail does not guess a name


def test_an_account_email_is_allauths_text_with_no_way_to_stop_it() -> None:
    message = build_message(reminder("account_email"), address="a@example.org", name="", now=SENT)
    html = str(message.alternatives[0].content)

    assert message.subject == "[Stepping Up] Reset your password"  # allauth's, not prefixed again
    assert message.body == ACCOUNT["text"] + "\n"
    assert "List-Unsubscribe" not in message.extra_headers and "Message-ID" in message.extra_headers
    assert 'lang="en-GB"' in html and "<title>Reset your password</title>" in html
    assert ">Reset your password</h1>" in html and "[Stepping Up]" not in html
    assert '<a href="http://127.0.0.1:8000/account/password/reset/key/4-abc123/"' in html
    assert "&amp; &lt;nothing&gt; changes" in html  # the text is escaped in HTML, kept as written in text
    assert "Hello from Stepping Up," in html
    assert "/notifications/" not in html and "Stop these e-mails" not in html and "{{" not in html


def test_an_account_email_with_allauths_own_html_sends_that_html() -> None:
    own = "<html><body><p>Reset it <a href='https://example.org/k/'>here</a></p></body></html>"
    message = build_message(reminder("account_email", html=own), address="a@example.org", name="", now=SENT)
    assert str(message.alternatives[0].content).strip() == own


def test_unsubscribe_link_is_the_recipients_own() -> None:
    _, text, html = render_reminder(reminder("goal_due_14d"), address="a@example.org", name="Amara")
    link = next(line for line in text.splitlines() if "/notifications/unsubscribe/" in line).strip()
    assert link.startswith("http://127.0.0.1:8000/notifications/unsubscribe/")
    assert f'href="{link}"' in html


def test_session_reminders_say_when_where_and_mention_the_invitation() -> None:
    _, text, html = render_reminder(reminder("session_upcoming_7d"), address="a@example.org", name="Amara")
    for body in (text, html):
        assert "Thursday 3 December 2026 at 2pm" in body
        assert "Leicester Royal Infirmary" in body
        assert "calendar invitation" in body
        assert "Midlands aspiring MDs, set 2" in body


def test_a_session_with_no_location_leaves_out_where() -> None:
    _, text, html = render_reminder(reminder("session_upcoming_24h", location=""), address="a@example.org", name="")
    assert "Where:" not in text and "Where:" not in html
    assert text.startswith("Hello,")


def test_a_set_placement_lists_every_session_and_the_slot() -> None:
    _, text, html = render_reminder(reminder("set_placed"), address="a@example.org", name="Amara")
    for body in (text, html):
        assert "Thursday 3 December 2026 at 2pm" in body and "Thursday 7 January 2027 at 2pm" in body
        assert "Thursday 14:00 to 16:00" in body and "Dr Ruth Adeyemi" in body
        assert "calendar file" in body


def test_a_moved_session_says_when_it_was_and_when_it_is() -> None:
    _, text, html = render_reminder(reminder("session_rescheduled"), address="a@example.org", name="Amara")
    for body in (text, html):
        assert "Thursday 26 November 2026 at 2pm" in body
        assert "Thursday 3 December 2026 at 2pm" in body
        assert "new calendar invitation" in body


def test_a_set_placement_attaches_one_calendar_file_with_every_session() -> None:
    message = build_message(reminder("set_placed"), address="a@example.org", name="Amara", now=SENT)
    (attachment,) = [a for a in message.attachments if a[0] == "sessions.ics"]
    calendar = Calendar.from_ical(attachment[1])
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["session-7@stepping-up", "session-8@stepping-up"]
    assert events[1].decoded("DTSTART") == datetime(2027, 1, 7, 14, tzinfo=UTC)
    assert "invitation.ics" not in [a[0] for a in message.attachments]


def test_event_times_are_written_in_utc_so_every_calendar_reads_them() -> None:
    """A fixed offset ("+01:00") would otherwise come out as TZID=UTC+01:00, a zone no VTIMEZONE defines."""
    ics = event_ics(
        {**SESSION["event"], "start": "2026-06-04T14:00:00+01:00", "end": "2026-06-04T16:00:00+01:00", "sequence": 3},
        now=SENT,
    )
    assert "DTSTART:20260604T130000Z" in ics and "DTEND:20260604T150000Z" in ics
    assert "SEQUENCE:3" in ics and "TZID" not in ics


def test_rater_invitation_explains_anonymity_time_and_privacy() -> None:
    _, text, html = render_reminder(reminder("rater_invitation"), address="a@example.org", name="")
    for body in (text, html):
        assert "about 15 minutes" in body
        assert "anonymous" in body
        assert "Monday 14 December 2026" in body
        assert "Do not forward" in body


def test_the_yearly_self_assessment_reminder_says_when_it_is_due_and_why() -> None:
    _, text, html = render_reminder(reminder("self_assessment_due"), address="a@example.org", name="Amara")
    for body in (text, html):
        assert "is due by Friday 14 May 2027" in body
        assert "every year" in body
        assert "360 feedback" in body
    assert "Start your self-assessment" in html


def test_a_self_assessment_repeated_at_another_interval_is_not_called_yearly() -> None:
    subject, text, _ = render_reminder(
        reminder("self_assessment_due", repeat_every_months=6), address="a@example.org", name="Amara"
    )
    assert subject.startswith("Your next self-assessment is due next month")
    assert "yearly" not in text and "every year" not in text


def test_overdue_goal_suggests_done_dropped_or_a_new_date() -> None:
    _, text, _ = render_reminder(reminder("goal_overdue"), address="a@example.org", name="Amara")
    assert "mark it as done" in text and "mark it as dropped" in text and "change the date" in text


def test_html_special_characters_are_escaped_in_html_and_kept_in_text() -> None:
    hostile = "<script>alert(1)</script> & “quotes”"
    subject, text, html = render_reminder(
        reminder("goal_due_14d", goal_title=hostile), address="a@example.org", name="<b>Amara</b>"
    )
    assert "<script>" not in html and "<b>Amara" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert "&lt;b&gt;Amara&lt;/b&gt;" in html
    assert hostile in text and "<script>" in subject  # plain text and subject stay as typed


def test_a_title_with_line_breaks_keeps_the_subject_on_one_line() -> None:
    subject, text, _ = render_reminder(
        reminder("goal_overdue", goal_title="Lead\nthe   rota\r\nreview"), address="a@example.org", name="Amara"
    )
    assert subject == "Your goal “Lead the rota review” was due on 3 December"
    assert text.startswith("Hello Amara,")


def test_a_long_title_is_shortened_in_the_subject_only() -> None:
    title = "Build a coalition of clinical and operational leaders to redesign the frailty pathway"
    subject, text, _ = render_reminder(reminder("goal_due_14d", goal_title=title), address="a@example.org", name="")
    assert len(subject) < 90 and "…" in subject
    assert title in text


def test_digest_lists_each_reminder_with_its_link() -> None:
    reminders = [reminder("goal_due_14d"), reminder("plan_quarterly_review")]
    reminders[1].pk = 2
    message = build_digest(reminders=reminders, address="a@example.org", name="Amara", user_id=42)
    html = message.alternatives[0].content
    text = message.body

    assert message.subject.endswith("Your daily summary: 2 reminders")
    assert text.startswith("Hello Amara,")
    for body in (text, html):
        assert "Reminder: your goal “Chair a board sub-committee” is due on 3 December" in body
        assert "http://127.0.0.1:8000/plans/goals/1/" in body
        assert "http://127.0.0.1:8000/plans/1/" in body
        assert "http://127.0.0.1:8000/notifications/" in body
        assert "http://127.0.0.1:8000/notifications/choices/" in body
    assert "You have 2 reminders" in text
    assert 'lang="en-GB"' in html and "{{" not in html and "{%" not in html
    assert "<title>Your daily summary from Stepping Up</title>" in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-03T14:00:00+00:00", "Thursday 3 December 2026 at 2pm"),  # GMT: UTC is UK time
        ("2026-06-04T13:00:00+00:00", "Thursday 4 June 2026 at 2pm"),  # BST: an hour ahead of UTC
        ("2026-06-04T13:30:00Z", "Thursday 4 June 2026 at 2:30pm"),
        ("2026-12-03T12:00:00+00:00", "Thursday 3 December 2026 at midday"),
        ("2026-06-04T11:00:00+00:00", "Thursday 4 June 2026 at midday"),
        ("2026-12-03T00:00:00+00:00", "Thursday 3 December 2026 at midnight"),
        ("2026-12-03T09:05:00+00:00", "Thursday 3 December 2026 at 9:05am"),
        ("2026-12-03T12:45:00+00:00", "Thursday 3 December 2026 at 12:45pm"),
        ("2026-12-03T00:15:00+00:00", "Thursday 3 December 2026 at 12:15am"),
        ("2026-06-04T23:30:00+00:00", "Friday 5 June 2026 at 12:30am"),  # already the next day in the UK
        ("2026-12-03T14:00:00", "Thursday 3 December 2026 at 2pm"),  # no offset: taken as UK time
        ("2026-03-29T01:30:00+00:00", "Sunday 29 March 2026 at 2:30am"),  # just after the clocks go forward
        ("2026-12-03", "Thursday 3 December 2026"),  # a date alone has no time to show
    ],
)
def test_london_datetime(value: str, expected: str) -> None:
    assert london_datetime(value) == expected


def test_london_datetime_styles() -> None:
    assert london_datetime("2026-06-04T13:00:00+00:00", "day") == "Thursday 4 June at 2pm"
    assert london_datetime("2026-06-04T13:00:00+00:00", "time") == "2pm"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-03", "Thursday 3 December 2026"),
        ("2026-06-04T23:30:00+00:00", "Friday 5 June 2026"),  # 12:30am on the 5th in the UK
        ("2026-12-03T23:30:00+00:00", "Thursday 3 December 2026"),  # GMT: still the 3rd
    ],
)
def test_london_date(value: str, expected: str) -> None:
    assert london_date(value) == expected


def test_london_date_styles() -> None:
    assert london_date("2026-12-03", "day") == "Thursday 3 December"
    assert london_date("2026-12-03", "short") == "3 December"


@pytest.mark.parametrize("value", ["", "soon", "2026-13-45", "2026-12-03T25:00", None, 17])
def test_invalid_input_comes_back_unchanged(value: object) -> None:
    assert london_datetime(value) == value
    assert london_date(value) == value


def test_filters_in_a_template_escape_what_they_cannot_read() -> None:
    template = Template("{% load notification_format %}{{ when|london_datetime }} / {{ bad|london_date }}")
    rendered = template.render(Context({"when": "2026-12-03T14:30:00+00:00", "bad": "<b>soon</b>"}))
    assert rendered == "Thursday 3 December 2026 at 2:30pm / &lt;b&gt;soon&lt;/b&gt;"
