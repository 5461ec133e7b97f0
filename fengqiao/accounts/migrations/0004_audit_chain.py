from django.db import migrations, models
import django.db.models.deletion
from django.conf import settings


def chain_existing(apps, schema_editor):
    """Number and chain the entries written before the chain existed."""
    from fengqiao.accounts import audit

    Entry = apps.get_model("accounts", "AuditEntry")
    Head = apps.get_model("accounts", "AuditHead")
    prev, seq = audit.GENESIS, 0
    batch = []
    for e in Entry.objects.order_by("at", "id").iterator(chunk_size=2000):
        seq += 1
        e.seq, e.prev_mac = seq, prev
        e.mac = audit.mac_of(prev, e)
        prev = e.mac
        batch.append(e)
        if len(batch) >= 2000:
            Entry.objects.bulk_update(batch, ["seq", "prev_mac", "mac"])
            batch.clear()
    if batch:
        Entry.objects.bulk_update(batch, ["seq", "prev_mac", "mac"])
    Head.objects.update_or_create(pk=1, defaults={"seq": seq, "mac": prev if seq else ""})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_encrypt_personal_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("mac", models.CharField(default="", max_length=64)),
                ("base_seq", models.BigIntegerField(default=1)),
                ("base_prev_mac", models.CharField(default="0" * 64, max_length=64)),
            ],
        ),
        migrations.AddField(model_name="auditentry", name="seq", field=models.BigIntegerField(default=0, verbose_name="序号")),
        migrations.AddField(model_name="auditentry", name="prev_mac", field=models.CharField(default="", max_length=64)),
        migrations.AddField(model_name="auditentry", name="mac", field=models.CharField(default="", max_length=64)),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="auditentry", name="seq", field=models.BigIntegerField(unique=True, verbose_name="序号")),
        migrations.AlterField(model_name="auditentry", name="prev_mac", field=models.CharField(max_length=64)),
        migrations.AlterField(model_name="auditentry", name="mac", field=models.CharField(max_length=64)),
    ]
