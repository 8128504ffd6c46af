"""`match_round_bench` runs a whole round on synthetic data, reports it, leaves nothing behind, and with
`--full-check` finds the same optimum as handing every allowed pair to the flow solver at once."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.mentoring.models import MatchRound, MentoringRequest
from apps.organisations.models import Organisation


@pytest.mark.django_db
def test_the_round_bench_reports_agrees_with_the_full_graph_and_rolls_back() -> None:
    for code in ("RA7", "RXT", "RV5"):  # few organisations: many pairs refused for "outside required"
        Organisation.objects.create(ods_code=code, name=f"Trust {code}", kind="foundation_trust")
    users_before = User.objects.count()
    stdout = io.StringIO()
    call_command("match_round_bench", mentees=60, mentors=12, seed=3, full_check=True, stdout=stdout)
    report = stdout.getvalue()
    assert "60 mentees × 12 mentors" in report and "matched" in report and "ratio" in report
    assert "full graph" in report and ": same:" in report and "DIFFERENT" not in report
    assert User.objects.count() == users_before
    assert not MatchRound.objects.exists() and not MentoringRequest.objects.exists()


@pytest.mark.django_db
def test_the_round_bench_refuses_sizes_out_of_range() -> None:
    with pytest.raises(CommandError, match="1–50,000 mentees"):
        call_command("match_round_bench", mentees=0, mentors=5, stdout=io.StringIO())
