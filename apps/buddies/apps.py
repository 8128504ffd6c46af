from django.apps import AppConfig


class BuddiesConfig(AppConfig):
    name = "apps.buddies"
    verbose_name = "Peer buddies for new medical directors"

    def ready(self) -> None:
        from apps.notifications.kinds import register

        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
