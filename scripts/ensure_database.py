"""Create the database named by DATABASE_URL when it does not exist yet (the local default: `orbit`).

DATABASE_URL is read as the settings read it: from the environment, else from `.env`; empty means the default.
"""

import sys
from pathlib import Path

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from orbit.config import LOCAL_DATABASE_URL, ConfigurationError, Env  # noqa: E402


def main() -> None:
    env = Env()
    if (BASE_DIR / ".env").exists():
        env.read_env(BASE_DIR / ".env")
    config = env.db("DATABASE_URL", default=LOCAL_DATABASE_URL)
    if env.problems:
        raise ConfigurationError(env.problems)
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
