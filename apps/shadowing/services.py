"""Writes for "talk to someone in the role": offers, requests and their answers, the agreed date, and the
reflection afterwards.

The rules, each refused with a `ShadowingError` whose message is shown, nothing written:
- one offer of each kind a person can still use (database: `one_shadowing_offer_per_kind`), 1–50 a year
  (`shadowing_offer_per_year`);
- never a request to oneself (`shadowing_request_not_to_oneself`), one waiting request per person and offer
  (`one_pending_shadowing_request`), only for a live offer the person may ask for (inside or outside the offerer's
  organisation, as they chose);
- never beyond the offer's yearly limit: requests waiting or accepted in the last twelve months. A limit across
  rows is no database constraint, so every request locks the offer's row first: two requests for the last place
  queue, and the second finds it taken (tests/shadowing/test_services.py races them on PostgreSQL);
- only the offerer answers, within 14 days (`reply_by`); after that the request lapses (`requests_expire`, hourly
  from beat, safe to run twice); only the requester withdraws.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.common.validation import clean_problem
from apps.development.records import Anchor, reflection_add
from apps.development.selectors import plan_for_owner
from apps.development.services import PlanError
from apps.notifications.services import cancel_all, schedule
from apps.profiles.models import Profile

from .models import (
    OfferStatus,
    RequestStatus,
    ShadowingOffer,
    ShadowingReflection,
    ShadowingRequest,
)
from .names import NEEDS_NAME, display_name
from .selectors import organisation_id_of, places_taken

LONDON = ZoneInfo("Europe/London")
REPLY_WITHIN = timedelta(days=14)
REMINDER_HOUR = time(9, 0)  # date reminders arrive at nine in the morning, London time


class ShadowingError(Exception):
    """A change that cannot be made as asked; the message is shown, and nothing was written."""


def _checked(instance: ShadowingOffer | ShadowingRequest | ShadowingReflection) -> None:
    """`full_clean()` as a ShadowingError: the forms check first; this is the last guard."""
    problem = clean_problem(instance)
    if problem is not None:
        raise ShadowingError(problem)


def _key(request: ShadowingRequest) -> str:
    return f"shadowing-request:{request.pk}"


def _url(request: ShadowingRequest) -> str:
    return reverse("shadowing:request", args=[request.pk])


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, REMINDER_HOUR, tzinfo=LONDON)


def _today(now: datetime) -> date:
    return timezone.localdate(now, LONDON)


# --- Offers -------------------------------------------------------------------------------------------------------


def _named(person: User) -> None:
    """Whoever asks or offers is named to the other by their name: never by their e-mail address, which is all
    `str(user)` has for someone who gave no name."""
    if not person.full_name:
        raise ShadowingError(NEEDS_NAME)


def _role_of(person: User) -> Profile:
    profile = Profile.objects.filter(user=person).first()
    if profile is None or not (profile.job_title or profile.career_role):
        raise ShadowingError("Add your current role to your profile first: people choose whom to ask by their role.")
    return profile


def _copy_role(offer: ShadowingOffer, profile: Profile) -> None:
    offer.role_title = (profile.job_title or profile.get_career_role_display())[:150]
    offer.level = profile.leadership_level
    offer.organisation_id = profile.organisation_id
    offer.region_id = profile.region_id


@transaction.atomic
def offer_create(
    *, person: User, kind: str, setting: str, who_may_ask: str, per_year: int, note: str, now: datetime
) -> ShadowingOffer:
    """A new offer, its role, level, organisation and region taken from the person's profile. Only someone with a
    name offers: the people who ask see it, never the e-mail address."""
    _named(person)
    profile = _role_of(person)
    offer = ShadowingOffer(
        person=person,
        kind=kind,
        setting=setting,
        who_may_ask=who_may_ask,
        per_year=per_year,
        note=note.strip(),
        created_at=now,
        updated_at=now,
    )
    _copy_role(offer, profile)
    already = f"You already offer {offer.get_kind_display().lower()}: change that offer, or withdraw it first."
    live = ShadowingOffer.objects.filter(person=person, kind=kind).exclude(status=OfferStatus.WITHDRAWN)
    if live.exists():
        raise ShadowingError(already)
    # Sent twice at once, the other may be saved before full_clean's own check (the same refusal, in the same
    # words) or before the insert (the database refuses it).
    problem = clean_problem(offer)
    if problem is not None:
        raise ShadowingError(already if live.exists() else problem)
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise ShadowingError(already) from None
    return offer


@transaction.atomic
def offer_update(
    *, offer: ShadowingOffer, setting: str, who_may_ask: str, per_year: int, note: str, now: datetime
) -> ShadowingOffer:
    """Change an offer; its role is read again from the profile. A lower yearly limit never cancels requests
    already made: it only stops new ones until the year's count falls below it."""
    locked = ShadowingOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.status == OfferStatus.WITHDRAWN:
        raise ShadowingError("This offer has been withdrawn: make a new one instead.")
    locked.setting, locked.who_may_ask, locked.per_year = setting, who_may_ask, per_year
    locked.note, locked.updated_at = note.strip(), now
    _copy_role(locked, _role_of(locked.person))
    _checked(locked)
    locked.save()
    return locked


