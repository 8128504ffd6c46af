from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "apps.mentoring"
    verbose_name = "Mentoring and coaching"

    def ready(self) -> None:
        from apps.accounts.colleagues import colleague_provider_register

        from .selectors import colleagues_in_mentoring

        colleague_provider_register(colleagues_in_mentoring)
