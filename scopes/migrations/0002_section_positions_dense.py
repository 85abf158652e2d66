"""Section positions are dense (0..n-1 per scope), checked by the database at commit.

The deferred unique constraint on (scope, position) already refuses duplicates and the column refuses negatives;
this constraint trigger adds "no gaps": after a transaction's last statement, every scope whose sections it
touched must have max(position) = count - 1. Together: exactly 0..n-1. The trigger first takes the scope's row
lock (as the services do), so two transactions that each look dense alone cannot commit a gap together: the
second one's check waits for the first and then sees its rows.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION scopes_section_positions_dense() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target uuid;
    total bigint;
    highest bigint;
BEGIN
    FOREACH target IN ARRAY ARRAY[
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.scope_id END,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.scope_id END
    ] LOOP
        CONTINUE WHEN target IS NULL;
        PERFORM 1 FROM scopes_scope WHERE id = target FOR UPDATE;
        SELECT count(*), max(position) INTO total, highest FROM scopes_scopesection WHERE scope_id = target;
        IF total > 0 AND highest <> total - 1 THEN
            RAISE EXCEPTION 'section positions of scope % must be 0..%, the highest is %', target, total - 1, highest
                USING ERRCODE = 'check_violation', CONSTRAINT = 'scopes_section_positions_dense';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER scopes_section_positions_dense
    AFTER INSERT OR DELETE OR UPDATE OF position, scope_id ON scopes_scopesection
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION scopes_section_positions_dense();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS scopes_section_positions_dense ON scopes_scopesection;
DROP FUNCTION IF EXISTS scopes_section_positions_dense();
"""


class Migration(migrations.Migration):
    dependencies = [("scopes", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
