# relaytop: hand-written Makefile. `make` builds ./relaytop; `make test` runs
# unit tests and the lab end-to-end tests; `make demo` runs relaytop on the lab.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
BUILD   ?= build
.DEFAULT_GOAL := all

# The flags every object needs. A user's CFLAGS (make CFLAGS=-O0) only adds
# to them; -std, -Iinclude and the warnings stay. Warnings are errors in
# `make test` (CI) and with WERROR=1, not in a user's or packager's build.
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter
WERROR  ?= 0
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
CFLAGS  ?=

# pkg-config runs once per build directory: its answers are kept in
# $(BUILD)/pkg.mk, and a missing package stops the build with its name.
# The curses flags (ncursesw brings -D_XOPEN_SOURCE=600) reach ui/ only.
PKGS_CORE := libssh2 inih jansson libcrypto libmicrohttpd
# zlib: gzip /metrics bodies (src/serve-gzip.c)
PKGS_CORE += zlib
PKGS_UI   := ncursesw
NOPKG_GOALS := clean deps check-deps test demo uninstall lab-up lab-down \
	       lab-status lab-reset lint-remote check-trixie prometheus-check
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NOPKG_GOALS),$(MAKECMDGOALS)),)
NOPKG := 1
endif
endif
ifneq ($(NOPKG),1)
include $(BUILD)/pkg.mk
endif

$(BUILD)/pkg.mk: Makefile
	@mkdir -p $(@D)
	@for p in $(PKGS_CORE) $(PKGS_UI); do \
	    pkg-config --exists $$p || { echo "relaytop: missing package:" \
	    "$$p (pkg-config finds no $$p.pc; 'make deps' installs it)" >&2; \
	    exit 1; }; done
	@{ echo "CORE_PKG_CFLAGS := $$(pkg-config --cflags $(PKGS_CORE))"; \
	   echo "CORE_PKG_LIBS := $$(pkg-config --libs $(PKGS_CORE))"; \
	   echo "UI_PKG_CFLAGS := $$(pkg-config --cflags $(PKGS_UI))"; \
	   echo "UI_PKG_LIBS := $$(pkg-config --libs $(PKGS_UI))"; } >$@.tmp
	@mv $@.tmp $@

ALL_CFLAGS = $(CSTD) $(WARN) -Iinclude $(CORE_PKG_CFLAGS) $(OPT) $(CFLAGS) \
	     -MMD -MP
CORE_LIBS  = $(CORE_PKG_LIBS) -lpthread -lm -lcrypt
UI_LIBS    = $(UI_PKG_LIBS)

