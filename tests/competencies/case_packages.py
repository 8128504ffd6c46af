"""A generated CASE 1.0 package that uses every field the specification has, every association type, identifiers
that are URIs as well as UUIDs, and statements longer than 1,000 characters: what a lossless round trip must keep."""

from typing import Any

BASE = "https://frameworks.example.org/ims/case/v1p0"
DOCUMENT_ID = "c9f7a3de-0b1e-4c55-9a51-7e1f3a0d2b10"
ASSOCIATION_TYPES = [
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
]
LONG = " ".join(["Leads the organisation's clinical strategy with the board and partners across the system."] * 16)


def _link(collection: str, identifier: str, title: str) -> dict[str, str]:
    uri = identifier if identifier.startswith("http") else f"{BASE}/{collection}/{identifier}"
    return {"title": title, "identifier": identifier, "uri": uri}


def every_field_package(
    *, last_change: str = "2024-02-01T09:30:00+00:00", title: str = "Every field"
) -> dict[str, Any]:
    document = _link("CFDocuments", DOCUMENT_ID, title)
    item_type = _link("CFItemTypes", "7d1f0e4a-3b8c-4f0e-9c2d-1a2b3c4d5e6f", "Competency")
    licence = _link("CFLicenses", "urn:example:licence:ogl-3", "Open Government Licence v3.0")
    concept = _link("CFConcepts", "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", "Board")
    subject = _link("CFSubjects", "https://frameworks.example.org/subjects/leadership", "Leadership")
    grouping = _link("CFAssociationGroupings", "e0d9c8b7-a6f5-4e4d-3c2b-1a0f9e8d7c6b", "Crosswalk")
    items = []
    for n in range(1, 6):
        identifier = f"https://frameworks.example.org/items/{n}" if n % 2 else f"0000000{n}-aaaa-4bbb-8ccc-dddddddddddd"
        items.append(
            {
                "identifier": identifier,
                "uri": identifier if identifier.startswith("http") else f"{BASE}/CFItems/{identifier}",
                "CFDocumentURI": document,
                "fullStatement": LONG if n == 3 else f"Statement {n}",
                "alternativeLabel": f"Label {n}",
                "CFItemType": "Competency",
                "CFItemTypeURI": item_type,
                "humanCodingScheme": f"D{n}",
                "listEnumeration": str(n),
                "abbreviatedStatement": f"Short {n}",
                "conceptKeywords": ["board", "strategy"],
                "conceptKeywordsURI": concept,
                "notes": f"Notes on {n}",
                "subject": ["Leadership"],
                "subjectURI": [subject],
                "language": "en",
                "educationLevel": ["medical_director", "deputy_md"],
                "CFItemAssociationURI": _link("CFItemAssociations", identifier, f"Statement {n}"),
                "licenseURI": licence,
                "statusStartDate": "2024-02-01",
                "statusEndDate": "2029-01-31",
                "lastChangeDateTime": last_change,
                "extensions": {"publisher": {"reviewed": True, "weight": 1.5}},
            }
        )
    item_links = [_link("CFItems", item["identifier"], item["humanCodingScheme"]) for item in items]
    associations = [
        {
            "identifier": f"a{n:07d}-1111-4222-8333-444444444444",
            "uri": f"{BASE}/CFAssociations/a{n:07d}-1111-4222-8333-444444444444",
            "CFDocumentURI": document,
            "associationType": kind,
            "sequenceNumber": n,
            "originNodeURI": item_links[n % 4 + 1],
            "destinationNodeURI": document if kind == "isChildOf" else item_links[0],
            "associationGroupingURI": grouping,
            "notes": f"Why {kind}",
            "lastChangeDateTime": last_change,
            "extensions": {"publisher": {"strength": n}},
        }
        for n, kind in enumerate(ASSOCIATION_TYPES, start=1)
    ]
    associations.append(
        {
            "identifier": "urn:example:association:external",
            "uri": f"{BASE}/CFAssociations/urn:example:association:external",
            "CFDocumentURI": document,
            "associationType": "exactMatchOf",
            "originNodeURI": item_links[0],
            "destinationNodeURI": {
                "title": "Elsewhere",
                "identifier": "5b6c487e-04f1-5ba9-9722-d099849b9167",
                "uri": "https://other.example.org/uri/5b6c487e-04f1-5ba9-9722-d099849b9167",
            },
            "lastChangeDateTime": last_change,
        }
    )
    return {
        "CFDocument": {
            **{key: document[key] for key in ("identifier", "uri")},
            "CFPackageURI": _link("CFPackages", DOCUMENT_ID, title),
            "creator": "A publisher",
            "title": title,
            "lastChangeDateTime": last_change,
            "officialSourceURL": "https://www.example.org/publication",
            "publisher": "Example Publisher",
            "description": LONG,
            "subject": ["Leadership"],
            "subjectURI": [subject],
            "language": "en",
            "version": "2024",
            "adoptionStatus": "Adopted",
            "statusStartDate": "2024-02-01",
            "statusEndDate": "2029-01-31",
            "licenseURI": licence,
            "notes": "Notes on the document",
            "extensions": {"publisher": {"edition": 1}},
        },
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFConcepts": [
                {
                    **{key: concept[key] for key in ("identifier", "uri")},
                    "title": "Board",
                    "keywords": "board",
                    "hierarchyCode": "1",
                    "description": "Board work",
                    "lastChangeDateTime": last_change,
                }
            ],
            "CFSubjects": [
                {
                    **{key: subject[key] for key in ("identifier", "uri")},
                    "title": "Leadership",
                    "hierarchyCode": "1",
                    "description": "Leadership",
                    "lastChangeDateTime": last_change,
                }
            ],
            "CFLicenses": [
                {
                    **{key: licence[key] for key in ("identifier", "uri")},
                    "title": "Open Government Licence v3.0",
                    "description": "OGL",
                    "licenseText": "Contains public sector information licensed under the Open Government Licence.",
                    "lastChangeDateTime": last_change,
                }
            ],
            "CFItemTypes": [
                {
                    **{key: item_type[key] for key in ("identifier", "uri")},
                    "title": "Competency",
                    "description": "What is assessed",
                    "hierarchyCode": "1",
                    "typeCode": "competency",
                    "lastChangeDateTime": last_change,
                }
            ],
            "CFAssociationGroupings": [
                {
                    **{key: grouping[key] for key in ("identifier", "uri")},
                    "title": "Crosswalk",
                    "description": "Matches to other frameworks",
                    "lastChangeDateTime": last_change,
                }
            ],
        },
        "CFRubrics": [
            {
                "identifier": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
                "uri": f"{BASE}/CFRubrics/f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
                "title": "Board readiness",
                "description": "How ready",
                "lastChangeDateTime": last_change,
                "CFRubricCriteria": [
                    {
                        "identifier": "d4c3b2a1-0000-4111-8222-333344445555",
                        "uri": f"{BASE}/CFRubricCriteria/d4c3b2a1-0000-4111-8222-333344445555",
                        "category": "Readiness",
                        "description": "Ready now",
                        "CFItemURI": item_links[1],
                        "weight": 1.0,
                        "position": 1,
                        "rubricId": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
                        "lastChangeDateTime": last_change,
                        "CFRubricCriterionLevels": [
                            {
                                "identifier": "c0c0c0c0-1111-4222-8333-444455556666",
                                "uri": f"{BASE}/CFRubricCriterionLevels/c0c0c0c0-1111-4222-8333-444455556666",
                                "description": "Almost always",
                                "quality": "Strong",
                                "score": 4.0,
                                "feedback": "Keep going",
                                "position": 1,
                                "rubricCriterionId": "d4c3b2a1-0000-4111-8222-333344445555",
                                "lastChangeDateTime": last_change,
                            }
                        ],
                    }
                ],
            }
        ],
    }
