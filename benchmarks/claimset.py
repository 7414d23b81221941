"""Claims built mechanically from a question set of the dev set's kind, for benchmarks/verify.py.

For every gold evidence sentence of a question it builds claims of six kinds: faithful
verbatim; faithful variants (an alias or adjectival form, list order swapped, a trailing
clause dropped, a number in words, unit or currency spelled out, a possessive); entity swap
(the answer replaced by another option of the quiz); number swap; date or year swap;
negation flip. ``build_doc_claims`` builds the same kinds from the other documents'
sentences (``--wide``). The text is read from the set at run time and never copied.

Its alias table and generators are its own, independent of the claim checker's lexicon.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from index.store.bm25 import stem_word as stem

_ABBREV = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bvs)(?<!\bInc)(?<!\bCo)"
_SPLIT = re.compile(_ABBREV + r"(?<!\b[A-Z])(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z0-9\"“‘'(])")

# The benchmark's own alias table (independent of the checker's lexicon).
ALIASES: tuple[tuple[str, ...], ...] = (
    ("Germany", "German"),
    ("China", "Chinese"),
    ("Japan", "Japanese"),
    ("India", "Indian"),
    ("Britain", "British", "UK", "United Kingdom"),
    ("US", "U.S.", "United States", "American"),
    ("EU", "European Union"),
    ("General Motors", "GM"),
    ("Volkswagen", "VW"),
    ("Mercedes-Benz", "Mercedes"),
    ("Canada", "Canadian"),
    ("France", "French"),
    ("Mexico", "Mexican"),
    ("Brazil", "Brazilian"),
    ("Russia", "Russian"),
    ("Korea", "Korean"),
    ("Sweden", "Swedish"),
    ("Italy", "Italian"),
    ("Spain", "Spanish"),
    ("Environmental Protection Agency", "EPA"),
    ("Department of Justice", "Justice Department"),
    ("National Highway Traffic Safety Administration", "NHTSA"),
    ("United Auto Workers", "UAW"),
    ("Securities and Exchange Commission", "SEC"),
)
_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_NUM = re.compile(r"(?<![\w.,:-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w:-]|[.,]\d)")
_YEAR = re.compile(r"(?<![\w$€£.,-])((?:19|20)\d{2})(?![\d%,.]\d|\d|s\b)")


@dataclass
class Claim:
    kind: str
    sub: str
    qid: str
    claim: str
    base: str
    doc_id: str


def split_sentences(text: str) -> list[str]:
    """A simple regex splitter (the product has its own)."""
    out: list[str] = []
    for para in re.split(r"\n+", text):
        out += [s.strip() for s in _SPLIT.split(para) if s.strip()]
    return out


def _words(n: int) -> str:
    if n < 20:
        return _SMALL[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _SMALL[n % 10])
    if n < 1000:
        rest = n % 100
        return _SMALL[n // 100] + " hundred" + ("" if rest == 0 else " " + _words(rest))
    rest = n % 1000
    return _words(n // 1000) + " thousand" + ("" if rest == 0 else " " + _words(rest))


def _is_name_number(s: str, start: int) -> bool:
    before = s[:start].rstrip()
    return bool(re.search(r"\b[a-z]?[A-Z][A-Za-z]*$", before)) and not re.search(
        r"\b(?:In|By|Since|Until|From|Of)$", before
    )


def _numbers(s: str) -> Iterator[re.Match[str]]:
    for m in _NUM.finditer(s):
        value = m.group(1)
        if _YEAR.fullmatch(value) or _is_name_number(s, m.start()):
            continue
        if re.search(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s*$", s[: m.start()]) or re.match(
            r"\s*(?:" + "|".join(_MONTHS) + r")\b", s[m.end() :]
        ):
            continue  # a day of a month: dates are swapped separately
        yield m


# ---- variants ---------------------------------------------------------------------------


def alias_variants(s: str) -> Iterator[tuple[str, str]]:
    """A name replaced by another form of it ("GM" for "General Motors")."""
    for group in ALIASES:
        for form in group:
            m = re.search(r"(?<![\w.-])" + re.escape(form) + r"(?![\w-])", s)
            if not m:
                continue
            for other in group:
                if other != form:
                    yield "alias", s[: m.start()] + other + s[m.end() :]
            break


_LIST_BEFORE = frozenset(
    "of for to in on at by with from against and including like as such "
    "between among the its their his her".split()
)


def _list_start_ok(s: str, start: int, names: bool) -> bool:
    """The list's first item starts here: not inside a longer name or compound."""
    before = s[:start].rstrip()
    if not before:
        return names
    last = re.findall(r"[\w’'.-]+|[^\w\s]", before)[-1]
    if names:
        return not last[:1].isupper() and last.lower() not in ("of", "the")
    return last.lower() in _LIST_BEFORE or not last[:1].isalnum()


