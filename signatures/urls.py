from django.urls import path

from . import views_self, views_verify

app_name = "signatures"
urlpatterns = [
    # Public (no login): checking a PDF, and the code printed in the footer of every signed PDF.
    path("kiem-tra/", views_verify.verify, name="verify"),
    path("kiem-tra/<str:code>/", views_verify.verify_code, name="verify_code"),
    path("kiem-tra/<str:code>/tai-ve/", views_verify.verify_download, name="verify_download"),
    # The signer's own certificate and signature picture (login required, her own only).
    path("tai-khoan/chu-ky-so/", views_self.my_signing, name="my_signing"),
    path("tai-khoan/chu-ky-so/chung-thu/", views_self.my_certificate_add, name="my_certificate_add"),
    path("tai-khoan/chu-ky-so/hinh-chu-ky/", views_self.my_signature_image_set, name="my_signature_image_set"),
    path("tai-khoan/chu-ky-so/hinh-chu-ky.png", views_self.my_signature_image_file, name="my_signature_image_file"),
]
