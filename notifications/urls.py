from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("providers/zalo/events/", views.zalo_events, name="zalo_events"),
    path("providers/sms/delivery/", views.sms_delivery_report, name="sms_delivery_report"),
]
