from django.urls import include, path

app_name = "succession"

# Four parts, each with its own views module: a person putting themself forward (views_forward), an organisation
# lead's posts (views_posts), the lead's pipeline and the regional view (views_pipeline), talent conversations
# (views_conversations).
urlpatterns = [
    path("", include("apps.succession.urls_forward")),
    path("organisation/", include("apps.succession.urls_posts")),
    path("pipeline/", include("apps.succession.urls_pipeline")),
    path("conversations/", include("apps.succession.urls_conversations")),
]
