from django.urls import path

from . import views

app_name = "competencies"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<int:framework_id>/", views.framework_detail, name="detail"),
]
