"""Word lists and tables used by the claim checker.

Everything here is hand-curated general news English (EV industry, autos, batteries, trade,
tech, government); nothing is derived from any evaluation data.  Keys are lowercase unless
noted.
"""

from __future__ import annotations

# Function words: never facts, never entities, ignored when measuring content overlap.
STOPWORDS = frozenset(
    """
    a an the and or but if then than so as of to in on at by for with from into onto over under
    about above below after before between through during without within along across against
    among around behind beyond upon via per off out up down near since until till toward towards
    is are was were be been being am do does did done doing have has had having will would shall
    should can could may might must ought i me my mine we us our ours you your yours he him his
    she her hers it its they them their theirs this that these those who whom whose which what
    when where why how there here all any both each few more most other some such only own same
    too very just also again further once not no nor never s t n't can't won't don't isn't aren't
    wasn't weren't hasn't haven't hadn't doesn't didn't cannot
    """.split()
)

# Capitalised words that begin sentences but name nothing.  A sentence-initial word that is
# neither here nor a known name is checked against the evidence (see ``entities``).
COMMON_WORDS = frozenset(
    """
    about above according across after afterwards again against ahead all almost along already
    also although always amid among analysts another any anyone anything around as asked at
    back because before behind being below besides between beyond both briefly but buyers by
    can car carmakers cars consumers could critics currently customers despite
    did do does drivers during each earlier early either elsewhere even eventually ever every
    everyone experts few finally first for former from further furthermore given globally had
    half has have he her here hers his how however if in including indeed instead investors it
    its just last late later lawmakers less like many meanwhile more moreover most much my near
    nearly neither never nevertheless new next no none nor not now officials often on once one
    only or other others otherwise our over overall owners per perhaps plus prices previously
    rather recently regulators reportedly residents sales second several shares she should
    shoppers similarly since so some soon still such than that the their them then there these
    they third this those though thousands hundreds millions billions dozens three through thus
    to today together too two under unlike until up upon us using users various very we what
    whatever when where whether which while who whose why will with within without workers would
    yet you your yesterday tomorrow overnight separately elsewhere already together almost
    additionally automakers companies company firms governments industry production demand
    supply vehicles batteries battery charging costs revenue profit profits earnings rates
    tariffs exports imports deliveries shipments orders jobs electric global rivals competitors
    executives sources people economists protesters unions employees staff shareholders
    traders retailers dealers suppliers manufacturers makers startups brands markets stocks
    factories plants models engineers researchers scientists lawyers prosecutors judges
    votes voters members leaders ministers states countries cities authorities agencies
    banks lenders buyers sellers prices rates fees taxes subsidies incentives credits
    """.split()
)

# Capitalised tokens that are not names (roles, generic acronyms, units).
GENERIC_CAPS = frozenset(
    """
    ceo ceos cfo cto coo chair chairman chairwoman chairperson president vice founder cofounder
    co-founder executive chief director minister secretary senator governor mayor chancellor
    premier spokesperson spokesman spokeswoman ev evs bev bevs phev phevs hev hevs nev nevs suv
    suvs ice ai gdp ipo r&d oem oems co2 esg kwh mwh gwh twh kw mw gw mph tv pc am pm gmt et pt
    utc llc inc corp co ltd plc ag se sa nv bv gmbh pte i mr mrs ms dr prof sir jr sr st no pdf
    faq usd eur gbp cny rmb jpy krw inr aud cad chf hkd
    """.split()
)

# Words that precede a name as a role ("President Biden", "Chancellor Scholz").
HONORIFICS = frozenset(
    """
    mr mrs ms dr prof sir dame president vice prime minister chancellor senator sen rep
    representative governor gov secretary ceo chairman chairwoman chair chief executive founder
    king queen prince princess pope judge justice commissioner ambassador general
    """.split()
)

CORPORATE_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company ltd limited llc ag se sa nv plc holdings group "
    "gmbh pte bv".split()
)

