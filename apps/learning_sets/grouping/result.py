"""The grouping handed back: sets in week order, and for everyone left out, why, in the organiser's words."""

from apps.learning_sets.slots import ALL_SLOTS

from .instance import Instance
from .problem import Grouping, LearningSet, Problem, Unplaced
from .state import State

NO_AVAILABILITY = "gave no availability"
NO_SET_FORMED = "no set could be formed: too few applicants from different organisations share a time"
NO_SET_AT_THEIR_TIMES = "no set meets at a time they can make"
NO_ROOM = "no set has room at a time they can make"
SAME_ORGANISATION = "every set with room at a time they can make already has someone from their organisation"


def grouping_result(problem: Problem, instance: Instance, where: list[int], count: int) -> Grouping:
    ids = [participant.id for participant in problem.participants]
    state = State(instance, count, where)
    sets = [
        LearningSet(members=sorted(ids[p] for p in members), slot=_meeting_slot(instance, members))
        for members in state.members
    ]
    sets.sort(key=lambda learning_set: (ALL_SLOTS.index(learning_set.slot), learning_set.members))
    unplaced = [Unplaced(ids[p], _reason(state, p)) for p in range(instance.n) if where[p] < 0]
    return Grouping(sets=sets, unplaced=sorted(unplaced, key=lambda u: u.id), score=state.score)


def _meeting_slot(instance: Instance, members: list[int]) -> str:
    """The earliest slot in the week every member can make."""
    bits = -1
    for p in members:
        bits &= instance.full_mask[p]
    return ALL_SLOTS[(bits & -bits).bit_length() - 1]


def _reason(state: State, p: int) -> str:
    """Why p is not in a set, in the organiser's words: the first of these that holds."""
    instance = state.instance
    if not instance.full_mask[p]:
        return NO_AVAILABILITY
    if state.count == 0:
        return NO_SET_FORMED
    meeting = [g for g in range(state.count) if state.common[g] & instance.mask[p]]
    if not meeting:
        return NO_SET_AT_THEIR_TIMES
    with_room = [g for g in meeting if len(state.members[g]) < instance.max_size]
    if not with_room:
        return NO_ROOM
    # Otherwise every set with room has their organisation: a set with room, at their time, without it, would have
    # taken them in `insert_everyone_possible`.
    return SAME_ORGANISATION
