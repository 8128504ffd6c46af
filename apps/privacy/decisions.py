"""What happens to each thing that points at a person when their account is closed: the table of
docs/ARCHITECTURE.md ("Your data: closing an account and retention") as data.

The database carries out the table: every relation to the User model has the `on_delete` its outcome names
(`tests/privacy/test_decisions.py` checks each one, and that no relation anywhere is missing or PROTECTs), so
deleting the user row erases and keeps exactly this, whoever deletes it. `services.account_close` does what a key
alone cannot first (closing a pair, passing a waiting proposal on, erasing a comment that stays behind), and the
close-account pages list the same entries in the person's words.

No Django imports: plain data, read by the service, the pages and the test.
"""

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    # The row goes with the account (on_delete=CASCADE; for a many-to-many list, the person leaves the list).
    ERASED = "erased"
    # The row stays for the others who rely on it, the key to the person emptied (on_delete=SET_NULL): pages show
    # "a former member" where the name was.
    KEPT_WITHOUT_THEM = "kept without them"
    # An audit record: it stays, the key emptied, and the name it was written with stays as text, because a log
    # that the person it records could blank by leaving would protect nobody.
    KEPT_WITH_NAME = "kept, name as written"


@dataclass(frozen=True)
class Decision:
    relations: tuple[str, ...]  # "app_label.Model.field", each a relation to the User model
    outcome: Outcome
    what: str  # in the person's words, as the close-account page lists it
    why: str


