from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "vigie.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        # Registry writes tell every process's index (transaction.on_commit + NOTIFY).
        from vigie.screening import index

        index.connect_signals()
