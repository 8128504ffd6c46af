from django.apps import AppConfig


class BilateralsConfig(AppConfig):
    name = "apps.bilaterals"
    verbose_name = "Bilaterals between medical directors"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
