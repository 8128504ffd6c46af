from typing import Any, cast

from django import forms
from django.core.validators import validate_email
from django.db.models import Q

from apps.common.fields import DateField, NameChoiceField
from apps.organisations.models import Organisation, Sector
from apps.profiles.models import CareerRole, Profile
from apps.profiles.models import Profession as ProfileProfession

from .models import VIDEO_URL_MAX, Audience, OpenTo, Profession
from .services.applications import ApplicationDetails
from .services.programmes import SIZE_HIGHEST, SIZE_LOWEST, ProgrammeDetails
from .slots import DAY_NAMES, SLOT_HOURS, START_TIMES, WEEKDAYS

DATE_ERRORS = {"invalid": "Enter a real date, for example 27 3 2027"}


def _number(label: str, low: int, high: int, unit: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter a whole number of {unit} from {low} to {high}",
            "min_value": f"Enter a whole number of {unit} from {low} to {high}",
            "max_value": f"Enter a whole number of {unit} from {low} to {high}",
        },
    )


def _emails(raw: str) -> list[str]:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    for line in lines:
        try:
            validate_email(line)
        except forms.ValidationError:
            raise forms.ValidationError(f"“{line}” is not an e-mail address: put one address on each line") from None
    return lines


# What a new programme's form starts from, wherever it is set up (the learning sets' own page, a network's page).
NEW_PROGRAMME_INITIAL: dict[str, object] = {
    "set_size_min": 6,
    "set_size_max": 8,
    "sessions_count": 6,
    "cadence_weeks": 4,
    "session_minutes": 120,
}


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label="Name of the programme",
        max_length=120,
        help_text="For example “Aspiring medical directors, North West, 2027”.",
        error_messages={"required": "Enter a name for the programme"},
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the programme is for", "invalid_choice": "Choose from the list"},
    )
    open_to = forms.ChoiceField(
        label="Which professions may apply?",
        choices=OpenTo.choices,
        initial=OpenTo.DOCTORS,
        widget=forms.RadioSelect,
        help_text="A multi-professional programme mixes professions in each set, as a board does.",
        error_messages={"required": "Choose which professions may apply", "invalid_choice": "Choose from the list"},
    )
    organisation = NameChoiceField(
        label="In-house for one organisation (optional)",
        required=False,
        queryset=Organisation.objects.none(),
        help_text="For a peer group inside one trust, such as its deputy medical directors and clinical directors: "
        "only people who work there can apply, and the sets need not mix organisations. Leave it empty for a "
        "programme across organisations.",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    description = forms.CharField(
        label="What applicants should know (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    set_size_min = _number("Smallest set size", SIZE_LOWEST, SIZE_HIGHEST, "members", "6 is usual.")
    set_size_max = _number("Largest set size", SIZE_LOWEST, SIZE_HIGHEST, "members", "8 is usual.")
    sessions_count = _number("Number of sessions", 1, 24, "sessions")
    cadence_weeks = _number("Weeks between sessions", 1, 12, "weeks", "For example 4 for a session every 4 weeks.")
    session_minutes = _number(
        "Session length in minutes", 30, 120, "minutes", "Each weekly time applicants choose is two hours long."
    )
    applications_open_on = DateField(
        label="Applications open on",
        error_messages={"required": "Enter the day applications open", **DATE_ERRORS},
    )
    applications_close_on = DateField(
        label="Applications close on",
        help_text="Applicants can apply, change and withdraw until the end of this day.",
        error_messages={"required": "Enter the day applications close", **DATE_ERRORS},
    )
    first_sessions_from = DateField(
        label="First sessions in the week from",
        help_text="After applications close, with time to form the sets.",
        error_messages={"required": "Enter the week the first sessions start", **DATE_ERRORS},
    )
    facilitator_emails = forms.CharField(
        label="Facilitators (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Their e-mail addresses on the portal, one per line. Each facilitator gets one set.",
    )
    default_venue = forms.CharField(label="Venue (optional)", required=False, max_length=200)
    default_video_url = forms.URLField(
        label="Video link (optional)",
        required=False,
        max_length=VIDEO_URL_MAX,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://meet.example.org/set",
            "max_length": f"The video link must be {VIDEO_URL_MAX} characters or fewer",
        },
    )

    def __init__(self, *args: Any, current_organisation: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Closed organisations are offered only to a programme already in-house for one.
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(
            Q(closed_on__isnull=True) | Q(pk=current_organisation)
        ).order_by("name")
        organisation.empty_label = "Across organisations"

    def clean_facilitator_emails(self) -> list[str]:
        return _emails(self.cleaned_data["facilitator_emails"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("set_size_min"), data.get("set_size_max")
        if low is not None and high is not None and low > high:
            self.add_error("set_size_min", "The smallest set size cannot be bigger than the largest")
        opens, closes, first = (
            data.get("applications_open_on"),
            data.get("applications_close_on"),
            data.get("first_sessions_from"),
        )
        if opens and closes and closes < opens:
            self.add_error("applications_close_on", "Applications cannot close before they open")
        if closes and first and first <= closes:
            self.add_error("first_sessions_from", "The first sessions must start after applications close")
        return data

    def details(self) -> ProgrammeDetails:
        data = self.cleaned_data
        return ProgrammeDetails(
            name=data["name"],
            audience=data["audience"],
            open_to=data["open_to"],
            organisation=data.get("organisation"),  # a network's programme form has no in-house choice
            description=data["description"],
            set_size_min=data["set_size_min"],
            set_size_max=data["set_size_max"],
            sessions_count=data["sessions_count"],
            cadence_weeks=data["cadence_weeks"],
            session_minutes=data["session_minutes"],
            applications_open_on=data["applications_open_on"],
            applications_close_on=data["applications_close_on"],
            first_sessions_from=data["first_sessions_from"],
            default_venue=data["default_venue"],
            default_video_url=data["default_video_url"],
            facilitator_emails=data["facilitator_emails"],
        )


def _time_label(start: str) -> str:
    return f"{start} to {int(start[:2]) + SLOT_HOURS:02d}:00"


def slot_field_name(day: str) -> str:
    return f"slots_{day}"


# Profile answers that say the same thing as an application's; the rest are left for the applicant to choose. The
# current role is the profile's own list, so it is copied as it is.
PROFESSION_FROM_PROFILE = {
    ProfileProfession.DOCTOR: Profession.DOCTOR,
    ProfileProfession.NURSE: Profession.NURSE,
    ProfileProfession.AHP: Profession.AHP,
    ProfileProfession.FINANCE: Profession.FINANCE,
    ProfileProfession.OPERATIONS: Profession.OPERATIONS,
    ProfileProfession.HR: Profession.HR,
    ProfileProfession.OTHER: Profession.OTHER,
}


def initial_from_profile(profile: Profile | None) -> dict[str, object]:
    if profile is None:
        return {}
    return {
        "organisation": profile.organisation_id,
        "sector": profile.sector_id,
        "profession": PROFESSION_FROM_PROFILE.get(profile.profession, ""),  # type: ignore[call-overload]
        "career_stage": profile.career_role,
    }


def initial_from_application(application: Any) -> dict[str, object]:
    chosen = set(application.slots)
    return {
        "organisation": application.organisation_id,
        "sector": application.sector_id,
        "career_stage": application.career_stage,
        "profession": application.profession,
        "hopes": application.hopes,
        **{
            slot_field_name(day): [f"{day}-{start}" for start in START_TIMES if f"{day}-{start}" in chosen]
            for day in WEEKDAYS
        },
    }


class ApplicationForm(forms.Form):
    """An application with weekly availability as one fieldset of checkboxes per weekday: each box is a plain
    labelled checkbox ("14:00 to 16:00") inside a fieldset whose legend names the day, so a screen reader says
    both, and the page works by keyboard alone."""

    organisation = NameChoiceField(
        label="Your organisation",
        queryset=Organisation.objects.none(),
        help_text="Your main employer. Sets mix people from different organisations.",
        error_messages={
            "required": "Choose your organisation",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    sector = forms.ModelChoiceField(
        label="Your sector",
        queryset=Sector.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose your sector", "invalid_choice": "Choose a sector from the list"},
    )
    career_stage = forms.ChoiceField(
        label="Your current role",
        choices=[("", "Choose your current role"), *CareerRole.choices],
        help_text="The same list as on your profile. Pick the nearest: titles differ between organisations.",
        error_messages={"required": "Choose your current role", "invalid_choice": "Choose a role from the list"},
    )
    profession = forms.ChoiceField(
        label="Your profession",
        choices=Profession.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your profession", "invalid_choice": "Choose a profession from the list"},
    )
    hopes = forms.CharField(
        label="What do you hope to get from the set? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shared with the programme’s organisers.",
    )

    def __init__(self, *args: Any, current_organisation: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Closed organisations are offered only to someone who already named one.
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = Organisation.objects.filter(
            Q(closed_on__isnull=True) | Q(pk=current_organisation)
        ).order_by("name")
        organisation.empty_label = "Choose your organisation"
        for day in WEEKDAYS:
            self.fields[slot_field_name(day)] = forms.MultipleChoiceField(
                label=DAY_NAMES[day],
                required=False,
                choices=[(f"{day}-{start}", _time_label(start)) for start in START_TIMES],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
                error_messages={
                    "invalid_choice": "“%(value)s” is not one of the weekly times offered: choose from the boxes",
                },
            )

    def slot_fields(self) -> list[forms.BoundField]:
        return [self[slot_field_name(day)] for day in WEEKDAYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [slot for day in WEEKDAYS for slot in data.get(slot_field_name(day), [])]
        day_errors = any(slot_field_name(day) in self.errors for day in WEEKDAYS)
        if not chosen and not day_errors:
            raise forms.ValidationError("Choose at least one weekly time you can make")
        data["slots"] = chosen
        return data

    def details(self) -> ApplicationDetails:
        data = self.cleaned_data
        return ApplicationDetails(
            organisation=data["organisation"],
            sector=data["sector"],
            career_stage=data["career_stage"],
            profession=data["profession"],
            slots=data["slots"],
            hopes=data["hopes"],
        )