# Alias groups: every surface form names the same thing; the first is the canonical name.
ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "united states",
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "america",
        "american",
        "americans",
        "united states of america",
    ),
    ("united kingdom", "UK", "U.K.", "britain", "great britain", "british", "briton", "britons"),
    ("european union", "EU", "E.U."),
    ("europe", "european", "europeans"),
    ("china", "chinese", "PRC", "people's republic of china", "mainland china"),
    ("general motors", "GM", "G.M.", "general motors co"),
    ("volkswagen", "VW", "volkswagen group", "VW group", "volkswagen ag"),
    ("mercedes-benz", "mercedes", "mercedes benz", "mercedes-benz group"),
    ("bmw", "bayerische motoren werke", "bmw group"),
    ("ford", "ford motor", "ford motor company", "ford motor co"),
    ("tesla", "tesla inc", "tesla motors"),
    ("byd", "build your dreams", "byd auto", "byd co"),
    ("catl", "contemporary amperex technology", "contemporary amperex"),
    ("lg energy solution", "LGES", "lg energy"),
    ("hyundai", "hyundai motor", "hyundai motor company", "hyundai motor group"),
    ("toyota", "toyota motor", "toyota motor corp", "toyota motor corporation"),
    ("honda", "honda motor"),
    ("nissan", "nissan motor"),
    ("nio", "NIO"),
    ("xpeng", "xiaopeng"),
    ("geely", "zhejiang geely", "geely auto", "geely holding"),
    ("saic", "saic motor"),
    ("great wall motor", "great wall", "GWM"),
    ("jaguar land rover", "JLR"),
    ("lucid", "lucid motors", "lucid group"),
    ("renault", "renault group", "groupe renault"),
    ("foxconn", "hon hai"),
    ("tsmc", "taiwan semiconductor manufacturing company", "taiwan semiconductor"),
    ("nvidia", "NVIDIA"),
    ("national highway traffic safety administration", "NHTSA"),
    ("environmental protection agency", "EPA"),
    ("department of justice", "justice department", "DOJ"),
    ("securities and exchange commission", "SEC"),
    ("department of energy", "energy department", "DOE"),
    ("department of commerce", "commerce department"),
    ("department of transportation", "transportation department", "DOT"),
    ("federal trade commission", "FTC"),
    ("internal revenue service", "IRS"),
    ("federal reserve", "fed"),
    ("united auto workers", "UAW"),
    ("organization of the petroleum exporting countries", "OPEC"),
    ("international energy agency", "IEA"),
    ("world trade organization", "WTO"),
    ("international monetary fund", "IMF"),
    ("inflation reduction act", "IRA"),
    ("european commission",),
    ("bloombergnef", "BNEF"),
    ("new york city", "NYC"),
    ("los angeles", "LA", "L.A."),
    ("united arab emirates", "UAE", "emirati"),
    ("south korea", "korea", "korean", "south korean", "koreans", "ROK"),
    ("north korea", "north korean"),
    ("democratic republic of congo", "DRC", "congolese", "democratic republic of the congo"),
    ("saudi arabia", "saudi", "saudis"),
    ("czech republic", "czechia", "czech"),
    ("netherlands", "dutch", "holland"),
    ("philippines", "philippine", "filipino"),
    ("new zealand", "new zealander"),
    ("south africa", "south african"),
    ("sri lanka", "sri lankan"),
    ("hong kong",),
    ("white house",),
)

