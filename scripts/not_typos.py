#!/usr/bin/env python3
"""Regenerates `not_typos` in knowledge/intents.toml.

The engine corrects an unknown word to a keyword one or two edits away
("salery" -> "salary"). A real English word that happens to sit that close
to a keyword ("remove" -> "remote", "employer" -> "employers") must not be
"corrected". This script lists every such word from a system word list
(Debian's `wamerican`, /usr/share/dict/words) so the engine leaves them
alone. It mirrors the engine's rule: same first letter, at most 0/1/2 edits
for targets of <=4 / 5-9 / 10+ letters, optimal string alignment distance,
with a doubled or undoubled letter free (as long as the word is not the keyword).

Usage: python3 scripts/not_typos.py [WORDS_FILE]   (rewrites the file in place)
"""
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTENTS = ROOT / "knowledge" / "intents.toml"
OCCUPATION = ROOT / "knowledge" / "health-it-specialist.toml"


def allowed(n):
    return 0 if n <= 4 else 1 if n <= 9 else 2


def osa(a, b):
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def collapse(word):
    return re.sub(r"(.)\1+", r"\1", word)


def literal_words(pattern):
    pattern = re.sub(r"\\.", " ", pattern)
    return [w for w in re.findall(r"[a-z]+", pattern) if len(w) >= 3]


def main():
    words_file = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/words")
    table = tomllib.loads(INTENTS.read_text())
    occupation = tomllib.loads(OCCUPATION.read_text())
    function = set(table["lexicon"]["function_words"])
    targets = set()
    for rule in table["intent"]:
        targets.update(rule.get("keywords", []))
        targets.update(rule.get("weak_keywords", []))
    for pattern in table["scope"]["context"]:
        targets.update(w for w in literal_words(pattern) if w not in function)
    for alias in occupation["aliases"]:
        targets.update(alias.lower().split())
    for alt in occupation["alternatives"]:
        for alias in alt["aliases"]:
            targets.update(alias.lower().split())
    for name in table["scope"]["other_occupations"]:
        targets.update(name.split())
    targets = {t for t in targets if allowed(len(t)) > 0}

    guard = set()
    for line in words_file.read_text(errors="ignore").splitlines():
        word = line.strip().lower().replace("'", "")
        if not word.isalpha() or not word.isascii() or len(word) < 4 or word in targets:
            continue
        for target in targets:
            if target[0] != word[0] or abs(len(target) - len(word)) > allowed(len(target)):
                continue
            distance = min(osa(word, target), max(osa(collapse(word), collapse(target)), 1))
            if 1 <= distance <= allowed(len(target)):
                guard.add(word)
                break
    text = INTENTS.read_text()
    start = text.index("not_typos = [")
    end = text.index("]\n", start) + 2
    lines, current = [], "    "
    for word in sorted(guard):
        item = f'"{word}", '
        if len(current) + len(item) > 100:
            lines.append(current.rstrip())
            current = "    "
        current += item
    lines.append(current.rstrip())
    block = "not_typos = [\n" + "\n".join(lines) + "\n]\n"
    INTENTS.write_text(text[:start] + block + text[end:])
    print(f"{len(guard)} words near {len(targets)} correction targets")


if __name__ == "__main__":
    main()
