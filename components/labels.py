"""Display names for the codes stored in the database (themes, partner types...)."""

from __future__ import annotations

from collections.abc import Callable

from components.i18n import N_

THEMES = {
    "people_trained": N_("People trained"),
    "community_ambassadors": N_("Community ambassadors"),
    "campaign_reach": N_("Campaign reach"),
    "outreach": N_("Outreach"),
    "partner_activities": N_("Partner activities"),
    "protection_assistance": N_("Protection assistance"),
    "return": N_("Return"),
    "reintegration": N_("Reintegration"),
    "satisfaction": N_("Satisfaction"),
    "programme": N_("Programme"),
    "data_collection": N_("Data collection"),
    "livelihoods": N_("Livelihoods"),
    "community_engagement": N_("Community engagement"),
    "policy": N_("Policy"),
    "mhpss": N_("Mental health and psychosocial support"),
    "social_cohesion": N_("Social cohesion"),
    "awareness": N_("Awareness"),
    "protection": N_("Protection"),
    "capacity_building": N_("Capacity building"),
    "tools": N_("Tools"),
    "coordination": N_("Coordination"),
}
PARTNER_TYPES = {
    "government": N_("Government"),
    "un_agency": N_("UN agency"),
    "international_ngo": N_("International NGO"),
    "local_ngo": N_("Local NGO"),
    "community_group": N_("Community group"),
    "private_sector": N_("Private sector"),
    "donor": N_("Donor"),
}
REGIONS = {
    "asia_pacific": N_("Asia and the Pacific"),
    "mena": N_("Middle East and North Africa"),
    "west_central_africa": N_("West and Central Africa"),
    "east_horn_africa": N_("East and Horn of Africa"),
}
CHANNELS = {
    "digital": N_("Digital"),
    "community": N_("Community"),
    "media": N_("Media"),
    "mixed": N_("Mixed"),
}
BREAKDOWNS = {
    "sex": N_("Sex"),
    "age_group": N_("Age group"),
    # Dimensions of the synthetic data (data_access/synthetic_spec.py); imports may use them too.
    "sex_age_group": N_("Sex and age group"),
    "disability": N_("Disability"),
    "population_group": N_("Population group"),
    "implementing_partner": N_("Implementing partner"),
    "nationality": N_("Nationality"),
    "admin1": N_("Administrative area (level 1)"),
    "admin2": N_("Administrative area (level 2)"),
}
# Values of breakdowns that have a name; others (age bands such as 0-17) show as stored.
BREAKDOWN_VALUES = {
    "female": N_("female"),
    "male": N_("male"),
    "with_disability": N_("with a disability"),
    "without_disability": N_("without a disability"),
    "migrants": N_("migrants"),
    "returnees": N_("returnees"),
    "host_community": N_("host community"),
    "displaced": N_("displaced people"),
}
UNITS = {
    "people": N_("people"),
    "percent": N_("percent"),
    "eur_million": N_("EUR million"),
    "countries": N_("countries"),
    "nationalities": N_("nationalities"),
    "organisations": N_("organisations"),
    "sessions": N_("sessions"),
    "taskforces": N_("task forces"),
    "initiatives": N_("initiatives"),
    "cooperatives": N_("cooperatives"),
    "flights": N_("flights"),
}
IMPORT_KINDS = {
    "reference": N_("Reference data"),
    "results": N_("Results"),
    "activities": N_("Activities"),
    "synthetic": N_("Synthetic data"),
}
LANGUAGES = {"en": N_("English"), "fr": N_("French"), "ar": N_("Arabic")}


def label(table: dict[str, str], code: str | None, t: Callable[[str], str]) -> str:
    """The translated name of `code`, or the code itself when it has none."""
    if not code:
        return ""
    return t(table[code]) if code in table else code.replace("_", " ")