# Countries and their adjectival / demonym forms (added as alias groups).
DEMONYMS: tuple[tuple[str, ...], ...] = (
    ("germany", "german", "germans"),
    ("france", "french"),
    ("italy", "italian", "italians"),
    ("spain", "spanish"),
    ("portugal", "portuguese"),
    ("belgium", "belgian"),
    ("sweden", "swedish", "swede", "swedes"),
    ("norway", "norwegian", "norwegians"),
    ("denmark", "danish", "dane", "danes"),
    ("finland", "finnish"),
    ("poland", "polish"),
    ("hungary", "hungarian"),
    ("slovakia", "slovak", "slovakian"),
    ("austria", "austrian"),
    ("switzerland", "swiss"),
    ("ireland", "irish"),
    ("greece", "greek"),
    ("turkey", "turkish", "türkiye"),
    ("russia", "russian", "russians"),
    ("ukraine", "ukrainian", "ukrainians"),
    ("romania", "romanian"),
    ("bulgaria", "bulgarian"),
    ("serbia", "serbian"),
    ("croatia", "croatian"),
    ("slovenia", "slovenian"),
    ("lithuania", "lithuanian"),
    ("latvia", "latvian"),
    ("estonia", "estonian"),
    ("canada", "canadian", "canadians"),
    ("mexico", "mexican", "mexicans"),
    ("brazil", "brazilian", "brazilians"),
    ("argentina", "argentine", "argentinian"),
    ("chile", "chilean"),
    ("peru", "peruvian"),
    ("colombia", "colombian"),
    ("bolivia", "bolivian"),
    ("venezuela", "venezuelan"),
    ("australia", "australian", "australians"),
    ("indonesia", "indonesian"),
    ("malaysia", "malaysian"),
    ("thailand", "thai"),
    ("vietnam", "vietnamese"),
    ("singapore", "singaporean"),
    ("taiwan", "taiwanese"),
    ("japan", "japanese"),
    ("india", "indian", "indians"),
    ("pakistan", "pakistani"),
    ("bangladesh", "bangladeshi"),
    ("qatar", "qatari"),
    ("israel", "israeli", "israelis"),
    ("iran", "iranian"),
    ("iraq", "iraqi"),
    ("egypt", "egyptian"),
    ("morocco", "moroccan"),
    ("nigeria", "nigerian"),
    ("kenya", "kenyan"),
    ("ethiopia", "ethiopian"),
    ("kazakhstan", "kazakh"),
    ("mongolia", "mongolian"),
    ("england", "english"),
    ("scotland", "scottish", "scots"),
    ("wales", "welsh"),
    ("zimbabwe", "zimbabwean"),
    ("luxembourg",),
    ("iceland", "icelandic"),
    ("cambodia", "cambodian"),
    ("laos", "laotian"),
    ("myanmar",),
    ("nepal", "nepalese"),
    ("ghana", "ghanaian"),
    ("algeria", "algerian"),
    ("tunisia", "tunisian"),
    ("ecuador", "ecuadorian"),
    ("uruguay", "uruguayan"),
    ("paraguay", "paraguayan"),
    ("cuba", "cuban"),
    ("jordan", "jordanian"),
    ("kuwait", "kuwaiti"),
    ("oman", "omani"),
    ("bahrain", "bahraini"),
    ("lebanon", "lebanese"),
    ("syria", "syrian"),
    ("afghanistan", "afghan"),
    ("uzbekistan", "uzbek"),
)

