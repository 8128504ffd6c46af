from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "apps.organisations"
    verbose_name = "Organisations"
