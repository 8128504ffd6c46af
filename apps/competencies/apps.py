from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "apps.competencies"
    verbose_name = "Competency frameworks"
