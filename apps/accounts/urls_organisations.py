from django.urls import path

from . import views_organisations

# Still the "organisations" namespace: the page moved app, its address and name did not.
app_name = "organisations"
urlpatterns = [
    path("", views_organisations.OrganisationListView.as_view(), name="list"),
]