def list_variants(s: str) -> Iterator[tuple[str, str]]:
    """The first and last items of a list swapped: names ("A, B and C", "A and B") or
    single lowercase words ("a, b and c")."""
    name = r"[A-Z][\w&-]*(?: [A-Z][\w&-]*){0,2}"
    word, words = r"[a-z][a-z-]+", r"[a-z][a-z-]+(?: [a-z][a-z-]+)?"
    edge_l, edge_r = r"(?<![\w’'.-])", r"(?![\w’'.-])"
    starts = [m.start() for m in re.finditer(r"(?<![\w’'.-])\w", s)]
    for first, last, names in ((name, name, True), (words, word, False)):
        pattern = re.compile(
            "(" + first + r"), (" + first + r")(,? (?:and|or)) (" + last + ")" + edge_r
        )
        for start in starts:
            m = pattern.match(s, start)
            if m and _list_start_ok(s, start, names):
                a, b, conj, c = m.groups()
                yield "list", s[:start] + f"{c}, {b}{conj} {a}" + s[m.end() :]
                return
    for m in re.finditer(edge_l + "(" + name + r") and (" + name + ")" + edge_r, s):
        if m.start() > 0 and _list_start_ok(s, m.start(), True):
            yield "list", s[: m.start()] + f"{m.group(2)} and {m.group(1)}" + s[m.end() :]
            return


def clause_variants(s: str) -> Iterator[tuple[str, str]]:
    """The last clause after ", ", " – " or "; " dropped."""
    cuts = [m.start() for m in re.finditer(r", | – | — |; ", s)]
    for cut in reversed(cuts):
        head = s[:cut].rstrip()
        if cut >= 0.4 * len(s) and len(head.split()) >= 5:
            yield "clause", head + "."
            return


def number_word_variants(s: str) -> Iterator[tuple[str, str]]:
    """The first integer below a million written in words."""
    for m in _numbers(s):
        raw = m.group(1)
        if "." in raw:
            continue
        n = int(raw.replace(",", ""))
        if s[: m.start()].endswith(("$", "€", "£")):
            continue  # "$six hundred" is no way to write a price
        if 2 <= n < 1_000_000 and not s[m.end() :].startswith(("%", " percent")):
            yield "numwords", s[: m.start()] + _words(n) + s[m.end() :]
            return


def unit_variants(s: str) -> Iterator[tuple[str, str]]:
    """ "%" as " percent"; "$4.5 billion" as "$4.5bn"."""
    m = re.search(r"(\d)%", s)
    if m:
        yield "unit", s[: m.end() - 1] + " percent" + s[m.end() :]
    m = re.search(r"([$€£]\d+(?:\.\d+)?) billion\b", s)
    if m:
        yield "unit", s[: m.start()] + m.group(1) + "bn" + s[m.end() :]


# ---- swaps ------------------------------------------------------------------------------


def _forms(name: str) -> list[str]:
    for group in ALIASES:
        if name in group:
            return list(group)
    return [name]


