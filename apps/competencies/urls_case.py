"""The CASE 1.0 REST paths (under /ims/case/v1p0/). Identifiers may be URIs, so they are matched as paths."""

from django.urls import path, re_path

from . import views_case as case

app_name = "case"
urlpatterns = [
    path("CFDocuments", case.documents, name="documents"),
    path("CFDocuments/<path:identifier>", case.document, name="CFDocuments"),
    path("CFPackages/<path:identifier>", case.package, name="CFPackages"),
    path("CFItems/<path:identifier>", case.item, name="CFItems"),
    path("CFAssociations/<path:identifier>", case.association, name="CFAssociations"),
    path("CFItemAssociations/<path:identifier>", case.item_associations, name="CFItemAssociations"),
    path("CFItemTypes/<path:identifier>", case.item_type, name="CFItemTypes"),
    path("CFConcepts/<path:identifier>", case.concept, name="CFConcepts"),
    path("CFSubjects/<path:identifier>", case.subject, name="CFSubjects"),
    path("CFLicenses/<path:identifier>", case.licence, name="CFLicenses"),
    path("CFAssociationGroupings/<path:identifier>", case.association_grouping, name="CFAssociationGroupings"),
    path("CFRubrics/<path:identifier>", case.rubric, name="CFRubrics"),
    re_path(r"^.*$", case.unknown_endpoint),
]
