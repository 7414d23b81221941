"""Numbers with their units: extraction, normalisation and matching.

"eight" = 8, "1.5 million" = 1,500,000, "$4.5bn" = "$4.5 billion", "50 percent" = "50%" =
"50 per cent", "two-thirds", "€4,500", "US$5m", ranges ("10 to 20 percent").  Number words
are parsed by ``text2num``; everything around them (currencies, multipliers, units) here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from text_to_num import text2num

from .lexicon import (
    APPROX_WORDS,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DOLLAR_PREFIXES,
    FRACTIONS,
    GENERIC_CURRENCIES,
    GLUED_MULTIPLIERS,
    MULTIPLIERS,
    NUMBER_WORDS,
    ORDINALS,
    PERCENT_WORDS,
    STOPWORDS,
)
from .text import Token

_APPROX_BIGRAMS = frozenset(
    {
        ("more", "than"),
        ("less", "than"),
        ("fewer", "than"),
        ("at", "least"),
        ("up", "to"),
        ("as", "many"),
        ("as", "much"),
        ("just", "over"),
        ("just", "under"),
        ("close", "to"),
    }
)
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as a claim or evidence states it."""

    surface: str
    first: int  # token indices (inclusive)
    last: int
    value: float
    kind: str  # "money", "percent", "count", "ordinal", "fraction" or "time"
    currency: str | None = None
    unit: str | None = None  # stem of the counted noun ("vehicl")
    approx: bool = False  # "about", "nearly", "more than" ...
    precision: float = 1.0  # place of the last significant digit, for approximate matches
    weak: bool = False  # a lone "one": compared when aligned, never required
    scale: float = 1.0  # the multiplier it was written with (1e9 for "$7 billion")

    @property
    def key(self) -> str:
        """A normal form: equal keys mean the same quantity."""
        scale = f"{self.value:.6g}"
        if self.kind in ("percent", "fraction"):
            scale = f"{self.value * (100 if self.kind == 'fraction' else 1):.4g}"
            return f"N:pct:{scale}"
        return f"N:{self.kind}:{self.currency or ''}:{scale}"


def _digits_value(text: str) -> tuple[float, float] | None:
    clean = text.replace(",", "")
    try:
        value = float(clean)
    except ValueError:
        return None
    if "." in clean:
        return value, 10.0 ** -len(clean.split(".", 1)[1])
    stripped = clean.rstrip("0")
    return value, 10.0 ** (len(clean) - len(stripped)) if stripped else 1.0


def _is_number_word(tok: Token) -> bool:
    return tok.kind == "word" and (
        tok.low in NUMBER_WORDS
        or ("-" in tok.low and all(p in NUMBER_WORDS for p in tok.low.split("-")))
    )


def _word_run(tokens: tuple[Token, ...], j: int) -> tuple[float, int, bool] | None:
    """A run of number words from ``j``: (value, last index, weak)."""
    words: list[str] = []
    k = j
    if (
        tokens[j].low in ("a", "an")
        and j + 1 < len(tokens)
        and tokens[j + 1].low in ("hundred", "thousand", "million", "billion", "trillion")
    ):
        words.append("one")
        k = j + 1
    while k < len(tokens) and (
        _is_number_word(tokens[k])
        or (
            tokens[k].low == "and"
            and words
            and k + 1 < len(tokens)
            and _is_number_word(tokens[k + 1])
        )
    ):
        words.append(tokens[k].low)
        k += 1
    if not words:
        return None
    decimals = ""
    if k + 1 < len(tokens) and tokens[k].low == "point" and _is_number_word(tokens[k + 1]):
        while k + 1 < len(tokens) and tokens[k + 1].low in _DIGIT_WORDS:
            decimals += str(_DIGIT_WORDS[tokens[k + 1].low])
            k += 1
        k += 1
    try:
        value = float(text2num(" ".join(words), "en"))
    except ValueError:
        return None
    if decimals:
        value += float("0." + decimals)
    elif [t.low for t in tokens[k : k + 3]] == ["and", "a", "half"]:
        value, k = value + 0.5, k + 3  # "one and a half million"
    weak = value == 1.0
    return value, k - 1, weak


_DIGIT_WORDS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())
}


def _core(tokens: tuple[Token, ...], j: int) -> tuple[float, int, float, bool] | None:
    """The number starting at ``j``: (value, last index, precision, weak)."""
    tok = tokens[j]
    if tok.kind == "num":
        parsed = _digits_value(tok.text)
        if parsed is None:
            return None
        k = j
        if j + 1 < len(tokens) and tokens[j + 1].glued and tokens[j + 1].low in _ORDINAL_SUFFIX:
            k = j + 1
        return parsed[0], k, parsed[1], False
    run = _word_run(tokens, j)
    if run is None:
        return None
    return run[0], run[1], 1.0, run[2]


