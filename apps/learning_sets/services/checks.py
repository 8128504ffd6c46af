"""The checks every learning-sets service makes before it writes, each raising LearningSetError."""

from django.db.models import Model

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_has_role
from apps.common.validation import clean_problem

from ..models import Programme
from . import LearningSetError


def valid(instance: Model) -> None:
    """The model's own rules (`full_clean`), as one message for a person."""
    problem = clean_problem(instance)
    if problem:
        raise LearningSetError(problem)


def organiser(actor: User) -> None:
    if not user_has_role(user=actor, role=Role.ORGANISER):
        raise LearningSetError("Only organisers can run programmes of learning sets.")


def runs(programme: Programme, actor: User) -> None:
    if not programme.organisers.filter(pk=actor.pk).exists():
        raise LearningSetError("Only the programme's organisers can change it.")