def _match_case(found: str, option: str) -> str:
    return option.lower() if found[:1].islower() else option[:1].upper() + option[1:]


def entity_swaps(s: str, answer: str, options: list[str]) -> Iterator[tuple[str, str]]:
    """The answer (or its adjectival form, or a word it shares) replaced by each option."""
    target: re.Match[str] | None = None
    form_index = 0
    for i, form in enumerate(_forms(answer)):
        target = re.search(r"(?<![\w])" + re.escape(form) + r"(?![\w])", s, re.IGNORECASE)
        if target:
            form_index = i
            break
    if target is None:
        for word in re.findall(r"[\w’'-]{3,}", answer):
            if word.lower() in ("the", "and", "may", "for", "are"):
                continue
            target = re.search(r"(?<![\w])" + re.escape(word) + r"(?![\w])", s, re.IGNORECASE)
            if target:
                break
    if target is None:
        return
    for option in options:
        if option == answer:
            continue
        forms = _forms(option)
        replacement = forms[form_index] if form_index < len(forms) else option
        yield (
            "option",
            s[: target.start()] + _match_case(target.group(), replacement) + s[target.end() :],
        )


def number_swaps(s: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Up to three numbers changed one at a time, and a number word."""
    for n, m in enumerate(_numbers(s)):
        if n >= 3:
            return
        raw = m.group(1)
        value = float(raw.replace(",", ""))
        new = value
        while new == value:
            new = value * rng.choice((0.5, 1.5, 2, 3, 0.25)) + rng.choice((0, 1, 7))
        if "." in raw:
            text = f"{new:.{len(raw.split('.')[1])}f}"
        else:
            text = f"{round(new):,}" if "," in raw else str(round(new))
        if text != raw:
            yield "number", s[: m.start()] + text + s[m.end() :]
    words = re.search(r"\b(two|three|four|five|six|seven|eight|nine|ten)\b", s)
    if words:
        other = "six" if words.group(1) != "six" else "four"
        yield "numword", s[: words.start()] + other + s[words.end() :]


def date_swaps(s: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Years shifted, a day of a month moved, a weekday changed."""
    for m in list(_YEAR.finditer(s))[:2]:
        new = int(m.group(1)) + rng.choice((-3, -2, -1, 1, 2, 3))
        yield "year", s[: m.start()] + str(new) + s[m.end() :]
    month = re.search(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2})\b", s)
    if month:
        day = int(month.group(2))
        new_day = day + 3 if day <= 25 else day - 4
        yield "day", s[: month.start(2)] + str(new_day) + s[month.end(2) :]
    weekday = re.search(r"\b(" + "|".join(_WEEKDAYS) + r")\b", s)
    if weekday:
        other = _WEEKDAYS[(_WEEKDAYS.index(weekday.group(1)) + 2) % 7]
        yield "weekday", s[: weekday.start()] + other + s[weekday.end() :]


_AUX_FLIPS = (
    ("will", "will not"),
    ("would", "would not"),
    ("can", "cannot"),
    ("could", "could not"),
    ("is", "is not"),
    ("are", "are not"),
    ("was", "was not"),
    ("were", "were not"),
    ("has", "has not"),
    ("have", "have not"),
    ("should", "should not"),
)


def _base_verb(word: str) -> str:
    """ "announced" -> "announce", "recalled" -> "recall" (checked with the stemmer)."""
    if word.endswith("ied"):
        return word[:-3] + "y"
    for base in (word[:-1], word[:-2], word[:-3]):
        if stem(base) == stem(word) and base not in ("not", "no"):
            return base
    return word[:-2]


