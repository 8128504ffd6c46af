from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "apps.careers"
    verbose_name = "Careers and roles"
