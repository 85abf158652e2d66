"""Separate the key clients upload to from the key the checked bytes are kept under."""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr


def fill_upload_keys(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    # "documents/<ws>/<doc>/<name>" -> "uploads/<ws>/<doc>/<name>"
    Document.objects.filter(upload_key__isnull=True).update(
        upload_key=Concat(Value("uploads/"), Substr("storage_key", len("documents/") + 1))
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_document_project_scope")]

    operations = [
        migrations.AddField(
            model_name="document", name="upload_key", field=models.CharField(max_length=512, null=True)
        ),
        migrations.RunPython(fill_upload_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document", name="upload_key", field=models.CharField(max_length=512, unique=True)
        ),
    ]
