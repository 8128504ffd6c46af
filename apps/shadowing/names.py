"""How one person in "talk to someone in the role" is named to the other: by their name, never their address.

`str(user)` falls back to the e-mail address when someone has not given a name (sign-up asks only for the address),
so neither the pages, the messages nor the reminders of this app print a user directly: they go through
`display_name` here, or the `display_name` filter (`{% load shadowing_names %}`). The address is shown only on an
accepted request, where it is how the two reach each other."""

from apps.accounts.models import UNNAMED_MEMBER as UNNAMED
from apps.accounts.models import User

NEEDS_NAME = "Add your name to your profile first: the person you ask sees your name and role."


def display_name(user: User | None) -> str:
    """Their full name, or "A member of the portal"; never their e-mail address."""
    return UNNAMED if user is None else user.display_name
