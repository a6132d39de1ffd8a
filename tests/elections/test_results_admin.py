import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elections.importers import import_results
from elections.models import (
    Candidate,
    CandidateList,
    Constituency,
    Election,
    Nuance,
    ParliamentaryGroup,
    Race,
    Revision,
    Round,
    SeatAward,
    Senator,
)
from tests.helpers import feed_source, make_senate_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    election = make_senate_election()
    import_results(
        election=election, sources=[feed_source(n) for n in ["R101.xml", "R103.xml", "R208.xml"]]
    )
    group = ParliamentaryGroup.objects.create(
        chamber="senat", short_name="LR", name="Les Républicains"
    )
    Senator.objects.create(
        slug="claude-malhuret",
        first_name="Claude",
        last_name="Malhuret",
        group=group,
        constituency=Constituency.objects.get(code="03"),
    )
    return election


MODELS = [
    Election, Constituency, Nuance, ParliamentaryGroup, Senator, Race, Round,
    CandidateList, Candidate, Revision,
]  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_changelist_and_change_form_loads(admin_client, election, model):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200
    if model is not Revision:
        assert admin_client.get(reverse(f"{prefix}_add")).status_code == 200


def test_the_race_page_shows_official_and_computed_outcomes_side_by_side(admin_client, election):
    ardennes = Race.objects.get(constituency__code="08")
    response = admin_client.get(reverse("admin:elections_race_change", args=[ardennes.pk]))
    text = response.text
    assert "Élus : fichier, sièges attribués et règles" in text
    assert outcome_rows(text)["Marc LAMÉNIE"] == [
        "élu au tour 2 (Elu)",
        "élu au tour 2",
        "élu au tour 2 (Majorité relative au second tour)",
        "",
    ]
    assert "⚠ écart" not in text
    assert "R208.xml" in text  # its revision


def outcome_rows(html):
    """The race admin's table of outcomes: {candidate: [file, award, rules, flag]}."""
    table = BeautifulSoup(html, "html.parser").select_one(".field-outcomes table")
    return {
        cells[0]: cells[1:]
        for row in table.select("tbody tr")
        for cells in [[cell.get_text(strip=True) for cell in row.find_all("td")]]
    }


def test_a_list_seat_shows_the_files_seats_beside_the_award(admin_client, election):
    ain = Race.objects.get(constituency__code="01")
    rows = outcome_rows(
        admin_client.get(reverse("admin:elections_race_change", args=[ain.pk])).text
    )
    assert rows["Véronique BAUDE"] == [
        "élu : 1 siège(s) pour sa liste (NbSieges)",
        "élu au tour 1",
        "élu au tour 1 (Proportionnelle : quotient électoral)",
        "",
    ]


def test_a_disagreement_with_the_rules_is_shown_never_resolved(admin_client, election):
    allier = Race.objects.get(constituency__code="03")
    # The official record names the third candidate instead of ROJOUAN.
    SeatAward.objects.filter(race=allier, candidate__last_name="ROJOUAN").update(
        candidate=Candidate.objects.get(race=allier, last_name="GENESTE")
    )
    import_results(election=election, sources=[feed_source("R103.xml")])  # restores it
    assert not Race.objects.get(pk=allier.pk).has_discrepancy
    award = SeatAward.objects.get(race=allier, candidate__last_name="ROJOUAN")
    award.candidate = Candidate.objects.get(race=allier, last_name="GENESTE")
    award.save()
    response = admin_client.get(reverse("admin:elections_race_change", args=[allier.pk]))
    assert response.text.count("⚠ écart") == 2  # GENESTE elected by nobody's rule, ROJOUAN missing


def upload(admin_client, election, *files):
    url = reverse("admin:elections_election_import", args=[election.pk])
    return admin_client.post(url, {"files": list(files)})


def xml_file(name, data=None):
    return SimpleUploadedFile(name, data or feed_source(name).data, content_type="text/xml")


def test_the_upload_previews_then_imports_on_confirmation(admin_client):
    election = make_senate_election()
    response = upload(admin_client, election, xml_file("R101.xml"), xml_file("R208.xml"))
    assert response.status_code == 200
    assert "Voici ce qui va changer" in response.text
    assert "Ardennes : " in response.text
    assert Round.objects.count() == 0  # nothing written before confirmation
    token = response.context["token"]
    url = reverse("admin:elections_election_import", args=[election.pk])
    response = admin_client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Round.objects.count() == 3
    assert SeatAward.objects.count() == 5
    # The token was used up: confirming twice imports nothing more.
    response = admin_client.post(url, {"confirm": "1", "token": token}, follow=True)
    assert "Cet import a expiré" in response.text


def test_the_upload_names_every_problem_and_writes_nothing(admin_client):
    election = make_senate_election()
    bad = feed_source("R103.xml").data.replace(b"<NbVoix>636</NbVoix>", b"<NbVoix>-1</NbVoix>")
    response = upload(
        admin_client,
        election,
        xml_file("R103.xml", bad),
        SimpleUploadedFile("R108.xml", feed_source("maintenance.html").data),
    )
    assert response.status_code == 200
    assert "Import refusé : rien n’a été modifié." in response.text
    assert "Candidat Claude MALHURET &gt; NbVoix : « -1 » n’est pas un nombre" in response.text
    assert "R108.xml : c’est une page HTML" in response.text
    assert Round.objects.count() == 0


def test_the_upload_refuses_other_kinds_of_files(admin_client):
    election = make_senate_election()
    response = upload(admin_client, election, SimpleUploadedFile("photo.jpg", b"\xff\xd8"))
    assert "seuls les fichiers .xml et .csv sont acceptés" in response.text
    response = upload(admin_client, election)
    assert response.status_code == 200 and "Choisissez au moins un fichier." in response.text


def test_an_upload_that_changes_nothing_asks_no_confirmation(admin_client):
    election = make_senate_election()
    import_results(election=election, sources=[feed_source("R208.xml")])
    response = upload(admin_client, election, xml_file("R208.xml"))
    assert "Rien à changer" in response.text
    assert "Aucun changement : ces résultats étaient déjà à jour." in response.text
    assert 'name="confirm"' not in response.text
    assert not admin_client.session.get("results_uploads")
