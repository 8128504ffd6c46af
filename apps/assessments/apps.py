from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "apps.assessments"
    verbose_name = "Self-assessments and 360 feedback"

    def ready(self) -> None:
        from apps.notifications.kinds import register
        from apps.notifications.links import link_minter_register

        from .feedback import rater_context_to_send
        from .reminders import REMINDER_KINDS

        register(*REMINDER_KINDS)

        # Rater e-mails carry a private link minted as each is sent, never stored readable.
        link_minter_register(kinds=["rater_invitation", "rater_nudge"], minter=rater_context_to_send)
