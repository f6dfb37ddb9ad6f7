from django.urls import path

from . import views_verify

app_name = "signatures"
urlpatterns = [
    # Public (no login): checking a PDF, and the code printed in the footer of every signed PDF.
    path("kiem-tra/", views_verify.verify, name="verify"),
    path("kiem-tra/<str:code>/", views_verify.verify_code, name="verify_code"),
    path("kiem-tra/<str:code>/tai-ve/", views_verify.verify_download, name="verify_download"),
]
