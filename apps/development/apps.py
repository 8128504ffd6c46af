from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "apps.development"
    verbose_name = "Development plans"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
