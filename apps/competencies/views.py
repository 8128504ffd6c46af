from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest
from apps.profiles.models import LeadershipLevel

from .models import LEVEL_CODES, Criterion, LevelExpectation, ResponsibilityArea
from .selectors import framework_with_content, frameworks


@dataclass(frozen=True)
class CriterionRow:
    """A criterion as the framework page shows it: its area names and its expectation at each level."""

    criterion: Criterion
    areas: list[str]
    expectations: list[tuple[LevelExpectation, str]]  # with the label of the expected point on the scale

    @property
    def described(self) -> bool:
        """Whether any level has words, so that the table only has a column for them when there are some."""
        return any(e.description for e, _ in self.expectations)


@login_required
@require_http_methods(["GET"])
def framework_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "competencies/list.html", {"frameworks": frameworks()})


@login_required
@require_http_methods(["GET"])
def framework_detail(request: AuthenticatedRequest, framework_id: int) -> HttpResponse:
    framework = framework_with_content(framework_id=framework_id)
    if framework is None:
        raise Http404("No such framework.")
    area_labels = dict(ResponsibilityArea.choices)
    point_labels = {p.value: p.label for p in framework.scale.all()}
    criteria_by_group: dict[int, list[CriterionRow]] = {}
    for criterion in framework.criteria.all():
        row = CriterionRow(
            criterion=criterion,
            areas=[area_labels.get(code, code) for code in criterion.areas],
            expectations=[(e, point_labels.get(e.expected, "")) for e in criterion.expectations.all()],
        )
        criteria_by_group.setdefault(criterion.group_id, []).append(row)
    groups = [(group, criteria_by_group.get(group.pk, [])) for group in framework.groups.all()]
    levels = [
        (LeadershipLevel(level).label, framework.level_description(level))
        for level in LEVEL_CODES.values()
        if framework.level_description(level)
    ]
    crumbs = [("Frameworks", reverse("competencies:list"))]
    return render(
        request,
        "competencies/detail.html",
        {"framework": framework, "groups": groups, "levels": levels, "crumbs": crumbs},
    )
