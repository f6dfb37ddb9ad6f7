from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.unit_tree, name="unit_tree"),
    path("export.xlsx", views.tree_export, name="tree_export"),
    path("import/", views.tree_import, name="tree_import"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("autocomplete/", views.unit_autocomplete, name="unit_autocomplete"),
    path("<str:code>/", views.unit_detail, name="unit_detail"),
    path("<str:code>/children/", views.unit_children, name="unit_children"),
    path("<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("<str:code>/coverage/", views.unit_coverage, name="unit_coverage"),
    path("<str:code>/add/", views.unit_add_child, name="unit_add_child"),
    path("<str:code>/reorganise/<str:action>/", views.unit_reorganise, name="unit_reorganise"),
    path("<str:code>/members/add/", views.membership_add, name="membership_add"),
    path("<str:code>/members/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
]