def negation_flips(s: str) -> Iterator[tuple[str, str]]:
    """A negation removed; "will" -> "will not" and the like; "did not" + verb."""
    removed = re.search(r"\b(?:not|never|no longer) |n[’']t\b", s)
    if removed:
        yield "remove", s[: removed.start()] + s[removed.end() :]
    for aux, flipped in _AUX_FLIPS:
        m = re.search(r"(?<=\s)" + aux + r"(?=\s)", s)
        if m and not s[m.end() :].startswith((" not", " never", " no ")):
            yield "aux", s[: m.start()] + flipped + s[m.end() :]
            return
    m = re.search(r"(?<=\s)([a-z]{3,}ed)(?=\s)", s)
    if m:
        yield "past", s[: m.start()] + "did not " + _base_verb(m.group(1)) + s[m.end() :]
    elif " said " in s:
        yield "past", s.replace(" said ", " did not say ", 1)


def more_variants(s: str) -> Iterator[tuple[str, str]]:
    """Other faithful rewrites: possessive dropped, decimals and currencies in words,
    a trailing "and/which/but" clause dropped."""
    m = re.search(r"\b([A-Z][\w-]+)[’']s ([a-z])", s)
    if m:
        yield "possessive", s[: m.start()] + m.group(1) + " " + m.group(2) + s[m.end() :]
    m = re.search(r"(?<![\w.,$€£])(\d)\.(\d) (million|billion)", s)
    if m:
        words = f"{_SMALL[int(m.group(1))]} point {_SMALL[int(m.group(2))]} {m.group(3)}"
        yield "decimalwords", s[: m.start()] + words + s[m.end() :]
    m = re.search(
        r"([$€£])(\d{1,3}(?:,\d{3})*(?:\.\d+)?)( (?:million|billion|trillion))?"
        r"(?![\w-]|[.,]\d)",
        s,
    )
    if m:
        unit = {"$": "dollars", "€": "euros", "£": "pounds"}[m.group(1)]
        yield (
            "currencyword",
            s[: m.start()] + m.group(2) + (m.group(3) or "") + " " + unit + s[m.end() :],
        )
    cuts = [m.start() for m in re.finditer(r" (?:and|which|but|while) ", s)]
    for cut in reversed(cuts):
        head = s[:cut].rstrip(" ,")
        if cut >= 0.5 * len(s) and len(head.split()) >= 6:
            yield "clause2", head + "."
            break


def more_number_swaps(s: str) -> Iterator[tuple[str, str]]:
    """A multiplier changed (million <-> billion) and a percentage changed."""
    m = re.search(r"\b(\d[\d.,]*) (million|billion|thousand)\b", s)
    if m:
        other = {"million": "billion", "billion": "million", "thousand": "million"}[m.group(2)]
        yield "multiplier", s[: m.start(2)] + other + s[m.end(2) :]
    m = re.search(r"(\d+(?:\.\d+)?)(%| percent)", s)
    if m:
        value = float(m.group(1))
        new = f"{value + 10:g}" if value < 80 else f"{value - 15:g}"
        yield "percent", s[: m.start(1)] + new + s[m.end(1) :]


def more_date_swaps(s: str) -> Iterator[tuple[str, str]]:
    """A month name moved on, a relative expression changed."""
    m = re.search(r"\b(" + "|".join(_MONTHS) + r")\b", s)
    if m:
        other = _MONTHS[(_MONTHS.index(m.group(1)) + 1) % 12]
        yield "month", s[: m.start()] + other + s[m.end() :]
    m = re.search(r"\b(last|this|next) (week|month|year)\b", s)
    if m:
        other = {"last": "next", "this": "last", "next": "last"}[m.group(1)]
        yield "relative", s[: m.start(1)] + other + s[m.end(1) :]
    m = re.search(r"\b(yesterday|today)\b", s)
    if m:
        yield (
            "relative",
            s[: m.start()]
            + {"yesterday": "today", "today": "yesterday"}[m.group(1)]
            + s[m.end() :],
        )