# Places that imply a larger place: evidence naming the first supports a claim naming the
# second ("in Shenzhen" supports "in China"), never the other way round.
LOCATED_IN: dict[str, tuple[str, ...]] = {
    "china": (
        "beijing",
        "shanghai",
        "shenzhen",
        "guangzhou",
        "wuhan",
        "hefei",
        "chongqing",
        "hangzhou",
        "ningde",
        "xi'an",
        "tianjin",
        "nanjing",
        "chengdu",
        "changsha",
    ),
    "japan": ("tokyo", "osaka", "nagoya", "yokohama"),
    "south korea": ("seoul", "busan", "ulsan"),
    "germany": (
        "berlin",
        "munich",
        "stuttgart",
        "wolfsburg",
        "frankfurt",
        "hamburg",
        "grünheide",
        "gruenheide",
        "ingolstadt",
        "zwickau",
        "saarlouis",
        "cologne",
    ),
    "france": ("paris", "lyon", "douai"),
    "italy": ("rome", "milan", "turin", "maranello"),
    "spain": ("madrid", "barcelona", "valencia"),
    "sweden": ("stockholm", "gothenburg"),
    "norway": ("oslo",),
    "netherlands": ("amsterdam", "rotterdam"),
    "belgium": ("brussels", "antwerp"),
    "european union": ("brussels",),
    "hungary": ("budapest", "debrecen", "komárom", "szeged"),
    "poland": ("warsaw",),
    "united kingdom": (
        "london",
        "england",
        "scotland",
        "wales",
        "sunderland",
        "luton",
        "birmingham",
        "manchester",
        "coventry",
    ),
    "russia": ("moscow",),
    "ukraine": ("kyiv", "kiev"),
    "india": ("delhi", "new delhi", "mumbai", "bengaluru", "chennai"),
    "australia": ("sydney", "melbourne", "canberra"),
    "brazil": ("são paulo", "sao paulo", "brasília", "brasilia"),
    "canada": (
        "ottawa",
        "toronto",
        "ontario",
        "quebec",
        "montreal",
        "vancouver",
        "british columbia",
        "alberta",
    ),
    "mexico": ("mexico city", "monterrey", "nuevo leon", "nuevo león"),
    "taiwan": ("taipei",),
    "indonesia": ("jakarta",),
    "thailand": ("bangkok",),
    "turkey": ("istanbul", "ankara"),
    "saudi arabia": ("riyadh",),
    "united arab emirates": ("dubai", "abu dhabi"),
    "switzerland": ("geneva", "zurich"),
    "europe": (
        "european union",
        "germany",
        "france",
        "italy",
        "spain",
        "sweden",
        "norway",
        "netherlands",
        "belgium",
        "poland",
        "hungary",
        "united kingdom",
    ),
    "new york": ("new york city", "manhattan", "brooklyn"),
    "united states": (
        "washington",
        "new york",
        "new york city",
        "detroit",
        "los angeles",
        "san francisco",
        "chicago",
        "dallas",
        "houston",
        "austin",
        "manhattan",
        "silicon valley",
        "alabama",
        "alaska",
        "arizona",
        "arkansas",
        "california",
        "colorado",
        "connecticut",
        "delaware",
        "florida",
        "georgia",
        "hawaii",
        "idaho",
        "illinois",
        "indiana",
        "iowa",
        "kansas",
        "kentucky",
        "louisiana",
        "maine",
        "maryland",
        "massachusetts",
        "michigan",
        "minnesota",
        "mississippi",
        "missouri",
        "montana",
        "nebraska",
        "nevada",
        "new hampshire",
        "new jersey",
        "new mexico",
        "north carolina",
        "north dakota",
        "ohio",
        "oklahoma",
        "oregon",
        "pennsylvania",
        "rhode island",
        "south carolina",
        "south dakota",
        "tennessee",
        "texas",
        "utah",
        "vermont",
        "virginia",
        "west virginia",
        "wisconsin",
        "wyoming",
    ),
}

