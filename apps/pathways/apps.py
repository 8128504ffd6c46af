from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "apps.pathways"
    verbose_name = "First-year pathway for new medical directors"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