def _set_status(offer: ShadowingOffer, status: str, now: datetime, *, allowed_from: tuple[str, ...]) -> ShadowingOffer:
    locked = ShadowingOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.status not in allowed_from:
        raise ShadowingError(f"This offer is {locked.get_status_display().lower()}: there is nothing to change.")
    locked.status, locked.updated_at = status, now
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def offer_pause(*, offer: ShadowingOffer, now: datetime) -> ShadowingOffer:
    """Paused: no longer listed and no new requests; requests already made wait for an answer as before."""
    return _set_status(offer, OfferStatus.PAUSED, now, allowed_from=(OfferStatus.LIVE,))


@transaction.atomic
def offer_resume(*, offer: ShadowingOffer, now: datetime) -> ShadowingOffer:
    return _set_status(offer, OfferStatus.LIVE, now, allowed_from=(OfferStatus.PAUSED,))


@transaction.atomic
def offer_withdraw(*, offer: ShadowingOffer, now: datetime, reason: str = "") -> ShadowingOffer:
    """Withdrawn for good. Requests still waiting are declined, so nobody waits for an answer that cannot come;
    accepted ones stand (a date agreed is between the two people)."""
    locked = _set_status(offer, OfferStatus.WITHDRAWN, now, allowed_from=(OfferStatus.LIVE, OfferStatus.PAUSED))
    waiting = ShadowingRequest.objects.select_for_update(of=("self",)).filter(
        offer=locked, status=RequestStatus.PENDING
    )
    for request in waiting.select_related("offer", "offerer", "requester"):
        if reason:  # the request itself is about to go: the e-mail links to the list of offers instead
            _decline(request, reason, now, url=reverse("shadowing:browse"))
        else:
            _decline(request, "The offer has been withdrawn.", now)
    return locked


@transaction.atomic
def shadowing_leave(*, person: User, now: datetime) -> None:
    """Before an account closes (apps.privacy): the person's own requests are withdrawn, anyone waiting on their
    offers is told no, and anyone whose request they accepted is told it will not happen (unless its day has passed
    or its reflection is written), so nobody waits for an answer or a date that cannot come; the reminders about the
    dates they agreed stop. Their offers and requests then go with the account (CASCADE), so these e-mails link to
    the list of offers, not to the request."""
    mine = ShadowingRequest.objects.filter(requester=person, status__in=(RequestStatus.PENDING, RequestStatus.ACCEPTED))
    for request_id in mine.values_list("pk", flat=True):
        request_withdraw(request_id=request_id, requester=person, now=now)
    for offer in ShadowingOffer.objects.filter(person=person).exclude(status=OfferStatus.WITHDRAWN):
        offer_withdraw(offer=offer, now=now, reason="They have closed their account on the portal.")
    agreed = (
        ShadowingRequest.objects.select_for_update(of=("self",))
        .filter(offerer=person, status=RequestStatus.ACCEPTED)
        .select_related("offer", "requester")
    )
    for request in agreed:
        cancel_all(prefix=f"{_key(request)}:")
        happened = request.agreed_on is not None and request.agreed_on < _today(now)
        if happened or ShadowingReflection.objects.filter(request=request).exists():
            continue  # it has taken place: there is nothing to call off
        _tell(
            request,
            "shadowing_offerer_left",
            "offerer-left",
            to=request.requester,
            about=person,
            now=now,
            url=reverse("shadowing:browse"),
            agreed_on=request.agreed_on.isoformat() if request.agreed_on else "",
        )


