from django.apps import AppConfig


class ShadowingConfig(AppConfig):
    name = "apps.shadowing"
    verbose_name = "Talk to someone in the role"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
