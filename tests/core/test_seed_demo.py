"""seed_demo loads the demo data once, however often it runs, and refuses unknown options."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import Role, RoleGrant, User
from apps.organisations.models import Organisation
from apps.profiles.models import Profile

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (User.objects.count(), Profile.objects.count(), RoleGrant.objects.count(), Organisation.objects.count())


def test_small_seed_is_idempotent() -> None:
    call_command("seed_demo", "--scale", "small", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert first[0] >= 5 and first[3] >= 20
    admin = User.objects.get(email="admin@example.org")
    assert RoleGrant.objects.filter(user=admin, role=Role.ADMINISTRATOR).exists()
    assert admin.check_password("stepping-up-demo")
    aspiring = Profile.objects.get(user__email="aspiring@example.org")
    assert aspiring.is_complete and aspiring.organisation is not None


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("seed_demo", "--scale", "huge")
    assert counts() == (0, 0, 0, 0)


def test_the_demo_puts_every_journey_within_reach() -> None:
    """After `make run`: a 360 round with answers still coming, and a proposal waiting for the demo mentor."""
    from apps.assessments.models import RaterInvitation
    from apps.mentoring.models import Proposal

    call_command("load_framework", "--shipped", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # twice: still one of each
    invitations = RaterInvitation.objects.filter(round__assessment__owner__email="aspiring@example.org")
    assert invitations.count() == 5 and invitations.filter(answered=True).count() == 3
    waiting = Proposal.objects.get(request__mentee__email="demo.mentee.5@example.org", status="proposed")
    assert waiting.mentor.email == "mentor@example.org"
    assert waiting.mentee_accepted_at is not None and waiting.mentor_accepted_at is None
