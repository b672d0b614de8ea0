"""Write a synthetic archive of wire stories for the benchmarks.

    python benchmarks/gen_corpus.py N DIR [--seed S] [--words W]

The stories follow docs/format.md (site date line, headline, byline, deck and caption,
dateline, body, trailers, site boilerplate) in four house styles, so the parser meets every
variant it meets in a real archive, and the index sees realistic term statistics. Everything
here is invented: the vocabulary, the sentence grammar, the people and most of the towns.

Speed matters (100,000 stories must take well under two minutes), so the per-word work is done
once: a seeded pool of sentences is built per topic, and each story is assembled by sampling
whole sentences from it and filling a handful of per-story placeholders (people, town, year).

Determinism: the pools depend only on the seed, and story ``i`` has its own ``Random`` seeded
from ``(seed, i)``. The same N and seed give byte-identical files, and a smaller corpus is a
prefix of a larger one with the same seed.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

FILES_PER_DIR = 1000
FIRST_DAY = dt.date(2005, 1, 1).toordinal()
LAST_DAY = dt.date(2025, 12, 31).toordinal()


def _words(text: str) -> list[str]:
    """Splits a word block; `_` inside an item stands for a space (`NEW_YORK`)."""
    return [item.replace("_", " ") for item in text.split()]


# --------------------------------------------------------------------------------------------
# Vocabulary. Each list is ordered from most to least common: samplers give rank r a weight of
# 1 / (r + 2) ** s, which yields a Zipf-like frequency curve over the whole corpus.
# Nouns: `a:b` gives an irregular plural, a trailing `!` marks a noun without one.
# Verbs: `base:past:participle` for irregular verbs, a trailing `+` doubles the last consonant.
# --------------------------------------------------------------------------------------------

_GENERAL_NOUNS = """
government official year city province community resident family plan program project report
people:people week month day time number money! funding! cost service system issue decision
change policy agreement deal meeting statement news! conference director president member group
organization agency department ministry committee board office staff! expert researcher data!
figure increase rise drop growth! level region area district neighbourhood site building
facility centre land! water! property process review inquiry audit recommendation proposal
request application permit approval delay deadline target goal effort step measure action
response situation case incident event crisis:crises risk safety! security! access! need demand
supply:supplies shortage pressure impact effect result reason evidence! question answer comment
interview letter document record history:histories future past generation country nation world
economy:economies industry:industries sector business market price job worker employee owner
customer consumer client user public! population youth:youth senior child:children parent
woman:women man:men neighbour volunteer leader partner stakeholder advocate critic supporter
opponent city_council:city_councils news_conference interest_rate:interest_rates public_health!
climate_change! health_care! social_media! real_estate! mental_health!
first_responder:first_responders town_hall:town_halls spokesperson:spokespeople minister premier
mayor councillor chief lawmaker taxpayer resource! tool challenge opportunity:opportunities
priority:priorities strategy:strategies framework network partnership investment contract budget
tax fee rate share percentage estimate survey poll study:studies analysis:analyses trend pattern
season summer winter spring fall! morning afternoon evening night weekend hour minute street
road neighbourhood_group downtown! waterfront! shoreline lot corner block route trip visit tour
official_plan community_centre library:libraries park playground arena pool rink hall church
school_board legislation! regulation requirement standard guideline rule law:laws bylaw motion
amendment vote debate hearing session sitting panel task_force:task_forces working_group council
campaign initiative pilot phase stage round wave spike surge decline slowdown
recovery:recoveries backlog gap surplus deficit shortfall windfall payment grant loan
subsidy:subsidies rebate credit! benefit allowance salary:salaries income revenue expense saving
loss profit household neighbourhood_association landowner homeowner operator contractor
consultant supplier provider partner_agency lawyer auditor regulator watchdog
ombudsman:ombudspersons commissioner inspector investigator spokeswoman:spokeswomen
spokesman:spokesmen representative delegate attendee participant applicant recipient
beneficiary:beneficiaries victim survivor witness resident_group family_member:family_members
elder chief_executive:chief_executives board_member
"""

_GENERAL_VERBS = """
say:said:said tell:told:told announce approve reject propose expect plan+ increase reduce
cut+:cut:cut raise lower spend:spent:spent invest build:built:built rebuild:rebuilt:rebuilt open
close launch begin+:began:begun end continue start finish complete delay extend expand review
examine investigate confirm deny:denied:denied report warn urge call ask demand hope need want
require allow prevent help support oppose criticize welcome meet:met:met discuss consider
decide agree vote pass introduce release publish receive provide offer give:gave:given
take:took:taken make:made:made find:found:found show:showed:shown see:saw:seen know:knew:known
think:thought:thought believe understand:understood:understood leave:left:left lose:lost:lost
win+:won:won hold:held:held keep:kept:kept bring:brought:brought buy:bought:bought
sell:sold:sold pay:paid:paid send:sent:sent lead:led:led grow:grew:grown rise~:rose:risen
fall~:fell:fallen drive:drove:driven write:wrote:written speak:spoke:spoken choose:chose:chosen
break:broke:broken hit+:hit:hit set+:set:set put+:put:put face affect address improve struggle~
manage operate hire train move return remain~ include involve create
develop design replace repair restore protect monitor track estimate predict respond arrive~
attend host celebrate honour mark remember recover survive die~ injure kill rescue evacuate
arrest charge convict appeal file sue settle negotiate sign ratify ban+ limit cap+ stop+ drop+
ship+ commit+ admit+ submit+ control+ transfer+ occur+~ step+~ top+ fund finance reopen
restructure reconsider reinstate renew revise update upgrade assess audit boost ease tighten
loosen double triple halve freeze:froze:frozen unveil outline detail highlight acknowledge
apologize~ resign~ retire~ appoint elect nominate defeat challenge defend praise blame accuse
question warn_of:warned_of:warned_of seek:sought:sought fight:fought:fought
"""

_GENERAL_ADJECTIVES = """
new federal provincial local municipal national international public private former current
recent major significant serious critical key main large small high low long short early late
final previous annual total average additional further similar
different strong weak rising growing ongoing temporary permanent full rural urban
northern southern eastern western coastal remote independent economic financial political
social environmental medical legal criminal civil commercial industrial residential affordable
expensive safe dangerous difficult clear possible likely available necessary important urgent
frustrated concerned worried confident optimistic disappointed pleased proud grateful
unprecedented historic record dramatic modest sharp steady gradual sudden unexpected
controversial popular senior young elderly vulnerable essential basic complex simple effective
successful costly lengthy brief extensive limited widespread regional seasonal daily weekly
monthly quarterly chronic acute severe mild massive tiny busy quiet empty crowded aging
outdated modern updated revised preliminary official unofficial confidential transparent
accountable responsible sustainable reliable stable volatile uncertain fragile resilient
"""

_ADVERBS = """
also still already recently previously quickly slowly sharply steadily largely finally
eventually immediately initially originally officially publicly privately reportedly
apparently quietly repeatedly formally temporarily unanimously abruptly narrowly
"""

_TOPICS: dict[str, dict[str, str]] = {
    "housing": {
        "nouns": """housing! home rent tenant landlord mortgage apartment developer zoning!
            affordability! construction! unit condo vacancy:vacancies eviction renovation shelter
            homelessness! encampment duplex townhouse rental lease builder housing_market!
            housing_starts! rent_control!""",
        "verbs": "rebuild:rebuilt:rebuilt renovate rent evict house rezone demolish subdivide",
        "adjs": "affordable residential vacant overcrowded unaffordable subsidized",
        "subjects": "tenants|landlords|developers|housing advocates|the housing authority",
    },
    "wildfire": {
        "nouns": """wildfire fire blaze evacuation smoke! firefighter crew drought flood storm
            rainfall! snowfall! hurricane wind temperature forecast heat! heat_wave:heat_waves
            evacuation_order:evacuation_orders air_quality! hectare water_bomber:water_bombers
            fire_ban:fire_bans lightning! ember""",
        "verbs": "burn spread:spread:spread contain battle flood ignite scorch threaten",
        "adjs": "out-of-control dry windy smoky scorched evacuated",
        "subjects": "firefighters|crews|forecasters|evacuees|the wildfire service",
    },
    "election": {
        "nouns": """election vote voter ballot campaign candidate party:parties riding poll seat
            legislature parliament opposition caucus bill platform nomination debate turnout!
            byelection polling_station:polling_stations majority:majorities minority:minorities
            swing_voter:swing_voters""",
        "verbs": "campaign~ elect re-elect nominate canvass poll concede endorse",
        "adjs": "electoral partisan undecided incumbent competitive bipartisan",
        "subjects": "voters|candidates|the opposition|party officials|pollsters",
    },
    "health": {
        "nouns": """hospital patient nurse doctor clinic vaccine virus outbreak surgery:surgeries
            emergency:emergencies physician pharmacy:pharmacies drug treatment diagnosis:diagnoses
            care! wait_time:wait_times emergency_room:emergency_rooms family_doctor:family_doctors
            paramedic ambulance infection bed health_authority:health_authorities""",
        "verbs": "treat diagnose vaccinate admit+ discharge infect prescribe screen",
        "adjs": "medical clinical contagious infectious surgical overwhelmed",
        "subjects": "nurses|doctors|patients|the health authority|hospital officials",
    },
    "courts": {
        "nouns": """court judge trial jury:juries lawyer charge sentence police! officer
            investigation suspect arrest victim warrant testimony verdict prosecutor defence!
            accused:accused courtroom bail! conviction plea sentencing!
            search_warrant:search_warrants
            police_chief:police_chiefs""",
        "verbs": """testify~:testified:testified plead~ acquit+ prosecute sentence detain
            allege indict""",
        "adjs": "guilty innocent judicial alleged fraudulent violent",
        "subjects": "police|prosecutors|the judge|defence lawyers|investigators",
    },
    "economy": {
        "nouns": """company:companies shareholder profit quarter investor stock price
            inflation! bank economist earnings! dividend analyst merger tariff export import
            interest_rate:interest_rates central_bank:central_banks recession
            unemployment! layoff consumer_spending! retail_sales! gross_domestic_product!""",
        "verbs": "invest trade export import merge acquire forecast:forecast:forecast slump",
        "adjs": "quarterly fiscal monetary bullish bearish inflationary",
        "subjects": "investors|economists|analysts|the central bank|shareholders",
    },
    "energy": {
        "nouns": """pipeline oil! gas! mine mineral lithium! refinery:refineries emissions!
            carbon! turbine solar_farm:solar_farms hydro_dam:hydro_dams grid electricity!
            utility:utilities
            barrel drilling! royalty:royalties carbon_tax:carbon_taxes wind_farm:wind_farms
            oil_sands! natural_gas!""",
        "verbs": "drill extract refine mine generate export power decommission",
        "adjs": "renewable nuclear offshore carbon-free greenhouse upstream",
        "subjects": "producers|the utility|mining companies|energy regulators|pipeline operators",
    },
    "transit": {
        "nouns": """transit! bus train rail! bridge highway road ferry:ferries airport flight
            passenger route station commuter traffic! sailing terminal light_rail!
            transit_line:transit_lines ridership! fare detour overpass toll rail_line:rail_lines""",
        "verbs": "commute~ reroute pave widen cancel delay board resurface",
        "adjs": "congested overdue electric cross-town high-speed stranded",
        "subjects": "commuters|the transit agency|passengers|transit officials|drivers",
    },
    "education": {
        "nouns": """school student teacher university:universities college tuition! classroom
            curriculum:curricula enrolment principal trustee graduate scholarship campus
            school_year:school_years school_board:school_boards kindergarten! exam semester
            faculty:faculties dormitory:dormitories""",
        "verbs": "teach:taught:taught enrol+ graduate study:studied:studied educate tutor",
        "adjs": "academic educational elementary post-secondary overcrowded bilingual",
        "subjects": "teachers|students|parents|the school board|university officials",
    },
    "fisheries": {
        "nouns": """fishery:fisheries harvester lobster crab salmon! boat wharf:wharves quota
            farm farmer crop harvest cattle:cattle grain! wheat! canola! dairy:dairies
            fishing_season:fishing_seasons catch trawler herring! livestock! orchard""",
        "verbs": "harvest fish plant seed irrigate graze~ spawn~ land",
        "adjs": "agricultural commercial offshore bumper drought-stricken seasonal",
        "subjects": "harvesters|farmers|fishers|fisheries officials|growers",
    },
    "sports": {
        "nouns": """team game season coach player goal playoff championship tournament league
            arena fan victory:victories defeat roster overtime! goaltender shootout
            home_game:home_games power_play:power_plays draft_pick:draft_picks medal athlete""",
        "verbs": """score coach skate~:skated:skated defeat clinch draft tie:tied:tied
            sweep:swept:swept""",
        "adjs": "athletic undefeated professional competitive scoreless champion",
        "subjects": "the home side|fans|the coach|players|league officials",
    },
    "environment": {
        "nouns": """species:species habitat park conservation! wildlife! bear caribou:caribou
            forest river lake pollution! watershed wetland shoreline
            invasive_species:invasive_species
            endangered_species:endangered_species protected_area:protected_areas algae!
            old-growth! spill""",
        "verbs": "conserve pollute protect restore contaminate replant migrate~",
        "adjs": "endangered invasive protected toxic ecological polluted",
        "subjects": "biologists|conservation groups|park officials|scientists|hunters",
    },
    "labour": {
        "nouns": """union strike worker contract wage negotiation bargaining! employer picket
            layoff pension shift overtime! lockout arbitration! grievance
            collective_agreement:collective_agreements
            strike_vote:strike_votes picket_line:picket_lines job_action! mediator""",
        "verbs": """strike:struck:struck bargain~ picket unionize mediate ratify
            lay_off:laid_off:laid_off""",
        "adjs": "unionized striking essential part-time unpaid tentative",
        "subjects": "workers|the union|union leaders|the employer|negotiators",
    },
    "technology": {
        "nouns": """data! privacy! software! app cyberattack network platform internet!
            artificial_intelligence! device broadband! startup smartphone algorithm chip
            data_breach:data_breaches cloud! server hacker encryption!""",
        "verbs": "hack encrypt download upload stream automate digitize program+",
        "adjs": "digital online wireless cyber automated encrypted",
        "subjects": "tech companies|users|developers|privacy advocates|hackers",
    },
    "municipal": {
        "nouns": """budget tax property:properties council councillor mayor deficit spending!
            levy:levies ratepayer bylaw service_cut:service_cuts property_tax:property_taxes
            snow_removal! garbage_collection! capital_plan:capital_plans reserve_fund:reserve_funds
            water_main:water_mains pothole sidewalk""",
        "verbs": "levy:levied:levied budget tax rezone amend plow pave table",
        "adjs": "municipal budgetary fiscal civic annual capital",
        "subjects": "council|councillors|city staff|ratepayers|the mayor",
    },
    "immigration": {
        "nouns": """immigration! refugee asylum! claim visa border newcomer permit citizenship!
            settlement asylum_seeker:asylum_seekers work_permit:work_permits
            permanent_resident:permanent_residents deportation sponsor migrant
            border_crossing:border_crossings""",
        "verbs": "immigrate~ deport resettle sponsor admit+ detain naturalize welcome",
        "adjs": "undocumented temporary foreign humanitarian irregular stateless",
        "subjects": "newcomers|refugees|border officials|settlement workers|immigration lawyers",
    },
    "culture": {
        "nouns": """festival museum artist exhibit film concert theatre gallery:galleries musician
            heritage! performance novel playwright audience album premiere sculpture
            arts_council:arts_councils heritage_site:heritage_sites""",
        "verbs": "perform exhibit premiere curate compose film paint sculpt",
        "adjs": "artistic cultural theatrical musical literary acclaimed",
        "subjects": "organizers|artists|festival-goers|the museum|curators",
    },
    "defence": {
        "nouns": """military:militaries soldier troop ally:allies treaty:treaties sanction
            embassy:embassies
            diplomat summit ceasefire aid! warship fighter_jet:fighter_jets peacekeeper
            armed_forces! defence_minister:defence_ministers base navy:navies""",
        "verbs": "deploy sanction negotiate withdraw:withdrew:withdrawn patrol+ mobilize arm",
        "adjs": "diplomatic military strategic bilateral multilateral armed",
        "subjects": "allies|diplomats|the military|defence officials|troops",
    },
}

_FIRST_NAMES = _words("""
Dana Ana Ben Lee Sam Ines Marc Tomas Priya Noor Elena Kofi Mateo Aiko Jonah Leila Farah Omar
Ravi Greta Hugo Iris Milo Nadia Owen Petra Quinn Rosa Silas Tessa Uma Victor Wren Yara Zane
Abel Bianca Cyrus Delia Emil Flora Gideon Hana Ivo Juno Kai Lina Magnus Nell Otto Pia Rhys
Selma Theo Ula Vera Willa Xavier Yusuf Zora Anouk Basil Camille Desmond Esme Felix Gwen Hal
Imogen Jasper Katya Lucien Maren Nico Odette Pascal Rowan Sabine Tobias Valentin Wanda Yves
Agnes Bruno Clara Dario Elise Fabian Gemma Henrik Ilse Joaquin
""")

_SURNAMES = _words("""
Wexler Holt Ruiz Park Roy Ashworth Balcombe Brantley Calloway Dunmore Ellery Fairbairn Galloway
Hartigan Ingleby Jarrow Kettering Lindqvist Marchetti Northcott Osterby Pellworth Quarrington
Radcliffe Stenhouse Thistlewood Underhill Vasquez-Moreau Whitlock Yardley Zabrowski Abernethy
Blackmore Corrigan Delacroix Eastwick Featherstone Gudmundsen Hollingsworth Iverson Jastrow
Kilbride Lachance Montcalm-Ryder Nakashima Okonkwo Pettigrew Quenneville Rasmussen Sauvageau
Tremblay-Hart Uchida Vandermeer Wojcik Yellowhorn Zeitlin Arceneaux Bellefleur Castellano
Dufresne Eberhardt Fontaine Gagnier Haldane Ibarra Janvier Kowalczyk Lafleur Mackenzie-Rhee
Nordquist Ouellette Prudhomme Ranganathan Saint-Amour Thibodeau Valcourt Waterhouse Achterberg
Brisebois Cardinal-Webb Desrosiers Emberley Fitzhenry Grenier Hoskins Ishikawa Jessop Kirkland
Lemieux-Ford Moberly Nightingale Ormsby Pilgrim Rutherford Sandoval Tenpenny Vickery
""")

# Reporters are a closed set so that author queries have real answers; the order is their
# prolificacy rank (the Zipf sampler gives the first few most of the bylines).
_REPORTERS = [f"{first} {last}" for first, last in zip(_FIRST_NAMES, _SURNAMES[::-1], strict=False)]

# Datelines as written; `_` stands for a space inside one place.
_CP_CITIES = _words("""
OTTAWA TORONTO MONTRÉAL QUÉBEC VANCOUVER CALGARY EDMONTON WINNIPEG HALIFAX REGINA SASKATOON
VICTORIA FREDERICTON CHARLOTTETOWN IQALUIT YELLOWKNIFE WHITEHORSE MONCTON SUDBURY KINGSTON
LONDON,_Ont. HAMILTON,_Ont. TROIS-RIVIÈRES,_Que. SHERBROOKE,_Que. GATINEAU,_Que. KELOWNA,_B.C.
NANAIMO,_B.C. LETHBRIDGE,_Alta. BRANDON,_Man. CORNER_BROOK,_N.L. ST._JOHN'S,_N.L. LÉVIS,_Que.
SAGUENAY,_Que. RIMOUSKI,_Que.
""")

_AP_PLACES = _words("""
NEW_YORK WASHINGTON CHICAGO LOS_ANGELES BRANDON_FALLS,_Vt. MILLBROOK,_N.Y. CEDAR_HOLLOW,_Ohio
PORT_ELSPETH,_Maine KESTREL_BAY,_Wash. RAVENSCRAG,_Mont. DUNMORE_SPRINGS,_Colo.
HARROW_POINT,_Mass. LAKE_TIMOTHY,_Minn. SILVER_GULCH,_Ariz. OAKHAVEN,_Ga. PELHAM_RIDGE,_Texas
WILLOW_CREEK,_Ore. GRANITE_CITY,_Wis. NEW_ALDER,_Calif. FAIRMONT_BEND,_Tenn.
SANTA_ROSALÍA,_N.M. ATLANTA DENVER SEATTLE BOSTON PHOENIX MIAMI
""")

_REUTERS_CITIES = _words("""
LONDON PARIS BERLIN TOKYO SINGAPORE FRANKFURT HAMBURG NEW_YORK WASHINGTON TORONTO OTTAWA
CALGARY SYDNEY MUMBAI JOHANNESBURG BRUSSELS GENEVA ZURICH MADRID ROME MEXICO_CITY SÃO_PAULO
BOGOTÁ SEOUL OSLO STOCKHOLM DUBAI NAIROBI
""")

_LOCAL_TOWNS = _words("""
Harrow_Point Millbrook_Station Cedar_Hollow Port_Elspeth Kestrel_Bay Ravenscrag Saint-Adélard
Lac-Brûlé Rivière-Noire Sainte-Odile Dunmore_Springs Alder_Crossing Pine_Narrows Fenwick_Mills
Gull_Harbour Hollis_Junction Iron_Lake Juniper_Flats Kingsmere Larkspur_Bay Marsh_Landing
North_Quill Otter_Creek Pembury Quarry_Hill Rook_Island Stonebridge Tamarack Upper_Vale
Vermilion_Sound Westerly Yarrow_Point Beaumont-sur-Lac Chambly-Est Port_Aubrey
""")

_LOCAL_PAPERS = _words("""
Harbour_Valley_Gazette The_Quill_Reporter Kestrel_Bay_Examiner The_Northern_Beacon
Tamarack_Times The_Valley_Record Gull_Harbour_Herald The_Lakeshore_Ledger
""")

_LOCAL_CITIES = [
    ("TORONTO", "Ont."),
    ("MONTRÉAL", "Que."),
    ("QUÉBEC", "Que."),
    ("HALIFAX", "N.S."),
    ("REGINA", "Sask."),
    ("SUDBURY", "Ont."),
    ("KELOWNA", "B.C."),
    ("RED DEER", "Alta."),
    ("SAINT JOHN", "N.B."),
    ("SUMMERSIDE", "P.E.I."),
]

_ORG_NAMES = _words("""
Northgate_Energy Calder_Mining Bluewater_Holdings Tamarack_Financial Pellworth_Foods
Arcadia_Rail Westerly_Telecom Harrow_Pharmaceuticals Osterby_Logistics Quillmark_Software
Stonebridge_Capital Vermilion_Airways
""")

_TITLES = _words("Mayor Premier Coun. Minister Chief Dr. Supt. Sgt. Prof. Judge")
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
# Spelled out rather than taken from `calendar`, whose names follow the locale.
_MONTHS = _words("January February March April May June July August September October")
_MONTHS += ["November", "December"]
_AP_MONTHS = _words("Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.")
_REUTERS_MONTHS = [m.rstrip(".") for m in _AP_MONTHS]
_NUMBER_WORDS = _words("two three four five six seven eight nine ten")
_COUNT_DETS = [*_NUMBER_WORDS, "dozens of", "hundreds of", "some", "many"]


# --------------------------------------------------------------------------------------------
# Morphology: regular rules plus the irregular forms written into the lists above.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Noun:
    """A noun with its plural, so that agreement is right without per-story work."""

    sg: str
    pl: str
    countable: bool


@dataclass(frozen=True, slots=True)
class Verb:
    """Every form a verb needs, so the corpus holds rebuild/rebuilds/rebuilding/rebuilt."""

    base: str
    s: str
    past: str
    pp: str
    ing: str
    transitive: bool


def _plural(word: str) -> str:
    """English plural of the last word of a compound, which is the one that inflects."""
    head, _, last = word.rpartition(" ")
    if last.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _parse_nouns(text: str) -> list[Noun]:
    """Reads the compact noun notation; underscores join compounds like `city_council`."""
    nouns: dict[str, Noun] = {}
    for item in text.split():
        uncountable = item.endswith("!")
        item = item.rstrip("!").replace("_", " ")
        if ":" in item:
            sg, pl = item.split(":")
            noun = Noun(sg, pl, True)
        elif uncountable:
            noun = Noun(item, item, False)
        else:
            noun = Noun(item, _plural(item), True)
        nouns.setdefault(noun.sg, noun)
    return list(nouns.values())


def _inflect(verb: str, double: bool) -> tuple[str, str, str]:
    """(third person, past, present participle) of a regular verb; `lay off` inflects `lay`."""
    w, space, rest = verb.partition(" ")
    rest = space + rest
    if w.endswith(("s", "x", "z", "ch", "sh", "o")):
        s = w + "es"
    elif w.endswith("y") and w[-2:-1] not in "aeiou":
        s = w[:-1] + "ies"
    else:
        s = w + "s"
    if double:
        past, ing = w + w[-1] + "ed", w + w[-1] + "ing"
    elif w.endswith("ie"):
        past, ing = w + "d", w[:-2] + "ying"
    elif w.endswith("ee"):
        past, ing = w + "d", w + "ing"
    elif w.endswith("e"):
        past, ing = w + "d", w[:-1] + "ing"
    elif w.endswith("y") and w[-2:-1] not in "aeiou":
        past, ing = w[:-1] + "ied", w + "ing"
    else:
        past, ing = w + "ed", w + "ing"
    return s + rest, past + rest, ing + rest


def _parse_verbs(text: str) -> list[Verb]:
    """Reads the compact verb notation; irregular pasts come from the list itself."""
    verbs = []
    for item in text.split():
        double = "+" in item
        transitive = "~" not in item
        parts = item.replace("+", "").replace("~", "").replace("_", " ").split(":")
        base = parts[0]
        s, past, ing = _inflect(base, double)
        if len(parts) == 3:
            past, pp = parts[1], parts[2]
        else:
            pp = past
        verbs.append(Verb(base, s, past, pp, ing, transitive))
    return verbs


# --------------------------------------------------------------------------------------------
# Sampling helpers.
# --------------------------------------------------------------------------------------------


class _Zipf(Generic[T]):
    """Draws items with weight 1 / (rank + 2) ** s: a handful are common, most are rare."""

    def __init__(self, items: Sequence[T], s: float = 1.0) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(1.0 / (r + 2) ** s for r in range(len(self.items))))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


@dataclass(slots=True)
class _Lexicon:
    """The samplers one topic's sentences draw from (topic words mixed with general ones)."""

    nouns: _Zipf[Noun]
    verbs: _Zipf[Verb]
    adjs: _Zipf[str]
    gen_nouns: _Zipf[Noun]
    gen_verbs: _Zipf[Verb]
    gen_adjs: _Zipf[str]
    adverbs: _Zipf[str]
    subjects: list[str]
    topic_share: float

    def noun(self, rng: random.Random) -> Noun:
        return self.nouns(rng) if rng.random() < self.topic_share else self.gen_nouns(rng)

    def verb(self, rng: random.Random) -> Verb:
        return self.verbs(rng) if rng.random() < self.topic_share * 0.7 else self.gen_verbs(rng)

    def tverb(self, rng: random.Random) -> Verb:
        """A verb that takes an object, for the slots where an object follows."""
        while True:
            verb = self.verb(rng)
            if verb.transitive:
                return verb

    def adj(self, rng: random.Random) -> str:
        return self.adjs(rng) if rng.random() < self.topic_share * 0.5 else self.gen_adjs(rng)


