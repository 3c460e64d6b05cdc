from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("dashboards", "DataVersion").objects.using(
        schema_editor.connection.alias
    ).get_or_create(pk=1, defaults={"n": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
