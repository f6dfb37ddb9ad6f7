from django.urls import path

from . import excel_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("review/", views.review_queue, name="review_queue"),
    path("dashboard/", views.dashboard_latest, name="dashboard_latest"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/blank/", views.blank_print, name="blank_print"),
    path("cycles/<int:pk>/units/<str:code>/dashboard/", views.dashboard, name="dashboard"),
    path("cycles/<int:pk>/units/<str:code>/dashboard/remind/", views.dashboard_remind, name="dashboard_remind"),
    path("cycles/<int:pk>/units/<str:code>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("periods/<int:period_pk>/units/<str:code>/", views.file_report, name="file_report"),
    path(
        "periods/<int:period_pk>/units/<str:code>/template.xlsx", excel_views.report_template_xlsx, name="template_xlsx"
    ),
    path("periods/<int:period_pk>/units/<str:code>/import/", excel_views.report_import_xlsx, name="excel_import"),
    path(
        "periods/<int:period_pk>/units/<str:code>/on-behalf/", excel_views.reports_on_behalf, name="reports_on_behalf"
    ),
    path(
        "periods/<int:period_pk>/units/<str:code>/on-behalf.xlsx",
        excel_views.reports_template_on_behalf_xlsx,
        name="on_behalf_xlsx",
    ),
    path("periods/<int:period_pk>/units/<str:code>/rollup/", views.rollup, name="rollup"),
    path("periods/<int:period_pk>/units/<str:code>/rollup.pdf", views.rollup_pdf, name="rollup_pdf"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/review/", views.report_review, name="report_review"),
    path("<int:pk>/print/", views.report_print, name="report_print"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
