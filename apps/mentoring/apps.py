from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "apps.mentoring"
    verbose_name = "Mentoring and coaching"

    def ready(self) -> None:
        from apps.accounts.colleagues import colleague_provider_register
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS
        from .selectors import colleagues_in_mentoring

        register(*REMINDER_KINDS)
        colleague_provider_register(colleagues_in_mentoring)
