from django.urls import path

from servicedesk.security import views

app_name = "security"

urlpatterns = [
    path("", views.otp_overview, name="otp_overview"),
    path("setup/", views.otp_setup, name="otp_setup"),
    path("verify/", views.otp_verify, name="otp_verify"),
    path("disable/", views.otp_disable, name="otp_disable"),
]