_G_NOUNS = _parse_nouns(_GENERAL_NOUNS)
_G_VERBS = _parse_verbs(_GENERAL_VERBS)
_G_ADJS = _GENERAL_ADJECTIVES.split()
_ADVS = _ADVERBS.split()
_TOPIC_NAMES = list(_TOPICS)
_TOPIC_NOUNS = {t: _parse_nouns(v["nouns"]) for t, v in _TOPICS.items()}
_TOPIC_VERBS = {t: _parse_verbs(v["verbs"]) for t, v in _TOPICS.items()}
_TOPIC_ADJS = {t: v["adjs"].split() for t, v in _TOPICS.items()}


def _lexicon(topic: str | None) -> _Lexicon:
    """Topic words take about half the noun slots, which is what makes topics searchable."""
    if topic is None:
        nouns, verbs, adjs, subjects, share = _G_NOUNS, _G_VERBS, _G_ADJS, [], 0.0
    else:
        nouns, verbs, adjs = _TOPIC_NOUNS[topic], _TOPIC_VERBS[topic], _TOPIC_ADJS[topic]
        subjects, share = _TOPICS[topic]["subjects"].split("|"), 0.5
    return _Lexicon(
        nouns=_Zipf(nouns, 0.8),
        verbs=_Zipf(verbs, 0.8),
        adjs=_Zipf(adjs, 0.8),
        gen_nouns=_Zipf(_G_NOUNS, 1.05),
        gen_verbs=_Zipf(_G_VERBS, 1.0),
        gen_adjs=_Zipf(_G_ADJS, 1.0),
        adverbs=_Zipf(_ADVS, 1.0),
        subjects=subjects,
        topic_share=share,
    )


