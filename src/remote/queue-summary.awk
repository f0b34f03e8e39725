# src/remote/queue-summary.awk: the awk program that sums up `postqueue -j`
# on the host (contract and output format in include/queue-summary.h):
# postqueue -j lines, then "#rc=N". POSIX awk only (mawk 1.3.4, gawk
# --posix, busybox awk). The build turns it into a C string (Makefile,
# $(BUILD)/gen/queue-summary-awk.c, without these comment lines); it is sent
# inside single quotes, so no single quote may appear in it.
function ch(n) { return sprintf("%c", n) }
function kre(k) { return "[{,][ \t\r\n]*\"" k "\"[ \t\r\n]*:[ \t\r\n]*" }
function val(s, k) { return match(s, K[k]) ? substr(s, RSTART + RLENGTH, 64) : "" }
function dup(s, k,   i, t) {
	i = index(s, "\"" k "\"")
	if (!i || !index(substr(s, i + 1), "\"" k "\"")) return 0
	t = s
	return gsub(K[k], "", t) > 1
}
function intval(v) {
	if (!match(v, /^-?[0-9]+/) || substr(v, RLENGTH + 1, 1) ~ /[.eE]/)
		return ""
	v = substr(v, 1, RLENGTH)
	return (v ~ /^-/ || v == "0") ? "" : v
}
function numok(t,   m, d, x, neg) {
	while (match(t, NUM)) {
		m = substr(t, RSTART, RLENGTH)
		t = substr(t, RSTART + RLENGTH)
		if (m ~ /[.eE]/) {
			x = m + 0
			if (x < 0) x = -x
			if (x > 1.7976931348623157e308) return 0
		} else {
			d = m
			neg = sub(/^-/, "", d)
			if (length(d) > 19 || (length(d) == 19 && d "" > \
			    (neg ? "9223372036854775808" : "9223372036854775807")))
				return 0
		}
	}
	return 1
}
function valid(s,   t, n) {
	if (s !~ /^[ \t\r\n]*\{/) return 0
	if (s ~ HI) { t = s; gsub(U8, "", t); if (t ~ HI) return 0 }
	if (index(s, "\\u")) {
		t = s
		gsub(/\\\\/, "", t)
		if (t ~ /\\u0000/) return 0
		gsub(HS "\\\\u[dD][c-fC-F]" X X, "", t)
		if (t ~ /\\u[dD][89a-fA-F]/) return 0
	}
	t = s
	gsub(STR, "\"\"", t)
	if (t ~ /[SNLV]/) return 0
	gsub(/""/, "S", t)
	gsub(/true|false|null/, "L", t)
	if (t ~ /[eE]|[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]/ && !numok(t))
		return 0
	gsub(NUM, "N", t)
	gsub(/[ \t\r\n]+/, "", t)
	do {
		n = gsub(/\{(S:[SNLV](,S:[SNLV])*)?\}/, "V", t)
		n += gsub(/\[([SNLV](,[SNLV])*)?\]/, "V", t)
	} while (n > 0)
	return t == "V"
}
function unesc(s,   o, i, c, h, k, code) {
	o = ""
	while ((i = index(s, "\\")) > 0) {
		o = o substr(s, 1, i - 1)
		c = substr(s, i + 1, 1)
		if (c == "u") {
			h = tolower(substr(s, i + 2, 4))
			code = 0
			for (k = 1; k <= 4; k++)
				code = code * 16 + index("0123456789abcdef", substr(h, k, 1)) - 1
			o = o (code > 32 && code < 127 ? ch(code) : ch(1))
			s = substr(s, i + 6)
		} else {
			o = o (c == "/" || c == "\\" || c == "\"" ? c : ch(1))
			s = substr(s, i + 2)
		}
	}
	return o s
}
function older(a, b) {
	return length(a) < length(b) || (length(a) == length(b) && a "" < b "")
}
function record(s,   v, name, at, sz, n, i, parts, raw) {
	if (dup(s, "queue_name") || dup(s, "queue_id") || dup(s, "arrival_time") ||
	    dup(s, "message_size") || dup(s, "recipients"))
		return 0
	v = val(s, "queue_name")
	if (!match(v, ASTR)) return 0
	name = substr(v, 2, RLENGTH - 2)
	if (index(name, "\\")) name = unesc(name)
	if (!(name in QN)) return 0
	if (substr(val(s, "queue_id"), 1, 1) != "\"") return 0
	count[name]++
	at = intval(val(s, "arrival_time"))
	if (at != "" && (!(name in oldest) || older(at, oldest[name])))
		oldest[name] = at
	sz = intval(val(s, "message_size"))
	if (sz != "") {
		if (length(sz) > 9) {
			bhi += substr(sz, 1, length(sz) - 9) + 0
			sz = substr(sz, length(sz) - 8)
		}
		blo += sz + 0
		if (blo >= 1e9) { bhi += int(blo / 1e9); blo = blo % 1e9 }
	}
	if (!index(s, "\"delay_reason\"")) return 1
	n = split(s, parts, K["delay_reason"])
	for (i = 2; i <= n; i++) {
		if (!match(parts[i], ASTR) || RLENGTH < 3) continue
		raw = substr(parts[i], 2, RLENGTH - 2)
		if (index(raw, "\\") || raw ~ /[^ -~]/)
			raw = substr(raw, 1, 1600)
		else
			raw = substr(raw, 1, 255)
		if (raw in tally)
			tally[raw]++
		else if (nr < 64) {
			order[++nr] = raw
			tally[raw] = 1
		}
	}
	return 1
}
BEGIN {
	split("active deferred hold incoming maildrop", QL, " ")
	for (i = 1; i <= 5; i++) QN[QL[i]] = i
	ctl = ""
	for (i = 1; i < 32; i++) ctl = ctl ch(i)
	X = "[0-9A-Fa-f]"
	STR = "\"([^\"\\\\" ctl "]|\\\\[\"\\\\/bfnrt]|\\\\u" X X X X ")*\""
	ASTR = "^" STR
	HS = "\\\\u[dD][89abAB]" X X
	NUM = "-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?"
	C = "[" ch(128) "-" ch(191) "]"
	HI = "[" ch(128) "-" ch(255) "]"
	U8 = "[" ch(194) "-" ch(223) "]" C "|" ch(224) "[" ch(160) "-" ch(191) "]" C \
	    "|[" ch(225) "-" ch(236) ch(238) ch(239) "]" C C \
	    "|" ch(237) "[" ch(128) "-" ch(159) "]" C \
	    "|" ch(240) "[" ch(144) "-" ch(191) "]" C C \
	    "|[" ch(241) "-" ch(243) "]" C C C \
	    "|" ch(244) "[" ch(128) "-" ch(143) "]" C C
	split("queue_name queue_id arrival_time message_size recipients delay_reason", kl, " ")
	for (i = 1; i <= 6; i++) K[kl[i]] = kre(kl[i])
	bhi = blo = bad = nr = 0
	rc = -1
}
{
	s = $0
	sub(/[\r ]+$/, "", s)
	if (s == "") next
	if (s ~ /^#rc=[0-9]+$/) { rc = substr(s, 5) + 0; next }
	if (length(s) > 8388608 || !valid(s) || !record(s)) bad++
}
END {
	for (i = 1; i <= 5; i++)
		printf "q %s %d %s\n", QL[i], count[QL[i]] + 0, \
		    (QL[i] in oldest) ? oldest[QL[i]] : "0"
	if (bhi > 0) printf "bytes %.0f%09d\n", bhi, blo
	else printf "bytes %d\n", blo
	printf "bad %d\n", bad
	for (i = 1; i <= nr; i++) printf "r %d %s\n", tally[order[i]], order[i]
	if (rc < 0) exit 2
	printf "rc %d\n", rc
	exit rc
}
