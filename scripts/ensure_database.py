"""Create the database named by DATABASE_URL when it does not exist yet (the local default: `orbit`)."""

import os
import sys
from pathlib import Path

import environ
import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from orbit.config import LOCAL_DATABASE_URL


def main() -> None:
    config = environ.Env.db_url_config(os.environ.get("DATABASE_URL", LOCAL_DATABASE_URL))
    name = config["NAME"]
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


if __name__ == "__main__":
    main()
