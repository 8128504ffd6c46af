from django.urls import path

from . import views_sharing

urlpatterns = [
    path("<int:plan_id>/sharing/", views_sharing.plan_sharing, name="plan_sharing"),
    path("shared-with-me/", views_sharing.shared_plans, name="shared_plans"),
    path("shared-with-me/<int:plan_id>/", views_sharing.shared_plan, name="shared_plan"),
]
