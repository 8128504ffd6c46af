"""Applications take the current role from the profile's list (apps/profiles/models.py CareerRole) instead of a
shorter list of their own that had no place for a consultant. Four of the six old answers are already in the
profile's list under the same code; the other two move to their nearest: "Medical director, first years" to
"Medical director or chief medical officer", "Other board member" to "Other". Going back leaves the answers as
they are (the old list has no place for most of the new ones).

Also: who closed a programme's applications early, and when."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


OLD_TO_NEW = {"new_md": "medical_director", "board_member": "other"}


def to_profile_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    Application = apps.get_model("learning_sets", "Application")
    for old, new in OLD_TO_NEW.items():
        Application.objects.filter(career_stage=old).update(career_stage=new)


class Migration(migrations.Migration):

    dependencies = [
        ('learning_sets', '0002_video_links_up_to_500'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='programme',
            name='applications_closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='applications closed early at'),
        ),
        migrations.AddField(
            model_name='programme',
            name='applications_closed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='application',
            name='career_stage',
            field=models.CharField(choices=[('medical_student', 'Medical student'), ('trainee', 'Doctor in training'), ('sas', 'SAS doctor'), ('consultant_gp', 'Consultant or GP'), ('clinical_lead', 'Medical or clinical lead'), ('clinical_director', 'Clinical director'), ('divisional_md', 'Divisional medical director'), ('dme', 'Director of medical education'), ('associate_md', 'Associate medical director'), ('deputy_md', 'Deputy medical director or deputy CMO'), ('medical_director', 'Medical director or chief medical officer'), ('medical_ceo', 'Medical chief executive'), ('other', 'Other')], max_length=30, verbose_name='current role'),
        ),
        migrations.RunPython(to_profile_roles, migrations.RunPython.noop, elidable=True),
    ]
