from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .models import Criterion, ResponsibilityArea
from .selectors import framework_with_content, frameworks


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
    criteria_by_group: dict[int, list[tuple[Criterion, list[str]]]] = {}
    for criterion in framework.criteria.all():
        areas = [area_labels.get(code, code) for code in criterion.areas]
        criteria_by_group.setdefault(criterion.group_id, []).append((criterion, areas))
    groups = [(group, criteria_by_group.get(group.pk, [])) for group in framework.groups.all()]
    crumbs = [("Frameworks", reverse("competencies:list"))]
    return render(request, "competencies/detail.html", {"framework": framework, "groups": groups, "crumbs": crumbs})
