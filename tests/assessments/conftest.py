from pathlib import Path

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments.models import Assessment
from apps.assessments.services import assessment_start, assessment_submit
from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import framework_load

PERSON_SPEC = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "frameworks" / "md-person-spec-2017.yaml"


@pytest.fixture
def person_spec(db: None) -> Framework:
    return framework_load(spec=parse(PERSON_SPEC.read_text())).framework


@pytest.fixture
def completed_assessment(owner: User, person_spec: Framework) -> Assessment:
    """The owner's self-assessment against the person specification, every criterion rated 3, completed."""
    assessment = assessment_start(owner=owner, framework=person_spec, target_level=5, now=timezone.now())
    assessment.ratings.update(value=3)
    return assessment_submit(assessment=assessment, now=timezone.now())
