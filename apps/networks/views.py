"""Pages of standing networks and forums. Thin: every lookup goes through a selector filtered to the person (a
member's network, meeting, topic or note; an organiser's network or meeting), so anyone else gets a 404 and learns
nothing; each form is checked, one service called, its refusal shown on the form (400) or in a banner, and the
person sent back to the page they came from. A network's name, description and who may join are the only things a
non-member sees."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import Role
from apps.accounts.permissions import role_required
from apps.accounts.selectors import user_has_role
from apps.learning_sets.forms_programmes import NEW_PROGRAMME_INITIAL, ProgrammeForm

from .events import meeting_ics
from .forms import AgendaForm, MeetingForm, NetworkForm, NoteForm, TopicForm
from .models import MeetingNote, MembershipStatus, Network, NetworkMeeting, Topic
from .selectors import (
    joins_at_once,
    meeting_for_member,
    meeting_for_organiser,
    meetings_of,
    member_count,
    member_network,
    members_of,
    membership_of,
    network_public,
    networks_of,
    networks_to_join,
    next_meeting_of,
    note_by_author,
    notes_for,
    organised_network,
    programmes_of,
    programmes_opened_by,
    topic_for_member,
    topics_for,
)
from .services import NetworkError
from .services.meetings import agenda_set, meeting_cancel, meeting_move, meeting_schedule
from .services.membership import (
    membership_approve,
    membership_remove,
    network_create,
    network_join,
    network_leave,
    organiser_add,
)
from .services.notes import note_add, note_delete, note_edit
from .services.programmes import network_programme_open
from .services.topics import topic_propose, topic_unvote, topic_vote

ORGANISERS_ONLY = "Only organisers can start a network. An administrator grants the role."
organiser_only = role_required(Role.ORGANISER, message=ORGANISERS_ONLY)


def _member_network(request: AuthenticatedRequest, network_id: int) -> Network:
    network = member_network(user=request.user, network_id=network_id)
    if network is None:
        raise Http404("No such network.")
    return network


def _organised_network(request: AuthenticatedRequest, network_id: int) -> Network:
    network = organised_network(user=request.user, network_id=network_id)
    if network is None:
        raise Http404("No such network.")
    return network


def _member_meeting(request: AuthenticatedRequest, meeting_id: int) -> NetworkMeeting:
    meeting = meeting_for_member(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _organised_meeting(request: AuthenticatedRequest, meeting_id: int) -> NetworkMeeting:
    meeting = meeting_for_organiser(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _crumbs(network: Network | None = None) -> list[tuple[str, str]]:
    crumbs = [("Networks and forums", reverse("networks:home"))]
    if network is not None:
        crumbs.append((network.name, reverse("networks:network", args=[network.pk])))
    return crumbs


def _meeting_url(meeting: NetworkMeeting) -> str:
    return reverse("networks:meeting", args=[meeting.pk])


# Networks ----------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def home(request: AuthenticatedRequest) -> HttpResponse:
    members = Count("memberships", filter=Q(memberships__status=MembershipStatus.MEMBER))
    context = {
        "mine": list(networks_of(user=request.user).annotate(member_total=members)),
        "others": list(networks_to_join(user=request.user).annotate(member_total=members)),
        "may_start": user_has_role(user=request.user, role=Role.ORGANISER),
    }
    return render(request, "networks/home.html", context)


@organiser_only
@require_http_methods(["GET", "POST"])
def network_new(request: AuthenticatedRequest) -> HttpResponse:
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = network_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                region=data["region"],
                description=data["description"],
                join_rule=data["join_rule"],
                now=timezone.now(),
            )
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{network.name} is started. You are its organiser.")
            return redirect("networks:network", network.pk)
    context = {"form": form, "heading": "Start a network or forum", "button": "Start the network", "crumbs": _crumbs()}
    return render(request, "networks/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def network(request: AuthenticatedRequest, network_id: int) -> HttpResponse:
    found = network_public(network_id=network_id)
    if found is None:
        raise Http404("No such network.")
    membership = membership_of(user=request.user, network=found)
    if membership is None or membership.status != MembershipStatus.MEMBER:
        public: dict[str, object] = {
            "network": found,
            "membership": membership,
            "joins_at_once": joins_at_once(user=request.user, network=found),
            "crumbs": _crumbs(),
        }
        return render(request, "networks/network_public.html", public)
    now = timezone.now()
    next_meeting = next_meeting_of(network=found, now=now)
    context: dict[str, object] = {
        "network": found,
        "membership": membership,
        "member_total": member_count(network=found),
        "meeting": next_meeting,
        "topics": list(topics_for(meeting=next_meeting, user=request.user)) if next_meeting else [],
        "meetings": [m for m in meetings_of(network=found) if next_meeting is None or m.pk != next_meeting.pk],
        "now": now,
        "crumbs": _crumbs(),
        "programmes": list(
            programmes_opened_by(network=found) if membership.is_organiser else programmes_of(network=found)
        ),
        "can_open_programmes": membership.is_organiser and user_has_role(user=request.user, role=Role.ORGANISER),
    }
    return render(request, "networks/network.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: AuthenticatedRequest, network_id: int) -> HttpResponse:
    """A network's organiser sets up learning sets for its members: the learning sets' own programme form, without
    the in-house choice (a network's members work in many organisations)."""
    found = organised_network(user=request.user, network_id=network_id)
    if found is None:
        raise Http404("No such network.")
    form = ProgrammeForm(request.POST or None, initial={**NEW_PROGRAMME_INITIAL, "audience": "new_mds"})
    del form.fields["organisation"]
    if request.method == "POST" and form.is_valid():
        try:
            programme = network_programme_open(
                network=found, actor=request.user, details=form.details(), now=timezone.now()
            )
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"“{programme.name}” is saved, for the members of {found.name} only. Open it when it is ready.",
            )
            return redirect("learning_sets:programme", programme_id=programme.pk)
    context = {
        "form": form,
        "heading": f"Learning sets for the members of {found.name}",
        "button": "Save the programme",
        "crumbs": _crumbs(),
    }
    return render(request, "networks/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["POST"])
def join(request: AuthenticatedRequest, network_id: int) -> HttpResponse:
    found = network_public(network_id=network_id)
    if found is None:
        raise Http404("No such network.")
    try:
        membership = network_join(network=found, person=request.user, now=timezone.now())
    except NetworkError as exc:
        messages.error(request, str(exc))
    else:
        if membership.status == MembershipStatus.MEMBER:
            messages.success(request, f"You are now a member of {found.name}.")
        else:
            messages.success(request, f"You have asked to join {found.name}. An organiser will answer.")
    return redirect("networks:network", found.pk)


@login_required
@require_http_methods(["POST"])
def leave(request: AuthenticatedRequest, network_id: int) -> HttpResponse:
    found = network_public(network_id=network_id)
    membership = membership_of(user=request.user, network=found) if found else None
    if found is None or membership is None:
        raise Http404("No such network.")
    try:
        network_leave(network=found, person=request.user, now=timezone.now())
    except NetworkError as exc:
        messages.error(request, str(exc))
        return redirect("networks:network", found.pk)
    if membership.status == MembershipStatus.REQUESTED:
        messages.success(request, f"Your request to join {found.name} is withdrawn.")
    else:
        messages.success(request, f"You have left {found.name}.")
    return redirect("networks:home")


# Members (organisers) ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def members(request: AuthenticatedRequest, network_id: int) -> HttpResponse:
    found = _organised_network(request, network_id)
    rows = list(members_of(network=found))
    context = {
        "network": found,
        "requests": [m for m in rows if m.status == MembershipStatus.REQUESTED],
        "members": [m for m in rows if m.status == MembershipStatus.MEMBER],
        "crumbs": _crumbs(found),
    }
    return render(request, "networks/members.html", context)


MEMBER_ACTIONS = {"approve", "remove", "organiser"}


@login_required
@require_http_methods(["POST"])
def member_action(request: AuthenticatedRequest, network_id: int, membership_id: int, action: str) -> HttpResponse:
    found = _organised_network(request, network_id)
    if action not in MEMBER_ACTIONS:
        raise Http404("No such action.")
    now = timezone.now()
    try:
        if action == "approve":
            person = membership_approve(network=found, membership_id=membership_id, actor=request.user, now=now).person
            messages.success(request, f"{person.display_name} is now a member.")
        elif action == "organiser":
            person = organiser_add(network=found, membership_id=membership_id, actor=request.user, now=now).person
            messages.success(request, f"{person.display_name} is now an organiser of {found.name}.")
        else:
            person = membership_remove(network=found, membership_id=membership_id, actor=request.user, now=now)
            messages.success(request, f"{person.display_name} is no longer in {found.name}.")
    except NetworkError as exc:
        messages.error(request, str(exc))
    return redirect("networks:members", found.pk)


# Meetings ----------------------------------------------------------------------------------------------------------


def _meeting_form_page(
    request: AuthenticatedRequest, form: MeetingForm, network: Network, heading: str, button: str
) -> HttpResponse:
    context = {"form": form, "heading": heading, "button": button, "crumbs": _crumbs(network)}
    return render(request, "networks/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedRequest, network_id: int) -> HttpResponse:
    found = _organised_network(request, network_id)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_schedule(
                network=found,
                actor=request.user,
                starts_at=form.starts_at(),
                ends_at=form.ends_at(),
                place=data["place"],
                online_url=data["online_url"],
                now=timezone.now(),
            )
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting is scheduled. Members are sent an invitation with a calendar file.")
            return redirect(_meeting_url(meeting))
    return _meeting_form_page(request, form, found, f"Schedule a meeting of {found.name}", "Schedule the meeting")


@login_required
@require_http_methods(["GET"])
def meeting(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _member_meeting(request, meeting_id)
    membership = membership_of(user=request.user, network=found.network)
    context = {
        "network": found.network,
        "meeting": found,
        "membership": membership,
        "agenda": list(found.agenda_items.all()),
        "topics": list(topics_for(meeting=found, user=request.user)),
        "now": timezone.now(),
        "crumbs": _crumbs(found.network),
    }
    return render(request, "networks/meeting.html", context)


@login_required
@require_http_methods(["GET"])
def meeting_calendar(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _member_meeting(request, meeting_id)
    response = HttpResponse(meeting_ics(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-meeting-{found.pk}.ics"'
    response["Cache-Control"] = "private"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _organised_meeting(request, meeting_id)
    if request.method == "POST":
        form = MeetingForm(request.POST)
    else:
        form = MeetingForm(initial=MeetingForm.initial_from(found))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_move(
                meeting=found,
                actor=request.user,
                starts_at=form.starts_at(),
                ends_at=form.ends_at(),
                place=data["place"],
                online_url=data["online_url"],
                now=timezone.now(),
            )
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting is changed. Members are told, with a calendar file.")
            return redirect(_meeting_url(found))
    return _meeting_form_page(request, form, found.network, "Move or change the meeting", "Save the change")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _organised_meeting(request, meeting_id)
    if request.method == "POST":
        try:
            meeting_cancel(meeting=found, actor=request.user, now=timezone.now())
        except NetworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The meeting is cancelled. Members are sent a calendar cancellation.")
        return redirect(_meeting_url(found))
    context = {"meeting": found, "network": found.network, "crumbs": _crumbs(found.network)}
    return render(request, "networks/meeting_cancel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _organised_meeting(request, meeting_id)
    topics = list(topics_for(meeting=found, user=request.user))
    if request.method == "POST":
        form = AgendaForm(request.POST, topics=topics)
    else:
        chosen = [str(item.topic_id) for item in found.agenda_items.all() if item.topic_id]
        others = "\n".join(item.title for item in found.agenda_items.all() if not item.topic_id)
        # The first time, the five topics with most votes are ticked: the organiser can change that.
        initial = chosen if found.agenda_set_at else [str(t.pk) for t in topics[:5]]
        form = AgendaForm(initial={"topics": initial, "other_items": others}, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            agenda_set(
                meeting=found,
                actor=request.user,
                topic_ids=form.topic_ids(),
                other_items=form.cleaned_data["other_lines"],
                now=timezone.now(),
            )
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The agenda is set. Voting on this meeting's topics is closed.")
            return redirect(_meeting_url(found))
    context = {"form": form, "meeting": found, "network": found.network, "crumbs": _crumbs(found.network)}
    return render(request, "networks/agenda.html", context, status=400 if form.errors else 200)


# Topics ------------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _member_meeting(request, meeting_id)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic_propose(
                meeting=found,
                person=request.user,
                title=form.cleaned_data["title"],
                detail=form.cleaned_data["detail"],
                now=timezone.now(),
            )
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your topic is proposed. Members can vote for it until the agenda is set.")
            return redirect(_meeting_url(found) + "#topics")
    context = {
        "form": form,
        "heading": "Propose a topic for the meeting",
        "button": "Propose the topic",
        "crumbs": [*_crumbs(found.network), ("The meeting", _meeting_url(found))],
    }
    return render(request, "networks/form.html", context, status=400 if form.errors else 200)


def _after_vote(request: AuthenticatedRequest, topic: Topic, notice: str, *, refused: bool) -> HttpResponse:
    """htmx swaps the topics table in place, with the notice above it (a refusal too: htmx swaps only a 2xx, and
    nothing changed, so the table is as it was); without JavaScript, a banner on the meeting page."""
    meeting = topic.meeting
    if request.htmx:
        context = {
            "meeting": meeting,
            "topics": list(topics_for(meeting=meeting, user=request.user)),
            "notice": notice,
            "refused": refused,
        }
        return render(request, "networks/_topics.html", context)
    (messages.error if refused else messages.success)(request, notice)
    return redirect(_meeting_url(meeting) + "#topics")


def _voted_topic(request: AuthenticatedRequest, topic_id: int) -> Topic:
    topic = topic_for_member(user=request.user, topic_id=topic_id)
    if topic is None:
        raise Http404("No such topic.")
    return topic


@login_required
@require_http_methods(["POST"])
def vote(request: AuthenticatedRequest, topic_id: int) -> HttpResponse:
    topic = _voted_topic(request, topic_id)
    try:
        topic_vote(topic=topic, voter=request.user, now=timezone.now())
    except NetworkError as exc:
        return _after_vote(request, topic, str(exc), refused=True)
    return _after_vote(request, topic, f"Your vote for “{topic.title}” is counted.", refused=False)


@login_required
@require_http_methods(["POST"])
def unvote(request: AuthenticatedRequest, topic_id: int) -> HttpResponse:
    topic = _voted_topic(request, topic_id)
    try:
        topic_unvote(topic=topic, voter=request.user, now=timezone.now())
    except NetworkError as exc:
        return _after_vote(request, topic, str(exc), refused=True)
    return _after_vote(request, topic, f"Your vote for “{topic.title}” is taken back.", refused=False)


# Notes -------------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notes(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    found = _member_meeting(request, meeting_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note_add(meeting=found, author=request.user, text=form.cleaned_data["text"], now=timezone.now())
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your note is added. The network's members can read it.")
            return redirect("networks:notes", found.pk)
    context = {
        "meeting": found,
        "network": found.network,
        "notes": list(notes_for(user=request.user, meeting_id=found.pk)),
        "form": form,
        "crumbs": [*_crumbs(found.network), ("The meeting", _meeting_url(found))],
    }
    return render(request, "networks/notes.html", context, status=400 if form.errors else 200)


def _own_note(request: AuthenticatedRequest, note_id: int) -> MeetingNote:
    note = note_by_author(user=request.user, note_id=note_id)
    if note is None:
        raise Http404("No such note.")
    return note


@login_required
@require_http_methods(["GET", "POST"])
def note_edit_view(request: AuthenticatedRequest, note_id: int) -> HttpResponse:
    note = _own_note(request, note_id)
    form = NoteForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        try:
            note_edit(note=note, author=request.user, text=form.cleaned_data["text"], now=timezone.now())
        except NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your note is saved.")
            return redirect("networks:notes", note.meeting_id)
    notes_url = reverse("networks:notes", args=[note.meeting_id])
    context = {
        "form": form,
        "heading": "Change your note",
        "button": "Save the note",
        "crumbs": [*_crumbs(note.meeting.network), ("Notes of the meeting", notes_url)],
    }
    return render(request, "networks/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def note_delete_view(request: AuthenticatedRequest, note_id: int) -> HttpResponse:
    note = _own_note(request, note_id)
    if request.method == "POST":
        try:
            note_delete(note=note, author=request.user, now=timezone.now())
        except NetworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your note is deleted.")
        return redirect("networks:notes", note.meeting_id)
    notes_url = reverse("networks:notes", args=[note.meeting_id])
    context = {"note": note, "crumbs": [*_crumbs(note.meeting.network), ("Notes of the meeting", notes_url)]}
    return render(request, "networks/note_delete.html", context)
