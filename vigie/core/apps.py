from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "vigie.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vigie.core import checks  # noqa: F401 — registers the deploy checks
        from vigie.core.signals import create_system_actor, load_reference_data

        post_migrate.connect(load_reference_data, sender=self)
        post_migrate.connect(create_system_actor, sender=self)
