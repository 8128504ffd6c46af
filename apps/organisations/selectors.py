"""Reads of organisations."""

from django.db.models import Q, QuerySet

from .models import Organisation


def organisation_directory(*, search: str = "", include_closed: bool = False) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("region").prefetch_related("sectors")
    if not include_closed:
        organisations = organisations.filter(closed_on__isnull=True)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(ods_code__iexact=search) | Q(postcode__istartswith=search)
        )
    return organisations.order_by("name")
