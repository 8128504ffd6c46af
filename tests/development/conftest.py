from tests.assessments.conftest import completed_assessment, person_spec  # noqa: F401 - shared fixtures
