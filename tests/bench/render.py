#!/usr/bin/env python3
# render.py RESULTS.tsv BENCHMARKS.md ENVLINE: puts the figures of one
# `make bench` run as markdown tables between the generated-section markers
# of BENCHMARKS.md (made when missing); the hand-written text around them
# is left alone.
import sys

BEGIN = "<!-- bench:generated:begin (tests/bench/run rewrites this part) -->"
END = "<!-- bench:generated:end -->"

rows = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        p = line.rstrip("\n").split("\t")
        if len(p) == 6:
            rows.append(p)

out = [BEGIN, "", sys.argv[3], ""]
section = None
for sec, label, value, unit, detail, cmd in rows:
    if sec != section:
        section = sec
        out += ["", "### " + sec, "",
                "| figure | value | detail | command |", "|---|---:|---|---|"]
    cell = lambda s: s.replace("|", "\\|")
    out.append("| %s | **%s %s** | %s | `%s` |" % (cell(label), value, unit,
               cell(detail), cell(cmd)))
out += ["", END]
gen = "\n".join(out)

try:
    text = open(sys.argv[2], encoding="utf-8").read()
except FileNotFoundError:
    text = "# relaytop benchmarks\n\n" + BEGIN + "\n" + END + "\n"
if BEGIN in text and END in text:
    a = text.index(BEGIN)
    b = text.index(END) + len(END)
    text = text[:a] + gen + text[b:]
else:
    text = text.rstrip("\n") + "\n\n" + gen + "\n"
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(text)
