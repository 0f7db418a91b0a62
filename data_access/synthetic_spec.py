"""What synthetic data looks like: indicators, breakdown layers, sources.

Synthetic results exist so that tests and benchmarks can load years of
disaggregated figures; nothing here is a real COMPASS figure, and every
name says so.
"""

from __future__ import annotations

from dataclasses import dataclass

INDICATOR_PREFIX = "syn_"
SOURCE_KEY_PREFIX = "synthetic:"
BATCH_KIND = "synthetic"
YEARS = tuple(range(2016, 2026))
MONTHS = tuple(range(1, 13))

SOURCE_TITLE = "Synthetic data generated for tests and benchmarks, not real figures"
SOURCE_TITLE_FR = (
    "Données synthétiques générées pour les tests et les mesures de performance, pas des chiffres réels"
)
SOURCE_PUBLISHER = "COMPASS Dashboard (generate-synthetic)"
DEFINITION_EN = "Synthetic indicator generated for tests and benchmarks, not a real COMPASS figure."
DEFINITION_FR = (
    "Indicateur synthétique généré pour les tests et les mesures de performance, "
    "pas un chiffre réel de COMPASS."
)

# (code without prefix, English name, French name, theme from components/labels.THEMES)
_INDICATORS = (
    ("people_trained", "People trained", "Personnes formées", "people_trained"),
    ("officials_trained", "Officials trained", "Agents publics formés", "capacity_building"),
    ("partner_staff_trained", "Partner staff trained", "Personnel partenaire formé", "capacity_building"),
    ("ambassadors_active", "Active community ambassadors", "Ambassadeurs communautaires actifs",
     "community_ambassadors"),
    ("campaign_reach", "People reached by campaigns", "Personnes atteintes par les campagnes",
     "campaign_reach"),
    ("digital_reach", "People reached online", "Personnes atteintes en ligne", "campaign_reach"),
    ("radio_reach", "Radio listeners reached", "Auditeurs de radio atteints", "campaign_reach"),
    ("outreach_participants", "People reached by outreach", "Personnes atteintes par les actions de proximité",
     "outreach"),
    ("protection_assisted", "Migrants given protection assistance",
     "Migrants ayant reçu une aide à la protection", "protection_assistance"),
    ("medical_assisted", "Migrants given medical care", "Migrants ayant reçu des soins médicaux",
     "protection_assistance"),
    ("sheltered", "Migrants given shelter", "Migrants hébergés", "protection_assistance"),
    ("documents_obtained", "Migrants helped to obtain documents", "Migrants aidés à obtenir des documents",
     "protection_assistance"),
    ("vot_identified", "Victims of trafficking identified", "Victimes de la traite identifiées", "protection"),
    ("vot_assisted", "Victims of trafficking assisted", "Victimes de la traite assistées", "protection"),
    ("uasc_assisted", "Unaccompanied children assisted", "Enfants non accompagnés assistés", "protection"),
    ("family_tracing", "People helped with family tracing", "Personnes aidées à retrouver leur famille",
     "protection"),
    ("return_assisted", "Migrants assisted to return", "Migrants aidés au retour", "return"),
    ("return_counselled", "Migrants counselled on return", "Migrants conseillés sur le retour", "return"),
    ("arrivals_received", "Returnees received on arrival", "Personnes de retour accueillies à l'arrivée",
     "return"),
    ("reintegration_started", "Returnees starting reintegration",
     "Personnes de retour commençant leur réintégration", "reintegration"),
    ("reintegration_completed", "Returnees completing reintegration",
     "Personnes de retour ayant achevé leur réintégration", "reintegration"),
    ("business_support", "Returnees given business support",
     "Personnes de retour ayant reçu un appui à l'entreprise", "livelihoods"),
    ("vocational_training", "People in vocational training", "Personnes en formation professionnelle",
     "livelihoods"),
    ("job_placements", "People placed in jobs", "Personnes placées dans un emploi", "livelihoods"),
    ("cash_assistance", "People given cash assistance", "Personnes ayant reçu une aide en espèces",
     "livelihoods"),
    ("mhpss_individual", "People given individual psychosocial support",
     "Personnes ayant reçu un soutien psychosocial individuel", "mhpss"),
    ("mhpss_group", "People in group psychosocial activities",
     "Personnes en activités psychosociales de groupe", "mhpss"),
    ("referrals", "People referred to specialised services",
     "Personnes orientées vers des services spécialisés", "mhpss"),
    ("community_events", "People attending community events",
     "Personnes présentes aux événements communautaires", "community_engagement"),
    ("community_projects", "People benefiting from community projects",
     "Personnes bénéficiant de projets communautaires", "community_engagement"),
    ("social_cohesion", "People in social cohesion activities",
     "Personnes en activités de cohésion sociale", "social_cohesion"),
    ("sports_culture", "People in sports and cultural activities",
     "Personnes en activités sportives et culturelles", "social_cohesion"),
    ("awareness_sessions", "People attending awareness sessions",
     "Personnes présentes aux séances de sensibilisation", "awareness"),
    ("hotline_callers", "People calling the hotline", "Personnes ayant appelé la ligne d'assistance",
     "awareness"),
    ("people_surveyed", "People surveyed", "Personnes interrogées", "data_collection"),
    ("flow_monitoring", "Migrants counted at flow monitoring points",
     "Migrants comptés aux points de suivi des flux", "data_collection"),
    ("satisfaction_respondents", "Beneficiaries asked about satisfaction",
     "Bénéficiaires interrogés sur leur satisfaction", "satisfaction"),
    ("policy_workshops", "Participants in policy workshops", "Participants aux ateliers sur les politiques",
     "policy"),
    ("coordination_meetings", "Participants in coordination meetings",
     "Participants aux réunions de coordination", "coordination"),
    ("referral_tool_users", "People using referral tools", "Personnes utilisant les outils d'orientation",
     "tools"),
)  # fmt: skip


