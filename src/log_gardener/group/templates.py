"""Template mining for plain messages: one configuration for every kind of log.

Two stages, so that the state stays mergeable:

1. ``premask`` (per message, pure): mask what is a variable whatever the context
   (numbers, ids, addresses, times, quantities). The state is the count of every
   distinct premasked message: merging two shards adds two counters.
2. ``cluster`` (at the end, over the distinct premasked messages, in sorted order):
   decide from the data which other positions are variables. Two messages that
   differ in one position are one template when the position is a variable slot:
   a value there was already masked elsewhere, the values look like data (paths,
   dotted names, quoted text), the preceding word is a key that takes values, or
   the position holds many distinct values. A difference in a plain word with few
   values ("VM Started" / "VM Paused") stays two templates.

A window with one user name cannot show that the name is a variable; a window with many
can. So that an event keeps its id from window to window, what earlier runs learned is
carried in a ``Vocabulary`` (kept in the tracker's state): a message that fits a learned
template takes it, and a template that a later run generalises is recorded as superseded,
its id an alias of the new one.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..limits import LIMITS
from ..model import Reason, Vocabulary, said
from .masking import WILDCARD, premask, shown, words_of
from .signature import mined_signature

# paths, dotted names (hosts, packages), addresses, a whole quoted text ('POST', key="x y" is not: its
# words are split): data, not wording
_DATA_CHARS = re.compile(r"""[/\\@]|\w\.\w|^[\w.-]*[=:]?(["'`])[^"'`]*\1\W*$""")
_DIGITS = re.compile(r"\d+")
_OPENING = "\"'`([{"


MEMO_SIZE = 100_000  # raw message -> premasked, for logs that repeat lines word for word
MAX_DISTINCT = LIMITS.max_distinct_messages


@dataclass(slots=True)
class TemplateMiner:
    """Mergeable state: the count of every distinct premasked message.

    Memory is bounded: past ``max_distinct`` distinct messages, the counts are folded
    into their templates (nothing is dropped: a rare message keeps its own template),
    and later messages join those templates at the next fold or at ``finalize``.
    """

    counts: Counter = field(default_factory=Counter)
    max_distinct: int = MAX_DISTINCT
    folds: list[dict[str, str]] = field(default_factory=list)  # each fold's premasked -> template
    track: bool = False  # keep the folds, so that every key ever returned can be resolved
    memo_size: int = MEMO_SIZE  # 0: no memo
    known: Vocabulary | None = None  # what earlier runs learned (read only)
    _memo: dict[str, str] = field(default_factory=dict)

    def add(self, message: str) -> str:
        key = self._memo.get(message)
        if key is None:
            key = premask(message)
            if self.memo_size:
                if len(self._memo) >= self.memo_size:
                    self._memo.clear()
                self._memo[message] = key
        counts = self.counts
        counts[key] += 1
        if len(counts) > self.max_distinct:
            self.fold()
        return key

    def add_many(self, messages: Iterable[str], batch: int = 1 << 16) -> list[str]:
        """``add`` for many messages at once (the same keys, less work per message); the distinct
        count may pass ``max_distinct`` by one batch before it is folded."""
        keys: list[str] = []
        memo, memo_size = self._memo, self.memo_size
        get = memo.get
        it = iter(messages)
        while chunk := list(itertools.islice(it, batch)):
            start = len(keys)
            for message in chunk:
                key = get(message)
                if key is None:
                    key = premask(message)
                    if memo_size:
                        if len(memo) >= memo_size:
                            memo.clear()
                        memo[message] = key
                keys.append(key)
            self.counts.update(keys[start:])
            if len(self.counts) > self.max_distinct:
                self.fold()
        return keys

    def fold(self) -> None:
        templates = cluster(self.counts, known=self.known)
        folded: Counter = Counter()
        for key, n in self.counts.items():
            folded[templates[key]] += n
        self.counts = folded
        if self.track:
            self.folds.append(templates)

    def merge(self, other: TemplateMiner) -> TemplateMiner:
        out = TemplateMiner(Counter(self.counts), self.max_distinct, known=self.known)
        out.counts.update(other.counts)
        return out

    def finalize(self) -> dict[str, tuple[str, str]]:
        """Every key ``add`` returned -> (signature id, template)."""
        templates = cluster(self.counts, known=self.known)
        table: dict[str, tuple[str, str]] = {k: (template_id(t), t) for k, t in templates.items()}
        for fold in reversed(self.folds):  # keys from before a fold resolve through it
            for key, folded in fold.items():
                if key not in table:
                    table[key] = table[folded] if folded in table else (template_id(folded), folded)
        return table


def template_id(template: str) -> str:
    """The id of a template: the same as the problem signature of a plain message with it."""
    return mined_signature(template).id


MANY_VALUES = 5
KEY_SHARE = 0.3
SHARED_VALUES = 2  # values a slot shares with another slot after the same word
_KEY_END = ("=", ":")


def _keyness(token_lists: Iterable[list[str]]) -> dict[str, float]:
    """How often a word is followed by a masked value: 'user <*>', 'port <*>'."""
    seen: Counter = Counter()
    before_var: Counter = Counter()
    for toks in token_lists:
        for a, b in itertools.pairwise(toks):
            if WILDCARD in a:
                continue
            seen[a] += 1
            if WILDCARD in b:
                before_var[a] += 1
    return {w: before_var[w] / n for w, n in seen.items()}


def _split_slot(values: set[str]) -> tuple[str, set[str], str] | None:
    """(key prefix, inner values, common punctuation suffix); None when the keys differ.

    ``mask=ffffffff`` / ``mask=<*>`` is the slot ``mask=`` with values ``ffffffff``, ``<*>``;
    ``phoneId=<*>`` / ``retVal=<*>`` are two different keys, not one slot.
    """
    first = next(iter(values))
    prefix = first
    for v in values:
        while not v.startswith(prefix):
            prefix = prefix[:-1]
    cut = max(prefix.rfind(c) for c in _KEY_END)
    # the key, then opening punctuation ('"/x"' and '"/y"' are the slot '"<*>"', tag="a" tag="b" 'tag="<*>"')
    n = cut + 1
    while n < len(prefix) and prefix[n] in _OPENING:
        n += 1
    prefix = prefix[:n]
    rest = [v[len(prefix):] for v in values]
    if any(_is_assignment(r) for r in rest):
        return None
    suffix = ""
    shortest = min(rest, key=len)
    for i in range(1, len(shortest) + 1):
        tail = shortest[-i:]
        if tail[0].isalnum() or tail[0] in "<>*" or not all(r.endswith(tail) for r in rest):
            break
        suffix = tail
    inner = {r[: len(r) - len(suffix)] if suffix else r for r in rest}
    return prefix, inner, suffix


def _is_assignment(token: str) -> bool:
    i = token.find("=")
    return i > 0 and token[:i].replace("_", "").replace(".", "").isalnum()


@dataclass(slots=True)
class _Evidence:
    keyness: dict[str, float]
    vocabulary: set[str] = field(default_factory=set)  # values already seen in a variable slot
    reasons: dict[str, dict[int, Reason]] = field(default_factory=dict)  # message -> position -> why
    slots: dict[str, list[frozenset[str]]] = field(default_factory=dict)  # word -> value sets after it


def _decide(inner: set[str], values: set[str], keyed: bool, j: int, template: list[str],
            ev: _Evidence) -> Reason | None:
    """Why position j is a variable slot, or None when it is part of the wording."""
    if all(t == WILDCARD for i, t in enumerate(template) if i != j):
        return None  # a template keeps a constant
    if WILDCARD in inner or "" in inner:
        return said("some of its values are numbers, ids or addresses")
    if any(_DATA_CHARS.search(v) for v in values):
        return said("its values are paths, names with dots, addresses or quoted text")
    if len({_DIGITS.sub("0", v) for v in inner}) == 1:
        return said("its values differ only in their numbers")
    if j == 0 and not keyed:
        return None  # a plain first word names the event
    if len(inner) >= MANY_VALUES:
        return said(f"{len(inner)} distinct values")
    prev = template[j - 1] if j > 0 else ""
    if prev.endswith("="):
        return said("it is the value of '{0}'", prev)
    if ev.keyness.get(prev, 0.0) >= KEY_SHARE:
        return said(f"'{{0}}' is followed by a value in {ev.keyness[prev]:.0%} of messages", prev)
    if inner <= ev.vocabulary:
        return said("its values were variables elsewhere")
    # the same values after the same word in other messages: "for user cyrus|news|test"
    for other in ev.slots.get(prev, ()):
        if other != inner and len(other & inner) >= SHARED_VALUES:
            return said("the same values follow '{0}' in other messages", prev)
    return None


def cluster(counts: Counter, why: dict[str, list[Reason]] | None = None,
            known: Vocabulary | None = None) -> dict[str, str]:
    """premasked message -> template, deciding variable positions from all messages at once.

    With ``why``, fills template -> the reasons its variables are variables. With ``known``,
    a message that fits a template learned in an earlier run starts from it.
    """
    collecting = gc.isenabled()
    gc.disable()  # millions of acyclic tuples and lists: the collector would rescan them again and again
    try:
        return _cluster(counts, why, known)
    finally:
        if collecting:
            gc.enable()


def _cluster(counts: Counter, why: dict[str, list[Reason]] | None, known: Vocabulary | None) -> dict[str, str]:
    keys = sorted(counts)
    tokens = {k: k.split() for k in keys}
    earlier: list[str] = []
    if known is not None and known.templates:
        # what earlier runs saw is evidence too: their templates take part as observations, so a
        # slot that shows one value here and another value before is decided as over both windows
        earlier = _earlier_observations(known, tokens)
        for k in earlier:
            tokens[k] = k.split()
    ev = _Evidence(_keyness(tokens.values()))
    current = {k: list(tokens[k]) for k in tokens}  # the template each message has reached
    if known is not None and known.templates:
        _start_from_known(current, known, ev)
    by_len: dict[int, list[str]] = defaultdict(list)
    for k in (*keys, *earlier):
        by_len[len(tokens[k])].append(k)
    groups = [members for members in by_len.values() if len(members) > 1]
    for final in (False, True):
        undecided: dict[str, list[frozenset[str]]] = defaultdict(list)
        for members in groups:
            _cluster_length_group(members, current, ev, undecided)
        if not final:
            # second pass: what the first one learned counts as evidence
            ev.slots = undecided
            ev.keyness = _keyness(current.values())
    templates = _absorb_variable_length({k: " ".join(current[k]) for k in keys}, counts)
    if why is not None:
        for k, t in templates.items():
            found = why.setdefault(shown(t), [])
            for j in sorted(ev.reasons.get(k, {})):
                reason = ev.reasons[k][j]
                if reason not in found and len(found) < 10:
                    found.append(reason)
            if t != " ".join(current[k]):
                note = said("one variable stands for several words of a longer form of the message")
                if note not in found:
                    found.append(note)
    return {k: shown(t) for k, t in templates.items()}


def _fits(tokens: list[str] | tuple[str, ...], template: list[str] | tuple[str, ...]) -> bool:
    """Every word equal, or standing where the template has a variable (``mask=ffff`` fits ``mask=<*>``)."""
    return all(a == b or (b == WILDCARD and _key_of(a) == "") or _same_slot(a, b)
               for a, b in zip(tokens, template, strict=True))


def _index(templates: Iterable[str]) -> dict[tuple[int, str], list[tuple[str, ...]]]:
    """General templates by (length, first word); a first word holding a variable under '*'."""
    index: dict[tuple[int, str], list[tuple[str, ...]]] = defaultdict(list)
    for t in templates:
        toks = tuple(words_of(t))
        if toks and WILDCARD in t and not all(WILDCARD in w for w in toks):  # a template keeps a constant
            index[(len(toks), "*" if WILDCARD in toks[0] else toks[0])].append(toks)
    for candidates in index.values():  # the most general first; ties in a fixed order
        candidates.sort(key=lambda t: (-_generality(t), t))
    return index


def _fitting(toks: list[str], index: dict[tuple[int, str], list[tuple[str, ...]]]) -> tuple[str, ...] | None:
    n = len(toks)
    best: tuple[str, ...] | None = None
    for bucket in ((n, toks[0]), (n, "*")):
        for t in index.get(bucket, ()):
            if _fits(toks, t):
                if best is None or _generality(t) > _generality(best) or (
                        _generality(t) == _generality(best) and t < best):
                    best = t
                break  # a bucket is sorted most general first
    return best


def _generality(t: tuple[str, ...]) -> int:
    return sum(WILDCARD in w for w in t)


def _earlier_observations(known: Vocabulary, tokens: dict[str, list[str]]) -> list[str]:
    """The learned templates of the same length and first word as a message of this run (keys
    that are not messages of this run: their words as the miner compares them)."""
    wanted = {(len(t), t[0]) for t in tokens.values() if t}
    out = []
    for t in sorted(known.templates):
        key = " ".join(words_of(t))
        toks = key.split()
        if toks and key not in tokens and ((len(toks), toks[0]) in wanted):
            out.append(key)
    return out


def _start_from_known(current: dict[str, list[str]], known: Vocabulary, ev: _Evidence) -> None:
    index = _index(known.templates)
    if not index:
        return
    for k, toks in current.items():
        if not toks:
            continue
        t = _fitting(toks, index)
        if t is None or list(t) == toks:
            continue
        for j, (a, b) in enumerate(zip(toks, t, strict=True)):
            if a != b:
                ev.reasons.setdefault(k, {})[j] = said(f"word {j + 1} ({{0}}) was a variable in an earlier run", a)
        current[k] = list(t)


def learn(known: Vocabulary | None, templates: Iterable[str]) -> Vocabulary:
    """The vocabulary after a run that produced ``templates`` (``known`` is left as it was).

    A template this run did not produce, which a template it did produce covers, is
    superseded by it; past the limit, the templates unseen for longest go first.
    """
    base = known or Vocabulary()
    run = base.runs + 1
    produced = set(templates)
    out = Vocabulary(dict(base.templates), dict(base.superseded), run, base.limit)
    index = _index(produced)
    for old in sorted(base.templates):
        toks = words_of(old)
        if old in produced or not toks:
            continue
        t = _fitting(toks, index)
        if t is not None:
            out.superseded[old] = " ".join(t)
            del out.templates[old]
    for t in produced:
        out.templates[t] = run
    if len(out.templates) > out.limit:
        out.templates = dict(sorted(out.templates.items(), key=lambda kv: (-kv[1], kv[0]))[: out.limit])
    if len(out.superseded) > out.limit:
        out.superseded = dict(list(out.superseded.items())[-out.limit:])  # the oldest records go first
    return out


def resolve(known: Vocabulary, template: str) -> str:
    """The template a template is known by now (following what superseded it)."""
    seen = {template}
    while template in known.superseded:
        template = known.superseded[template]
        if template in seen:
            break
        seen.add(template)
    return template


def earlier_templates(known: Vocabulary, templates: Iterable[str]) -> dict[str, list[str]]:
    """template -> the older templates that now resolve to it (what the tracker may know them by)."""
    wanted = set(templates)
    out: dict[str, list[str]] = defaultdict(list)
    for old in sorted(known.superseded):
        now = resolve(known, old)
        if now in wanted and now != old:
            out[now].append(old)
    return out


MAX_SPAN = 4  # tokens one variable may stand for: "Invalid user a b from ..."


def _span_pattern(template: str) -> re.Pattern[str]:
    """A template as a regex whose variables each stand for 1 to MAX_SPAN words."""
    parts = [re.escape(head) + rf"((?:\S+\s+){{0,{MAX_SPAN - 1}}}\S+?)" + re.escape(tail)
             if (head, tail) != (tok, "") else re.escape(tok)
             for tok in template.split() for head, _, tail in [tok.partition(WILDCARD)]]
    return re.compile(r"\s+".join(parts))


def _absorb_variable_length(templates: dict[str, str], counts: Counter) -> dict[str, str]:
    """Map a message onto a shorter template whose variable stands for several of its words.

    ``Invalid user <*> from <*>`` takes ``Invalid user a b from <*>`` when the words in the
    variable's place are plain values (no variable of their own) and the longer form is
    not the more common one.
    """
    weight: Counter = Counter()
    for k, t in templates.items():
        weight[t] += counts[k]
    general = sorted((t for t in weight if WILDCARD in t.split()),
                     key=lambda t: (len(t.split()), t))
    by_first: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for t in general:
        toks = t.split()
        if all(WILDCARD in w for w in toks):
            continue  # a template keeps a constant
        by_first["*" if WILDCARD in toks[0] else toks[0]].append((t, len(toks)))
    patterns: dict[str, re.Pattern[str]] = {}  # compiled when first needed: most are never tried
    remap: dict[str, str] = {}
    for t in sorted(weight):
        toks = t.split()
        if not toks:
            continue
        for candidate, size in itertools.chain(by_first.get(toks[0], ()), by_first.get("*", ())):
            if size >= len(toks) or candidate == t:
                continue
            pattern = patterns.get(candidate)
            if pattern is None:
                pattern = patterns[candidate] = _span_pattern(candidate)
            m = pattern.fullmatch(t)
            if m is None:
                continue
            # the words in a variable's place: data and variables ("<*> <*>", "QQ.exe <*>"), or plain
            # words of a rarer form; never plain words with a variable of their own ("invalid user <*>")
            spans = [g.split() for g in m.groups()]
            data = [all(_is_data(w) for w in span) for span in spans]
            if any(not d and any(WILDCARD in w for w in span) for d, span in zip(data, spans, strict=True)):
                continue
            if not all(data) and weight[t] > weight[candidate]:
                continue
            remap[t] = candidate
            break
    return {k: remap.get(t, t) for k, t in templates.items()}


def _cluster_length_group(members: list[str], current: dict[str, list[str]], ev: _Evidence,
                          undecided: dict[str, list[frozenset[str]]]) -> None:
    length = len(current[members[0]])
    changed = True
    while changed:
        changed = False
        for j in range(length):
            holes: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for k in members:
                t = current[k]
                holes[(*t[:j], *t[j + 1:])].append(k)
            for hole in holes.values():
                if len(hole) < 2:
                    continue  # nothing varies in a hole of one (free text: most of them)
                # "num=<*>" and "topActivity=..." are different keys: never one slot
                by_key: dict[str, list[str]] = defaultdict(list)
                for k in hole:
                    by_key[_key_of(current[k][j])].append(k)
                for group in by_key.values():
                    changed |= _settle(group, j, current, ev, undecided)
        if not changed:
            changed = _settle_data(members, current, ev)
        if not changed:
            changed = _settle_pairs(members, current, ev)
    _adopt_general(members, current)


MAX_PAIR_POSITIONS = 12  # varying positions of a length group past which pairs are not tried


def _may_pair(members: list[str], current: dict[str, list[str]], probes: list[int]) -> list[str]:
    """The members that can share a hole of two positions with another member: such two agree on
    every varying position but two, so on two of four probe positions at least. Without this,
    free text (every message distinct) costs every pair of positions for every message."""
    if len(probes) < 4:
        return members
    seen: Counter = Counter()
    keyed = []
    for k in members:
        t = current[k]
        keys = [(i, j, t[i], t[j]) for i, j in itertools.combinations(probes, 2)]
        keyed.append((k, keys))
        seen.update(keys)
    return [k for k, keys in keyed if any(seen[key] > 1 for key in keys)]


def _settle_pairs(members: list[str], current: dict[str, list[str]], ev: _Evidence) -> bool:
    """Two words that vary together ("Transitioned from NEW to RUNNING" / "from RUNNING to DONE"):
    both are variables when they take their values from one set (a value of one is a value of the
    other somewhere), or when each, on its own evidence, would be."""
    length = len(current[members[0]])
    values = [{current[k][j] for k in members} for j in range(length)]
    varying = [j for j in range(length) if len(values[j]) > 1]
    if len(varying) < 2 or len(varying) > MAX_PAIR_POSITIONS:
        return False
    members = _may_pair(members, current, sorted(varying, key=lambda j: (-len(values[j]), j))[:4])
    changed = False
    for a, b in itertools.combinations(varying, 2):
        holes: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for k in members:
            t = current[k]
            holes[(*t[:a], *t[a + 1:b], *t[b + 1:])].append(k)  # a < b
        for group in holes.values():
            if len(group) < 2 or any(_key_of(current[k][a]) or _key_of(current[k][b]) for k in group):
                continue
            va, vb = {current[k][a] for k in group}, {current[k][b] for k in group}
            if len(va) < 2 or len(vb) < 2 or WILDCARD in va | vb:
                continue
            template = current[group[0]]
            if all(WILDCARD in w for i, w in enumerate(template) if i != a and i != b):
                continue  # a template keeps a constant
            if va & vb:
                why = said("it varies with word {0}, and both take their values from one set", str(b + 1))
                reasons = {a: why, b: said("it varies with word {0}, and both take their values from one set",
                                           str(a + 1))}
            else:
                ra = _decide(va, va, False, a, template, ev)
                rb = _decide(vb, vb, False, b, template, ev)
                if ra is None or rb is None:
                    continue
                reasons = {a: ra, b: rb}
            for j, reason in reasons.items():
                values = va if j == a else vb
                shown = ", ".join(sorted(values)[:3]) + (", …" if len(values) > 3 else "")
                for k in group:
                    current[k][j] = WILDCARD
                    ev.reasons.setdefault(k, {})[j] = Reason(
                        f"word {j + 1} ({{{len(reason.quotes)}}}) is a variable: " + reason.words,
                        (*reason.quotes, shown))
            changed = True
    return changed


def _is_data(token: str) -> bool:
    """A variable already, or a word that looks like data: a path, a dotted name, quoted, numbered."""
    return WILDCARD in token or _DATA_CHARS.search(token) is not None or _DIGITS.search(token) is not None


def _settle_data(members: list[str], current: dict[str, list[str]], ev: _Evidence) -> bool:
    """Data that varies together: messages whose words are the same but for several paths, names
    with dots, quoted texts or numbered names (a program and its host, a path and its request)
    make each of those positions a variable. One position at a time never sees them differ alone."""
    skeletons: dict[tuple[str, ...], list[str]] = defaultdict(list)
    data: dict[str, bool] = {}
    for k in members:
        t = current[k]
        skeleton = []
        for w in t:
            d = data.get(w)
            if d is None:
                d = data[w] = _is_data(w)
            skeleton.append("\0" if d else w)
        skeletons[tuple(skeleton)].append(k)
    changed = False
    for skeleton, group in skeletons.items():
        if len(group) < 2:
            continue
        positions = [j for j, w in enumerate(skeleton) if w == "\0"]
        varying = [j for j in positions if len({current[k][j] for k in group}) > 1]
        if len(varying) < 2:
            continue  # one varying position is the single-slot pass's to decide
        for j in varying:
            by_key: dict[str, list[str]] = defaultdict(list)
            for k in group:
                by_key[_key_of(current[k][j])].append(k)
            for sub in by_key.values():
                values = {current[k][j] for k in sub}
                slot = _split_slot(values) if len(values) > 1 else None
                if slot is None:
                    continue
                prefix, inner, suffix = slot
                replacement = f"{prefix}{WILDCARD}{suffix}"
                shown = ", ".join(sorted(inner)[:3]) + (", …" if len(inner) > 3 else "")
                others = ", ".join(str(i + 1) for i in varying if i != j)
                reason = Reason(f"word {j + 1} ({{0}}) is a variable: its values are data (paths, names with dots, "
                                f"quoted text, numbered names) that vary together with word(s) {others}", (shown,))
                for k in sub:
                    current[k][j] = replacement
                    ev.reasons.setdefault(k, {})[j] = reason
                changed = True
    return changed


def _adopt_general(members: list[str], current: dict[str, list[str]]) -> None:
    """A message that differs from a template only where the template has variables takes it
    (the most general such template).

    Messages arriving after a fold, or varying in two slots at once, reach their
    template this way rather than one slot at a time.
    """
    index = _index({" ".join(current[k]) for k in members})
    if not index:
        return
    for k in members:
        t = _fitting(current[k], index)
        if t is not None and list(t) != current[k]:
            current[k] = list(t)


def _same_slot(value: str, template_token: str) -> bool:
    """``mask=ffffffff`` fits ``mask=<*>``."""
    if WILDCARD not in template_token:
        return False
    head, _, tail = template_token.partition(WILDCARD)
    return value.startswith(head) and value.endswith(tail) and len(value) > len(head) + len(tail)


def _key_of(token: str) -> str:
    i = token.find("=")
    return token[:i] if i > 0 and _is_assignment(token) else ""


def _settle(group: list[str], j: int, current: dict[str, list[str]], ev: _Evidence,
            undecided: dict[str, list[frozenset[str]]]) -> bool:
    """Make position j of these messages a variable if the evidence says so."""
    values = {current[k][j] for k in group}
    if len(values) < 2:
        return False
    slot = _split_slot(values)
    if slot is None:
        return False
    prefix, inner, suffix = slot
    template = current[group[0]]
    reason = _decide(inner, values, prefix.endswith(_KEY_END), j, template, ev)
    if reason is None:
        if j > 0:
            undecided[template[j - 1]].append(frozenset(inner))
        return False
    ev.vocabulary.update(v for v in inner if v.isalpha())
    replacement = f"{prefix}{WILDCARD}{suffix}"
    shown = ", ".join(sorted(inner)[:3]) + (", …" if len(inner) > 3 else "")
    for k in group:
        current[k][j] = replacement
        ev.reasons.setdefault(k, {})[j] = Reason(f"word {j + 1} ({{{len(reason.quotes)}}}) is a variable: "
                                                 + reason.words, (*reason.quotes, shown))
    return True


def mine(messages: Iterable[str], known: Vocabulary | None = None) -> list[tuple[str, str]]:
    """(signature id, template) for every message, in input order."""
    miner = TemplateMiner(track=True, known=known)
    keys = [miner.add(m) for m in messages]
    table = miner.finalize()
    return [table[k] for k in keys]
