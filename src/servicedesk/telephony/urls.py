"""Pages of telephony under /telephony/."""

from django.urls import path

from servicedesk.telephony import views

app_name = "telephony"

urlpatterns = [
    path("popup/", views.popup, name="popup"),
    path("popup/<int:popup_id>/dismiss/", views.popup_dismiss, name="popup_dismiss"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<path:call_id>/", views.callback_mark, name="callback_mark"),
]