_CONTRACTIONS = (
    ("will", "won't"),
    ("is", "isn't"),
    ("has", "hasn't"),
    ("can", "can't"),
    ("are", "aren't"),
    ("was", "wasn't"),
    ("does", "doesn't"),
    ("would", "wouldn't"),
)


def more_negation_flips(s: str) -> Iterator[tuple[str, str]]:
    """Contracted negations ("won't") and "never" before a past tense."""
    for aux, contracted in _CONTRACTIONS:
        m = re.search(r"(?<=\s)" + aux + r"(?=\s)", s)
        if m and not s[m.end() :].startswith((" not", " never")):
            yield "contraction", s[: m.start()] + contracted + s[m.end() :]
            break
    m = re.search(r"(?<=\s)([a-z]{3,}ed)(?=\s)", s)
    if m:
        yield "never", s[: m.start()] + "never " + m.group(1) + s[m.end() :]


def entity_swaps_all(s: str, answer: str, options: list[str]) -> Iterator[tuple[str, str]]:
    """Every occurrence of the answer (case kept) replaced by another option."""
    pattern = re.compile(r"(?<![\w])" + re.escape(answer) + r"(?![\w])", re.IGNORECASE)
    if len(pattern.findall(s)) < 2:
        return
    for option in options:
        if option != answer:

            def swap(m: re.Match[str], o: str = option) -> str:
                return _match_case(m.group(), o)

            yield "all", pattern.sub(swap, s)


# ---- building ---------------------------------------------------------------------------


def _doc_for(evidence: str, doc_ids: list[str], docs: dict[str, dict[str, str]]) -> str | None:
    norm = " ".join(evidence.split())
    candidates = [d for d in doc_ids if d in docs]
    for d in candidates:
        if norm[:60] in " ".join(docs[d]["text"].split()):
            return d
    return candidates[0] if candidates else None


def build_claims(questions: list[dict], docs: dict[str, dict[str, str]]) -> list[Claim]:
    """Claims of every kind from the gold evidence of the dev questions."""
    rng = random.Random(7)
    claims: list[Claim] = []
    for q in questions:
        for item in q.get("gold_evidence") or []:
            doc_id = _doc_for(item, q.get("gold_doc_ids") or [], docs)
            if doc_id is None:
                continue
            for s in split_sentences(item):
                if len(s) < 25:
                    continue
                claims += _claims_for(q, s, doc_id, rng)
    return claims


def _claims_for(q: dict, s: str, doc_id: str, rng: random.Random) -> list[Claim]:
    out = [Claim("faithful_verbatim", "verbatim", q["qid"], s, s, doc_id)]
    makers: list[tuple[str, Callable[[str], Iterator[tuple[str, str]]]]] = [
        ("faithful_variant", alias_variants),
        ("faithful_variant", list_variants),
        ("faithful_variant", clause_variants),
        ("faithful_variant", number_word_variants),
        ("faithful_variant", unit_variants),
        ("faithful_variant", more_variants),
        ("number_swap", lambda x: number_swaps(x, rng)),
        ("number_swap", more_number_swaps),
        ("date_swap", lambda x: date_swaps(x, rng)),
        ("date_swap", more_date_swaps),
        ("negation_flip", negation_flips),
        ("negation_flip", more_negation_flips),
    ]
    if q.get("choices") and q.get("answer"):
        makers.append(("entity_swap", lambda x: entity_swaps(x, q["answer"], q["choices"])))
        makers.append(("entity_swap", lambda x: entity_swaps_all(x, q["answer"], q["choices"])))
    for kind, make in makers:
        for sub, text in make(s):
            if text != s:
                out.append(Claim(kind, sub, q["qid"], text, s, doc_id))
    return out


# ---- the wider check: every document sentence ------------------------------------------

