from django.apps import AppConfig


class LearningSetsConfig(AppConfig):
    name = "apps.learning_sets"
    verbose_name = "Action learning sets"

    def ready(self) -> None:
        from apps.accounts.colleagues import colleague_provider_register
        from apps.notifications.kinds import register

        from .colleagues import colleagues_in_learning_sets
        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)
        colleague_provider_register(colleagues_in_learning_sets)
