from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "apps.development"
    verbose_name = "Development plans"