POOLS: tuple[tuple[str, ...], ...] = (
    (
        "Tesla",
        "BYD",
        "Ford",
        "General Motors",
        "Toyota",
        "Volkswagen",
        "Honda",
        "Hyundai",
        "Nissan",
        "Stellantis",
        "Rivian",
        "Lucid",
        "BMW",
        "Mercedes",
        "Kia",
        "Volvo",
        "Nio",
        "Apple",
        "Google",
        "Amazon",
        "Microsoft",
        "Samsung",
        "Intel",
        "Nvidia",
        "Meta",
        "CATL",
        "Panasonic",
        "Uber",
        "Waymo",
        "Jaguar",
        "Porsche",
        "Ferrari",
        "Audi",
        "Renault",
        "FTX",
    ),
    (
        "China",
        "Germany",
        "Japan",
        "India",
        "Canada",
        "Mexico",
        "Brazil",
        "France",
        "Italy",
        "Britain",
        "Russia",
        "Ukraine",
        "Sweden",
        "Norway",
        "Australia",
        "Korea",
        "Spain",
    ),
    (
        "Chinese",
        "German",
        "Japanese",
        "Indian",
        "Canadian",
        "Mexican",
        "French",
        "Italian",
        "British",
        "Russian",
        "Swedish",
        "American",
        "European",
        "Korean",
    ),
    (
        "Musk",
        "Biden",
        "Trump",
        "Barra",
        "Farley",
        "Cook",
        "Bezos",
        "Altman",
        "Bankman-Fried",
        "Pichai",
        "Nadella",
        "Zuckerberg",
        "Powell",
    ),
)