# Irregular verb forms mapped to their base, so "sold" and "did not sell" compare.
IRREGULAR_VERBS: dict[str, str] = {
    "said": "say",
    "says": "say",
    "made": "make",
    "took": "take",
    "taken": "take",
    "got": "get",
    "went": "go",
    "gone": "go",
    "sold": "sell",
    "bought": "buy",
    "built": "build",
    "led": "lead",
    "won": "win",
    "lost": "lose",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "risen": "rise",
    "grew": "grow",
    "grown": "grow",
    "began": "begin",
    "begun": "begin",
    "came": "come",
    "gave": "give",
    "given": "give",
    "knew": "know",
    "known": "know",
    "saw": "see",
    "seen": "see",
    "told": "tell",
    "thought": "think",
    "found": "find",
    "left": "leave",
    "paid": "pay",
    "held": "hold",
    "brought": "bring",
    "spent": "spend",
    "struck": "strike",
    "sought": "seek",
    "drove": "drive",
    "driven": "drive",
    "ran": "run",
    "wrote": "write",
    "written": "write",
    "chose": "choose",
    "chosen": "choose",
    "broke": "break",
    "broken": "break",
    "became": "become",
    "meant": "mean",
    "kept": "keep",
    "overtook": "overtake",
    "overtaken": "overtake",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "sent": "send",
    "stood": "stand",
    "understood": "understand",
    "felt": "feel",
    "met": "meet",
    "shot": "shoot",
    "spoke": "speak",
    "spoken": "speak",
    "swept": "sweep",
    "sank": "sink",
    "sunk": "sink",
    "shrank": "shrink",
    "shrunk": "shrink",
    "forgave": "forgive",
    "froze": "freeze",
    "frozen": "freeze",
    "hid": "hide",
    "hidden": "hide",
    "dealt": "deal",
    "lent": "lend",
    "bore": "bear",
    "borne": "bear",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "am": "be",
    "been": "be",
    "has": "have",
    "had": "have",
    "does": "do",
    "did": "do",
    "done": "do",
}

# Tokens that negate what follows.  "n't" is split off contractions by the tokenizer.
NEGATORS = frozenset(
    "not n't never no none nobody nothing neither nor cannot without nowhere".split()
)
# "not only", "no doubt" … do not negate the clause.
NON_NEGATING_NEXT = frozenset("least doubt sooner".split())
# Words skipped when looking for the word a negation governs.
NEG_SKIP = frozenset(
    """
    be been being is are was were am do does did have has had will would shall should can could
    may might must longer yet also even ever always currently still really necessarily
    immediately fully entirely quite so too very a an the to any much many yet further one
    anyone anything anybody
    """.split()
)
# Words that deny or refuse: evidence using one may back a claim's "not".
LEXICAL_NEGATIVES = frozenset(
    "deni deny reject refus refuse declin fail halt cancel scrap abandon drop lack absent "
    "oppos ban block".split()
)
# The words a comparison asks its verdict in, each with the verdict it stands for: "was
# there consistency …?" is answered yes when the parts agree, "was there inconsistency …?"
# no. A question offering two of opposite verdicts ("agree or disagree") is answered with
# the word it chose.
VERDICT_WORDS: dict[str, bool] = {
    **dict.fromkeys(
        """
        consistent consistency consistently agree agrees agreed agreement similar similarly
        similarity same align aligns aligned alignment match matches matched uniform
        """.split(),
        True,
    ),
    **dict.fromkeys(
        """
        inconsistent inconsistency inconsistently disagree disagrees disagreed disagreement
        different differently difference differ differs differed contrast contrasts
        contrasting contradict contradicts contradicted contradiction diverge diverges
        diverged divergent
        """.split(),
        False,
    ),
}
# The answer words of a question that asks "…, or do they differ?" after its first agreeing
# verdict word (by stem); any other is answered "Similar" or "Different".
VERDICT_FORMS: dict[str, tuple[str, str]] = {
    "consisten": ("Consistent", "Inconsistent"),
    "agree": ("Agree", "Disagree"),
}
AUXILIARIES = frozenset(
    "do does did is are was were be been will would can could shall should may might must has "
    "have had".split()
)

