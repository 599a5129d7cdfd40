# ruff: noqa: S608 -- every name in this SQL is a constant of this module; values go as parameters.
"""The database side of catalog search: the full-text index and the SQL that queries it.

`Product.search_document` holds the normalised title on its first line and the rest of the
product's searchable text on the second (see catalog/search.py). Each database indexes it
with its own full-text engine:

- SQLite: an FTS5 table `catalog_product_fts(title, body)` kept in step by triggers on
  catalog_product, ranked with bm25() where the title column weighs ten times the body.
- PostgreSQL: a stored generated tsvector column `search_vector` (`simple` configuration,
  title words weighted 'A') with a GIN index, ranked with ts_rank().

Both receive the query as a list of already-normalised words (letters and digits only), so
the buyer's text never reaches FTS5 or tsquery syntax.
"""

from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, FloatField

FTS_TABLE = "catalog_product_fts"
TITLE_WEIGHT = 10.0  # SQLite bm25 weight of the title column; the body weighs 1.

# The first line of the document is the title, the second the body (see search.py).
_SQLITE_TITLE = (
    "CASE WHEN instr({d}, char(10)) THEN substr({d}, 1, instr({d}, char(10)) - 1) ELSE {d} END"
)
_SQLITE_BODY = (
    "CASE WHEN instr({d}, char(10)) THEN substr({d}, instr({d}, char(10)) + 1) ELSE '' END"
)
_SQLITE_ROW = (
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, "
    f"{_SQLITE_TITLE.format(d='new.search_document')}, "
    f"{_SQLITE_BODY.format(d='new.search_document')});"
)
# A regular (not external-content) FTS5 table: it keeps its own copy of the text, so a row
# deleted by rowid always removes exactly what was indexed, and the index can never be
# corrupted by a trigger that missed an update. Costs about the size of the documents.
SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON catalog_product "
    f"BEGIN {_SQLITE_ROW} END",
    # Only when the document changes: stock and status updates leave the index alone.
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_document "
    f"ON catalog_product BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; {_SQLITE_ROW} END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON catalog_product "
    f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
]
SQLITE_TRIGGERS = [f"{FTS_TABLE}_insert", f"{FTS_TABLE}_update", f"{FTS_TABLE}_delete"]
SQLITE_REBUILD = [
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) SELECT id, "
    f"{_SQLITE_TITLE.format(d='search_document')}, {_SQLITE_BODY.format(d='search_document')} "
    "FROM catalog_product",
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

# A stored generated column: ranking reads the tsvector instead of re-parsing every matching
# document (1.6 s down to 0.1 s for 33,000 matches of 100,000). Django does not know the
# column; PostgreSQL fills it on every insert and update.
PG_COLUMN = "search_vector"
PG_INDEX = "catalog_product_search_vector_gin"
POSTGRESQL_INSTALL = [
    f"ALTER TABLE catalog_product ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, split_part(search_document, E'\\n', 1)), 'A') "
    "|| to_tsvector('simple'::regconfig, split_part(search_document, E'\\n', 2))) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON catalog_product USING gin ({PG_COLUMN})",
]
POSTGRESQL_UNINSTALL = [
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    f"ALTER TABLE catalog_product DROP COLUMN IF EXISTS {PG_COLUMN}",
]


SQLITE_COMPLETE = (
    "SELECT count(*) = 4 FROM sqlite_master WHERE (type = 'trigger' AND name IN ("
    + ", ".join(f"'{name}'" for name in SQLITE_TRIGGERS)
    + f")) OR (type = 'table' AND name = '{FTS_TABLE}')"
)
POSTGRESQL_COMPLETE = f"SELECT count(*) = 1 FROM pg_indexes WHERE indexname = '{PG_INDEX}'"


def _pick(connection: BaseDatabaseWrapper, *, sqlite: tuple, postgresql: tuple) -> tuple:
    """Choose this database's SQL: the one place that looks at the vendor."""
    if connection.vendor == "sqlite":
        return sqlite
    if connection.vendor == "postgresql":
        return postgresql
    raise NotSupportedError(
        f"Catalog search supports SQLite and PostgreSQL, not {connection.vendor}."
    )


