"""Keep a scope's search vector in its row (STORAGE MAIN: compressed, out of line only as a last resort).

A broad search reads and ranks the vector of every matching scope; stored out of line (EXTENDED, the default)
each one costs TOAST index lookups, about half of the query's execution (bench/api.py: broad search 2.6 ms →
1.4 ms of PostgreSQL execution over 200 scopes × 20 sections). The UPDATE rewrites the stored vectors (the same
value through its text form) so existing rows move inline too; only new writes would otherwise.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scopes", "0003_scope_counts")]

    operations = [
        migrations.RunSQL(
            sql=[
                "ALTER TABLE scopes_scope ALTER COLUMN search_vector SET STORAGE MAIN",
                "UPDATE scopes_scope SET search_vector = search_vector::text::tsvector WHERE search_vector IS NOT NULL",
            ],
            reverse_sql=["ALTER TABLE scopes_scope ALTER COLUMN search_vector SET STORAGE EXTENDED"],
        ),
    ]