# --- Requests -----------------------------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *, offer_id: int, requester: User, why: str, suggested_on: date | None, now: datetime
) -> ShadowingRequest:
    """Ask for an offer. The offer's row is locked first, so that two people asking for its last place of the
    year queue, and the second is told it has gone. Only someone with a name asks: the offerer sees it, and not
    the e-mail address, until they say yes."""
    _named(requester)
    offer = ShadowingOffer.objects.select_for_update().select_related("person").filter(pk=offer_id).first()
    if offer is None or offer.status != OfferStatus.LIVE or not offer.person.is_active:
        raise ShadowingError("This offer is not open to requests at the moment.")
    if offer.person_id == requester.pk:
        raise ShadowingError("This is your own offer: you cannot ask yourself.")
    _check_who_may_ask(offer, requester)
    if ShadowingRequest.objects.filter(offer=offer, requester=requester, status=RequestStatus.PENDING).exists():
        raise ShadowingError("You have already asked, and your request is waiting for an answer.")
    if places_taken(offer=offer, now=now) >= offer.per_year:
        raise ShadowingError(
            f"{display_name(offer.person)} has no places left: they offer {offer.per_year} a year, and all are taken. "
            "Try again later, or ask someone else."
        )
    if suggested_on is not None and suggested_on <= _today(now):
        raise ShadowingError("Suggest a date after today, or leave the date empty.")
    request = ShadowingRequest(
        offer=offer,
        offerer=offer.person,
        requester=requester,
        why=why.strip(),
        suggested_on=suggested_on,
        created_at=now,
        reply_by=now + REPLY_WITHIN,
    )
    _checked(request)
    request.save()
    _tell(
        request,
        "shadowing_request_received",
        "received",
        to=offer.person,
        about=requester,
        now=now,
        url=_url(request),
        reply_by=timezone.localdate(request.reply_by, LONDON).isoformat(),
    )
    return request


def _check_who_may_ask(offer: ShadowingOffer, requester: User) -> None:
    same = offer.organisation_id is not None and offer.organisation_id == organisation_id_of(requester)
    if offer.who_may_ask == "outside" and same:
        raise ShadowingError(
            f"{display_name(offer.person)} takes requests only from people outside their organisation."
        )
    if offer.who_may_ask == "inside" and not same:
        raise ShadowingError(f"{display_name(offer.person)} takes requests only from people in their organisation.")


def _tell(
    request: ShadowingRequest, kind: str, event: str, *, to: User, about: User, now: datetime, url: str, **extra: str
) -> None:
    """One reminder about `request`, sent now to `to`: it names the other person (`about`) by name, never by
    address, with what was offered and the page to go to, and is sent once per `event` of the request."""
    schedule(
        recipient=to,
        kind=kind,
        due_at=now,
        dedupe_key=f"{_key(request)}:{event}",
        context={
            "other_name": display_name(about),
            "offer_kind": request.offer.get_kind_display(),
            "url": url,
            **extra,
        },
    )


def _locked(request_id: int, **owner: User) -> ShadowingRequest:
    """The request, locked, if it is this person's (`offerer=` or `requester=`); another's is as if not there."""
    request = (
        ShadowingRequest.objects.select_for_update(of=("self",))
        .select_related("offer", "offerer", "requester")
        .filter(pk=request_id, **owner)
        .first()
    )
    if request is None:
        raise ShadowingError("No such request.")
    return request


