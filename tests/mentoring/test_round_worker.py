"""A big match round computed end to end by a real Celery worker process over a private redis-server: the
organiser's request only queues it, the worker scores and solves, and the page then shows the draft round."""

from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.accounts.models import User
from apps.mentoring.models import MatchRound, RoundPair, RoundStatus
from tests.conftest import signed_in
from tests.mentoring.test_rounds import make_scheme, scheme_mentee, scheme_mentor
from tests.notifications.test_delivery_faults import worker_env
from tests.support.processes import Services, broker_for_this_process, free_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@override_settings(MENTORING_ROUND_SYNC_PAIRS=0)
def test_a_worker_computes_a_big_round(reference_data: None, tmp_path: Path, organiser: User) -> None:
    scheme = make_scheme(organiser)
    for i in range(3):
        scheme_mentor(scheme, f"md{i}@example.org", capacity=2)
    for i in range(5):
        scheme_mentee(scheme, f"mentee{i}@example.org")
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with Services(tmp_path, worker_env(broker)) as services, broker_for_this_process(broker):
        services.start_redis(port)
        worker = services.start_worker("worker")
        client = signed_in(organiser)
        client.post(reverse("mentoring:round_run", args=[scheme.pk]))
        match_round = MatchRound.objects.get()
        assert match_round.status == RoundStatus.RUNNING
        status_url = reverse("mentoring:round_status", args=[scheme.pk, match_round.pk])
        services.wait_for(
            lambda: MatchRound.objects.get(pk=match_round.pk).status == RoundStatus.DRAFT,
            "the worker to compute the round",
            watch=worker,
        )
        assert client.get(status_url)["HX-Refresh"] == "true"
        assert RoundPair.objects.filter(round=match_round, mentor__isnull=False).count() == 5
