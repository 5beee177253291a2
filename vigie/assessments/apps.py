from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "vigie.assessments"
    verbose_name = _("Threat assessments")
    default_auto_field = "django.db.models.BigAutoField"