def _still_waiting(request: ShadowingRequest, now: datetime) -> None:
    if request.status != RequestStatus.PENDING:
        raise ShadowingError(
            f"This request is no longer waiting for an answer ({request.get_status_display().lower()})."
        )
    if request.reply_by <= now:
        raise ShadowingError("This request was not answered within 14 days and has lapsed.")


def _check_date(agreed_on: date | None, now: datetime) -> None:
    if agreed_on is not None and agreed_on <= _today(now):
        raise ShadowingError("Choose a date after today.")


@transaction.atomic
def request_accept(
    *, request_id: int, offerer: User, agreed_on: date | None, message: str, now: datetime
) -> ShadowingRequest:
    """The offerer says yes, and may set the date (the requester's suggestion, or another). From now on each sees
    how to reach the other."""
    request = _locked(request_id, offerer=offerer)
    _still_waiting(request, now)
    _check_date(agreed_on, now)
    request.status, request.answered_at = RequestStatus.ACCEPTED, now
    request.answer_message, request.agreed_on = message.strip(), agreed_on
    _checked(request)
    request.save(update_fields=["status", "answered_at", "answer_message", "agreed_on"])
    _tell(
        request,
        "shadowing_request_accepted",
        "accepted",
        to=request.requester,
        about=offerer,
        now=now,
        url=_url(request),
        agreed_on=agreed_on.isoformat() if agreed_on else "",
        message=request.answer_message,
    )
    _schedule_date_reminders(request, now)
    return request


def _decline(request: ShadowingRequest, message: str, now: datetime, *, url: str = "") -> None:
    request.status, request.answered_at, request.answer_message = RequestStatus.DECLINED, now, message.strip()
    _checked(request)
    request.save(update_fields=["status", "answered_at", "answer_message"])
    _tell(
        request,
        "shadowing_request_declined",
        "declined",
        to=request.requester,
        about=request.offerer,
        now=now,
        url=url or _url(request),
        message=request.answer_message,
    )


@transaction.atomic
def request_decline(*, request_id: int, offerer: User, message: str, now: datetime) -> ShadowingRequest:
    request = _locked(request_id, offerer=offerer)
    _still_waiting(request, now)
    _decline(request, message, now)
    return request


@transaction.atomic
def request_withdraw(*, request_id: int, requester: User, now: datetime) -> ShadowingRequest:
    """The requester calls it off, before or after the answer; the offerer is told, and no reminder follows."""
    request = _locked(request_id, requester=requester)
    if request.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise ShadowingError(f"This request is {request.get_status_display().lower()}: there is nothing to withdraw.")
    was_accepted = request.status == RequestStatus.ACCEPTED
    request.status, request.answered_at, request.agreed_on = RequestStatus.WITHDRAWN, None, None
    request.save(update_fields=["status", "answered_at", "agreed_on"])
    cancel_all(prefix=f"{_key(request)}:")
    _tell(
        request,
        "shadowing_request_withdrawn",
        "withdrawn",
        to=request.offerer,
        about=requester,
        now=now,
        url=reverse("shadowing:offers"),
        was_accepted="yes" if was_accepted else "",
    )
    return request


@transaction.atomic
def request_set_date(*, request_id: int, offerer: User, agreed_on: date, now: datetime) -> ShadowingRequest:
    """The offerer confirms or moves the date of an accepted request; the reminders move with it."""
    request = _locked(request_id, offerer=offerer)
    if request.status != RequestStatus.ACCEPTED:
        raise ShadowingError("Agree a date once you have accepted the request.")
    _check_date(agreed_on, now)
    request.agreed_on = agreed_on
    request.save(update_fields=["agreed_on"])
    _schedule_date_reminders(request, now)
    return request


