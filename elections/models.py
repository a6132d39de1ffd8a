"""French election results: elections, constituencies, races, candidates, lists, rounds, tallies.

Built for the Senate first; législatives, municipales and européennes fit the same shapes
(one race per constituency and election, rounds of tallies, seat awards).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Kind(models.TextChoices):
    SENATORIALES = "senatoriales", "Sénatoriales"
    LEGISLATIVES = "legislatives", "Législatives"
    MUNICIPALES = "municipales", "Municipales"
    EUROPEENNES = "europeennes", "Européennes"


class VotingSystem(models.TextChoices):
    MAJORITY = "majority", "Scrutin majoritaire à deux tours"
    PROPORTIONAL = "proportional", "Représentation proportionnelle à la plus forte moyenne"


class Bloc(models.TextChoices):
    FAR_LEFT = "far_left", "Extrême gauche"
    LEFT = "left", "Gauche"
    ECOLOGIST = "ecologist", "Écologistes"
    CENTRE = "centre", "Centre"
    RIGHT = "right", "Droite"
    FAR_RIGHT = "far_right", "Extrême droite"
    REGIONALIST = "regionalist", "Régionalistes"
    OTHER = "other", "Divers"


class Election(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming", "À venir"
        COUNTING = "counting", "Dépouillement en cours"
        PROVISIONAL = "provisional", "Résultats provisoires"
        FINAL = "final", "Résultats définitifs"

    kind = models.CharField("type", max_length=20, choices=Kind)
    name = models.CharField("nom", max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    year = models.PositiveSmallIntegerField("année")
    series = models.PositiveSmallIntegerField(
        "série", null=True, blank=True, help_text="Pour les sénatoriales : série 1 ou 2."
    )
    round1_on = models.DateField("date du premier tour")
    round2_on = models.DateField("date du second tour", null=True, blank=True)
    status = models.CharField("statut", max_length=20, choices=Status, default=Status.UPCOMING)
    baseline_label = models.CharField(
        "composition de référence",
        max_length=200,
        blank=True,
        help_text=(
            "Si les sénateurs enregistrés sont la composition d’avant cette élection, "
            "dites laquelle : la page compare les groupes avant et après. "
            "Vide : pas de comparaison."
        ),
    )
    results_updated_at = models.DateTimeField(
        "résultats modifiés le",
        null=True,
        blank=True,
        editable=False,
        help_text="Change à chaque import ou correction : les pages en cache se renouvellent.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        ordering = ["-round1_on"]
        verbose_name = "élection"
        verbose_name_plural = "élections"
        constraints = [
            models.CheckConstraint(
                condition=Q(round2_on__isnull=True) | Q(round2_on__gte=models.F("round1_on")),
                name="second_round_not_before_first",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("elections:detail", args=[self.slug])

    def touch_results(self):
        """Mark the results as changed, so cached pages and the API renew."""
        self.results_updated_at = timezone.now()
        Election.objects.filter(pk=self.pk).update(results_updated_at=self.results_updated_at)


class Constituency(models.Model):
    kind = models.CharField("type d’élection", max_length=20, choices=Kind)
    code = models.CharField(
        "code", max_length=12, help_text="Code INSEE (01, 2A, 988) ou FEHF-S1 / FEHF-S2."
    )
    ministry_code = models.CharField(
        "code du ministère",
        max_length=12,
        blank=True,
        help_text="Le code des fichiers du ministère quand il diffère (ZZ pour l’étranger).",
    )
    legacy_ministry_code = models.CharField("ancien code du ministère", max_length=4, blank=True)
    name = models.CharField("nom", max_length=120)
    seats = models.PositiveSmallIntegerField("sièges")
    series = models.PositiveSmallIntegerField("série", null=True, blank=True)
    voting_system = models.CharField("mode de scrutin", max_length=20, choices=VotingSystem)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "circonscription"
        verbose_name_plural = "circonscriptions"
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="one_constituency_per_code"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="constituency_has_a_seat"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Nuance(models.Model):
    """The Ministry's political label for candidates, versioned per election."""

    election = models.ForeignKey(
        Election, verbose_name="élection", on_delete=models.CASCADE, related_name="nuances"
    )
    code = models.CharField("code", max_length=12)
    label = models.CharField("libellé", max_length=120)
    bloc = models.CharField("bloc", max_length=20, choices=Bloc, default=Bloc.OTHER)

    class Meta:
        ordering = ["election", "code"]
        verbose_name = "nuance"
        verbose_name_plural = "nuances"
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="one_nuance_per_code"),
        ]

    def __str__(self):
        return f"{self.code} — {self.label}"


