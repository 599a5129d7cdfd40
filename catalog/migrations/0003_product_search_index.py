from django.db import migrations


def install(apps, schema_editor):
    from catalog.search_index import install_search_index

    install_search_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    from catalog.search_index import uninstall_search_index

    uninstall_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    """The full-text index of Product.search_document: FTS5 on SQLite, GIN on PostgreSQL."""

    dependencies = [
        ("catalog", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
