from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from apps.accounts.adapters import account_email_outbox_register

        from .services import account_email_schedule

        # allauth's e-mails leave through the outbox too (accounts sits below notifications, so it is told here).
        account_email_outbox_register(account_email_schedule)
