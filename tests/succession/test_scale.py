"""At the issue's scale (250 organisations, 5,000 posts, 20,000 people standing forward), the pipeline and the
regional view make exactly the queries they make on a tiny dataset (test_pipeline.py, test_regional.py): built
once with bulk_create by the benchmark's own seeding (apps/succession/management/commands/succession_bench.py).
The pipeline's first view also works out and stores the diversity tables; later views read them."""

import pytest
from django.urls import reverse

from apps.succession.management.commands.succession_bench import seed_bench
from apps.succession.models import Candidacy, DiversitySnapshot, Post
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_both_pages_keep_their_query_counts_at_scale(django_assert_num_queries: object) -> None:
    seeded = seed_bench(organisations=250, posts=5000, people=20_000)
    assert (Post.objects.count(), Candidacy.objects.count()) == (5000, 20_000)
    lead, organiser = signed_in(seeded.lead), signed_in(seeded.organiser)
    lead.get(reverse("succession:pipeline"))  # warm the sessions
    organiser.get(reverse("succession:regional"))

    # The same 20 as test_pipeline.py on a first view, when the diversity tables are worked out and stored:
    # session, user, roles, the grant, the organisation, posts, candidacies, three of development_flags, the
    # conversations' next steps, the diversity answers, the stored tables (none yet), a savepoint, the organisation
    # locked, the stored tables read again under the lock, the new ones written, the savepoint released, the
    # summary-choosers' access records (one insert), the header's reminders.
    DiversitySnapshot.objects.all().delete()  # the warming view stored them
    with django_assert_num_queries(20):  # type: ignore[operator]
        response = lead.get(reverse("succession:pipeline"))
    assert response.status_code == 200
    assert DiversitySnapshot.objects.count() == 1
    # And the same 15 on every later view: the stored tables are read, not worked out again.
    with django_assert_num_queries(15):  # type: ignore[operator]
        response = lead.get(reverse("succession:pipeline"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/succession/pipeline/people/') >= 80  # 80 people, on posts

    # The same 10 as test_regional.py: session, user, roles, the region chosen, the form's regions and ICBs, the
    # area's organisations counted, its posts and its candidacies (both counted in Python), reminders.
    with django_assert_num_queries(10):  # type: ignore[operator]
        response = organiser.get(reverse("succession:regional"), {"region": seeded.region.pk})
    assert response.status_code == 200
    assert "Someone ready now" in response.content.decode()