def _schedule_date_reminders(request: ShadowingRequest, now: datetime) -> None:
    """Both people the day before, and the requester the day after ("how did it go?"). The date is in the key,
    so a moved date reminds again even where the old reminder was sent."""
    cancel_all(prefix=f"{_key(request)}:date:")
    day = request.agreed_on
    if day is None:
        return
    prefix = f"{_key(request)}:date:{day.isoformat()}"
    kind = request.offer.get_kind_display()
    before = _at_nine(day - timedelta(days=1))
    if before > now:
        for person, other in ((request.requester, request.offerer), (request.offerer, request.requester)):
            schedule(
                recipient=person,
                kind="shadowing_day_before",
                due_at=before,
                dedupe_key=f"{prefix}:before:{person.pk}",
                context={
                    "other_name": display_name(other),
                    "offer_kind": kind,
                    "agreed_on": day.isoformat(),
                    "url": _url(request),
                },
            )
    schedule(
        recipient=request.requester,
        kind="shadowing_how_did_it_go",
        due_at=_at_nine(day + timedelta(days=1)),
        dedupe_key=f"{prefix}:after",
        context={
            "other_name": display_name(request.offerer),
            "offer_kind": kind,
            "agreed_on": day.isoformat(),
            "url": reverse("shadowing:reflection", args=[request.pk]),
        },
    )


def requests_expire(*, now: datetime) -> int:
    """Lapse requests unanswered at `reply_by`, each under its own row lock (a request being answered this moment
    is skipped and left to its answer); the requester is told. Safe to run twice: a lapsed request is no longer
    pending. Returns how many lapsed."""
    due = ShadowingRequest.objects.filter(status=RequestStatus.PENDING, reply_by__lte=now)
    lapsed = 0
    for request_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            request = (
                ShadowingRequest.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("offer", "offerer", "requester")
                .filter(pk=request_id, status=RequestStatus.PENDING, reply_by__lte=now)
                .first()
            )
            if request is None:
                continue
            request.status = RequestStatus.EXPIRED
            request.save(update_fields=["status"])
            _tell(
                request,
                "shadowing_request_expired",
                "expired",
                to=request.requester,
                about=request.offerer,
                now=now,
                url=reverse("shadowing:browse"),
            )
            lapsed += 1
    return lapsed


# --- Afterwards ---------------------------------------------------------------------------------------------------


@transaction.atomic
def reflection_write(
    *,
    request_id: int,
    author: User,
    title: str,
    what_happened: str,
    so_what: str,
    now_what: str,
    plan_id: int | None,
    now: datetime,
) -> ShadowingReflection:
    """The requester's private reflection on an accepted request, once its date (if one was agreed) has come;
    with `plan_id`, also added to that plan of theirs, where it counts as evidence. Never anyone else's plan."""
    request = _locked(request_id, requester=author)
    if request.status != RequestStatus.ACCEPTED:
        raise ShadowingError("You can reflect once your request has been accepted.")
    if request.agreed_on is not None and request.agreed_on > _today(now):
        raise ShadowingError("You can write your reflection on or after the day you agreed.")
    if ShadowingReflection.objects.filter(request=request).exists():
        raise ShadowingError("You have already written a reflection on this.")
    reflection = ShadowingReflection(
        request=request,
        author=author,
        title=title.strip(),
        what_happened=what_happened.strip(),
        so_what=so_what.strip(),
        now_what=now_what.strip(),
        created_at=now,
    )
    _checked(reflection)
    if plan_id is not None:
        plan = plan_for_owner(owner=author, plan_id=plan_id)
        if plan is None:
            raise ShadowingError("Choose one of your development plans.")
        try:
            reflection.plan_reflection = reflection_add(
                plan=plan,
                anchor=Anchor(),
                title=reflection.title,
                what_happened=reflection.what_happened,
                so_what=reflection.so_what,
                now_what=reflection.now_what,
                written_on=_today(now),
                now=now,
            )
        except PlanError as exc:
            raise ShadowingError(str(exc)) from None
    reflection.save()
    return reflection