def _multiplier(tokens: tuple[Token, ...], k: int) -> tuple[float, int]:
    """A multiplier after index ``k`` ("billion", glued "bn"/"m"): (factor, last index)."""
    if k + 1 >= len(tokens):
        return 1.0, k
    nxt = tokens[k + 1]
    if nxt.kind != "word":
        return 1.0, k
    if nxt.low in MULTIPLIERS and not nxt.low.endswith("s"):
        return MULTIPLIERS[nxt.low], k + 1
    if nxt.glued and nxt.low in GLUED_MULTIPLIERS:
        return GLUED_MULTIPLIERS[nxt.low], k + 1
    return 1.0, k


def _currency_before(tokens: tuple[Token, ...], i: int) -> tuple[str, int] | None:
    """A currency written before index ``i``'s number: (ISO code, first index)."""
    if i == 0:
        return None
    prev = tokens[i - 1]
    if prev.kind == "sym" and prev.text in CURRENCY_SYMBOLS:
        code, first = CURRENCY_SYMBOLS[prev.text], i - 1
        if prev.text == "$" and i >= 2 and prev.glued and tokens[i - 2].text in DOLLAR_PREFIXES:
            code, first = DOLLAR_PREFIXES[tokens[i - 2].text], i - 2
        return code, first
    if prev.kind == "word" and prev.low in CURRENCY_CODES and (prev.acronym or prev.low == "rs"):
        return CURRENCY_CODES[prev.low], i - 1
    return None


def _approx(tokens: tuple[Token, ...], first: int) -> bool:
    if first >= 1 and tokens[first - 1].low in APPROX_WORDS:
        return True
    return first >= 2 and (tokens[first - 2].low, tokens[first - 1].low) in _APPROX_BIGRAMS


def _unit_after(tokens: tuple[Token, ...], k: int) -> tuple[str, str | None, float, int]:
    """The unit after index ``k``: (kind, currency, factor, last index)."""
    if k + 1 >= len(tokens):
        return "count", None, 1.0, k
    nxt = tokens[k + 1]
    low = nxt.low
    if nxt.text == "%":
        return "percent", None, 1.0, k + 1
    if low in PERCENT_WORDS or (low == "pc" and nxt.glued):
        last = k + 2 if k + 2 < len(tokens) and tokens[k + 2].low in ("point", "points") else k + 1
        return "percent", None, 1.0, last
    if low == "per" and k + 2 < len(tokens) and tokens[k + 2].low == "cent":
        return "percent", None, 1.0, k + 2
    if low in CURRENCY_WORDS:
        return "money", CURRENCY_WORDS[low], 1.0, k + 1
    if low in ("cents", "cent"):
        return "money", "$", 0.01, k + 1
    if low in ("pence", "p") and (low == "pence" or nxt.glued):
        return "money", "GBP", 0.01, k + 1
    return "count", None, 1.0, k


def _counted_noun(tokens: tuple[Token, ...], k: int) -> str | None:
    for tok in tokens[k + 1 : k + 3]:
        if tok.kind == "sym":
            return None
        if tok.low not in STOPWORDS:
            return tok.stem
    return None


def _fraction(tokens: tuple[Token, ...], k: int, value: float) -> tuple[float, int] | None:
    """ "two thirds", "a third of": the fraction after a small number ending at ``k``."""
    if k + 1 < len(tokens) and tokens[k + 1].low in FRACTIONS and value < 10:
        after = tokens[k + 2].low if k + 2 < len(tokens) else ""
        if tokens[k + 1].low.endswith("s") or after == "of" or tokens[k + 1].low == "half":
            return value * FRACTIONS[tokens[k + 1].low], k + 1
    return None


def _is_name_number(tokens: tuple[Token, ...], i: int, last: int) -> bool:
    """ "Model 3", "iPhone 14", "Section 232": a small integer that belongs to a name."""
    tok = tokens[i]
    if tok.kind != "num" or "," in tok.text or "." in tok.text or len(tok.text) > 3 or i == 0:
        return False
    prev = tokens[i - 1]
    if not (
        (prev.kind == "word" and prev.cap and not prev.initial and not prev.acronym)
        or (prev.kind == "word" and prev.cap and prev.acronym and prev.low not in CURRENCY_CODES)
    ):
        return False
    return last == i and _unit_after(tokens, i)[0] == "count"


