from django.urls import path

from . import register_views, views

app_name = "directives"
urlpatterns = [
    path("", views.index, name="index"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.document_create, name="document_create"),
    path("register/", register_views.register, name="register"),
    path("register.xlsx", register_views.register_xlsx, name="register_xlsx"),
    path("incoming/", register_views.incoming_register, name="incoming_register"),
    path("incoming.xlsx", register_views.incoming_register_xlsx, name="incoming_register_xlsx"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/issue/preview/", views.document_issue_preview, name="document_issue_preview"),
    path("<int:pk>/issue/", views.document_issue, name="document_issue"),
    path("<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("<int:pk>/prepare-signing/", views.document_prepare_signing, name="document_prepare_signing"),
    path("<int:pk>/signed-upload/", views.document_signed_upload, name="document_signed_upload"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/cascade/", views.cascade, name="cascade"),
    path("<int:pk>/cascade/remind/", views.cascade_remind, name="cascade_remind"),
    path("<int:pk>/cascade.xlsx", views.cascade_xlsx, name="cascade_xlsx"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("deliveries/<int:pk>/open/", views.delivery_open, name="delivery_open"),
    path("deliveries/<int:pk>/acknowledge/", views.delivery_acknowledge, name="delivery_acknowledge"),
    path("deliveries/<int:pk>/assign/", register_views.delivery_assign, name="delivery_assign"),
    path("deliveries/<int:pk>/implement/", views.delivery_implement, name="delivery_implement"),
    path(
        "deliveries/<int:pk>/draft-implementing/", views.delivery_draft_implementing, name="delivery_draft_implementing"
    ),
    path("deliveries/<int:pk>/evidence/", views.evidence_download, name="evidence_download"),
]
