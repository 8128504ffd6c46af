from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "apps.networks"
    verbose_name = "Standing networks and forums"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