def pool_swaps(s: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """A well-known name replaced by another of its kind that the sentence lacks."""
    for pool in POOLS:
        for name in pool:
            m = re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", s)
            if m:
                others = [o for o in pool if o not in s]
                yield "pool", s[: m.start()] + rng.choice(others) + s[m.end() :]
                return


def build_doc_claims(docs: dict[str, dict[str, str]], used: set[str]) -> list[Claim]:
    """Claims from every sentence of the documents that no gold evidence came from."""
    rng = random.Random(11)
    claims: list[Claim] = []
    for doc_id, doc in docs.items():
        if doc_id in used:
            continue
        for s in split_sentences(doc["text"])[:12]:
            if len(s) < 40 or len(s) > 400:
                continue
            q = {"qid": doc_id}
            out = _claims_for(q, s, doc_id, rng)
            out += [
                Claim("entity_swap", sub, doc_id, text, s, doc_id)
                for sub, text in pool_swaps(s, rng)
            ]
            claims += out
    return claims


# ---- harder faithful variants (issue 24) ------------------------------------------------
# What a chat model writes when it restates a passage honestly: it names the source, drops
# a trailing clause, rounds a number, writes a date its own way, merges two sentences.

HARDER = (
    "faithful_attribution",
    "faithful_clause",
    "faithful_rounded",
    "faithful_date_form",
    "faithful_alias",
    "faithful_merge",
)
_SHORT_MONTHS = {
    "January": "Jan.",
    "February": "Feb.",
    "March": "March",
    "April": "April",
    "May": "May",
    "June": "June",
    "July": "July",
    "August": "Aug.",
    "September": "Sept.",
    "October": "Oct.",
    "November": "Nov.",
    "December": "Dec.",
}
_OPENERS = frozenset(
    "The A An It Its He She They Their This That These Those But And In On At For As "
    "Some Many Most".split()
)


def source_name(source: str) -> str:
    """How a writer names a publisher: "cnn.com" -> "CNN", "The Verge" as it is."""
    name = re.split(r"\s+[|:–—-]\s+", source.strip())[0]
    if re.search(r"\.(?:com|co\.uk|org|net)$", name):
        bare = re.sub(r"^www\.|\.(?:com|co\.uk|org|net)$", "", name)
        return bare.upper() if len(bare) <= 4 else bare[:1].upper() + bare[1:]
    return name.title() if name.isupper() and len(name) > 4 else name


def attribution_variants(s: str, source: str) -> Iterator[tuple[str, str]]:
    """The sentence credited to the cited document's source."""
    if not source or not s.endswith("."):
        return
    name = source_name(source)
    yield "reported", s[:-1].rstrip() + f", {name} reported."
    first = s.split(" ", 1)[0]
    if first in _OPENERS:
        yield "according", f"According to {name}, " + s[:1].lower() + s[1:]


def rounded_variants(s: str) -> Iterator[tuple[str, str]]:
    """A decimal with a scale or a percent rounded and hedged: "about 740 million"."""
    m = re.search(r"(?<![\d.,])(\d{1,4})\.(\d+)( (?:million|billion|trillion)|%| percent)", s)
    if m:
        value = float(m.group(1) + "." + m.group(2))
        rounded = round(value)
        if rounded and abs(rounded - value) / value <= 0.1:
            before = s[: m.start()]
            cur = re.search(r"[$€£]$", before)
            lead = before[: cur.start()] if cur else before
            hedged = re.search(r"\b(?:about|around|nearly|some|roughly)\s*$", lead)
            number = ("" if hedged else "about ") + (cur.group() if cur else "") + str(rounded)
            yield "round", lead + number + m.group(3) + s[m.end() :]


def date_form_variants(s: str) -> Iterator[tuple[str, str]]:
    """ "August 31" as "31 August" or "Aug. 31", and "31 August" as "August 31"."""
    months = "|".join(_MONTHS)
    m = re.search(rf"\b({months}) (\d{{1,2}})\b(?!,? \d)", s)
    if m:
        month, day = m.groups()
        yield "day_first", s[: m.start()] + f"{day} {month}" + s[m.end() :]
        short = _SHORT_MONTHS[month]
        if short != month:
            yield "abbreviated", s[: m.start()] + f"{short} {day}" + s[m.end() :]
        return
    m = re.search(rf"\b(\d{{1,2}}) ({months})\b", s)
    if m:
        day, month = m.groups()
        yield "month_first", s[: m.start()] + f"{month} {day}" + s[m.end() :]


def merge_variant(s: str, following: str | None) -> Iterator[tuple[str, str]]:
    """Two consecutive sentences joined with ", and" into one claim."""
    if not following or not s.endswith(".") or len(following) < 25:
        return
    first = following.split(" ", 1)[0]
    nxt = following[:1].lower() + following[1:] if first in _OPENERS else following
    yield "and", s[:-1].rstrip() + ", and " + nxt


def harder_claims(
    qid: str, s: str, doc_id: str, doc: dict[str, str], following: str | None
) -> list[Claim]:
    """The harder faithful variants of one sentence of ``doc``."""
    makers: list[tuple[str, Iterator[tuple[str, str]]]] = [
        ("faithful_attribution", attribution_variants(s, doc.get("source") or "")),
        ("faithful_clause", clause_variants(s)),
        ("faithful_clause", (v for v in more_variants(s) if v[0] == "clause2")),
        ("faithful_rounded", rounded_variants(s)),
        ("faithful_date_form", date_form_variants(s)),
        ("faithful_alias", alias_variants(s)),
        ("faithful_merge", merge_variant(s, following)),
    ]
    return [
        Claim(kind, sub, qid, text, s, doc_id)
        for kind, made in makers
        for sub, text in made
        if text != s
    ]


def build_harder(
    docs: dict[str, dict[str, str]], doc_ids: list[str], per_doc: int = 8
) -> list[Claim]:
    """Harder faithful variants of the first ``per_doc`` sentences of each document."""
    claims: list[Claim] = []
    for doc_id in doc_ids:
        sentences = split_sentences(docs[doc_id]["text"])
        for i, s in enumerate(sentences[:per_doc]):
            if 40 <= len(s) <= 400:
                nxt = sentences[i + 1] if i + 1 < len(sentences) else None
                claims += harder_claims(doc_id, s, doc_id, docs[doc_id], nxt)
    return claims