@dataclass(frozen=True)
class SyntheticIndicator:
    code: str
    name_en: str
    name_fr: str
    theme: str


INDICATORS = tuple(
    SyntheticIndicator(INDICATOR_PREFIX + code, f"{en} (synthetic)", f"{fr} (synthétique)", theme)
    for code, en, fr, theme in _INDICATORS
)

SEXES = ("female", "male")
AGE_GROUPS = ("0-17", "18-24", "25-59", "60+")
DISABILITY = ("with_disability", "without_disability")
POPULATION_GROUPS = ("migrants", "returnees", "host_community", "displaced")
PARTNERS = tuple(f"Synthetic partner {n:02d}" for n in range(1, 9))
NATIONALITIES = (
    "AFG", "BFA", "BGD", "CIV", "CMR", "COD", "DZA", "EGY", "ERI", "ETH",
    "GHA", "GIN", "GMB", "GNB", "IRQ", "LBY", "MAR", "MLI", "NER", "NGA",
    "PAK", "SDN", "SEN", "SLE", "SOM", "SSD", "SYR", "TCD", "TUN", "YEM",
)  # fmt: skip
DISTRICTS = 16  # admin 1 areas per country
SUBDISTRICTS = 5  # admin 2 areas per district


@dataclass(frozen=True)
class Layer:
    """One breakdown dimension: every cell's total split into these parts."""

    dim: str  # "" = the total itself
    parts: int  # values per cell
    draw: str  # which random split it reads (layers of one draw add up to each other)


# Outer loop of the generation: totals first, then each breakdown in turn, so a
# small --rows still covers every country, year and indicator.
LAYERS = (
    Layer("", 1, "total"),
    Layer("sex", len(SEXES), "sex_age"),
    Layer("age_group", len(AGE_GROUPS), "sex_age"),
    Layer("sex_age_group", len(SEXES) * len(AGE_GROUPS), "sex_age"),
    Layer("disability", len(DISABILITY), "disability"),
    Layer("population_group", len(POPULATION_GROUPS), "population_group"),
    Layer("implementing_partner", len(PARTNERS), "implementing_partner"),
    Layer("nationality", len(NATIONALITIES), "nationality"),
    Layer("admin1", DISTRICTS, "admin"),
    Layer("admin2", DISTRICTS * SUBDISTRICTS, "admin"),
)


def layer_values(layer: Layer, iso3: str) -> tuple[str, ...]:
    """The breakdown values of `layer` in `iso3`, in the order of the generated parts."""
    fixed = {
        "": ("",),
        "sex": SEXES,
        "age_group": AGE_GROUPS,
        "sex_age_group": tuple(f"{sex} {age}" for sex in SEXES for age in AGE_GROUPS),
        "disability": DISABILITY,
        "population_group": POPULATION_GROUPS,
        "implementing_partner": PARTNERS,
        "nationality": NATIONALITIES,
    }
    if layer.dim in fixed:
        return fixed[layer.dim]
    if layer.dim == "admin1":
        return tuple(f"{iso3}-{d:02d}" for d in range(1, DISTRICTS + 1))
    return tuple(f"{iso3}-{d:02d}-{s}" for d in range(1, DISTRICTS + 1) for s in range(1, SUBDISTRICTS + 1))