def _clock(text: str, tokens: tuple[Token, ...], i: int) -> Quantity | None:
    """ "8:30", "11:59 p.m.": a time of day (minutes since midnight)."""
    if i + 2 >= len(tokens) or tokens[i].kind != "num" or tokens[i + 1].text != ":":
        return None
    minute = tokens[i + 2]
    if not (
        tokens[i + 1].glued
        and minute.glued
        and minute.kind == "num"
        and minute.text.isdigit()
        and len(minute.text) == 2
        and tokens[i].text.isdigit()
    ):
        return None
    hours, last = int(tokens[i].text), i + 2
    suffix = tokens[i + 3].low if i + 3 < len(tokens) else ""
    if suffix in ("pm", "am"):
        hours, last = hours % 12 + (12 if suffix == "pm" else 0), i + 3
    end = tokens[last].end + (
        1 if text[tokens[last].end : tokens[last].end + 1] == "." and suffix in ("pm", "am") else 0
    )
    return Quantity(text[tokens[i].start : end], i, last, hours * 60.0 + int(minute.text), "time")


def _skip(tokens: tuple[Token, ...], i: int) -> bool:
    """Numbers glued to a slash ("24/7", "3/4"): no quantity this checker compares."""
    tok = tokens[i]
    if tok.kind != "num":
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    before = tokens[i - 1] if i else None
    return bool(
        (after and after.text == "/" and after.glued)
        or (before and before.text == "/" and tok.glued)
    )


def _ordinal(tokens: tuple[Token, ...], i: int) -> Quantity | None:
    tok = tokens[i]
    if tok.low not in ORDINALS:
        return None
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    prev = tokens[i - 1].low if i else ""
    if nxt == "," or prev == "at" or (nxt == "of" and prev in ("a", "one")):
        return None
    return Quantity(tok.text, i, i, float(ORDINALS[tok.low]), "ordinal")


def _quantity_at(text: str, tokens: tuple[Token, ...], i: int) -> Quantity | None:
    clock = _clock(text, tokens, i)
    if clock is not None:
        return clock
    core = _core(tokens, i)
    if core is None:
        return _ordinal(tokens, i)
    value, last, precision, weak = core
    if _is_name_number(tokens, i, last) or _skip(tokens, i):
        return None
    first = i
    currency_info = _currency_before(tokens, i)
    kind, currency = "count", None
    if currency_info:
        currency, first, kind = currency_info[0], currency_info[1], "money"
    if last > i and tokens[last].low in _ORDINAL_SUFFIX:
        return Quantity(text[tokens[i].start : tokens[last].end], i, last, value, "ordinal")
    fraction = _fraction(tokens, last, value)
    if fraction is not None:
        return Quantity(
            text[tokens[first].start : tokens[fraction[1]].end],
            first,
            fraction[1],
            fraction[0],
            "fraction",
            approx=_approx(tokens, first),
        )
    factor, last = _multiplier(tokens, last)
    unit_kind, unit_currency, unit_factor, last = _unit_after(tokens, last)
    if unit_kind != "count":
        kind, currency = unit_kind, currency or unit_currency
    unit_factor = unit_factor if currency_info is None else 1.0
    value, precision = value * factor * unit_factor, precision * unit_factor
    noun = _counted_noun(tokens, last) if kind == "count" else None
    return Quantity(
        text[tokens[first].start : tokens[last].end],
        first,
        last,
        value,
        kind,
        currency,
        noun,
        _approx(tokens, first),
        precision * factor,
        weak,
        factor,
    )


def _bare_fraction(tokens: tuple[Token, ...], i: int) -> Quantity | None:
    """ "half", "a third of", "a quarter of"."""
    tok = tokens[i]
    prev = tokens[i - 1].low if i else ""
    if tok.low == "half" and prev not in ("first", "second"):
        if (
            i + 2 < len(tokens)
            and tokens[i + 1].low in ("a", "an")
            and tokens[i + 2].low in ("million", "billion", "thousand", "trillion")
        ):  # "half a million"
            factor = MULTIPLIERS[tokens[i + 2].low]
            return Quantity(
                f"{tok.text} {tokens[i + 1].text} {tokens[i + 2].text}",
                i,
                i + 2,
                0.5 * factor,
                "count",
                precision=0.1 * factor,
                scale=factor,
            )
        return Quantity(tok.text, i, i, 0.5, "fraction", approx=True, precision=0.02)
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if tok.low in FRACTIONS and prev in ("a", "one") and nxt == "of":
        return Quantity(tok.text, i, i, FRACTIONS[tok.low], "fraction", approx=True, precision=0.02)
    return None


