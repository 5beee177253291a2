from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "vigie.documents"
    default_auto_field = "django.db.models.BigAutoField"
