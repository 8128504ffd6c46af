from pathlib import Path

import pytest

from apps.competencies.fileformat import parse
from apps.competencies.models import Framework
from apps.competencies.services import framework_load

PERSON_SPEC = Path(__file__).resolve().parents[2] / "apps" / "competencies" / "frameworks" / "md-person-spec-2017.yaml"


@pytest.fixture
def person_spec(db: None) -> Framework:
    return framework_load(spec=parse(PERSON_SPEC.read_text())).framework
