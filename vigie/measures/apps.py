from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "vigie.measures"
    verbose_name = _("Administrative measures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A person under a measure in force cannot be removed from the common database.
        from vigie.registry.services import REMOVAL_GUARDS

        from .services.cases import measure_in_force_guard

        if measure_in_force_guard not in REMOVAL_GUARDS:
            REMOVAL_GUARDS.append(measure_in_force_guard)
