from django.apps import AppConfig


class LearningSetsConfig(AppConfig):
    name = "apps.learning_sets"
    verbose_name = "Action learning sets"
