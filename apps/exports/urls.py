from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.your_data, name="page"),
    path("<int:export_id>/download/", views.export_download, name="download"),
    path("<int:export_id>/status/", views.export_status, name="status"),
]