def _propagate_range(quantities: list[Quantity], tokens: tuple[Token, ...]) -> list[Quantity]:
    """ "10 to 20 percent", "$5 to $7 billion": the first number takes the second's unit."""
    out = list(quantities)
    for n in range(len(out) - 1):
        a, b = out[n], out[n + 1]
        between = [t.low for t in tokens[a.last + 1 : b.first]]
        is_range = between in (["-"], ["to"], ["–"]) or (
            between == ["and"] and a.first > 0 and tokens[a.first - 1].low == "between"
        )
        if not is_range or a.kind not in ("count", b.kind) or a.scale != 1.0:
            continue
        scale = b.scale if a.value * b.scale <= b.value else 1.0
        if b.kind == "count" and scale == 1.0:
            continue
        out[n] = Quantity(
            a.surface,
            a.first,
            a.last,
            a.value * scale,
            b.kind,
            b.currency,
            b.unit,
            a.approx,
            a.precision * scale,
            a.weak,
            scale,
        )
    return out


_TRIGGERS = NUMBER_WORDS | ORDINALS.keys() | FRACTIONS.keys() | {"a", "an"}


def _may_start(tok: Token) -> bool:
    if tok.kind == "num":
        return True
    return tok.kind == "word" and (tok.low in _TRIGGERS or tok.low.split("-", 1)[0] in _TRIGGERS)


def extract_quantities(
    text: str, tokens: tuple[Token, ...], taken: frozenset[int]
) -> tuple[Quantity, ...]:
    """Quantities of ``text``; tokens in ``taken`` (dates) are skipped."""
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        if i in taken or not _may_start(tokens[i]):
            i += 1
            continue
        q = _quantity_at(text, tokens, i) or _bare_fraction(tokens, i)
        if q is not None and not any(k in taken for k in range(q.first, q.last + 1)):
            found.append(q)
            i = q.last + 1
        else:
            i += 1
    return tuple(_propagate_range(found, tokens))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _as_percent(q: Quantity) -> float:
    return q.value * 100 if q.kind == "fraction" else q.value


def _same_currency(a: str | None, b: str | None) -> bool:
    """Equal, or one is a bare "$"/"¥" that the other's code can be written with."""
    if a == b:
        return True
    return bool(
        a and b and (b in GENERIC_CURRENCIES.get(a, ()) or a in GENERIC_CURRENCIES.get(b, ()))
    )


def compatible(claim: Quantity, ev: Quantity) -> bool:
    """True when the two can be the same quantity (units permitting)."""
    if claim.kind == "money":
        return ev.kind == "count" or (
            ev.kind == "money" and _same_currency(claim.currency, ev.currency)
        )
    if claim.kind in ("percent", "fraction"):
        return ev.kind in ("percent", "fraction")
    if claim.kind == "ordinal":
        return ev.kind in ("ordinal", "count")
    return True


def values_match(claim: Quantity, ev: Quantity) -> bool:
    """Same value; an approximate number may round ("about $2tn" for "$1.98tn")."""
    a, b = (
        (_as_percent(claim), _as_percent(ev))
        if claim.kind in ("percent", "fraction")
        else (claim.value, ev.value)
    )
    if _close(a, b):
        return True
    precision = claim.precision * (100 if claim.kind == "fraction" else 1)
    ev_precision = 0.0 if ev.kind == "fraction" else ev.precision  # "a third" is round
    if not (claim.approx or ev.approx) or precision < ev_precision:
        return False  # only a rounder claim may round ("nearly 4 million" for "3.8 million")
    return abs(a - b) <= min(precision / 2, 0.1 * abs(a)) + 1e-9 * max(abs(a), 1.0)


def quantity_supported(claim: Quantity, evidence: list[Quantity]) -> bool:
    """True when some evidence quantity is the claim's."""
    return any(compatible(claim, ev) and values_match(claim, ev) for ev in evidence)


def quantity_conflict(claim: Quantity, evidence: list[Quantity]) -> Quantity | None:
    """An evidence quantity of the same kind and unit with another value, if any."""
    for ev in evidence:
        if ev.weak or not compatible(claim, ev) or ev.kind != claim.kind:
            continue
        if claim.kind == "count" and (claim.unit is None or claim.unit != ev.unit):
            continue
        if not values_match(claim, ev):
            return ev
    return None
