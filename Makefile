# relaytop: hand-written Makefile. `make` builds ./relaytop; `make test` runs
# unit tests and the lab end-to-end tests; `make demo` runs relaytop on the lab.

PREFIX  ?= /usr/local
DESTDIR ?=
PKGS    := ncursesw libssh2 inih jansson libcrypto
CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += $(CSTD) $(WARN) $(OPT) -Iinclude $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lpthread -lm
BUILD   ?= build

# Every module is a small file; the lists are the directories' contents.
SRC_CORE := $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
SRC_UI   := $(sort $(wildcard ui/*.c))
OBJ_CORE := $(SRC_CORE:%.c=$(BUILD)/%.o)
OBJ_UI   := $(SRC_UI:%.c=$(BUILD)/%.o)
OBJ_MAIN := $(BUILD)/src/main.o

UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all clean install uninstall deps test unit e2e demo check-deps \
        asan asan-bin fuzz fuzz-lib bench e2e-asan

all: relaytop

relaytop: $(OBJ_MAIN) $(OBJ_CORE) $(OBJ_UI)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The core as an archive: a unit test pulls in only the modules it uses.
$(BUILD)/librelaytop.a: $(OBJ_CORE)
	@rm -f $@
	$(AR) rcs $@ $^

# Unit tests link the core archive and cmocka; never the curses views.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librelaytop.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DTEST_DATA='"$(CURDIR)/tests/data"' -o $@ \
	    $< $(BUILD)/librelaytop.a $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)
	@tests/unit/run $(UNIT_BIN)

deps:
	@tests/deps.sh

check-deps:
	@tests/deps.sh --check >/dev/null 2>&1 || tests/deps.sh

-include tests/lab/lab.mk

# Lab tests; the sanitizer binary also runs a few of them (E2E_ASAN).
# E2E_JOBS labs side by side, one test on each at a time.
E2E_ASAN ?= e2e-once-chain e2e-check-clean e2e-action-test-send
E2E_JOBS ?= 2
e2e: relaytop
	@E2E_JOBS=$(E2E_JOBS) tests/e2e/with-lab tests/e2e/suite "$(E2E)" "$(E2E_ASAN_RUN)"

e2e-asan: relaytop asan-bin
	@$(MAKE) --no-print-directory e2e E2E_ASAN_RUN="$(E2E_ASAN)"

# The whole suite: unit tests, the same under ASan+UBSan, a short fuzz pass,
# then the lab (its last line is the runner's "N passed, N failed").
test: check-deps
	@$(MAKE) --no-print-directory -j2 all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory -j2 asan
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SHORT)
	@$(MAKE) --no-print-directory e2e-asan

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

# --- sanitizer build: unit tests and the binary under ASan+UBSan -----------
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g $(SAN)' \
	    LDFLAGS='$(SAN)'
asan:
	@$(ASAN_MAKE) build-asan/relaytop unit

asan-bin:
	@$(ASAN_MAKE) build-asan/relaytop


# (reached only through `make asan` or asan-bin, where BUILD is build-asan)
build-asan/relaytop: $(OBJ_MAIN) $(OBJ_CORE) $(OBJ_UI)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# --- fuzzing: libFuzzer harnesses in tests/fuzz/, bounded time each --------
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined

fuzz-lib:
	@$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz OPT='$(FUZZ_OPT)' \
	    build-fuzz/librelaytop.a

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c fuzz-lib
	clang $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined -Iinclude \
	    $(PKG_CFLAGS) -o $@ $< build-fuzz/librelaytop.a $(LDLIBS)

# --- benchmarks: relaytop against the tools operators use instead ---------
bench: relaytop
	@tests/bench/run

fuzz: $(FUZZ_BIN)
	@tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_BIN)