# --------------------------------------------------------------------------------------------
# The sentence grammar. Placeholders filled per story: {A} {B} (surnames), {FA} (full name),
# {TA} (A's title), {T} (town), {O} (organisation), {Y} (year) and {Y1} (the year before).
# --------------------------------------------------------------------------------------------


def _article(word: str) -> str:
    """`a` or `an`, by sound rather than spelling where it is cheap to get right."""
    if word[:1] in "aeio" or (word[:1] == "u" and not word.startswith(("uni", "use", "usu"))):
        return "an"
    return "an" if word.startswith(("hour", "honour")) else "a"


def _is_plural(subject: str) -> bool:
    """Good enough for the subjects this grammar makes: `officials` yes, `the news` no."""
    if subject.startswith(("the ", "The ", "{")):
        return False
    return subject.endswith("s") or subject.split(" ")[-1] in ("police", "people", "children")


_WHEN = ["", "", " on {wd}", " this week", " Thursday", " on Monday", " Tuesday", " last week"]
_OPENERS = [
    "Earlier this week",
    "On Tuesday",
    "Last year",
    "In a statement",
    "Meanwhile",
    "However",
    "Still",
    "In {T}",
    "At the same time",
    "For now",
    "Since then",
]
_SAYS = ["said", "says", "told reporters", "said in a statement", "added"]
_INSTITUTIONS = [
    "the province",
    "the city",
    "the government",
    "the ministry",
    "the council",
    "the agency",
    "the company",
    "the committee",
    "Ottawa",
    "the federal government",
]
_GROUPS = ["officials", "residents", "critics", "advocates", "experts", "researchers"]
_PPS = [
    " in {T}",
    " across the province",
    " over the next {n} years",
    " by the end of the year",
    " after {np}",
    " for {np}",
    " since {Y1}",
    " on {wd}",
    " last week",
    " earlier this month",
    " this spring",
    " before the winter",
    " near {T}",
    " in the coming months",
    " despite {np}",
    " under {np}",
    " with {np}",
    " at {np}",
]


