#!/usr/bin/env python3
"""Write lockgen sites of heavier shapes than gen_corpus.py's for bench/run.

    bench/gen_shapes.py SHAPE OUT_DIR --size N [--seed 1] [--entries 40]

SHAPE is one of:

  standard   exactly `gen_corpus.py OUT_DIR --entries N --seed S` (for completeness;
             bench/run calls gen_corpus.py itself for this shape).
  one-brand  N lock entries, all of one brand ("Acme Access", folder
             content/locks/acme-access/): the corpus gen_corpus.py makes with the
             same N and seed, every entry moved into that one folder and its
             `brand:` set to that brand (titles and the text of links to it
             follow). Everything else is untouched: front matter, sensitive
             entries (10 %) with their SENS- markers, bundles with their photo,
             the two "Related" links of every entry (rewritten to the new folder,
             still relative .md links to public entries). So one brand index page
             lists all N entries and one folder holds N pages.
  guides     N guide pages in content/guide/ (flat, one folder), each 300-1400
             words (median ~740) of handbook prose: `##`/`###` headings, paragraphs with
             **bold**, *emphasis* and `code`, bullet and numbered lists, a
             blockquote, sometimes a table, inline links and a "See also" list
             linking to 3-6 other guide pages (`../guide/x.md`) and now and then to
             a public entry (`../locks/b/x.md`); weight 1..N, a description on
             half of them, revisions on a third. Plus --entries (default 40) lock
             entries from gen_corpus.py (5 brands, ~10 % sensitive with SENS-
             markers) and its home page; gen_corpus.py's six guide pages are
             replaced. No guide page is sensitive and none has a private block,
             so the peers' adapters (which only draft sensitive *entries*) convert
             the shape faithfully.

Links never carry #anchors (the Zola adapter only rewrites plain `../x.md`
links). The same shape, size and seed always give byte-identical files.
Standard library only; gen_corpus.py is run with the same Python.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GEN_CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py"))
SHAPES = ("standard", "one-brand", "guides")
ONE_BRAND = "Acme Access"
ONE_SLUG = "acme-access"
GUIDE_ENTRIES = 40


def slugify(text):
    # same rule as gen_corpus.py
    out, dash = [], False
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_gen_corpus(out, entries, seed):
    subprocess.run([sys.executable, GEN_CORPUS, out, "--entries", str(entries), "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)


def entry_files(content):
    """(rel path under content/, full path) of every entry .md, sorted."""
    out = []
    locks = os.path.join(content, "locks")
    for root, dirs, files in os.walk(locks):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                full = os.path.join(root, name)
                out.append((os.path.relpath(full, content).replace(os.sep, "/"), full))
    return out


def front_value(text, key):
    m = re.search(rf'^{key}: (.*)$', text, re.M)
    if not m:
        return None
    v = m.group(1).strip()
    if v.startswith('"'):
        v = v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return v


# ---------------------------------------------------------------- one-brand

LINK = re.compile(r"^- \[(.*)\]\(((?:\.\./)+)([^/)]+)/([^)]*\.md)\)$", re.M)


def one_brand(out, n, seed):
    run_gen_corpus(out, n, seed)
    content = os.path.join(out, "content")
    locks = os.path.join(content, "locks")
    brands = {}  # old folder slug -> old brand name
    for rel, full in entry_files(content):
        slug = rel.split("/")[1]
        if slug not in brands:
            with open(full, encoding="utf-8") as f:
                brands[slug] = front_value(f.read(), "brand")
    staging = os.path.join(out, ".one-brand")
    os.makedirs(staging)
    for slug in sorted(brands):
        bdir = os.path.join(locks, slug)
        for name in sorted(os.listdir(bdir)):
            # slugs end in the entry's number, so no two brands share one
            os.rename(os.path.join(bdir, name), os.path.join(staging, name))
        os.rmdir(bdir)
    os.rename(staging, os.path.join(locks, ONE_SLUG))

    def new_title(old_title, old_brand):
        return ONE_BRAND + old_title[len(old_brand):] if old_title.startswith(old_brand + " ") else old_title

    def fix_link(m):
        text, up, slug, rest = m.groups()
        old = brands.get(slug)
        if old:
            text = new_title(text, old)
        return f"- [{text}]({up}{ONE_SLUG}/{rest})"

    count = sens = 0
    for rel, full in entry_files(content):
        with open(full, encoding="utf-8") as f:
            text = f.read()
        head, sep, body = text.partition("\n---\n")
        old_brand = front_value(head, "brand")
        old_title = front_value(head, "title")
        head = re.sub(r"^brand: .*$", "brand: " + yaml_str(ONE_BRAND), head, count=1, flags=re.M)
        head = re.sub(r"^title: .*$", lambda _: "title: " + yaml_str(new_title(old_title, old_brand)),
                      head, count=1, flags=re.M)
        body = LINK.sub(fix_link, body)
        with open(full, "w", encoding="utf-8") as f:
            f.write(head + sep + body)
        count += 1
        sens += "\nsensitive: true" in head
    print(f"{out}: one-brand, {count} entries of {ONE_BRAND}, {sens} sensitive")


# ---------------------------------------------------------------- guides

TOPICS = ["Battery replacement", "Master code management", "Audit trails", "Emergency egress",
          "Firmware updates", "Access schedules", "Override keys", "Tamper alarms",
          "User enrolment", "Low-voltage wiring", "Weatherproofing", "Maintenance calendars",
          "Handover to new owners", "Lockout recovery", "Fire door compliance", "Credential hygiene",
          "Door position sensors", "Keypad cleaning", "Backup power", "Incident reports"]
ASPECTS = ["a checklist", "common mistakes", "for facility managers", "step by step",
           "what to record", "in multi-tenant buildings", "after a power failure",
           "for night shifts", "with older hardware", "before an inspection", "in cold weather",
           "for contractors", "and insurance", "in shared offices", "for new staff"]
SUBJECTS = ["The facility manager", "Each occupant", "The installer", "A technician",
            "The administrator", "Whoever holds the master code", "The building owner",
            "Maintenance staff", "The security team", "The night porter", "A locksmith",
            "The property manager", "Every key holder"]
PLAIN_VERBS = ["replaces", "tests", "reviews", "updates", "documents", "disables", "re-enrols",
               "inspects", "photographs", "labels", "cleans", "verifies", "rotates", "writes down",
               "reports"]
VERBS = ["should check", "must record", "can reset", "needs to confirm"] + PLAIN_VERBS
OBJECTS = ["the battery compartment", "the master code", "every user credential", "the audit log",
           "the firmware version", "the interior escutcheon", "the override cylinder",
           "the door position sensor", "the wiring harness", "the keypad membrane", "the strike plate",
           "the emergency key", "the access schedule", "the fingerprint templates", "the latch bolt",
           "the tamper switch", "the spare batteries", "the handover sheet", "the service contract",
           "the programming card"]
QUALIFIERS = ["before the lease ends", "at least once a year", "after every power failure",
              "whenever a tenant moves out", "during the quarterly inspection", "before closing the housing",
              "without removing the lock from the door", "as the manufacturer's manual describes",
              "so that the next shift knows the state of the door", "when the low-battery indicator blinks",
              "in the presence of a second person", "on the maintenance log", "within one working day",
              "before the warranty runs out", "while the door is propped open"]
OPENERS = ["If", "When", "Once", "After", "Before", "Whenever"]
NOTES = ["Never leave the master code on a sticky note near the door.",
         "Keep the override key in a sealed envelope, signed across the flap.",
         "A lock that beeps twice after a code usually means the battery is low, not that the code is wrong.",
         "Do not mix battery brands or old and new cells in the same pack.",
         "Write the date on every battery you install.",
         "Check that the door closes fully before you test the latch."]
CODES = ["#*0", "*8#", "0-0-0-0", "PROG", "1234#", "**9", "F1", "#0#"]


def g_sentence(rng):
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    r = rng.random()
    if r < 0.3:
        s = (f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS).lower()} {rng.choice(PLAIN_VERBS)} "
             f"{rng.choice(OBJECTS)}, {s[0].lower() + s[1:]}")
    if rng.random() < 0.7:
        s += " " + rng.choice(QUALIFIERS)
    s += "."
    r = rng.random()
    if r < 0.08:
        o = rng.choice(OBJECTS)
        s = s.replace(o, f"**{o}**", 1) if o in s else s
    elif r < 0.14:
        s = s.replace(" should ", " *should* ", 1)
    elif r < 0.22:
        s = s[:-1] + f" (the code is usually `{rng.choice(CODES)}`)."
    return s


def g_paragraph(rng, lo=2, hi=5, links=None):
    parts = [g_sentence(rng) for _ in range(rng.randint(lo, hi))]
    if links and rng.random() < 0.35:
        title, path = rng.choice(links)
        parts.insert(rng.randint(0, len(parts)), f"See [{title}]({path}) for the details.")
    return " ".join(parts)


def guide_page(rng, i, title, links, entry_links):
    fm = ["---", f"title: {yaml_str(title)}", f"weight: {i + 1}"]
    if rng.random() < 0.5:
        fm.append(f"description: {yaml_str(g_sentence(rng))}")
    if rng.random() < 0.33:
        fm.append("revisions:")
        year, month = 2024, rng.randint(1, 12)
        for _ in range(rng.randint(1, 3)):
            month += rng.randint(1, 6)
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
            fm += [f"  - date: {min(year, 2026)}-{month:02d}-{rng.randint(1, 28):02d}",
                   f"    note: {yaml_str(g_sentence(rng))}"]
    fm.append("---")
    parts = [g_paragraph(rng, 2, 4, links)]
    for _ in range(rng.randint(3, 6)):
        parts.append(f"## {rng.choice(TOPICS)}: {rng.choice(ASPECTS)}")
        parts.append(g_paragraph(rng, 3, 6, links))
        r = rng.random()
        if r < 0.4:
            parts.append("\n".join(f"- {g_sentence(rng)}" for _ in range(rng.randint(3, 6))))
        elif r < 0.7:
            parts.append("\n".join(f"{k + 1}. {g_sentence(rng)}" for k in range(rng.randint(4, 8))))
        if rng.random() < 0.35:
            parts.append(f"### {rng.choice(ASPECTS).capitalize()}")
            parts.append(g_paragraph(rng, 2, 4, links))
        if rng.random() < 0.2:
            parts.append(f"> **Note:** {rng.choice(NOTES)}")
        if rng.random() < 0.1:
            rows = "\n".join(f"| {rng.choice(OBJECTS).capitalize()} | {rng.choice(QUALIFIERS)} | "
                             f"{rng.choice(SUBJECTS)} |" for _ in range(rng.randint(2, 5)))
            parts.append("| What | When | Who |\n|---|---|---|\n" + rows)
    see = rng.sample(links, min(len(links), rng.randint(3, 6)))
    if entry_links and rng.random() < 0.3:
        see.append(rng.choice(entry_links))
    if see:
        parts.append("## See also\n\n" + "\n".join(f"- [{t}]({p})" for t, p in see))
    return "\n".join(fm) + "\n\n" + "\n\n".join(parts) + "\n"


def guides(out, n, seed, entries):
    run_gen_corpus(out, entries, seed)
    content = os.path.join(out, "content")
    guide_dir = os.path.join(content, "guide")
    shutil.rmtree(guide_dir)  # gen_corpus.py's six pages; replaced by N of ours
    os.makedirs(guide_dir)
    entry_links = []
    for rel, full in entry_files(content):
        with open(full, encoding="utf-8") as f:
            head = f.read().partition("\n---\n")[0]
        if "\nsensitive: true" not in head:
            entry_links.append((front_value(head, "title"), "../" + rel))
    rng = random.Random(f"guides-{seed}-{n}")
    titles = []
    for i in range(n):
        aspect = rng.choice(ASPECTS)
        titles.append(f"{rng.choice(TOPICS)}: {aspect} ({i + 1})")
    slugs = [slugify(t) for t in titles]
    for i in range(n):
        # links to nearby pages (chapters read in order) and a few anywhere
        near = [j for j in range(max(0, i - 5), min(n, i + 6)) if j != i]
        far = [rng.randrange(n) for _ in range(3)]
        targets = sorted(set(near[:6] + [j for j in far if j != i]))
        links = [(titles[j], f"../guide/{slugs[j]}.md") for j in targets]
        with open(os.path.join(guide_dir, slugs[i] + ".md"), "w", encoding="utf-8") as f:
            f.write(guide_page(rng, i, titles[i], links, entry_links))
    print(f"{out}: guides, {n} guide pages, {len(entry_links)} public entries of {entries}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shape", choices=SHAPES)
    ap.add_argument("out")
    ap.add_argument("--size", type=int, required=True,
                    help="entries (standard, one-brand) or guide pages (guides)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--entries", type=int, default=GUIDE_ENTRIES,
                    help=f"lock entries in the guides shape (default {GUIDE_ENTRIES})")
    args = ap.parse_args()
    if args.size < 1:
        ap.error("--size must be >= 1")
    if os.path.exists(args.out):
        if os.listdir(args.out) and not os.path.exists(os.path.join(args.out, "site.toml")):
            raise SystemExit(f"{args.out} exists and is not a site (no site.toml); not replacing it")
        shutil.rmtree(args.out)
    if args.shape == "standard":
        run_gen_corpus(args.out, args.size, args.seed)
        print(f"{args.out}: standard, {args.size} entries")
    elif args.shape == "one-brand":
        one_brand(args.out, args.size, args.seed)
    else:
        guides(args.out, args.size, args.seed, args.entries)


if __name__ == "__main__":
    main()
