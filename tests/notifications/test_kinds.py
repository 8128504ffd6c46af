"""The registry of reminder kinds: notifications declares only its own, each feature registers the rest."""

from dataclasses import replace

import pytest

from apps.assessments.reminders import REMINDER_KINDS as FEEDBACK_KINDS
from apps.bilaterals.reminders import REMINDER_KINDS as BILATERAL_KINDS
from apps.buddies.reminders import REMINDER_KINDS as BUDDY_KINDS
from apps.development.reminders import REMINDER_KINDS as PLAN_KINDS
from apps.exports.reminders import REMINDER_KINDS as EXPORT_KINDS
from apps.learning_sets.reminders import REMINDER_KINDS as SET_KINDS
from apps.mentoring.reminders import REMINDER_KINDS as MENTORING_KINDS
from apps.networks.reminders import REMINDER_KINDS as NETWORK_KINDS
from apps.notifications.kinds import (
    ACCOUNT_EMAIL,
    KINDS,
    KindAlreadyRegistered,
    kind_choices,
    member_kinds,
    register,
)
from apps.notifications.models import Reminder
from apps.pathways.reminders import REMINDER_KINDS as PATHWAY_KINDS
from apps.shadowing.reminders import REMINDER_KINDS as SHADOWING_KINDS
from apps.succession.reminders import REMINDER_KINDS as SUCCESSION_KINDS


def test_every_kind_is_notifications_own_or_registered_by_its_feature() -> None:
    features = [*SET_KINDS, *PLAN_KINDS, *MENTORING_KINDS, *FEEDBACK_KINDS, *EXPORT_KINDS, *SHADOWING_KINDS]
    features += SUCCESSION_KINDS
    features += BILATERAL_KINDS
    features += PATHWAY_KINDS
    features += BUDDY_KINDS
    features += NETWORK_KINDS
    assert sorted(KINDS) == sorted([ACCOUNT_EMAIL, *(kind.code for kind in features)])
    assert all(KINDS[kind.code] is kind for kind in features)


def test_a_code_taken_by_another_kind_is_refused_and_nothing_is_added() -> None:
    taken = KINDS["goal_overdue"]
    before = dict(KINDS)
    with pytest.raises(KindAlreadyRegistered, match="“goal_overdue” is registered twice"):
        register(replace(taken, code="goal_overdue_elsewhere"), replace(taken, label="Another meaning"))
    assert dict(KINDS) == before


def test_registering_the_same_kind_again_changes_nothing() -> None:
    # Django may run an AppConfig's ready() twice when a test reloads the apps.
    before = list(KINDS.items())
    register(*PLAN_KINDS)
    assert list(KINDS.items()) == before


def test_the_preferences_page_lists_kinds_grouped_as_before() -> None:
    # Groups by name, each group's kinds in the order its feature declares them: the page as it was when
    # notifications listed every kind itself.
    assert [kind.code for kind in member_kinds()] == [
        "session_upcoming_7d",
        "session_upcoming_24h",
        "set_placed",
        "session_rescheduled",
        "session_cancelled",
        "set_left",
        "attendance_not_recorded",
        "bilateral_proposed",
        "bilateral_answered",
        "bilateral_meeting_booked",
        "bilateral_meeting_moved",
        "bilateral_meeting_cancelled",
        "bilateral_meeting_tomorrow",
        "bilateral_due",
        "bilateral_ended",
        "buddy_paired",
        "buddy_left_out",
        "buddy_left",
        "goal_due_14d",
        "goal_overdue",
        "plan_quarterly_review",
        "pathway_checkin_due",
        "pathway_invited",
        "mentoring_proposal_waiting",
        "mentoring_proposal_for_mentor",
        "mentoring_proposal_made",
        "mentoring_match_confirmed",
        "mentoring_proposal_passed",
        "mentoring_meeting_follow_up",
        "mentoring_no_meeting_90d",
        "network_meeting_invitation",
        "network_meeting_upcoming",
        "network_meeting_moved",
        "network_meeting_cancelled",
        "network_joined",
        "self_assessment_due",
        "succession_vacancy_uncovered",
        "talent_conversation_due",
        "talent_conversation_recorded",
        "succession_lead_view",
        "succession_post_removed",
        "succession_readiness_review",
        "shadowing_request_received",
        "shadowing_request_accepted",
        "shadowing_request_declined",
        "shadowing_request_expired",
        "shadowing_request_withdrawn",
        "shadowing_offerer_left",
        "shadowing_day_before",
        "shadowing_how_did_it_go",
        "data_export_ready",
    ]


def test_a_reminders_kind_choices_are_the_registered_kinds() -> None:
    field = Reminder._meta.get_field("kind")
    assert list(field.choices or []) == kind_choices()
    assert {code for code, _ in kind_choices()} == set(KINDS)
    assert Reminder(kind="set_left").get_kind_display() == "You are no longer in a learning set"
