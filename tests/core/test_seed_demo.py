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