class _Grammar:
    """Builds one topic's sentences; it sees only its lexicon and rng, never a story."""

    def __init__(self, lex: _Lexicon, rng: random.Random) -> None:
        self.lex = lex
        self.rng = rng

    # noun phrases ---------------------------------------------------------------------------
    def countable(self) -> Noun:
        while True:
            noun = self.lex.noun(self.rng)
            if noun.countable:
                return noun

    def np(self, plural: bool | None = None) -> str:
        rng, lex = self.rng, self.lex
        noun = lex.noun(rng)
        if plural is None:
            plural = noun.countable and rng.random() < 0.4
        elif plural and not noun.countable:
            noun = self.countable()
        word = noun.pl if plural else noun.sg
        if rng.random() < 0.4:
            word = f"{lex.adj(rng)} {word}"
        r = rng.random()
        if plural:
            if r < 0.8:
                det = rng.choice(["the", "", "their", "more", "its", "new", "those", "other"])
            else:
                det = rng.choice(_COUNT_DETS)
        elif not noun.countable:
            det = rng.choice(["the", "the", "", "its", "their", "more"])
        elif r < 0.55:
            det = "the"
        elif r < 0.85:
            det = _article(word)
        else:
            det = rng.choice(["its", "their", "this", "that", "another", "the town’s"])
        return f"{det} {word}" if det else word

    def subject(self) -> tuple[str, bool]:
        """A subject and whether it is plural, so the verb can agree with it."""
        rng = self.rng
        r = rng.random()
        if r < 0.2:
            subject = rng.choice(["{A}", "{TA} {A}", "{B}", "{O}"])
        elif r < 0.34 and self.lex.subjects:
            subject = rng.choice(self.lex.subjects)
        elif r < 0.5:
            subject = rng.choice(_GROUPS)
        elif r < 0.65:
            subject = rng.choice(_INSTITUTIONS)
        else:
            plural = rng.random() < 0.4
            return self.np(plural), plural
        return subject, _is_plural(subject)

    # verb phrases ---------------------------------------------------------------------------
    def vp(self, plural: bool) -> str:
        rng = self.rng
        verb = self.lex.verb(rng)
        r = rng.random()
        if r < 0.32:
            core = verb.past
            if rng.random() < 0.2:
                core = f"{self.lex.adverbs(rng)} {core}"
        elif r < 0.46:
            core = f"{'have' if plural else 'has'} {verb.pp}"
        elif r < 0.58:
            core = f"{'are' if plural else 'is'} {verb.ing}"
        elif r < 0.7:
            core = f"will {verb.base}"
        elif r < 0.78:
            core = f"{rng.choice(['could', 'would', 'should', 'may', 'must'])} {verb.base}"
        elif r < 0.88:
            aux = rng.choice(["plans", "wants", "hopes", "expects", "needs", "is set"])
            if plural:
                aux = "are set" if aux == "is set" else aux.removesuffix("s")
            core = f"{aux} to {verb.base}"
        else:
            core = verb.base if plural else verb.s
        if not verb.transitive:
            return core + rng.choice(["", "", " sharply", " again", " quickly", " on Friday"])
        return f"{core} {self.np()}"

    def pp(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            return ""
        pp = rng.choice(_PPS)
        if "{np}" in pp:
            pp = pp.replace("{np}", self.np())
        elif "{n}" in pp:
            pp = pp.replace("{n}", rng.choice(_NUMBER_WORDS[:8]))
        elif "{wd}" in pp:
            pp = pp.replace("{wd}", rng.choice(_WEEKDAYS[:5]))
        return pp

    def clause(self) -> str:
        subject, plural = self.subject()
        return f"{subject} {self.vp(plural)}{self.pp()}"

    def quote_clause(self) -> str:
        rng, lex = self.rng, self.lex
        r = rng.random()
        verb = lex.tverb(rng)
        if r < 0.2:
            need = rng.choice(["need to", "have to", "want to", "are going to", "can’t"])
            return f"We {need} {verb.base} {self.np()}"
        if r < 0.35:
            adj = lex.adj(rng)
            what = rng.choice(["day", "time", "moment", "situation", "decision"])
            return f"It’s {_article(adj)} {adj} {what} for {self.np()}"
        if r < 0.5:
            return f"I think {self.clause()}"
        if r < 0.6:
            return f"There’s {self.np(False)} here"
        if r < 0.7:
            mood = rng.choice(["worried", "frustrated", "angry", "relieved", "tired", "hopeful"])
            return f"People {rng.choice(['are', 'were'])} {mood} about {self.np()}"
        if r < 0.8:
            return f"We’ve {verb.pp} {self.np()}{self.pp()}"
        if r < 0.96:
            return f"This {rng.choice(['is', 'was', 'isn’t', 'wasn’t'])} about {self.np()}"
        return f"Nobody {verb.s} {self.np()} overnight"

    # sentence types -------------------------------------------------------------------------
    def lead(self) -> str:
        """A statement-shaped opening, which is what a wire story's first paragraph is."""
        rng = self.rng
        subject, plural = self.subject()
        when = rng.choice(_WHEN).replace("{wd}", rng.choice(_WEEKDAYS[:5]))
        text = f"{subject} {self.vp(plural)}{when}"
        if rng.random() < 0.5:
            what = rng.choice(["a move", "a decision", "a step", "a plan"])
            how = rng.choice(["comes amid", "follows", "could affect", "has drawn"])
            text += f", {what} that {how} {self.np()}"
        else:
            text += self.pp()
        return _cap(text) + "."

    def sentence(self) -> str:
        rng, lex = self.rng, self.lex
        r = rng.random()
        if r < 0.25:
            return _cap(self.clause()) + "."
        if r < 0.38:
            who = rng.choice(["{A}", "{B}", "{TA} {A}", "a spokesperson for {O}", "{FA}"])
            return f"“{self.quote_clause()},” {who} {rng.choice(_SAYS)}."
        if r < 0.47:
            who = rng.choice(["{A}", "{B}", "{TA} {A}", "Officials", "The report", "{O}"])
            verb = rng.choice(["said", "noted", "warned", "argued", "estimated"])
            if who != "Officials" and rng.random() < 0.3:
                verb = "says"
            return f"{who} {verb} {self.clause()}."
        if r < 0.54:
            return f"{_cap(self.clause())}, {rng.choice(['{A}', '{B}', 'officials'])} said."
        if r < 0.59:
            noun = self.countable()
            verb = rng.choice(["rose", "fell", "increased", "dropped", "climbed", "declined"])
            return (
                f"The number of {noun.pl} {verb} {self.number()} per cent{self.pp()}, "
                f"according to {self.np(False)}."
            )
        if r < 0.63:
            basis = rng.choice(["according to", "officials said, citing", "based on"])
            return f"{_cap(self.np(False))} will cost about {self.money()}, {basis} {self.np()}."
        if r < 0.67:
            years_ago = rng.choice(["1", "5", "9"])
            return f"{_cap(self.np(False))} was first {lex.tverb(rng).pp} in {{Y{years_ago}}}."
        if r < 0.73:
            return f"{rng.choice(_OPENERS)}, {self.clause()}."
        if r < 0.78:
            subject, plural = self.subject()
            return f"But {subject} {self.vp(plural)}, saying {self.clause()}."
        if r < 0.83:
            did = f"{lex.tverb(rng).past} {self.np()}{self.pp()}"
            return f"{{A}}, who {did}, said {self.clause()}."
        if r < 0.86:
            return f"It is not the first time {self.np(False)} has {lex.tverb(rng).pp} {self.np()}."
        if r < 0.89:
            return f"“{self.quote_clause()}. {self.quote_clause()},” said {{TA}} {{A}}."
        if r < 0.92:
            who = rng.choice(["{O}", "The ministry", "A spokesperson for the city", "{B}"])
            how = rng.choice(["did not respond to", "declined", "did not immediately respond to"])
            when = rng.choice(["", f" on {rng.choice(_WEEKDAYS[:5])}", " by deadline"])
            return f"{who} {how} a request for comment{when}."
        if r < 0.96:
            plural = rng.random() < 0.4
            be = rng.choice(["will be", "could be", "have been" if plural else "has been"])
            return f"{_cap(self.np(plural))} {be} {lex.tverb(rng).pp}{self.pp()}."
        plural = rng.random() < 0.4
        verb = lex.tverb(rng)
        return (
            f"{_cap(self.np(plural))} {'are' if plural else 'is'} expected to {verb.base} "
            f"{self.np()}{self.pp()}."
        )

    def number(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            return str(rng.randint(2, 60))
        return f"{rng.randint(1, 30)}.{rng.randint(1, 9)}"

    def money(self) -> str:
        rng = self.rng
        unit = rng.choice(["million", "million", "billion", "thousand"])
        cents = "" if rng.random() < 0.6 else f".{rng.randint(1, 9)}"
        return f"${rng.randint(1, 900)}{cents} {unit}"

    def headline(self) -> str:
        rng, lex = self.rng, self.lex
        verb, noun, noun2 = lex.tverb(rng), self.countable(), lex.noun(rng)
        subject = rng.choice(
            [*lex.subjects, "council", "province", "Ottawa", "officials", "residents", "{O}"]
        )
        plural = _is_plural(subject)
        r = rng.random()
        if r < 0.3:
            what = rng.choice(["plan", "rules", "program", "deal", "review", "funding"])
            text = f"{subject} {verb.base if plural else verb.s} {noun.sg} {what}"
        elif r < 0.5:
            where = rng.choice([f" after {noun2.sg}", " in {T}", " by {Y}", ""])
            text = f"{subject} to {verb.base} {noun.pl}{where}"
        elif r < 0.65:
            count = rng.choice(_NUMBER_WORDS[:6])
            text = f"{count} {noun.pl} {verb.pp} in {{T}} {noun2.sg}"
        elif r < 0.8:
            says = "say" if plural else "says"
            text = f"{subject} {says} {noun.sg} {verb.s} {lex.adj(rng)} {noun2.pl}"
        elif r < 0.9:
            react = rng.choice(["worry", "wait", "look for answers", "push back"])
            text = f"as {noun.sg} {verb.s}, {noun.pl if noun2.sg == noun.sg else noun2.pl} {react}"
        else:
            does = rng.choice(["leaves", "puts", "brings"])
            where = rng.choice(["in limbo", "on edge", "under strain", "to a halt"])
            text = f"{lex.adj(rng)} {noun.sg} {does} {noun2.pl} {where}"
        return _cap(text)

    def caption(self) -> str:
        """A photo caption minus its date and credit, which the story adds."""
        rng, lex = self.rng, self.lex
        people = ["a crew", "a worker", "{TA} {FA}", "residents", "a woman", "a man", "volunteers"]
        who = rng.choice([*people, *lex.subjects])
        verb = lex.tverb(rng)
        return _cap(f"{who} {verb.base if _is_plural(who) else verb.s} {self.np()} in {{T}}")


def _cap(text: str) -> str:
    """Upper-cases the first letter only, so `{A}` placeholders and acronyms survive."""
    return text[:1].upper() + text[1:] if text else text


# --------------------------------------------------------------------------------------------
# Pools: built once per seed. Each entry is (text, word count) so stories can be cut to length
# without re-splitting any text.
# --------------------------------------------------------------------------------------------

_POOL_SENTENCES = 1400
_POOL_LEADS = 250
_POOL_HEADLINES = 250
_POOL_CAPTIONS = 120
_GENERAL_SENTENCES = 3000


@dataclass(slots=True)
class _Pools:
    sentences: dict[str | None, list[tuple[str, int]]]
    leads: dict[str, list[str]]
    headlines: dict[str, list[str]]
    captions: dict[str, list[str]]


def _tidy(text: str) -> str:
    """Collapses doubled spaces and fixes `a` before vowels that a substitution created."""
    text = re.sub(r"  +", " ", text)
    return re.sub(r"\b([Aa]) ([aeio])", r"\1n \2", text)


_POOL_CACHE: dict[int, _Pools] = {}


def _pools(seed: int) -> _Pools:
    """Per-word sampling happens only here, once per seed, and is cached for reuse."""
    if seed in _POOL_CACHE:
        return _POOL_CACHE[seed]
    rng = random.Random(f"termnews-pools-{seed}")
    sentences: dict[str | None, list[tuple[str, int]]] = {}
    leads: dict[str, list[str]] = {}
    headlines: dict[str, list[str]] = {}
    captions: dict[str, list[str]] = {}
    for topic in [None, *_TOPIC_NAMES]:
        grammar = _Grammar(_lexicon(topic), rng)
        count = _GENERAL_SENTENCES if topic is None else _POOL_SENTENCES
        pool = []
        for _ in range(count):
            text = _tidy(grammar.sentence())
            pool.append((text, text.count(" ") + 1))
        sentences[topic] = pool
        if topic is not None:
            leads[topic] = [_tidy(grammar.lead()) for _ in range(_POOL_LEADS)]
            headlines[topic] = [_tidy(grammar.headline()) for _ in range(_POOL_HEADLINES)]
            captions[topic] = [_tidy(grammar.caption()) for _ in range(_POOL_CAPTIONS)]
    pools = _Pools(sentences, leads, headlines, captions)
    _POOL_CACHE[seed] = pools
    return pools


def sentence_pool(seed: int = 42) -> list[str]:
    """Every body sentence the generator can emit for `seed`, with placeholders unfilled."""
    pools = _pools(seed)
    return [text for pool in pools.sentences.values() for text, _ in pool]


# --------------------------------------------------------------------------------------------
# Dates in the forms docs/format.md lists.
# --------------------------------------------------------------------------------------------


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _ap_date(d: dt.date) -> str:
    return f"{_AP_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _long_date(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _clock(rng: random.Random, upper: bool) -> str:
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    ampm = rng.choice(["am", "pm"])
    return f"{hour}:{minute:02d} {ampm.upper() if upper else ampm}"


def _site_date(d: dt.date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return f"{_MONTHS[d.month - 1]} {_ordinal(d.day)}, {d.year}"
    if r < 0.55:
        return _long_date(d)
    if r < 0.65:
        return _ap_date(d)
    if r < 0.75:
        return f"{_MONTHS[d.month - 1][:3]} {d.day} {d.year} {_clock(rng, False)}"
    if r < 0.85:
        return d.isoformat()
    if r < 0.9:
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_ap_date(d)} {_clock(rng, True)} {rng.choice(['EST', 'EDT', 'PST', 'MST', 'AST'])}"


# --------------------------------------------------------------------------------------------
# Stories.
# --------------------------------------------------------------------------------------------

_REPORTER_ZIPF = _Zipf(_REPORTERS, 0.9)
_TOPIC_ZIPF = _Zipf(_TOPIC_NAMES, 0.5)
_STYLES = ["cp", "ap", "reuters", "local"]
_STYLE_WEIGHTS = list(itertools.accumulate([0.4, 0.22, 0.18, 0.2]))
_BOILERPLATE = [
    "Share this story:",
    "Advertisement",
    "Notify of",
    "Related Stories",
    "View all comments",
    "Inline Feedbacks",
]


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    for _ in range(count):
        name = _REPORTER_ZIPF(rng)
        if name not in names:
            names.append(name)
    return names


def _join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (" and " if len(names) == 2 else ", and ") + names[-1]


def _person(rng: random.Random) -> tuple[str, str]:
    """A (first name, surname) for people quoted in a story; never one of the real people."""
    return rng.choice(_FIRST_NAMES), rng.choice(_SURNAMES)


def _wrap(paragraph: str, width: int) -> str:
    """Hard-wraps like old wire copy; cheaper than textwrap for the few stories that need it."""
    lines: list[str] = []
    line: list[str] = []
    size = 0
    for word in paragraph.split(" "):
        if size + len(word) > width and line:
            lines.append(" ".join(line))
            line, size = [], 0
        line.append(word)
        size += len(word) + 1
    lines.append(" ".join(line))
    return "\n".join(lines)


@dataclass(slots=True)
class _Draft:
    """A story before its placeholders are filled and its bytes written."""

    site_date: str | None
    headline: str
    front: list[str]
    """byline and deck, between the headline and the body"""
    body: list[str]
    trailers: list[str]
    boilerplate: list[str]
    subs: dict[str, str]
    noise: float
    day: dt.date
    topic: str
    dateline: str


def _compose(index: int, seed: int, words: int, pools: _Pools) -> _Draft:
    """One original story; its own Random keeps it independent of every other story."""
    rng = random.Random((seed << 40) ^ (index * 0x9E3779B1))
    topic = _TOPIC_ZIPF(rng)
    other = _TOPIC_ZIPF(rng)
    style = _STYLES[bisect.bisect(_STYLE_WEIGHTS, rng.random() * _STYLE_WEIGHTS[-1])]
    day = dt.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY))

    first_a, last_a = _person(rng)
    _, last_b = _person(rng)
    title = rng.choice(_TITLES)
    town = rng.choice(_LOCAL_TOWNS)
    org = rng.choice(_ORG_NAMES)

    site_date = None
    if rng.random() < 0.96:
        site_date = _site_date(day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2])), rng)
    headline = rng.choice(pools.headlines[topic])
    if rng.random() < 0.04 or (style == "ap" and day.year < 2010 and rng.random() < 0.4):
        headline = headline.upper()
    if style == "reuters" and topic == "economy" and rng.random() < 0.6:
        ticker = "".join(ch for ch in org if ch.isupper())[:3] + rng.choice([".TO", ".N", ".L"])
        headline = f"{org} <{ticker}> {headline[0].lower()}{headline[1:]}"
    parts: list[str] = []

    # Byline, dateline and trailers in the house style.
    authors = _names(rng, 1 if rng.random() < 0.7 else rng.choice([2, 2, 3]))
    trailers: list[str] = []
    credit_agency = ""
    if style == "cp":
        byline = f"By {_join_names(authors)}, The Canadian Press"
        if rng.random() < 0.7:
            byline += f" on {_long_date(day)}."
        city = rng.choice(_CP_CITIES)
        dateline = f"{city} {rng.choice(['–', '–', '—'])} "
        credit_agency = "THE CANADIAN PRESS/"
        trailers.append(f"This report by The Canadian Press was first published {_ap_date(day)}.")
        if rng.random() < 0.3:
            trailers.append(f"– With files from {_join_names(_names(rng, rng.choice([1, 2])))}")
    elif style == "ap":
        names = _join_names(authors)
        byline = f"By {names.upper() if rng.random() < 0.5 else names}, Associated Press"
        dateline = f"{rng.choice(_AP_PLACES)} (AP) — "
        credit_agency = "AP PHOTO/" if rng.random() < 0.6 else "AP Photo/"
        if rng.random() < 0.4:
            trailers.append(
                f"Associated Press writer {_names(rng, 1)[0]} in {rng.choice(_AP_PLACES).title()} "
                "contributed to this report."
            )
        trailers.append(f"Copyright {day.year} The Associated Press. All rights reserved.")
    elif style == "reuters":
        byline = f"By {_join_names(authors)}"
        city = rng.choice(_REUTERS_CITIES)
        dateline = f"{city}, {_REUTERS_MONTHS[day.month - 1]} {day.day} (Reuters) - "
        credit_agency = "REUTERS/"
        reporting = f"Reporting by {_join_names(authors)}"
        if rng.random() < 0.4:
            reporting += f"; Additional reporting by {_names(rng, 1)[0]}"
        trailers.append(f"({reporting}; Editing by {_join_names(_names(rng, rng.choice([1, 2])))})")
    else:
        role = rng.choice(
            [
                "Local Journalism Initiative Reporter",
                "Staff",
                "Staff Reporter",
                "Special to the Gazette",
            ]
        )
        byline = f"By {authors[0]}, {role}"
        r = rng.random()
        if r < 0.4:
            dateline = ""
        elif r < 0.7:
            dateline = f"{town.upper()} — "
        else:
            city, prov = rng.choice(_LOCAL_CITIES)
            dateline = f"{city}, {prov} {rng.choice(['—', '--', '-'])} "
        credit_agency = ""
    if rng.random() < 0.93:
        parts.append(byline)

    lead = rng.choice(pools.leads[topic])

    # Deck and caption: one pasted paragraph that ends in a photo credit.
    if rng.random() < 0.3:
        summary = rng.choice(pools.sentences[topic])[0] if rng.random() < 0.5 else lead
        cap_day = day - dt.timedelta(days=rng.randint(0, 3))
        weekday = _WEEKDAYS[cap_day.weekday()]
        caption = f"{rng.choice(pools.captions[topic])}, {weekday}, {_ap_date(cap_day)}."
        photographer = " ".join(_person(rng))
        if credit_agency:
            credit = f"{credit_agency}{photographer}"
        else:
            credit = f"(Photo: {photographer}/{rng.choice(_LOCAL_PAPERS)})"
        parts.append(f"{summary} {caption} {credit}")

    # Body: whole sentences sampled from the topic pool, a related topic and the general pool.
    target = max(40, rng.randint(words // 2, words * 3 // 2) - 55)
    main_pool, other_pool, gen_pool = (
        pools.sentences[topic],
        pools.sentences[other],
        pools.sentences[None],
    )
    k = target // 12 + 4
    picks = (
        rng.sample(main_pool, k=min(k * 3 // 4, len(main_pool)))
        + rng.choices(gen_pool, k=k // 6 + 1)
        + rng.choices(other_pool, k=k // 10 + 1)
    )
    rng.shuffle(picks)
    # Past the sampled picks (only for very long --words) repeats are unavoidable, so draw on.
    stream = itertools.chain(picks, iter(lambda: rng.choice(main_pool), None))
    sizes = rng.choices((1, 2, 3), (5, 4, 1), k=32)
    body: list[str] = []
    paragraph = [lead]
    total = lead.count(" ") + 1
    size = 1
    for text, count in stream:
        if total >= target:
            break
        if len(paragraph) >= size:
            body.append(" ".join(paragraph))
            paragraph, size = [], sizes[len(body) % 32]
        paragraph.append(text)
        total += count
    body.append(" ".join(paragraph))
    body[0] = dateline + body[0]
    if rng.random() < 0.05 and len(body) > 4:
        body.insert(len(body) // 2, "Advertisement")

    boilerplate: list[str] = []
    if (style == "local" and rng.random() < 0.7) or rng.random() < 0.15:
        start = rng.randint(0, 3)
        boilerplate = _BOILERPLATE[start : start + rng.randint(2, 4)]
    subs = {
        "{FA}": f"{first_a} {last_a}",
        "{TA}": title,
        "{A}": last_a,
        "{B}": last_b,
        "{T}": town,
        "{O}": org,
        "{Y}": str(day.year),
        "{Y1}": str(day.year - 1),
        "{Y5}": str(day.year - 5),
        "{Y9}": str(day.year - 9),
    }
    noise = rng.random()
    return _Draft(
        site_date, headline, parts, body, trailers, boilerplate, subs, noise, day, topic, dateline
    )


# --------------------------------------------------------------------------------------------
# Copies: reprints of an earlier story, and templated stories that only look alike.
# --------------------------------------------------------------------------------------------

#: Share of stories that reprint an earlier one (the same body under another headline, site
#: date line and boilerplate, sometimes with one word changed or a trailer added).
REPRINT_SHARE = 0.06
#: How far back a reprint's source may lie: wire copy is reprinted within days.
REPRINT_REACH = 300
#: Share of stories whose whole body is an earnings template with figures of their own
#: (near-misses: alike in layout, different in every figure, never copies).
TEMPLATE_SHARE = 0.02
_ADDED_TRAILERS = [
    "This story has been corrected to show the meeting is on {Y}.",
    "An earlier version of this story gave the wrong name for {O}.",
    "Editor's note: {O} did not respond to requests for comment before publication.",
    "With files from {FA}.",
    "Have a news tip? Write to the newsroom.",
]
_SEGMENTS = _words("""
retail wholesale freight marine energy health_care software hardware mining forestry
insurance leasing catering publishing transit farming
""")
_QUARTERS = ["first-quarter", "second-quarter", "third-quarter", "fourth-quarter"]


def _figure(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.1f}"


def _templated(draft: _Draft, rng: random.Random, words: int) -> _Draft:
    """The draft with an earnings-template body: the layout of every such story, its figures."""
    quarter = rng.choice(_QUARTERS)
    lines = [
        f"{{O}} reported a {quarter} profit of {_figure(rng, 1, 900)} million dollars, or "
        f"{rng.randint(2, 240)} cents a share, compared with {_figure(rng, 1, 900)} million "
        f"dollars, or {rng.randint(2, 240)} cents a share, a year earlier.",
        f"Revenue was {_figure(rng, 10, 5000)} million dollars, against "
        f"{_figure(rng, 10, 5000)} million dollars in the same quarter of {{Y1}}.",
    ]
    segments = rng.sample(_SEGMENTS, k=len(_SEGMENTS))
    target = max(60, rng.randint(words // 2, words * 3 // 2) - 55)
    total = sum(line.count(" ") + 1 for line in lines)
    for segment in itertools.cycle(segments):
        if total >= target:
            break
        verb = rng.choice(["rose", "fell"])
        line = (
            f"Sales in the {segment} division {verb} {rng.randint(1, 40)} percent to "
            f"{_figure(rng, 1, 900)} million dollars, and operating profit there was "
            f"{_figure(rng, 1, 90)} million dollars."
        )
        lines.append(line)
        total += line.count(" ") + 1
    draft.body = [" ".join(lines[i : i + 2]) for i in range(0, len(lines), 2)]
    draft.body[0] = draft.dateline + draft.body[0]
    draft.headline = f"{{O}} {quarter} results"
    return draft


def _reprint(draft: _Draft, rng: random.Random, pools: _Pools) -> _Draft:
    """`draft` as another site runs it: other headline, site date line and boilerplate, and
    sometimes one word changed or a trailer added; the body and its people stay."""
    draft.headline = rng.choice(pools.headlines[draft.topic])
    day = draft.day + dt.timedelta(days=rng.randint(0, 3))
    draft.site_date = _site_date(day, rng) if rng.random() < 0.96 else None
    start = rng.randint(0, 3)
    draft.boilerplate = (
        _BOILERPLATE[start : start + rng.randint(1, 3)] if rng.random() < 0.5 else []
    )
    body = list(draft.body)
    if rng.random() < 0.4:  # one word changed, as a copy editor would
        at = rng.randrange(len(body))
        paragraph = body[at].split(" ")
        where = rng.randrange(len(paragraph))
        paragraph[where] = rng.choice(["several", "many", "some", "two", "local", "new"])
        body[at] = " ".join(paragraph)
    if rng.random() < 0.3:  # a trailer the parser does not know, so it stays in the body
        body.append(rng.choice(_ADDED_TRAILERS))
    draft.body = body
    draft.noise = rng.random()
    return draft


def _draft(index: int, seed: int, words: int, pools: _Pools) -> _Draft:
    """Story `index` as drafted: an original, a templated story, or a reprint of an earlier
    one. The copy decisions draw on a Random of their own, so every original story is the
    same as it would be without copies."""
    rng = random.Random((seed << 40) ^ (index * 0x9E3779B1) ^ 0xC0B1E5)
    roll = rng.random()
    if index and roll < REPRINT_SHARE:
        source = index - rng.randint(1, min(index, REPRINT_REACH))
        return _reprint(_draft(source, seed, words, pools), rng, pools)
    draft = _compose(index, seed, words, pools)
    if roll > 1 - TEMPLATE_SHARE:
        return _templated(draft, rng, words)
    return draft


def _story(index: int, seed: int, words: int, pools: _Pools) -> bytes:
    """One story's bytes."""
    draft = _draft(index, seed, words, pools)
    parts = [draft.site_date] if draft.site_date is not None else []
    parts += [draft.headline, *draft.front, *draft.body, *draft.trailers, *draft.boilerplate]
    text = "\n\n".join(parts)
    for placeholder, value in draft.subs.items():
        text = text.replace(placeholder, value)

    # A little of the noise real scrapes carry (docs/format.md: encodings and line endings).
    r = draft.noise
    if r < 0.03:
        text = "\n\n".join(_wrap(p, 72) for p in text.split("\n\n"))
    text += "\n"
    if r > 0.98:
        text = text.replace("\n", "\r\n")
    if 0.5 < r < 0.51:
        return text.encode("cp1252", errors="replace")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if 0.6 < r < 0.61 else data


def story_path(out_dir: Path, index: int, n: int) -> Path:
    """Nested folders of FILES_PER_DIR, because one flat folder of 100k files is slow to list."""
    width = max(6, len(str(n - 1)))
    return out_dir / f"{index // FILES_PER_DIR:04d}" / f"{index:0{width}d}.txt"


def generate(
    n: int,
    out_dir: Path,
    seed: int = 42,
    words: int = 600,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Writes `n` stories under `out_dir` and returns their paths in index order."""
    out_dir = Path(out_dir)
    pools = _pools(seed)
    paths: list[Path] = []
    made: set[Path] = set()
    for index in range(n):
        path = story_path(out_dir, index, n)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(_story(index, seed, words, pools))
        paths.append(path)
        if progress is not None and index % 10_000 == 9_999:
            progress(index + 1)
    return paths


# --------------------------------------------------------------------------------------------
# Query material for the benchmarks: fixed by the vocabulary, not by any seed.
# --------------------------------------------------------------------------------------------


def _query_vocab() -> dict[str, list[str]]:
    """Benchmarks need the same queries every run, drawn from words the corpus really holds."""
    terms = [_TOPIC_NOUNS[t][0].sg for t in _TOPIC_NAMES]
    terms += ["government", "rebuilding"]
    pairs = [f"{_TOPIC_NOUNS[t][0].sg} {_TOPIC_NOUNS[t][1].sg}" for t in _TOPIC_NAMES]
    pairs += ["government funding", "council budget"]
    phrases = [
        "city council",
        "news conference",
        "public health",
        "interest rates",
        "per cent",
        "climate change",
        "evacuation order",
        "health care",
        "first responders",
        "affordable housing",
    ]
    datelines = [c.split(",")[0] for c in _CP_CITIES[:8]]
    datelines += [c.split(",")[0] for c in _AP_PLACES[:6]]
    datelines += [c for c in _REUTERS_CITIES[:6]]
    seen: set[str] = set()
    prefixes = []
    for i, term in enumerate(terms):
        prefix = term[: 3 + i % 2]
        if prefix not in seen:
            seen.add(prefix)
            prefixes.append(prefix)
    for word in ("rebuild", "evacuat", "negotiat", "investigat"):
        if len(prefixes) < 20 and word[:4] not in seen:
            seen.add(word[:4])
            prefixes.append(word[:4])
    return {
        "terms": terms,
        "pairs": pairs,
        "phrases": phrases,
        "authors": _REPORTERS[:20],
        "datelines": datelines,
        "prefixes": prefixes[:20],
        "topics": list(_TOPIC_NAMES),
    }


QUERY_VOCAB: dict[str, list[str]] = _query_vocab()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of stories")
    parser.add_argument("out_dir", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--words", type=int, default=600, help="mean words per story")
    args = parser.parse_args(argv)
    if args.n < 0 or args.words < 50:
        parser.error("N must be >= 0 and --words >= 50")
    started = time.perf_counter()

    def progress(done: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"  {done:,} stories, {elapsed:.1f} s", file=sys.stderr)

    generate(args.n, args.out_dir, seed=args.seed, words=args.words, progress=progress)
    elapsed = time.perf_counter() - started
    print(f"wrote {args.n:,} stories to {args.out_dir} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
