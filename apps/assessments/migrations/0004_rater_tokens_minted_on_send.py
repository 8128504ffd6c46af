"""Rater links minted when each e-mail is sent: the invitation's one token hash moves to RaterToken (so links
already e-mailed keep working), and reminders still waiting drop the link they held in plain text: the dispatcher
mints a fresh one for them when it sends."""

import django.db.models.deletion
from django.db import migrations, models


def move_hashes_and_scrub_waiting_links(apps, schema_editor):  # type: ignore[no-untyped-def]
    RaterInvitation = apps.get_model("assessments", "RaterInvitation")
    RaterToken = apps.get_model("assessments", "RaterToken")
    Reminder = apps.get_model("notifications", "Reminder")
    RaterToken.objects.bulk_create(
        RaterToken(invitation_id=pk, token_hash=token_hash, created_at=invited_at)
        for pk, token_hash, invited_at in RaterInvitation.objects.values_list("pk", "token_hash", "invited_at")
    )
    waiting = Reminder.objects.filter(kind__in=["rater_invitation", "rater_nudge"]).exclude(status="sent")
    for reminder in waiting:
        invitation = reminder.dedupe_key.split(":")[1] if reminder.dedupe_key.startswith("rater:") else ""
        if invitation.isdigit():
            reminder.context = {**reminder.context, "url": "", "invitation": int(invitation)}
            reminder.save(update_fields=["context"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_assessment_share"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RaterToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField()),
                (
                    "invitation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tokens",
                        to="assessments.raterinvitation",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="raterresponse",
            name="withdraw_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(move_hashes_and_scrub_waiting_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="raterinvitation", name="token_hash"),
    ]
