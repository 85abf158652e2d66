"""Each scope keeps its section and open-comment counts on its row (scopes.counts), backfilled here from the rows.

The statement is written out rather than imported from scopes.counts, so this migration does not change when that
module does. `db_default` keeps raw inserts that do not name the columns working (a new scope has neither).
"""

from django.db import migrations, models

BACKFILL = """
UPDATE scopes_scope AS s SET
    section_count = (SELECT count(*) FROM scopes_scopesection AS sec WHERE sec.scope_id = s.id),
    open_comment_count = (
        SELECT count(*) FROM scopes_comment AS com
        WHERE com.scope_id = s.id AND com.deleted_at IS NULL AND com.resolved_at IS NULL
    )
"""


class Migration(migrations.Migration):
    dependencies = [("scopes", "0002_section_positions_dense")]

    operations = [
        migrations.AddField(
            model_name="scope",
            name="open_comment_count",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="scope",
            name="section_count",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
