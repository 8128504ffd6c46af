from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    name = "apps.succession"
    verbose_name = "Succession and talent pipeline"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
