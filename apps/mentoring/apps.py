from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "apps.mentoring"
    verbose_name = "Mentoring and coaching"
