"""The reminder a download of one's data sends when it is ready. Registered in `ExportsConfig.ready()`."""

from apps.notifications.kinds import Kind

REMINDER_KINDS = (
    Kind(
        "data_export_ready",
        "Your data is ready to download",
        "When the download of your data you asked for is ready. It links to the page, never to the file.",
        ("expires_at", "url"),
        group="Your data",
    ),
)
