"""The channels backends: ``base`` (the interface), ``memory``, ``redis``, ``asyncpg`` and ``psycopg``."""
