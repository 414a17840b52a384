from django.urls import path

from servicedesk.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.kb_index, name="index"),
    path("new/", views.article_new, name="new"),
    path("preview/", views.article_preview, name="preview"),
    path("suggest/", views.suggest, name="suggest"),
    path("usage/", views.record_usage, name="usage"),
    path("public/<slug:slug>/", views.article_public, name="public"),
    path("files/<int:file_id>/", views.file_download, name="file"),
    path("<int:article_id>/", views.article_detail, name="detail"),
    path("<int:article_id>/edit/", views.article_edit, name="edit"),
    path("<int:article_id>/history/", views.article_history, name="history"),
    path("<int:article_id>/history/<int:number>/", views.article_version, name="version"),
    path("<int:article_id>/diff/", views.article_diff, name="diff"),
    path("<int:article_id>/files/", views.article_upload, name="upload"),
]