def install_search_index(connection: BaseDatabaseWrapper) -> bool:
    """Create whatever part of the full-text index is missing; return True if anything was."""
    complete, install, rebuild = _pick(
        connection,
        sqlite=(SQLITE_COMPLETE, SQLITE_INSTALL, SQLITE_REBUILD),
        postgresql=(POSTGRESQL_COMPLETE, POSTGRESQL_INSTALL, []),
    )
    with connection.cursor() as cursor:
        cursor.execute(complete)
        if cursor.fetchone()[0]:
            return False
        for statement in install:
            cursor.execute(statement)
        # On SQLite a missing trigger (a migration that remakes catalog_product drops them)
        # means rows may have changed unseen: rebuild the index from the documents.
        for statement in rebuild:
            cursor.execute(statement)
    return True


def uninstall_search_index(connection: BaseDatabaseWrapper) -> None:
    """Drop the full-text index (the reverse of the migration)."""
    (statements,) = _pick(
        connection, sqlite=(SQLITE_UNINSTALL,), postgresql=(POSTGRESQL_UNINSTALL,)
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


PREFIX_MIN_CHARS = 3  # shorter words match whole: "c*" would expand to most of the index


def _sqlite_match(words: list[str]) -> str:
    # Every word quoted (words hold letters and digits only), from three letters on matched
    # as a prefix so "carpet" finds "carpets"; FTS5 joins them with AND.
    return " ".join(f'"{w}"*' if len(w) >= PREFIX_MIN_CHARS else f'"{w}"' for w in words)


def _postgresql_match(words: list[str]) -> str:
    return " & ".join(f"{w}:*" if len(w) >= PREFIX_MIN_CHARS else w for w in words)


class _TextSearch(Expression):
    """Base of the two search expressions: compiled per database by Django's as_<vendor>."""

    def __init__(self, words: list[str]) -> None:
        super().__init__()
        self.words = list(words)
        self.pk = F("pk")
        self.document = F("search_document")

    def get_source_expressions(self) -> list:
        return [self.pk, self.document]

    def set_source_expressions(self, exprs: list) -> None:
        self.pk, self.document = exprs

    def _vector(self, compiler) -> str:
        # The generated column, on the same table alias as the product's own columns.
        alias = compiler.quote_name_unless_alias(self.document.alias)
        return f"{alias}.{compiler.connection.ops.quote_name(PG_COLUMN)}"

    def as_sql(self, compiler, connection):
        raise NotSupportedError(f"Catalog search does not support {connection.vendor}.")


class TextMatch(_TextSearch):
    """True for the products whose document contains every word (the last ones as prefixes)."""

    output_field = BooleanField()

    def as_sqlite(self, compiler, connection):
        pk, params = compiler.compile(self.pk)
        # A subquery the planner runs once: never a list of ids in the SQL.
        sql = f"{pk} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        return sql, [*params, _sqlite_match(self.words)]

    def as_postgresql(self, compiler, connection):
        sql = f"{self._vector(compiler)} @@ to_tsquery('simple'::regconfig, %s)"
        return sql, [_postgresql_match(self.words)]


class TextRank(_TextSearch):
    """How well the document matches: larger is better, a title hit above a body hit."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection):
        pk, params = compiler.compile(self.pk)
        # FTS5 re-reads a word's whole posting list for every `MATCH ... AND rowid = ?`, so a
        # plain correlated subquery is quadratic; the MATERIALIZED CTE is computed once per
        # query and looked up by rowid through an automatic index.
        # bm25() is negative, smaller is better: negated so both databases sort descending.
        sql = (
            f"(WITH hits AS MATERIALIZED (SELECT rowid AS hit, -bm25({FTS_TABLE}, "
            f"{TITLE_WEIGHT}, 1.0) AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
            f"SELECT score FROM hits WHERE hit = {pk})"
        )
        return sql, [_sqlite_match(self.words), *params]

    def as_postgresql(self, compiler, connection):
        sql = f"ts_rank({self._vector(compiler)}, to_tsquery('simple'::regconfig, %s))"
        return sql, [_postgresql_match(self.words)]
