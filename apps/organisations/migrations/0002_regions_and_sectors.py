"""Reference data every installation needs: NHS England's seven regions (plus Wales, for the Welsh trusts in the
ODS files) and the sectors PRODUCT.md names. Names and codes are public facts (NHS England, ONS)."""

from django.db import migrations

REGIONS = [
    ("Y56", "E40000003", "London"),
    ("Y58", "E40000006", "South West"),
    ("Y59", "E40000005", "South East"),
    ("Y60", "E40000011", "Midlands"),
    ("Y61", "E40000007", "East of England"),
    ("Y62", "E40000010", "North West"),
    ("Y63", "E40000012", "North East and Yorkshire"),
    ("W", "W92000004", "Wales"),
]
SECTORS = [
    ("mental_health", "Mental health"),
    ("acute", "Acute"),
    ("community", "Community"),
    ("ambulance", "Ambulance"),
    ("primary_care", "Primary care"),
    ("learning_disability", "Learning disability"),
    ("integrated", "Integrated care"),
]


def load(apps, schema_editor):
    Region = apps.get_model("organisations", "Region")
    Sector = apps.get_model("organisations", "Sector")
    for ods, ons, name in REGIONS:
        Region.objects.update_or_create(ods_code=ods, defaults={"ons_code": ons, "name": name})
    for position, (code, name) in enumerate(SECTORS):
        Sector.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