# Every module is a small file; the lists are the directories' contents.
SRC_CORE := $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
SRC_UI   := $(sort $(wildcard ui/*.c))
OBJ_CORE := $(SRC_CORE:%.c=$(BUILD)/%.o)
OBJ_UI   := $(SRC_UI:%.c=$(BUILD)/%.o)
OBJ_MAIN := $(BUILD)/src/main.o

UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all clean install uninstall deps test unit e2e demo check-deps \
        asan asan-bin fuzz fuzz-lib fuzz-bin bench e2e-asan tools FORCE

all: relaytop

relaytop: $(OBJ_MAIN) $(OBJ_CORE) $(OBJ_UI)
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(UI_LIBS)

# Objects are rebuilt when the flags change (WERROR=1, CFLAGS=...).
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(ALL_CFLAGS) | $(UI_PKG_CFLAGS)' | cmp -s - $@ || \
	    echo '$(ALL_CFLAGS) | $(UI_PKG_CFLAGS)' >$@

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(XCFLAGS) -c -o $@ $<

# Only the views see curses' flags.
$(OBJ_UI): XCFLAGS = $(UI_PKG_CFLAGS)

# The core as an archive: a unit test pulls in only the modules it uses.
$(BUILD)/librelaytop.a: $(OBJ_CORE)
	@rm -f $@
	$(AR) rcs $@ $^

# Unit tests link the core archive and cmocka; never the curses views.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librelaytop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DTEST_DATA='"$(CURDIR)/tests/data"' -o $@ \
	    $< $(BUILD)/librelaytop.a $(CORE_LIBS) -lcmocka

# The lab drivers in tests/tools/ (fleet-run, sshc-run): built with the
# unit tests so they never rot.
$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/librelaytop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/librelaytop.a $(CORE_LIBS)

# LD_PRELOAD shims for lab tests (tests/shim/): never linked into relaytop.
SHIM_SRC := $(sort $(wildcard tests/shim/*.c))
SHIM_SO := $(SHIM_SRC:tests/shim/%.c=$(BUILD)/shim/%.so)
$(BUILD)/shim/%.so: tests/shim/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< $(CORE_LIBS) -ldl

tools: $(TOOL_BIN) $(SHIM_SO)

unit: $(UNIT_BIN) $(TOOL_BIN) $(SHIM_SO)
	@tests/unit/run $(UNIT_BIN)

deps:
	@tests/deps.sh

check-deps:
	@tests/deps.sh --check >/dev/null 2>&1 || tests/deps.sh

-include tests/lab/lab.mk

# Lab tests; the sanitizer binary also runs a few of them (E2E_ASAN).
# E2E_JOBS labs side by side, one test on each at a time (three: the tests
# mostly wait for Postfix and timeouts, and two cores keep up with three).
E2E_ASAN ?= e2e-once-chain e2e-check-clean e2e-action-test-send e2e-hostile-times
E2E_JOBS ?= 3
e2e: relaytop tools
	@E2E_JOBS=$(E2E_JOBS) tests/e2e/with-lab tests/e2e/suite "$(E2E)" "$(E2E_ASAN_RUN)"

e2e-asan: relaytop asan-bin
	@$(MAKE) --no-print-directory e2e E2E_ASAN_RUN="$(E2E_ASAN)"

# The whole suite: unit tests, the same under ASan+UBSan, a short fuzz pass,
# then the lab (its last line is the runner's "N passed, N failed").
# Warnings are errors here (WERROR=1), so CI fails on one.
test: check-deps
	@$(MAKE) --no-print-directory WERROR=1 -j2 all
	@$(MAKE) --no-print-directory WERROR=1 unit
	@$(MAKE) --no-print-directory WERROR=1 -j2 asan
	@$(MAKE) --no-print-directory WERROR=1 fuzz FUZZ_SECONDS=$(FUZZ_SHORT)
	@$(MAKE) --no-print-directory WERROR=1 e2e-asan

FUZZ_SHORT ?= 10

demo: check-deps
	@$(MAKE) --no-print-directory all
	@tests/demo.sh

install: relaytop
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 relaytop $(DESTDIR)$(PREFIX)/bin/relaytop
	install -m 0644 assets/relaytop.1 $(DESTDIR)$(PREFIX)/share/man/man1/relaytop.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/relaytop $(DESTDIR)$(PREFIX)/share/man/man1/relaytop.1

clean:
	rm -rf $(BUILD) build-asan build-fuzz relaytop

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
# the compiler writes the .d files: make must not try to remake them (the
# gen/%.c pattern rule would otherwise match "NAME.d.c" through the built-in
# "%: %.c" rule and run c-string.sh with no arguments)
%.d: ;

# --- sanitizer build: unit tests and the binary under ASan+UBSan -----------
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g $(SAN)' \
	    LDFLAGS='$(SAN)'
asan:
	+@$(ASAN_MAKE) build-asan/relaytop unit

asan-bin:
	+@$(ASAN_MAKE) build-asan/relaytop


# (reached only through `make asan` or asan-bin, where BUILD is build-asan)
build-asan/relaytop: $(OBJ_MAIN) $(OBJ_CORE) $(OBJ_UI)
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(UI_LIBS)

# --- fuzzing: libFuzzer harnesses in tests/fuzz/, bounded time each --------
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined

fuzz-lib:
	@$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz OPT='$(FUZZ_OPT)' \
	    build-fuzz/librelaytop.a

# Relinked only when the harness or the archive changed (fuzz-lib, run
# first by `make fuzz`, brings the archive up to date).
build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c build-fuzz/librelaytop.a
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
	    -Iinclude $(CORE_PKG_CFLAGS) -o $@ $< build-fuzz/librelaytop.a \
	    $(CORE_LIBS)

fuzz-bin: fuzz-lib
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

# --- benchmarks: relaytop against the tools operators use instead ---------
bench: relaytop
	@tests/bench/run

fuzz: fuzz-bin
	@tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_BIN)

# --- the remote probe script and awk program (src/remote/) as C strings ---
# Each becomes $(BUILD)/gen/NAME.c, one function returning the text; make
# test runs shellcheck on the script.
GEN_OBJ := $(BUILD)/gen/probe-script.o $(BUILD)/gen/queue-summary-awk.o
relaytop $(BUILD)/relaytop $(BUILD)/librelaytop.a: $(GEN_OBJ)

$(BUILD)/gen/probe-script.c: src/remote/probe.sh tests/tools/c-string.sh
$(BUILD)/gen/queue-summary-awk.c: src/remote/queue-summary.awk tests/tools/c-string.sh
$(BUILD)/gen/probe-script.c: GEN_ARGS = probe_script_text probe.h
$(BUILD)/gen/queue-summary-awk.c: GEN_ARGS = queue_summary_awk queue-summary.h
$(BUILD)/gen/%.c:
	@mkdir -p $(dir $@)
	tests/tools/c-string.sh $(GEN_ARGS) $< >$@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/flags
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

.PHONY: lint-remote
lint-remote:
	shellcheck --shell=sh src/remote/probe.sh
test: lint-remote

# --- Debian 13 (trixie) from Debian 12: a cached trixie root (mmdebstrap),
# a plain build, the unit tests and the lab's seed tests inside it ---------
.PHONY: check-trixie
check-trixie:
	@tests/trixie/run

# --- the shipped Prometheus rules, their tests, config and dashboard -------
.PHONY: prometheus-check
prometheus-check:
	@tests/prometheus-check.sh
test: prometheus-check

# A 30-minute soak of --serve against the lab with faults on a schedule
# (tests/soak/run; SOAK_MINUTES=3 for a short one); not in make test.
.PHONY: soak
soak: relaytop
	tests/soak/run