# Opposite polarity word groups (stems are compared after irregular-verb mapping).
ANTONYM_GROUPS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (
        frozenset(
            "rise increase climb jump surge soar grow gain boost raise higher rais hike "
            "rebound expand expans".split()
        ),
        frozenset(
            "fall decrease decline drop plunge slump tumble sink shrink lower cut slash "
            "reduc reduce slide slid contract dip".split()
        ),
    ),
    (
        frozenset("approve approv accept allow permit grant endors".split()),
        frozenset("reject deni deny ban block veto refus refuse prohibit oppos".split()),
    ),
    (frozenset("confirm admit acknowledg".split()), frozenset("deni deny dismiss".split())),
    (frozenset("win won".split()), frozenset("lose lost".split())),
    (frozenset("profit profit surplus".split()), frozenset("loss deficit".split())),
    (frozenset("open reopen".split()), frozenset("close shut".split())),
    (frozenset("above".split()), frozenset("below".split())),
    (frozenset("more".split()), frozenset("less fewer".split())),
    (frozenset("import".split()), frozenset("export".split())),
    (frozenset("lift remov scrap drop".split()), frozenset("impos introduc".split())),
    (frozenset("hire hir".split()), frozenset("fire layoff lay".split())),
    (frozenset("largest biggest highest best".split()), frozenset("smallest lowest worst".split())),
    (frozenset("start begin launch resum".split()), frozenset("stop halt end suspend".split())),
    (frozenset("succeed success successful manag".split()), frozenset("fail failur".split())),
)

# Adjectival forms of names: "the German government" describes, "Germany" names.
ADJECTIVAL_FORMS = frozenset(
    """
    american british briton european chinese korean congolese saudi czech dutch philippine
    filipino emirati
    """.split()
)

NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion trillion
    """.split()
)
ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "twentieth": 20,
    "thirtieth": 30,
    "fiftieth": 50,
    "hundredth": 100,
}
FRACTIONS: dict[str, float] = {
    "half": 0.5,
    "halves": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
    "fifth": 0.2,
    "fifths": 0.2,
    "tenth": 0.1,
    "tenths": 0.1,
}
MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mn": 1e6,
    "mln": 1e6,
    "bln": 1e9,
    "tn": 1e12,
    "trn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
}
# Letter multipliers only count when glued to the number ("$5m", "$4.5b", "10k").
GLUED_MULTIPLIERS: dict[str, float] = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}

# "$" and "¥" alone say less than a code: "$" is any dollar, "¥" yen or yuan.
CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "$",
    "€": "EUR",
    "£": "GBP",
    "¥": "¥",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
}
GENERIC_CURRENCIES: dict[str, frozenset[str]] = {
    "$": frozenset("USD AUD CAD HKD NZD SGD TWD".split()),
    "¥": frozenset("JPY CNY".split()),
}
# A prefix glued to "$" names another dollar ("A$", "HK$").
DOLLAR_PREFIXES: dict[str, str] = {
    "US": "USD",
    "A": "AUD",
    "AU": "AUD",
    "C": "CAD",
    "CA": "CAD",
    "HK": "HKD",
    "NZ": "NZD",
    "S": "SGD",
    "NT": "TWD",
    "R": "BRL",
    "MX": "MXN",
}
CURRENCY_CODES: dict[str, str] = {
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "cny": "CNY",
    "rmb": "CNY",
    "jpy": "JPY",
    "krw": "KRW",
    "inr": "INR",
    "aud": "AUD",
    "cad": "CAD",
    "chf": "CHF",
    "hkd": "HKD",
    "rs": "INR",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
}
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "$",
    "dollars": "$",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "won": "KRW",
    "rupee": "INR",
    "rupees": "INR",
    "franc": "CHF",
    "francs": "CHF",
    "kronor": "SEK",
    "krona": "SEK",
    "kroner": "NOK",
    "krone": "NOK",
    "ringgit": "MYR",
    "baht": "THB",
    "reais": "BRL",
    "real": "BRL",
    "pesos": "MXN",
    "peso": "MXN",
}
PERCENT_WORDS = frozenset({"percent", "pct", "percentage"})  # and "pc" glued ("50pc")
APPROX_WORDS = frozenset(
    "about around nearly almost roughly approximately some over under circa ~ estimated "
    "close upwards".split()
)

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

# "the company" and pronouns refer back to a name in an earlier sentence or the headline.
ANAPHORA_NOUNS = frozenset(
    """
    company automaker carmaker firm group maker manufacturer brand giant startup plant factory
    agency country government deal move report chair executive ceo billionaire administration
    union club retailer supplier rival rivals business lender bank regulator regulators
    ministry department court president leader tycoon chain platform
    """.split()
)
PRONOUNS = frozenset("it its he his him she her they their them".split())

# Words a reply uses to talk about answering rather than to answer: a sentence made only of
# these and the question's own words states nothing (``substance``).
ANSWER_TALK = frozenset(
    """
    answer answers answered question questions ask asked passage passages document documents
    text texts source sources context information provided provide given based according
    say says said state states stated mention mentions mentioned find found following follows
    here sure certainly response reply
    """.split()
)

# Words a paraphrase puts in each other's place (each set is one meaning, written as words;
# they are stemmed when loaded).  A claim word with a synonym in the evidence is not new.
SYNONYM_SETS: tuple[tuple[str, ...], ...] = (
    (
        "company",
        "firm",
        "automaker",
        "carmaker",
        "maker",
        "manufacturer",
        "group",
        "giant",
        "business",
        "brand",
        "producer",
        "supplier",
    ),
    ("car", "vehicle", "auto", "automobile", "ev", "evs", "model"),
    ("ev", "evs", "electric", "battery-electric", "bev", "all-electric", "battery-powered"),
    ("plant", "factory", "facility", "site", "works", "gigafactory"),
    (
        "say",
        "said",
        "state",
        "announce",
        "note",
        "add",
        "tell",
        "report",
        "claim",
        "confirm",
        "disclose",
        "reveal",
    ),
    ("plan", "intend", "aim", "expect", "want", "seek", "goal", "target", "hope"),
    ("unveil", "debut", "reveal", "launch", "introduce", "present", "show", "showcase"),
    (
        "big",
        "large",
        "major",
        "huge",
        "massive",
        "biggest",
        "largest",
        "top",
        "leading",
        "greatest",
    ),
    ("new", "latest", "next"),
    ("cut", "reduce", "lower", "slash", "trim", "halve", "curb"),
    ("rise", "increase", "climb", "jump", "surge", "soar", "grow", "gain", "hike", "boost"),
    ("fall", "decrease", "decline", "drop", "plunge", "slump", "tumble", "sink", "slide", "dip"),
    ("issue", "problem", "defect", "fault", "flaw", "trouble"),
    ("because", "due", "owing", "amid", "over", "after", "following"),
    ("job", "worker", "employee", "staff", "position", "role", "workforce"),
    ("sale", "delivery", "deliveries", "sell", "sold", "shipment"),
    ("invest", "investment", "spend", "pour", "commit", "put"),
    (
        "end",
        "stop",
        "halt",
        "abandon",
        "scrap",
        "drop",
        "quit",
        "pull",
        "shut",
        "close",
        "cancel",
        "axe",
    ),
    ("price", "cost", "value", "worth"),
    ("market", "industry", "sector"),
    ("global", "world", "worldwide", "international", "globally"),
    ("tariff", "duty", "duties", "levy", "tax", "surtax"),
    ("slow", "cool", "weaken", "ease", "soften", "stall"),
    ("country", "nation", "state"),
    ("government", "administration", "authority", "official", "regulator"),
    ("ceo", "chief", "boss", "head", "executive", "leader"),
    ("demand", "appetite", "interest"),
    ("start", "begin", "launch", "kick"),
    ("buy", "purchase", "acquire", "acquisition", "take"),
    ("deal", "agreement", "pact", "contract", "partnership"),
    ("build", "construct", "make", "produce", "manufacture", "assemble"),
    ("strike", "walkout"),
    ("probe", "investigation", "inquiry"),
    ("pickup", "truck"),
    ("fund", "money", "capital", "financing", "cash"),
)
