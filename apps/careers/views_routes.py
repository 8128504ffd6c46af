"""The anonymous routes people took, and what medical directors did next: the portal's own figures from people who
agreed to count (small numbers suppressed, changing once a month: services/figures.py), beside the seeds'
published figures with their sources."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.accounts.http import AuthenticatedRequest

from .models import Step
from .routes import YEARS_MIN_COUNT
from .selectors import REPORT_MIN_COUNT, after_medical_director, figures_as_at, routes_page
from .services.figures import routes_figures_current

# Seed 002 (Monitor and NHS TDA, 2014), "Career trajectory – what comes after the medical director role?": the
# number of mentions of each next step.
SEED_AFTER_MD = [
    ("Retirement", 25),
    ("Too early, unclear or no plans", 19),
    ("Chief executive", 10),
    ("A regional or national role", 10),
    ("Return to clinical consultant practice", 3),
]


@login_required
@require_http_methods(["GET"])
def routes(request: AuthenticatedRequest) -> HttpResponse:
    page = routes_page(figures=routes_figures_current(now=timezone.now()))
    labels = dict(Step.choices)
    moves = [
        (
            labels.get(m.from_step, m.from_step),
            labels.get(m.to_step, m.to_step),
            m.people,
            100 * m.people // page.widest,
        )
        for m in page.moves
    ]
    years = [(labels.get(y.step, y.step), y) for y in page.years]
    return render(
        request,
        "careers/routes.html",
        {
            "page": page,
            "moves": moves,
            "years": years,
            "minimum": REPORT_MIN_COUNT,
            "years_minimum": YEARS_MIN_COUNT,
        },
    )


@login_required
@require_http_methods(["GET"])
def after_md(request: AuthenticatedRequest) -> HttpResponse:
    figures = routes_figures_current(now=timezone.now())
    rows, total = after_medical_director(figures=figures)
    return render(
        request,
        "careers/after_md.html",
        {
            "rows": rows,
            "total": total,
            "minimum": REPORT_MIN_COUNT,
            "seed_after": SEED_AFTER_MD,
            "as_at": figures_as_at(figures),
        },
    )
