"""The tags a framework file may use. Plain data, shared by the models and the pure file-format module."""

# The medical director's five areas of responsibility (seed 003).
AREAS: dict[str, str] = {
    "corporate": "Corporate responsibilities",
    "quality_value": "High quality, high value care",
    "clinical_standards": "Clinical standards",
    "medical_workforce": "Medical workforce",
    "medical_leadership": "Medical leadership",
}

# The leadership ladder (seed 000 asks for expectations "at different levels of medical leadership").
LEVELS: dict[str, int] = {
    "clinical_lead": 1,
    "clinical_director": 2,
    "associate_md": 3,
    "deputy_md": 4,
    "medical_director": 5,
}
