from django.contrib import admin

from .models import Organisation, Region, Sector


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "kind", "region", "icb_code", "closed_on"]
    list_filter = ["kind", "region", "sectors"]
    search_fields = ["name", "ods_code", "postcode"]
    filter_horizontal = ["sectors"]


admin.site.register(Region)
admin.site.register(Sector)
