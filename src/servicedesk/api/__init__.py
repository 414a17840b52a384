"""The REST API v1 (django-ninja): one NinjaAPI, routers per app, Russian errors."""
