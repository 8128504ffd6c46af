from django.urls import path

from . import views_sharing

urlpatterns = [
    path("<int:assessment_id>/sharing/", views_sharing.sharing_manage, name="sharing"),
    path("shared-with-me/", views_sharing.shared_list, name="shared_list"),
    path("shared-with-me/<int:assessment_id>/", views_sharing.shared_results, name="shared_results"),
]
