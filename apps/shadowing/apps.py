from django.apps import AppConfig


class ShadowingConfig(AppConfig):
    name = "apps.shadowing"
    verbose_name = "Talk to someone in the role"
