from django.urls import path

from . import views_posts

urlpatterns = [
    path("posts/", views_posts.posts, name="posts"),
    path("posts/new/", views_posts.post_new, name="post_new"),
    path("posts/<int:post_id>/", views_posts.post_edit, name="post_edit"),
    path("posts/<int:post_id>/remove/", views_posts.post_remove_view, name="post_remove"),
    path("structures/", views_posts.structures, name="structures"),
    path("structures/start/", views_posts.structure_apply_view, name="structure_apply"),
]
