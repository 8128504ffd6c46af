"""The specialties a profile can name, grouped the way PRODUCT.md talks about them. Codes are NHS Data Dictionary
main specialty codes (public facts); names are ours, in the words doctors use."""

from django.db import migrations

SPECIALTIES = [
    ("psychiatry", [
        ("710", "General adult psychiatry"), ("711", "Child and adolescent psychiatry"),
        ("712", "Forensic psychiatry"), ("713", "Medical psychotherapy"), ("715", "Old age psychiatry"),
        ("700", "Psychiatry of learning disability"), ("X-ADDICT", "Addiction psychiatry"),
        ("X-LIAISON", "Liaison psychiatry"), ("X-PERINAT", "Perinatal psychiatry"),
        ("X-REHABPS", "Rehabilitation psychiatry"),
    ]),
    ("medicine", [
        ("300", "General internal medicine"), ("301", "Gastroenterology"), ("302", "Endocrinology and diabetes"),
        ("303", "Clinical haematology"), ("311", "Clinical genetics"), ("313", "Clinical immunology"),
        ("314", "Rehabilitation medicine"), ("315", "Palliative medicine"), ("320", "Cardiology"),
        ("330", "Dermatology"), ("340", "Respiratory medicine"), ("350", "Infectious diseases"),
        ("360", "Genitourinary medicine"), ("361", "Renal medicine"), ("370", "Medical oncology"),
        ("400", "Neurology"), ("410", "Rheumatology"), ("430", "Geriatric medicine"),
        ("800", "Clinical oncology"), ("901", "Occupational medicine"),
    ]),
    ("surgery", [
        ("100", "General surgery"), ("101", "Urology"), ("107", "Vascular surgery"),
        ("110", "Trauma and orthopaedics"), ("120", "Ear, nose and throat"), ("130", "Ophthalmology"),
        ("145", "Oral and maxillofacial surgery"), ("150", "Neurosurgery"), ("160", "Plastic surgery"),
        ("170", "Cardiothoracic surgery"), ("171", "Paediatric surgery"),
    ]),
    ("acute", [
        ("180", "Emergency medicine"), ("190", "Anaesthetics"), ("192", "Intensive care medicine"),
        ("326", "Acute internal medicine"),
    ]),
    ("women_children", [
        ("501", "Obstetrics"), ("502", "Gynaecology"), ("420", "Paediatrics"),
        ("504", "Community sexual and reproductive health"),
    ]),
    ("general_practice", [("600", "General practice")]),
    ("public_health", [("903", "Public health medicine")]),
    ("dentistry", [
        ("601", "General dental practice"), ("140", "Oral surgery"), ("143", "Orthodontics"),
        ("904", "Dental public health"),
    ]),
    ("diagnostics", [
        ("810", "Clinical radiology"), ("824", "Histopathology"), ("822", "Chemical pathology"),
        ("833", "Medical microbiology"), ("371", "Nuclear medicine"),
    ]),
    ("other", [("X-OTHER", "Other specialty")]),
]


def load(apps, schema_editor):
    Specialty = apps.get_model("profiles", "Specialty")
    for group, entries in SPECIALTIES:
        for code, name in entries:
            Specialty.objects.update_or_create(code=code, defaults={"name": name, "group": group})


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