DECISIONS: tuple[Decision, ...] = (
    # --- Erased: theirs alone ----------------------------------------------------------------------------------
    Decision(
        ("profiles.Profile.user", "profiles.DiversityInformation.user"),
        Outcome.ERASED,
        "Your profile and your diversity answers",
        "Only about you; nobody else relies on them.",
    ),
    Decision(
        ("assessments.Assessment.owner",),
        Outcome.ERASED,
        "Your self-assessments: ratings, answers, notes, evidence and uploaded documents, and your 360 feedback "
        "rounds with the answers and the addresses of the people you asked",
        "Yours alone; the 360 answers were given about you and for you. Uploaded files are deleted too.",
    ),
    Decision(
        ("development.Plan.owner",),
        Outcome.ERASED,
        "Your development plans: goals, activities, evidence and uploaded documents, reflections",
        "Yours alone.",
    ),
    Decision(
        ("careers.RoleHistoryEntry.owner", "careers.RoutesConsent.owner", "careers.RightTimeReflection.owner"),
        Outcome.ERASED,
        "Your role history, your choice to count it in the anonymous routes, and your answers to “Is now the right "
        "time?”",
        "Yours alone. The routes pages only ever showed counts of 5 or more, so nothing there is yours to erase.",
    ),
    Decision(
        ("assessments.AssessmentShare.viewer", "development.PlanShare.viewer"),
        Outcome.ERASED,
        "Other people's self-assessments and plans shared with you: you can no longer see them",
        "A permission given to you means nothing without you; their owner's log still shows when you looked.",
    ),
    Decision(
        ("mentoring.MentorOffer.mentor",),
        Outcome.ERASED,
        "Your offer to mentor or coach",
        "Yours.",
    ),
    Decision(
        ("mentoring.MentoringRequest.mentee",),
        Outcome.ERASED,
        "Your requests for a mentor or coach (what you wanted help with, your line manager, people to avoid), with "
        "the proposals made for them",
        "Your own wishes. A proposal still waiting is declined first, so the mentor's reminders stop.",
    ),
    Decision(
        ("mentoring.Proposal.mentor",),
        Outcome.ERASED,
        "Proposals of you as someone's mentor or coach",
        "A proposal still waiting is declined first: the mentee is told and passed to the next best mentor, as "
        "when a mentor says no. Answered ones go with you; the pair they started stays.",
    ),
    Decision(
        ("mentoring.Meeting.recorded_by",),
        Outcome.ERASED,
        "Meetings you logged in a mentoring pair's meeting log",
        "The words are yours. The meetings the other person logged stay with them.",
    ),
    Decision(
        ("shadowing.ShadowingOffer.person", "shadowing.ShadowingRequest.offerer"),
        Outcome.ERASED,
        "Your offers of a conversation, a shadowing day or a role-share, with the requests people made for them",
        "Yours. Anyone still waiting for your answer is told no first, and reminders of dates you agreed stop; "
        "the people who asked keep any reflection they wrote.",
    ),
    Decision(
        ("shadowing.ShadowingRequest.requester", "shadowing.ShadowingReflection.author"),
        Outcome.ERASED,
        "Your requests to talk to or shadow someone in a role, and your reflections afterwards",
        "Yours alone. Each request still waiting or agreed is withdrawn first, and the person you asked is told.",
    ),
    Decision(
        ("succession.Candidacy.person", "succession.TalentConversation.person"),
        Outcome.ERASED,
        "Where you put yourself forward for a post or a level, with your readiness and the leads' view of it, and "
        "your talent conversations",
        "Yours: the leads stop seeing you at once, as when you withdraw.",
    ),
    Decision(
        ("bilaterals.Bilateral.proposer", "bilaterals.Bilateral.partner", "bilaterals.BilateralNote.author"),
        Outcome.ERASED,
        "Your bilaterals with other medical directors: their meetings, your weekly times and the shared log",
        "A bilateral is the two people's alone and means nothing with one of them gone, so it goes whole, the other "
        "person's notes in its log too (they can keep their own copy before). It is ended first "
        "(`bilaterals_leave`): the other is told, their reminders stop and meetings to come leave their calendar.",
    ),
    Decision(
        ("pathways.Enrolment.person", "pathways.Invitation.person"),
        Outcome.ERASED,
        "Your first-year pathway (checklist ticks, the scope and objectives you recorded, your check-ins) and "
        "invitations to join a cohort",
        "Yours alone: the cohort's organisers only ever saw counts, which no longer include you.",
    ),
    Decision(
        ("buddies.CohortMember.user", "buddies.BuddyPair.first", "buddies.BuddyPair.second"),
        Outcome.ERASED,
        "Your places in buddy cohorts and your buddy pairs, with what pairing read from your profile",
        "A pair is the two people's and means nothing with one of them gone, so it goes; your buddy keeps their "
        "place in the cohort and can be paired again.",
    ),
    Decision(
        ("pathways.Cohort.organisers",),
        Outcome.ERASED,
        "Your name in the list of a first-year pathway cohort's organisers",
        "The cohort goes on with its other organisers.",
    ),
    Decision(
        (
            "learning_sets.Application.person",
            "learning_sets.Membership.member",
            "learning_sets.ProgrammeInvitation.person",
        ),
        Outcome.ERASED,
        "Your applications to learning set programmes (availability, hopes), your invitations to programmes and your "
        "place in a set",
        "Yours; the set goes on without you, and its other members see you no longer in it.",
    ),
    Decision(
        ("learning_sets.Apology.member", "learning_sets.Reflection.author", "learning_sets.CalendarFeed.person"),
        Outcome.ERASED,
        "Your apologies for sessions, your private reflections and your calendar link",
        "Yours alone; the calendar link stops working at once.",
    ),
    Decision(
        ("notifications.Reminder.recipient", "notifications.NotificationPreference.user"),
        Outcome.ERASED,
        "Your reminders and notifications, sent or waiting, and your choices about them",
        "Addressed to you. E-mails about your account waiting to go to your addresses are deleted too.",
    ),
    Decision(
        ("audit.AccessEvent.owner", "audit.ChangeEvent.subject"),
        Outcome.ERASED,
        "The log of who has seen your records and of changes others made that involved you",
        "It exists for you to read.",
    ),
    Decision(
        ("accounts.RoleGrant.user",),
        Outcome.ERASED,
        "Your roles (mentor, facilitator, organiser, administrator) and their history",
        "About you.",
    ),
    Decision(
        ("mentoring.Scheme.organisers", "learning_sets.Programme.organisers", "learning_sets.Programme.facilitators"),
        Outcome.ERASED,
        "Your name in the lists of a mentoring scheme's organisers or a programme's organisers and facilitators",
        "The scheme or programme stays with the others named; you leave the list.",
    ),
    Decision(
        (
            "account.EmailAddress.user",
            "mfa.Authenticator.user",
            "usersessions.UserSession.user",
            "admin.LogEntry.user",
        ),
        Outcome.ERASED,
        "Your e-mail addresses, two-factor authentication and signed-in sessions (you are signed out everywhere), "
        "and for the portal's operators, the admin site's history of what you did there",
        "What the account is made of.",
    ),
    Decision(
        ("exports.DataExport.owner",),
        Outcome.ERASED,
        "Downloads of your data, and their files",
        "Yours; the files are deleted too.",
    ),
    Decision(
        ("networks.NetworkMembership.person", "networks.TopicVote.voter"),
        Outcome.ERASED,
        "Your place in networks and forums (and requests to join one), and your votes on their topics",
        "Yours; the network goes on without you, and your votes no longer count.",
    ),
    # --- Kept without them: others rely on it ------------------------------------------------------------------
    Decision(
        (
            "mentoring.MentoringRelationship.mentor",
            "mentoring.MentoringRelationship.mentee",
            "mentoring.MentoringRelationship.closed_by",
        ),
        Outcome.KEPT_WITHOUT_THEM,
        "Your mentoring pairs: each is closed, and kept for the other person with you shown as “a former member”, "
        "with the agreement and the meetings they logged",
        "The other person's record of their mentoring. A mentee whose mentor leaves can ask to be matched again "
        "(their request opens again). The organisers still count the pair.",
    ),
    Decision(
        ("mentoring.ClosingFeedback.author",),
        Outcome.KEPT_WITHOUT_THEM,
        "Your closing feedback on a pair: your comment is erased; your scores stay, without your name",
        "The scores count in the scheme's report (only in totals, small numbers hidden).",
    ),
    Decision(
        ("mentoring.MatchRound.created_by", "mentoring.RoundPair.mentor"),
        Outcome.KEPT_WITHOUT_THEM,
        "Match rounds you ran as an organiser, and your place as a mentor in a round being reviewed (the mentee is "
        "left unmatched there)",
        "The round is the scheme's, not its organiser's.",
    ),
    Decision(
        ("learning_sets.LearningSet.facilitator", "learning_sets.SetNote.author"),
        Outcome.KEPT_WITHOUT_THEM,
        "Sets you facilitate and the notes you wrote for them: the set keeps them, its facilitator shown as "
        "“a former member”",
        "The notes belong to the set, which goes on.",
    ),
    Decision(
        ("learning_sets.Attendance.member", "learning_sets.Attendance.recorded_by"),
        Outcome.KEPT_WITHOUT_THEM,
        "Whether you came to each session (and attendance you recorded as a facilitator)",
        "The set's attendance record and the organisers' attendance rates stay whole.",
    ),
    Decision(
        (
            "learning_sets.Programme.applications_closed_by",
            "accounts.RoleGrant.granted_by",
            "accounts.RoleGrant.revoked_by",
        ),
        Outcome.KEPT_WITHOUT_THEM,
        "Applications you closed early as an organiser, and roles you granted or removed as an administrator",
        "Part of someone else's programme or role history.",
    ),
    Decision(
        (
            "succession.Post.holder",
            "succession.Candidacy.lead_by",
            "succession.TalentConversation.lead",
            "succession.TalentConversation.updated_by",
        ),
        Outcome.KEPT_WITHOUT_THEM,
        "Leadership posts you are named as holding (they stay, with no holder) and, as an organisation lead, your "
        "view of people's readiness and the talent conversations you held",
        "The posts are the organisation's; a view of readiness and a talent conversation are the other person's "
        "record, kept for them.",
    ),
    Decision(
        ("networks.Network.created_by", "networks.Topic.proposed_by", "networks.MeetingNote.author"),
        Outcome.KEPT_WITHOUT_THEM,
        "Networks you started, topics you proposed for their meetings and notes you wrote on them (shown as by "
        "“a former member”)",
        "They belong to the network's members, who built their agendas and keep their notes together.",
    ),
    Decision(
        ("careers.RoleProfile.edited_by",),
        Outcome.KEPT_WITHOUT_THEM,
        "Versions of the career explorer's role profiles you edited as an administrator",
        "The profiles are the portal's reference pages, read by everyone; the change log keeps who made each edit.",
    ),
    Decision(
        ("pathways.Invitation.invited_by",),
        Outcome.KEPT_WITHOUT_THEM,
        "Invitations you sent as an organiser to join a first-year pathway cohort",
        "The invitation is the invited person's to accept or decline.",
    ),
    Decision(
        ("buddies.Cohort.created_by", "buddies.CohortMember.added_by"),
        Outcome.KEPT_WITHOUT_THEM,
        "Buddy cohorts you opened as an organiser, and people you added to them",
        "The cohort belongs to its members, who keep their places and their buddies.",
    ),
    Decision(
        ("audit.AccessEvent.viewer", "audit.ChangeEvent.actor"),
        Outcome.KEPT_WITH_NAME,
        "Your views of records others shared with you, and changes you made to other people's pairs, sets and "
        "sessions: they stay in those people's logs under the name you had",
        "An audit log protects the person it is about; someone who could blank their trace by leaving would make "
        "it worthless. It goes when that person's own account does.",
    ),
)


def decision_for(relation: str) -> Decision | None:
    return next((d for d in DECISIONS if relation in d.relations), None)


def by_outcome(outcome: Outcome) -> list[Decision]:
    return [d for d in DECISIONS if d.outcome == outcome]
