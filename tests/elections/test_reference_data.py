"""Reference data (constituencies, groups, senators) is loaded by set-up, apart from the demo."""

import os
import sqlite3
import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.db.models import Count, Sum

from articles.models import Article
from elections.models import Constituency, Election, ParliamentaryGroup, Senator
from elections.reference import load_reference

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of the elections app, timestamps included."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in apps.get_app_config("elections").get_models()
    }


def test_the_command_loads_the_constituencies_groups_and_senators_and_nothing_else():
    output = StringIO()
    call_command("load_reference", stdout=output)
    assert "109 circonscriptions, 9 groupes, 348 sénateurs" in output.getvalue()
    constituencies = Constituency.objects.all()
    assert constituencies.aggregate(seats=Sum("seats"))["seats"] == 348
    by_series = {
        row["series"]: (row["count"], row["seats"])
        for row in constituencies.values("series").annotate(count=Count("pk"), seats=Sum("seats"))
    }
    assert by_series == {1: (45, 170), 2: (64, 178)}
    assert list(ParliamentaryGroup.objects.values_list("short_name", flat=True)) == [
        "CRCE-K", "GEST", "SER", "RDSE", "RDPI", "UC", "LIRT", "LR", "NI",
    ]  # fmt: skip
    # No demo: no accounts with published passwords, no elections, no articles.
    assert not get_user_model().objects.exists()
    assert not Election.objects.exists() and not Article.objects.exists()


def test_constituencies_keep_the_ministrys_codes():
    load_reference()
    assert Constituency.objects.get(code="FEHF-S2").ministry_code == "ZZ"
    assert Constituency.objects.get(code="988").legacy_ministry_code == "ZN"


def test_every_constituency_holds_exactly_its_senators():
    changes, problems = load_reference()
    assert problems == []
    assert not Senator.objects.filter(group=None).exists()
    counts = Constituency.objects.annotate(senator_count=Count("senators"))
    assert [c.code for c in counts if c.senator_count != c.seats] == []
    assert Senator.objects.get(slug="anne-camerac").constituency.code == "02"  # no code: Aisne
    assert Senator.objects.get(slug="olivier-cadic").constituency.code == "FEHF-S2"
    assert Senator.objects.get(slug="olivia-richard").constituency.code == "FEHF-S1"
    assert Senator.objects.get(slug="georges-naturel").group.short_name == "LR"


def test_a_second_run_changes_nothing():
    load_reference()
    before = snapshot()
    changes, _ = load_reference()
    assert changes == {}
    assert snapshot() == before


def test_a_fresh_database_after_set_up_has_the_reference_data(tmp_path):
    """`make setup` on an empty database, as on a production server before any demo."""
    database = tmp_path / "fresh.sqlite3"
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    environment.pop("REDIS_URL", None)
    done = subprocess.run(
        ["make", "setup"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as connection:

        def count(table):
            return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608

        assert count("elections_constituency") == 109
        assert count("elections_parliamentarygroup") == 9
        assert count("elections_senator") == 348
        assert count("auth_user") == 0
        assert count("elections_election") == 0