class ParliamentaryGroup(models.Model):
    class Chamber(models.TextChoices):
        SENATE = "senat", "Sénat"
        ASSEMBLY = "assemblee", "Assemblée nationale"

    chamber = models.CharField("assemblée", max_length=20, choices=Chamber)
    short_name = models.CharField("sigle", max_length=20)
    name = models.CharField("nom", max_length=200)
    bloc = models.CharField("bloc", max_length=20, choices=Bloc, default=Bloc.OTHER)
    color = models.CharField(
        "couleur", max_length=7, default="#888888", help_text="Couleur hexadécimale : #1f4e9c."
    )
    position = models.PositiveSmallIntegerField(
        "place dans l’hémicycle", default=0, help_text="De la gauche (0) vers la droite."
    )

    class Meta:
        ordering = ["chamber", "position"]
        verbose_name = "groupe parlementaire"
        verbose_name_plural = "groupes parlementaires"
        constraints = [
            models.UniqueConstraint(fields=["chamber", "short_name"], name="one_group_per_acronym"),
            models.CheckConstraint(
                condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="group_color_is_hex"
            ),
        ]

    def __str__(self):
        return self.short_name


class Senator(models.Model):
    """A sitting senator, as the Senate lists them."""

    slug = models.SlugField(max_length=120, unique=True)
    first_name = models.CharField("prénom", max_length=80)
    last_name = models.CharField("nom", max_length=80)
    group = models.ForeignKey(
        ParliamentaryGroup,
        verbose_name="groupe",
        on_delete=models.PROTECT,
        related_name="senators",
        limit_choices_to={"chamber": "senat"},
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name="circonscription",
        on_delete=models.PROTECT,
        related_name="senators",
    )
    is_active = models.BooleanField("en fonction", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "sénateur"
        verbose_name_plural = "sénateurs"

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class RaceQuerySet(models.QuerySet):
    def for_display(self):
        """With what every page that shows a race names: its constituency and election."""
        return self.select_related("constituency", "election")


class Race(models.Model):
    """One constituency in one election."""

    class ReportedStatus(models.TextChoices):
        # As the Ministry's index says (ResultatsParvenus, Pourvu).
        UNKNOWN = "", "Inconnu"
        AWAITING = "awaiting", "Résultats attendus"
        ROUND2_TO_COME = "round2", "Second tour à venir"
        FILLED_ROUND1 = "filled_1", "Pourvu au premier tour"
        FILLED_ROUND2 = "filled_2", "Pourvu au second tour"

    election = models.ForeignKey(
        Election, verbose_name="élection", on_delete=models.CASCADE, related_name="races"
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name="circonscription",
        on_delete=models.PROTECT,
        related_name="races",
    )
    seats = models.PositiveSmallIntegerField("sièges à pourvoir")
    voting_system = models.CharField("mode de scrutin", max_length=20, choices=VotingSystem)
    seats_filled = models.PositiveSmallIntegerField("sièges pourvus", default=0)
    reported_status = models.CharField(
        "état selon le ministère", max_length=20, choices=ReportedStatus, blank=True
    )
    reported_round = models.PositiveSmallIntegerField(
        "tour de l’index",
        null=True,
        blank=True,
        help_text="L’index du ministère qui a donné l’état.",
    )
    source_updated_at = models.DateTimeField("mise à jour de la source", null=True, blank=True)
    warnings = models.JSONField(
        "avertissements",
        default=list,
        blank=True,
        help_text="Ce que les contrôles ont relevé et qu’un éditeur doit regarder.",
    )
    has_discrepancy = models.BooleanField(
        "écart avec le calcul",
        default=False,
        help_text="Les élus officiels diffèrent de ceux que donnent les règles.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = RaceQuerySet.as_manager()

    class Meta:
        ordering = ["election", "constituency__code"]
        verbose_name = "scrutin de circonscription"
        verbose_name_plural = "scrutins de circonscription"
        constraints = [
            models.UniqueConstraint(
                fields=["election", "constituency"], name="one_race_per_constituency_per_election"
            ),
            models.CheckConstraint(
                condition=Q(seats_filled__lte=models.F("seats")),
                name="race_fills_no_more_seats_than_it_has",
            ),
        ]

    def __str__(self):
        return f"{self.constituency.name} — {self.election}"

    def get_absolute_url(self):
        return reverse("elections:race", args=[self.election.slug, self.constituency.code])

    @property
    def is_proportional(self):
        return self.voting_system == VotingSystem.PROPORTIONAL


class CandidateList(models.Model):
    race = models.ForeignKey(
        Race, verbose_name="scrutin", on_delete=models.CASCADE, related_name="lists"
    )
    number = models.PositiveSmallIntegerField("numéro de dépôt")
    name = models.CharField("libellé", max_length=250)
    short_name = models.CharField("libellé abrégé", max_length=120, blank=True)
    nuance = models.ForeignKey(
        Nuance, verbose_name="nuance", on_delete=models.PROTECT, null=True, blank=True
    )
    head_first_name = models.CharField("prénom de la tête de liste", max_length=80, blank=True)
    head_last_name = models.CharField("nom de la tête de liste", max_length=80, blank=True)

    class Meta:
        ordering = ["race", "number"]
        verbose_name = "liste"
        verbose_name_plural = "listes"
        constraints = [
            models.UniqueConstraint(fields=["race", "number"], name="one_list_per_number_per_race"),
        ]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", "Femme"
        MALE = "M", "Homme"

    race = models.ForeignKey(
        Race, verbose_name="scrutin", on_delete=models.CASCADE, related_name="candidates"
    )
    candidate_list = models.ForeignKey(
        CandidateList,
        verbose_name="liste",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="candidates",
    )
    list_position = models.PositiveSmallIntegerField("rang sur la liste", null=True, blank=True)
    first_name = models.CharField("prénom", max_length=80)
    last_name = models.CharField("nom", max_length=80)
    sex = models.CharField("sexe", max_length=1, choices=Sex, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    nuance = models.ForeignKey(
        Nuance, verbose_name="nuance", on_delete=models.PROTECT, null=True, blank=True
    )
    label = models.CharField("étiquette affichée", max_length=200, blank=True)
    is_outgoing = models.BooleanField(
        "sortant", null=True, blank=True, help_text="Vide tant qu’on ne le sait pas."
    )
    substitute_name = models.CharField("remplaçant", max_length=160, blank=True)
    substitute_sex = models.CharField("sexe du remplaçant", max_length=1, choices=Sex, blank=True)
    substitute_birth_date = models.DateField(
        "date de naissance du remplaçant", null=True, blank=True
    )
    group = models.ForeignKey(
        ParliamentaryGroup,
        verbose_name="groupe parlementaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        help_text="Le groupe où siège l’élu.",
    )

    class Meta:
        ordering = ["race", "candidate_list", "list_position", "last_name", "first_name"]
        verbose_name = "candidat"
        verbose_name_plural = "candidats"
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list", "list_position"],
                condition=Q(candidate_list__isnull=False),
                name="one_candidate_per_list_position",
            ),
            models.CheckConstraint(
                condition=Q(candidate_list__isnull=True) | Q(list_position__isnull=False),
                name="list_candidate_has_a_position",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Round(models.Model):
    race = models.ForeignKey(
        Race, verbose_name="scrutin", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField("tour")
    registered = models.PositiveIntegerField("inscrits")
    abstentions = models.PositiveIntegerField("abstentions")
    voters = models.PositiveIntegerField("votants")
    blank = models.PositiveIntegerField("blancs")
    null = models.PositiveIntegerField("nuls")
    cast = models.PositiveIntegerField("exprimés")
    is_final = models.BooleanField("définitif", default=False)
    source_updated_at = models.DateTimeField("mise à jour de la source", null=True, blank=True)
    source_name = models.CharField("fichier source", max_length=200, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        ordering = ["race", "number"]
        verbose_name = "tour"
        verbose_name_plural = "tours"
        constraints = [
            models.UniqueConstraint(fields=["race", "number"], name="one_round_per_number"),
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="round_is_first_or_second"),
            models.CheckConstraint(
                condition=Q(voters=models.F("registered") - models.F("abstentions")),
                name="voters_are_registered_minus_abstentions",
            ),
            models.CheckConstraint(
                condition=Q(cast=models.F("voters") - models.F("blank") - models.F("null")),
                name="cast_are_voters_minus_blank_and_null",
            ),
        ]

    def __str__(self):
        return f"{self.race} — tour {self.number}"

    @property
    def turnout(self):
        return self.voters / self.registered if self.registered else None


class TallyQuerySet(models.QuerySet):
    def ranked(self):
        """Most votes first, each with its candidate or list; ties in a stable order."""
        return self.select_related("candidate", "candidate_list").order_by("-votes", "pk")


class Tally(models.Model):
    """Votes of one candidate (majority system) or one list (proportional) in one round."""

    class Outcome(models.TextChoices):
        ELECTED = "elected", "Élu"
        QUALIFIED = "qualified", "Qualifié pour le second tour"
        NOT_ELECTED = "not_elected", "Non élu"

    round = models.ForeignKey(
        Round, verbose_name="tour", on_delete=models.CASCADE, related_name="tallies"
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name="candidat",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tallies",
    )
    candidate_list = models.ForeignKey(
        CandidateList,
        verbose_name="liste",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tallies",
    )
    votes = models.PositiveIntegerField("voix")
    official_outcome = models.CharField(
        "résultat officiel", max_length=20, choices=Outcome, blank=True
    )
    official_seats = models.PositiveSmallIntegerField("sièges officiels", null=True, blank=True)

    objects = TallyQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-votes"]
        verbose_name = "résultat"
        verbose_name_plural = "résultats"
        constraints = [
            models.CheckConstraint(
                condition=Q(candidate__isnull=True, candidate_list__isnull=False)
                | Q(candidate__isnull=False, candidate_list__isnull=True),
                name="tally_is_for_a_candidate_or_a_list",
            ),
            models.UniqueConstraint(
                fields=["round", "candidate"],
                condition=Q(candidate__isnull=False),
                name="one_result_per_candidate_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "candidate_list"],
                condition=Q(candidate_list__isnull=False),
                name="one_result_per_list_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.candidate or self.candidate_list} : {self.votes} voix"


class SeatAward(models.Model):
    """Who won a seat: the official outcome, with the rule that elects them."""

    class Rule(models.TextChoices):
        # The values of elections.rules.Rule, which computes them.
        ROUND1_MAJORITY = "round1_majority", "Majorité absolue au premier tour"
        ROUND2_PLURALITY = "round2_plurality", "Majorité relative au second tour"
        AGE_TIEBREAK = "age_tiebreak", "Égalité de voix : le plus âgé"
        QUOTIENT = "quotient", "Proportionnelle : quotient électoral"
        HIGHEST_AVERAGE = "highest_average", "Proportionnelle à la plus forte moyenne"

    race = models.ForeignKey(
        Race, verbose_name="scrutin", on_delete=models.CASCADE, related_name="awards"
    )
    candidate = models.OneToOneField(
        Candidate, verbose_name="élu", on_delete=models.CASCADE, related_name="award"
    )
    round_number = models.PositiveSmallIntegerField("tour", null=True, blank=True)
    rule = models.CharField(
        "règle",
        max_length=20,
        choices=Rule,
        blank=True,
        help_text="Vide quand les chiffres manquent pour la déterminer.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        ordering = ["race", "round_number", "candidate__candidate_list", "candidate__list_position"]
        verbose_name = "siège attribué"
        verbose_name_plural = "sièges attribués"

    def __str__(self):
        return f"{self.candidate} ({self.race.constituency.name})"

    def clean(self):
        if self.candidate_id and self.race_id and self.candidate.race_id != self.race_id:
            raise ValidationError(
                {"candidate": "Ce candidat se présente dans une autre circonscription."}
            )


class Revision(models.Model):
    """What one file changed in a race (figures added or corrected), and when."""

    race = models.ForeignKey(
        Race, verbose_name="scrutin", on_delete=models.CASCADE, related_name="revisions"
    )
    source_name = models.CharField("fichier source", max_length=200)
    changes = models.JSONField("changements", help_text="Liste de [quoi, avant, après].")
    created_at = models.DateTimeField("importée le", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "révision"
        verbose_name_plural = "révisions"

    def __str__(self):
        return f"{self.race} — {self.source_name} ({self.created_at:%d/%m/%Y %H:%M})"
