from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("close-account/", views.close_account, name="close_account"),
    path("account-closed/", views.account_closed, name="account_closed"),
    path("people/<int:user_id>/close/", views.CloseSomeoneView.as_view(), name="close_someone"),
    path("retention/", views.RetentionView.as_view(), name="retention"),
]
