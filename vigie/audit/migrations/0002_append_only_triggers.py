"""Make the journal and its checkpoints append-only in the database (triggers per vendor)."""

from django.db import migrations

from vigie.audit.db_triggers import journal_trigger_operations


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = journal_trigger_operations()
